#!/usr/bin/env bash
# scripts/fuzz.sh SECONDS [TARGET...]: fuzz jpen's input handlers with random seeds for SECONDS in all
# (targets: command-parser config-file http-head control-port api-http api-json proxy-header; default all). Failing inputs are saved in
# fuzz-failures/TARGET/ with the seed and the problem; a reported buffer leak is a failure too; the exit status is
# the number of failures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
seconds="${1:-60}"
shift || true
cp="$(core_test_classpath)"
cd "$here"
# Every buffer tracked: a buffer a handler forgets on bad input is reported and counted as a failure.
exec java -Xmx1g -Dio.netty.leakDetection.level=paranoid -Dio.netty.customResourceLeakDetector=io.jpen.core.testing.LeakGate \
  -cp "$cp" io.jpen.core.reliability.fuzz.FuzzMain "$seconds" "$@"
