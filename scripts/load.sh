#!/usr/bin/env bash
# scripts/load.sh [CONNECTIONS] [SLOW_CLIENTS] [SLOW_MIB] [INTEGRITY_MIB]
#   CONNECTIONS    connections opened and closed with random aborts on both sides (default 100000)
#   SLOW_CLIENTS   slow clients pulling through jpen at once (default 1000) ...
#   SLOW_MIB       ... each pulling this many MiB (default 100)
#   INTEGRITY_MIB  MiB sent and echoed back through jpen under SHA-256 (default 4096)
# Runs the reliability suite's churn, slow-client and integrity tests at full size on loopback and prints
# their summaries (descriptors, heap, jpen's buffer-pool peak, bytes checked). CI runs the same tests small.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
conns="${1:-100000}"; slow="${2:-1000}"; mib="${3:-100}"; integrity="${4:-4096}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log="$(mktemp)"
status=0
mvn_q -pl core test -Dtest='ConnectionChurnTest,SlowClientMemoryTest,IntegrityTest' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Djpen.load.connections="$conns" -Djpen.slow.clients="$slow" -Djpen.slow.mib="$mib" \
  -Djpen.integrity.mib="$integrity" >"$log" 2>&1 || status=$?
grep -E '^(churn|slow clients|integrity)' "$log" || true
grep -hE 'Tests run:' "$here"/core/target/surefire-reports/*reliability*.txt 2>/dev/null || true
if [ "$status" -ne 0 ]; then echo "load: FAILED (full log: $log)"; else echo "load: passed"; rm -f "$log"; fi
exit "$status"
