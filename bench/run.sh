#!/usr/bin/env bash
# bench/run.sh -- jpen beside Pen and HAProxy, measured side by side by ../shared/bench/anchors.sh.
#
#   bench/run.sh                 # full run (~20 min on 2 cores): start-up, system calls, all workloads, idle memory
#                                # 10 s after, then the console check
#   ROUNDS=1 DUR=2 WORKLOADS="ka close" bench/run.sh      # quick look
#   CONSOLE_CHECK=0 bench/run.sh # skip the console check
#   bench/run.sh --tcp "jpen-nio=exec $PWD/jpen --transport nio --threads 1 -f -r -x 10000 127.0.0.1:\$LPORT \$B1 \$B2"
#                                # arguments go to anchors.sh: more candidates (phase 1)
#
# Phase 1 times start to listening (bench/startup.sh: the package's launcher, ./jpen, Pen), draws the warm-up curve
# (bench/warmup.sh), counts system calls per connection and per request (bench/syscalls.sh), runs anchors.sh with direct, pen, haproxy-1t and jpen (TCP and
# UDP templates), and measures RSS per idle connection with a settled base, 1 s and 10 s after (bench/idle.sh).
# Phase 2 runs the
# bare engine, the engine with a LocalConsole attached, and the engine serving its API with a remote console
# attached from a separate, detached process (bench module, io.jpen.bench.ConsoleProbe and RemoteWatcher) on the
# keep-alive and connection-per-request workloads. Then it prints the table of docs/performance.md (and exits
# non-zero if the remote console was not attached all along).
# Needs (Debian): nginx wrk iperf3 haproxy pen socat curl python3, and a JDK 17 + Maven.
# Knobs: everything anchors.sh takes (ROUNDS, DUR, WORKLOADS, ...), plus
#   ANCHORS        path of anchors.sh (default: ../shared/bench/anchors.sh beside the repository, or ../../shared
#                  from a worktree)
#   JPEN_THREADS   jpen's --threads (default 1: anchors pins each proxy to one core)
#   JPEN_TRANSPORT jpen's --transport (default auto, jpen's own default: epoll where it loads, else nio)
#   OUT_DIR        results of phase 1 (default bench/results/<timestamp>); phase 2 goes to OUT_DIR/console
#   CONSOLE_WARMUP seconds of load each phase-2 instance gets before its first round (default 20)
#   CONSOLE_ROUNDS phase 2's rounds (default 5)
#   PHASE1         0 = skip phase 1 and the start-up timing (phase 2 and its table only)
#   SYSCALLS       0 = skip the system-call count (it needs perf and root)
#   WARMUP_CURVE   0 = skip the warm-up curve (bench/warmup.sh: Pen and jpen, connections/s in each of the first 30 s
#                  after a start); WARMUP_ROUNDS fresh starts each (default 2)
#   IDLE10         0 = skip bench/idle.sh (idle connections with a settled base)
#   PACKAGE        0 = time ./jpen only, without building the app image
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ANCHORS=${ANCHORS:-$ROOT/../shared/bench/anchors.sh}
# a git worktree sits one level deeper than the clone, beside the others
[[ -f $ANCHORS ]] || [[ ! -f $ROOT/../../shared/bench/anchors.sh ]] || ANCHORS=$ROOT/../../shared/bench/anchors.sh
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
SYSCALLS=${SYSCALLS:-1}
WARMUP_CURVE=${WARMUP_CURVE:-1}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-2}
IDLE10=${IDLE10:-1}
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
  if [[ $WARMUP_CURVE == 1 ]]; then
    echo "bench/run.sh: the warm-up curve (connections/s in each of the first 30 s)" >&2
    ROUNDS=$WARMUP_ROUNDS "$ROOT/bench/warmup.sh" "$OUT/warmup.md" >/dev/null 2>>"$OUT/warmup.err" || echo "warm-up curve failed (see $OUT/warmup.err)" >&2
  fi
  if [[ $SYSCALLS == 1 ]]; then
    echo "bench/run.sh: system calls per connection and per request" >&2
    "$ROOT/bench/syscalls.sh" "$OUT/syscalls.md" >/dev/null 2>>"$OUT/syscalls.err" || echo "system-call count failed (see $OUT/syscalls.err)" >&2
  fi

  OUT_DIR=$OUT "$ANCHORS" direct pen haproxy-1t "$@" \
    --tcp "jpen=exec $JPEN --transport $JPEN_TRANSPORT --threads $JPEN_THREADS -f -r -x 10000 127.0.0.1:\$LPORT \$B1 \$B2" \
    --udp "jpen=exec $JPEN --transport $JPEN_TRANSPORT --threads $JPEN_THREADS -f -r -U -x 10000 127.0.0.1:\$LPORT \$B1 \$B2"
  if [[ $IDLE10 == 1 ]] && [[ " ${WORKLOADS:-ka close bulk iperf udp idle} " == *" idle "* ]]; then
    # RSS per idle connection with a settled base, 1 s and 10 s after: anchors.sh reads its base right after the
    # warm-up, while a JVM still holds what its JIT used (docs/performance.md, "Memory").
    echo "bench/run.sh: idle connections with a settled base" >&2
    "$ROOT/bench/idle.sh" "$OUT/idle.tsv" >"$OUT/idle.md" 2>>"$OUT/idle.err" || echo "idle measurement failed (see $OUT/idle.err)" >&2
  fi
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
