#!/usr/bin/env bash
# scripts/load.sh [CONNECTIONS] [SLOW_CLIENTS] [SLOW_MIB] [INTEGRITY_MIB] [PARTS]
#   CONNECTIONS    connections opened and closed with random aborts on both sides (default 100000)
#   SLOW_CLIENTS   slow clients pulling through jpen at once (default 1000) ...
#   SLOW_MIB       ... each pulling this many MiB (default 100; the full run takes a long while)
#   INTEGRITY_MIB  MiB sent and echoed back through jpen under SHA-256 (default 4096)
#   PARTS          which parts, comma-separated: churn,slow,integrity (default all)
# Runs the reliability suite's churn, slow-client and integrity tests at full size on loopback (the same code
# CI runs small) and prints their summaries: descriptors, heap, jpen's buffer-pool peak, bytes checked. A buffer
# leak Netty reports during the run fails it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
conns="${1:-100000}"; slow="${2:-1000}"; mib="${3:-100}"; integrity="${4:-4096}"; parts="${5:-churn,slow,integrity}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cp="$(core_test_classpath)"
cd "$here"
# Leaks: one buffer in 128 tracked with its access records (paranoid, every buffer, would slow a 100 GB run).
exec java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dio.netty.leakDetection.level=advanced -Dio.netty.customResourceLeakDetector=io.jpen.core.testing.LeakGate \
  -Djpen.load.connections="$conns" -Djpen.slow.clients="$slow" -Djpen.slow.mib="$mib" \
  -Djpen.integrity.mib="$integrity" -cp "$cp" io.jpen.core.reliability.LoadMain ${parts//,/ }
