#!/usr/bin/env bash
# bench/idle.sh -- RSS per idle connection with a settled base: Pen, HAProxy (one thread) and jpen, each a fresh
# process pinned to PROXY_CPUS, warmed by WARM seconds of short connections (wrk -c50, Connection: close), then
# SETTLE seconds of quiet before the base RSS is read (a JVM hands back what its JIT and first collections used
# only after a while; anchors.sh reads its base right after its warm-up, which makes jpen's figure noisy:
# docs/performance.md, "Memory"). Then CONNS idle connections through it to nginx, which holds them; RSS 1 s and
# 10 s after the last one has reached nginx, minus the base, divided by CONNS. ROUNDS fresh starts per candidate,
# interleaved; the table gives the median and the rounds.
#
#   bench/idle.sh [OUT_TSV]       # prints a table (and writes the rounds to OUT_TSV: cand round base_kib kib1 kib10)
# Knobs: CONNS (5000), ROUNDS (3), WARM (2), SETTLE (5).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT_TSV=${1:-}
CONNS=${CONNS:-5000}
ROUNDS=${ROUNDS:-3}
WARM=${WARM:-2}
SETTLE=${SETTLE:-5}
PROXY_CPU=${PROXY_CPUS:-1}
LOAD_CPU=${LOAD_CPUS:-0}
PORT0=${IDLE_PORT:-23770}
for t in nginx wrk pen haproxy python3; do command -v "$t" >/dev/null || { echo "bench/idle.sh: missing $t" >&2; exit 1; }; done
ulimit -n "$(ulimit -Hn)"   # CONNS pairs: 2 descriptors each in the proxy

WORK=$(mktemp -d /tmp/jpen-idle.XXXXXX)
PIDS=()
. "$ROOT/bench/lib.sh"
LPORT=$((PORT0 + 10))
backends_up
"$ROOT/jpen" --version >/dev/null   # builds jpen and its class-data archive first

haproxy_cfg "$LPORT" $(( ($(ulimit -n) - 200) / 2 ))   # 2 descriptors per proxied connection

start() {  # CAND (in the background)
  case $1 in
    pen) exec taskset -c "$PROXY_CPU" pen -f -r -x 20000 "127.0.0.1:$LPORT" "$B1" "$B2" ;;
    haproxy-1t) exec taskset -c "$PROXY_CPU" haproxy -db -f "$WORK/haproxy.cfg" ;;
    jpen) exec taskset -c "$PROXY_CPU" "$ROOT/jpen" --threads 1 -f -r -x 20000 "127.0.0.1:$LPORT" "$B1" "$B2" ;;
  esac
}

# idle.py PORT N PID BACKEND_PORTS: the base RSS, N idle connections, RSS 1 s and 10 s after all reached a backend
cat >"$WORK/idle.py" <<'PY'
import os, socket, sys, time
port, n, pid, bports = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), {int(p) for p in sys.argv[4].split(',')}
def rss():
    for line in open(f'/proc/{pid}/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
def upstream():  # ESTABLISHED sockets to a backend port
    c = 0
    for line in open('/proc/net/tcp').readlines()[1:]:
        x = line.split()
        if x[3] == '01' and int(x[2].rsplit(':', 1)[1], 16) in bports:
            c += 1
    return c
base, up0 = rss(), upstream()
socks = []
for i in range(n):
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    socks.append(s)
deadline = time.time() + 30
while upstream() - up0 < n:
    if time.time() > deadline:
        sys.exit(f'only {upstream() - up0} of {n} connections reached a backend')
    time.sleep(0.1)
time.sleep(1); one = rss()
time.sleep(9); ten = rss()
print(base, (one - base) / n, (ten - base) / n)
PY

CANDS=(pen haproxy-1t jpen)
: >"$WORK/idle.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
  for c in "${CANDS[@]}"; do
    start "$c" >"$WORK/$c-$r.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    wait_port "$LPORT" "$pid"
    taskset -c "$LOAD_CPU" wrk -t1 -c50 -d"${WARM}s" -H "Connection: close" "http://127.0.0.1:$LPORT/tiny" >/dev/null 2>&1
    sleep "$SETTLE"
    read -r base k1 k10 < <(taskset -c "$LOAD_CPU" python3 "$WORK/idle.py" "$LPORT" "$CONNS" "$pid" "$PORT0,$((PORT0 + 1))")
    printf '%s\t%d\t%s\t%.2f\t%.2f\n' "$c" "$r" "$base" "$k1" "$k10" >>"$WORK/idle.tsv"
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    echo "bench/idle.sh: $c round $r: base $((base / 1024)) MiB, $k1 KiB per connection 1 s after, $k10 KiB 10 s after" >&2
  done
done
[[ -n $OUT_TSV ]] && cp "$WORK/idle.tsv" "$OUT_TSV"

python3 - "$WORK/idle.tsv" "$CONNS" "$SETTLE" <<'PY'
import sys, statistics
rows = [l.split('\t') for l in open(sys.argv[1]) if l.strip()]
print(f'RSS per idle connection, settled base ({sys.argv[2]} connections; base read after {sys.argv[3]} s of quiet; '
      'median of fresh starts, the rounds in brackets)')
print()
print('| proxy | base RSS | per connection, 1 s after | 10 s after |')
print('|---|---|---|---|')
for c in dict.fromkeys(r[0] for r in rows):
    mine = [r for r in rows if r[0] == c]
    b = statistics.median(int(r[2]) for r in mine) / 1024
    one, ten = [float(r[3]) for r in mine], [float(r[4]) for r in mine]
    f = lambda v: f'{statistics.median(v):.2f} KiB ({", ".join(f"{x:.2f}" for x in v)})'
    print(f'| {c} | {b:.1f} MiB | {f(one)} | {f(ten)} |')
PY
