#!/usr/bin/env bash
# bench/startup.sh -- time from start to listening (first accepted TCP connect), median of TRIALS starts, in ms,
# for jpen (launcher defaults, with and without the AppCDS archive) and Pen. Pinned to PROXY_CPUS like anchors.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRIALS=${TRIALS:-5}
CPU=${PROXY_CPUS:-1}
PORT=${STARTUP_PORT:-23900}
"$ROOT/jpen" --version >/dev/null   # build and write the class-data archive first, outside the timing

once() {  # CMD... -> ms until 127.0.0.1:$PORT accepts
  local t0 t1 p
  t0=$(date +%s%N)
  taskset -c "$CPU" "$@" >/dev/null 2>&1 &
  p=$!
  for _ in $(seq 3000); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 "$p" 2>/dev/null || { echo "exited before listening: $*" >&2; return 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

declare -A ms=()
for ((i = 0; i < TRIALS; i++)); do   # interleaved, so that noise hits all three alike
  ms[jpen]+="$(once "$ROOT/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9) "
  ms[nocds]+="$(JPEN_CDS=0 once "$ROOT/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9) "
  ms[pen]+="$(once pen -f 127.0.0.1:$PORT 127.0.0.1:9) "
done
m() { tr ' ' '\n' <<<"${ms[$1]}" | grep . | median; }
echo "jpen $(m jpen) ms (AppCDS), jpen $(m nocds) ms (no AppCDS), pen $(m pen) ms; median of $TRIALS starts, pinned to cpu $CPU"
