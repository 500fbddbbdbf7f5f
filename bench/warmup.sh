#!/usr/bin/env bash
# bench/warmup.sh -- the warm-up curve: connections per second in each of the first SECS seconds after a proxy starts
# listening, HTTP/1.1 requests with "Connection: close" (wrk -c50, one-second runs back to back), for Pen and jpen
# side by side (and jpen with other JVM flags, VARIANTS), each a fresh process.
#
#   bench/warmup.sh [OUT_FILE]       # prints the table (and writes it to OUT_FILE)
#   VARIANTS="c1=-XX:TieredStopAtLevel=1 early=-XX:CompileThresholdScaling=0.2" bench/warmup.sh
#                                    # more jpen columns: NAME=FLAGS (commas in FLAGS stand for spaces)
#
# Each proxy relays to one nginx (two ports, round robin) and is pinned to PROXY_CPUS, wrk and nginx to LOAD_CPUS, as
# anchors.sh does. The first second starts when the port accepts. ROUNDS fresh starts per candidate, interleaved;
# each cell is the median. Knobs: SECS (30), ROUNDS (3), VARIANTS.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT_FILE=${1:-}
SECS=${SECS:-30}
ROUNDS=${ROUNDS:-3}
VARIANTS=${VARIANTS:-}
PROXY_CPU=${PROXY_CPUS:-1}
LOAD_CPU=${LOAD_CPUS:-0}
PORT0=${WARMUP_PORT:-23750}
for t in nginx wrk pen; do command -v "$t" >/dev/null || { echo "bench/warmup.sh: missing $t" >&2; exit 1; }; done

WORK=$(mktemp -d /tmp/jpen-warmup.XXXXXX)
PIDS=()
. "$ROOT/bench/lib.sh"
LPORT=$((PORT0 + 10))
backends_up
"$ROOT/jpen" --version >/dev/null   # builds jpen and its class-data archive first

CANDS=(pen jpen)
declare -A OPTS=()
for v in $VARIANTS; do CANDS+=("jpen-${v%%=*}"); OPTS[jpen-${v%%=*}]=${v#*=}; done
start() {  # CAND (in the background)
  if [[ $1 == pen ]]; then
    exec taskset -c "$PROXY_CPU" pen -f -r -x 10000 "127.0.0.1:$LPORT" "$B1" "$B2"
  else
    local o=${OPTS[$1]:-}
    JPEN_JAVA_OPTS=${o//,/ } exec taskset -c "$PROXY_CPU" "$ROOT/jpen" --threads 1 -f -r -x 10000 "127.0.0.1:$LPORT" "$B1" "$B2"
  fi
}
for ((r = 1; r <= ROUNDS; r++)); do
  for c in "${CANDS[@]}"; do
    start "$c" >"$WORK/$c-$r.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    wait_port "$LPORT" "$pid"
    for ((s = 1; s <= SECS; s++)); do
      taskset -c "$LOAD_CPU" wrk -t1 -c50 -d1s -H "Connection: close" "http://127.0.0.1:$LPORT/tiny" 2>&1 \
        | awk -v c="$c" -v r="$r" -v s="$s" '/requests in/ { print c, r, s, $1 }' >>"$WORK/curve.txt"
    done
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    echo "bench/warmup.sh: $c round $r done" >&2
  done
done

python3 - "$WORK/curve.txt" "$SECS" "${CANDS[@]}" <<'EOF' | tee ${OUT_FILE:+"$OUT_FILE"}
import sys, statistics
path, secs, cands = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
v = {}
for line in open(path):
    c, r, s, n = line.split()
    v.setdefault((c, int(s)), []).append(int(n))
med = {k: statistics.median(x) for k, x in v.items()}
print('Warm-up curve: connections per second in each second after the port first accepts (HTTP/1.1, Connection: close, '
      'wrk -c50, fresh process, median of the rounds)')
print()
print('| second | ' + ' | '.join(cands) + ' | ' + ' | '.join(f'{c} ÷ pen' for c in cands if c != 'pen') + ' |')
print('|---|' + '---|' * (2 * len(cands) - 1))
def row(label, vals):
    p = vals.get('pen')
    print(f'| {label} | ' + ' | '.join(f'{vals[c]:,.0f}' if vals.get(c) is not None else '—' for c in cands) + ' | '
          + ' | '.join(f'{vals[c] / p:.2f}' if p and vals.get(c) is not None else '—' for c in cands if c != 'pen') + ' |')
for s in range(1, secs + 1):
    if s <= 10 or s % 5 == 0:
        row(str(s), {c: med.get((c, s)) for c in cands})
tot = {c: sum(med.get((c, s), 0) for s in range(1, secs + 1)) for c in cands}
row(f'first {secs} s, total', tot)
for c in cands:
    if c == 'pen':
        continue
    p = [med.get(('pen', s)) for s in range(1, secs + 1)]
    j = [med.get((c, s)) for s in range(1, secs + 1)]
    first = next((s + 1 for s in range(secs) if p[s] and j[s] and j[s] >= 0.9 * p[s]), None)
    print(f'\n{c}: first second at ≥ 0.9 × Pen: {first if first else "none in " + str(secs) + " s"}', end='')
print()
EOF
