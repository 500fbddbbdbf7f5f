#!/usr/bin/env bash
# scripts/fuzz.sh SECONDS [TARGET...]: fuzz jpen's input handlers with random seeds for SECONDS in all
# (targets: command-parser config-file http-head control-port; default all). Failing inputs are saved in
# fuzz-failures/TARGET/ with the seed and the problem; the exit status is the number of failures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
seconds="${1:-60}"
shift || true
cp="$(core_test_classpath)"
cd "$here"
exec java -Xmx1g -cp "$cp" io.jpen.core.reliability.fuzz.FuzzMain "$seconds" "$@"
