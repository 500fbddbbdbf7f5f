#!/usr/bin/env bash
# bench/run.sh -- jpen beside Pen and HAProxy, measured side by side by ../shared/bench/anchors.sh.
#
#   bench/run.sh                 # full run (~12 min on 2 cores): all workloads, then the console check
#   ROUNDS=1 DUR=2 WORKLOADS="ka close" bench/run.sh      # quick look
#   CONSOLE_CHECK=0 bench/run.sh # skip the console check
#   bench/run.sh --tcp "jpen-nio=exec $PWD/jpen --transport nio --threads 1 -f -r -x 10000 127.0.0.1:\$LPORT \$B1 \$B2"
#                                # arguments go to anchors.sh: more candidates (phase 1)
#
# Phase 1 runs anchors.sh with direct, pen, haproxy-1t and jpen (TCP and UDP templates). Phase 2 runs the
# bare engine, the engine with a LocalConsole attached, and the engine serving its API with a remote console
# attached from a separate, detached process (bench module, io.jpen.bench.ConsoleProbe and RemoteWatcher) on the
# keep-alive and connection-per-request workloads. Then it prints the table of docs/performance.md (and exits
# non-zero if the remote console was not attached all along).
# Needs (Debian): nginx wrk iperf3 haproxy pen socat curl python3, and a JDK 17 + Maven.
# Knobs: everything anchors.sh takes (ROUNDS, DUR, WORKLOADS, ...), plus
#   ANCHORS        path of anchors.sh (default: ../shared/bench/anchors.sh beside the repository)
#   JPEN_THREADS   jpen's --threads (default 1: anchors pins each proxy to one core)
#   JPEN_TRANSPORT jpen's --transport (default auto, jpen's own default: epoll where it loads, else nio)
#   OUT_DIR        results of phase 1 (default bench/results/<timestamp>); phase 2 goes to OUT_DIR/console
#   CONSOLE_WARMUP seconds of load each phase-2 instance gets before its first round (default 20)
#   CONSOLE_ROUNDS phase 2's rounds (default 5)
#   PHASE1         0 = skip phase 1 and the start-up timing (phase 2 and its table only)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ANCHORS=${ANCHORS:-$ROOT/../shared/bench/anchors.sh}
[[ -f $ANCHORS ]] || { echo "bench/run.sh: anchors.sh not found at $ANCHORS (set ANCHORS=...)" >&2; exit 1; }
for t in nginx wrk iperf3 haproxy pen socat curl python3 java mvn; do
  command -v "$t" >/dev/null || { echo "bench/run.sh: missing $t (apt-get install nginx wrk iperf3 haproxy pen socat curl python3)" >&2; exit 1; }
done

export ROUNDS=${ROUNDS:-3}
JPEN_THREADS=${JPEN_THREADS:-1}
JPEN_TRANSPORT=${JPEN_TRANSPORT:-auto}
CONSOLE_CHECK=${CONSOLE_CHECK:-1}
CONSOLE_WARMUP=${CONSOLE_WARMUP:-20}
CONSOLE_ROUNDS=${CONSOLE_ROUNDS:-5}
PHASE1=${PHASE1:-1}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT_DIR:-$ROOT/bench/results/$STAMP}
mkdir -p "$OUT"

echo "bench/run.sh: building jpen and the bench module (tests skipped)" >&2
(cd "$ROOT" && mvn -q -B -DskipTests -Pbench -pl headless,bench -am package) >&2
touch "$ROOT/headless/target/jpen-headless-0.1.0-SNAPSHOT.jar"   # the launcher then sees an up-to-date build

q() { printf '%q' "$1"; }
JPEN=$(q "$ROOT/jpen")
CP=$(q "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*")
# The probe runs on the same JVM flags as the launcher's defaults (JPEN_JAVA_OPTS adds to them).
PROBE_JAVA=$(q "$ROOT/bench/probe-java.sh")

if [[ $PHASE1 == 1 ]]; then
  echo "bench/run.sh: start-to-listening time" >&2
  "$ROOT/bench/startup.sh" >"$OUT/startup.txt" 2>>"$OUT/startup.err" || echo "startup measurement failed (see $OUT/startup.err)" >&2

  OUT_DIR=$OUT "$ANCHORS" direct pen haproxy-1t "$@" \
    --tcp "jpen=exec $JPEN --transport $JPEN_TRANSPORT --threads $JPEN_THREADS -f -r -x 10000 127.0.0.1:\$LPORT \$B1 \$B2" \
    --udp "jpen=exec $JPEN --transport $JPEN_TRANSPORT --threads $JPEN_THREADS -f -r -U -x 10000 127.0.0.1:\$LPORT \$B1 \$B2"
fi

CONSOLE_OUT=""
if [[ $CONSOLE_CHECK == 1 ]]; then
  CONSOLE_OUT=$OUT/console
  # The console's cost is a steady-state question: every candidate gets CONSOLE_WARMUP seconds of load first (C2 has
  # compiled the hot paths by then, the API's JSON included) and CONSOLE_ROUNDS rounds, so that a round still
  # compiling does not end up as the median of one candidate and not of the others.
  OUT_DIR=$CONSOLE_OUT WORKLOADS="ka close" WARMUP=$CONSOLE_WARMUP ROUNDS=$CONSOLE_ROUNDS "$ANCHORS" jpen-engine jpen-console \
    --tcp "jpen-engine=exec $PROBE_JAVA -cp $CP io.jpen.bench.ConsoleProbe --no-console $JPEN_THREADS 127.0.0.1:\$LPORT \$B1 \$B2" \
    --tcp "jpen-console=exec $PROBE_JAVA -cp $CP io.jpen.bench.ConsoleProbe --console $JPEN_THREADS 127.0.0.1:\$LPORT \$B1 \$B2" \
    --tcp "jpen-remote=exec $PROBE_JAVA -cp $CP io.jpen.bench.ConsoleProbe --remote-console $JPEN_THREADS 127.0.0.1:\$LPORT \$B1 \$B2"
  # a remote watcher leaves by itself within a second or two of its engine; table.py reads its last words
  for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -f io.jpen.bench.RemoteWatcher >/dev/null || break; sleep 1; done
fi

python3 "$ROOT/bench/table.py" "$OUT" ${CONSOLE_OUT:+"$CONSOLE_OUT"} | tee "$OUT/table.md"
