#!/usr/bin/env bash
# bench/syscalls.sh -- system calls per connection and per keep-alive request, Pen, HAProxy (1 thread) and jpen side
# by side: exact counts, whatever else runs on the machine.
#
#   bench/syscalls.sh [OUT_FILE]     # prints the table (and writes it to OUT_FILE, the totals per request to
#                                    # OUT_FILE's name with .tsv for bench/table.py)
#
# Each proxy relays to one nginx (two ports, round robin) on loopback and is pinned to PROXY_CPU, wrk to LOAD_CPU,
# as anchors.sh does. After a warm-up (WARM seconds of new connections; jpen's JIT needs them), the kernel's
# tracepoints count every system call the proxy's threads make (perf stat -e 'syscalls:sys_enter_*' -p PID, which
# costs the proxy almost nothing, unlike strace) while wrk runs DUR seconds of HTTP/1.1 requests with
# "Connection: close", then DUR seconds of keep-alive requests. Counts are divided by the requests wrk completed.
# jpen runs as ./jpen starts it (--threads 1, the launcher's flags). Needs root (or perf_event_paranoid <= -1),
# perf (linux-perf), nginx, wrk, haproxy, pen.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT_FILE=${1:-}
DUR=${DUR:-4}
WARM=${WARM:-15}
PROXY_CPU=${PROXY_CPUS:-1}
LOAD_CPU=${LOAD_CPUS:-0}
PORT0=${SYSCALLS_PORT:-23700}
for t in perf nginx wrk haproxy pen; do
  command -v "$t" >/dev/null || { echo "bench/syscalls.sh: missing $t" >&2; exit 1; }
done
perf stat -e syscalls:sys_enter_close true >/dev/null 2>&1 \
  || { echo "bench/syscalls.sh: perf cannot count syscall tracepoints here (root? perf_event_paranoid?)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/jpen-syscalls.XXXXXX)
PIDS=()
. "$ROOT/bench/lib.sh"
backends_up
haproxy_cfg $((PORT0 + 11)) 4096

"$ROOT/jpen" --version >/dev/null   # builds jpen and its class-data archive first
declare -A CMD=(
  [pen]="pen -f -r -x 10000 127.0.0.1:$((PORT0 + 10)) $B1 $B2"
  [haproxy-1t]="haproxy -db -f $WORK/haproxy.cfg"
  [jpen]="$ROOT/jpen --threads 1 -f -r -x 10000 127.0.0.1:$((PORT0 + 12)) $B1 $B2"
)
declare -A PORT=([pen]=$((PORT0 + 10)) [haproxy-1t]=$((PORT0 + 11)) [jpen]=$((PORT0 + 12)))
CANDS=(pen haproxy-1t jpen)
EVENTS=$(perf list 2>/dev/null | grep -o 'syscalls:sys_enter_[a-z0-9_]*' | sort -u | paste -sd, -)

count() {  # CAND WORKLOAD -> WORK/CAND-WL.counts ("name count" lines, per request)
  local c=$1 wl=$2 pid=$3 extra=() n
  [[ $wl == close ]] && extra=(-H "Connection: close")
  perf stat -x, -e "$EVENTS" -p "$pid" -o "$WORK/$c-$wl.perf" -- sleep $((DUR + 1)) &
  local pp=$!
  sleep 0.5
  taskset -c "$LOAD_CPU" wrk -t1 -c50 -d"${DUR}s" "${extra[@]}" "http://127.0.0.1:${PORT[$c]}/tiny" >"$WORK/$c-$wl.wrk" 2>&1
  wait "$pp"
  n=$(awk '/requests in/ {print $1}' "$WORK/$c-$wl.wrk")
  awk -F, -v n="$n" '$1 ~ /^[0-9]+$/ && $1 > 0 { sub("syscalls:sys_enter_", "", $3); printf "%s %.3f\n", $3, $1 / n }' \
    "$WORK/$c-$wl.perf" >"$WORK/$c-$wl.counts"
  echo "$n" >"$WORK/$c-$wl.n"
}

for c in "${CANDS[@]}"; do
  # shellcheck disable=SC2086 # the command lines are words
  taskset -c "$PROXY_CPU" ${CMD[$c]} >"$WORK/$c.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_port "${PORT[$c]}"
  warm=$WARM; [[ $c == jpen ]] || warm=3
  taskset -c "$LOAD_CPU" wrk -t1 -c50 -d"${warm}s" -H "Connection: close" "http://127.0.0.1:${PORT[$c]}/tiny" >/dev/null 2>&1
  taskset -c "$LOAD_CPU" wrk -t1 -c50 -d3s "http://127.0.0.1:${PORT[$c]}/tiny" >/dev/null 2>&1
  count "$c" close "$pid"
  count "$c" ka "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

python3 - "$WORK" "${CANDS[@]}" <<'EOF' | tee ${OUT_FILE:+"$OUT_FILE"}
import sys, os
work, cands = sys.argv[1], sys.argv[2:]
groups = [
    ('epoll_ctl', ['epoll_ctl']),
    ('getsockname / getpeername', ['getsockname', 'getpeername']),
    ('getsockopt / setsockopt', ['getsockopt', 'setsockopt']),
    ('recvfrom / sendto', ['recvfrom', 'sendto']),
    ('accept4 / socket / connect', ['accept4', 'socket', 'connect']),
    ('shutdown / close', ['shutdown', 'close']),
    ('epoll_wait, epoll_pwait2', ['epoll_wait', 'epoll_pwait', 'epoll_pwait2']),
    ('read / write', ['read', 'write']),
    ('gettid / futex / madvise', ['gettid', 'futex', 'madvise']),
]
def load(c, wl):
    d = {}
    p = os.path.join(work, f'{c}-{wl}.counts')
    if os.path.exists(p):
        for line in open(p):
            k, v = line.split()
            d[k] = float(v)
    return d
for wl, title, per in (('close', 'new connection per request (HTTP/1.1, Connection: close)', 1000),
                       ('ka', 'keep-alive requests of 100 B', 1000)):
    data = {c: load(c, wl) for c in cands}
    ns = {c: open(os.path.join(work, f'{c}-{wl}.n')).read().strip() for c in cands}
    print(f'System calls per {per:,} requests, {title}; counted requests: ' + ', '.join(f'{c} {ns[c]}' for c in cands))
    print()
    print('| call | ' + ' | '.join(cands) + ' |')
    print('|---|' + '---|' * len(cands))
    for label, names in groups:
        cells = []
        for c in cands:
            vals = [data[c].get(n, 0.0) * per for n in names]
            if '/' in label:
                cells.append(' / '.join(f'{v:,.0f}' for v in vals))
            else:
                cells.append(f'{sum(vals):,.0f}')
        print(f'| {label} | ' + ' | '.join(cells) + ' |')
    seen = {n for _, names in groups for n in names}
    others = {c: sum(v for k, v in data[c].items() if k not in seen) * per for c in cands}
    print('| others | ' + ' | '.join(f'{others[c]:,.0f}' for c in cands) + ' |')
    print('| **all** | ' + ' | '.join(f'**{sum(data[c].values()) * per:,.0f}**' for c in cands) + ' |')
    print()
    with open(os.path.join(work, 'totals.tsv'), 'a') as t:   # for bench/table.py's one-line summary
        for c in cands:
            t.write(f'{wl}\t{c}\t{sum(data[c].values()):.2f}\n')
EOF
[[ -z $OUT_FILE ]] || cp "$WORK/totals.tsv" "${OUT_FILE%.*}.tsv"
