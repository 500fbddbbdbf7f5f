#!/usr/bin/env bash
# scripts/soak.sh DURATION: run a real ./jpen in front of three local echo backends for DURATION seconds
# (default 120) with mixed traffic (short connections, 16-64 MiB transfers, 100 idle connections held
# throughout), every byte checked by SHA-256, and jpen run with Netty's leak detector at paranoid level (a leak
# report in its log is an error). Prints connections, bytes checked, errors, and jpen's descriptors and RSS at
# start and end; exits non-zero on any error. Loopback only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration="${1:-120}"
cp="$(core_test_classpath)"
cd "$here"
./jpen --version >/dev/null # builds jpen first if needed, outside the timed run
exec java -Xmx512m -cp "$cp" io.jpen.core.reliability.Soak "$duration" ./jpen
