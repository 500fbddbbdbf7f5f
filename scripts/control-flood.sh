#!/usr/bin/env bash
# scripts/control-flood.sh [CONNECTIONS] [BYTES]: floods a real ./jpen's control port with CONNECTIONS connections
# (default 8500) that each send BYTES (default 65000) without a newline and stay open, while Debian's penctl asks
# `servers` every 0.2 s and a client fetches through the relay every 0.2 s. Prints jpen's RSS before, at its peak
# and after, how long penctl waited for its first answer once the flood was held, and how many penctl and relay
# requests were answered then. Exits non-zero if penctl never got an answer within 60 s, a relay fetch failed, or RSS
# grew by more than 200 MiB. Loopback only. (The issue's run: RSS 75 -> 600 MB, the port stopped answering.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
conns="${1:-8500}"; bytes="${2:-65000}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
command -v penctl >/dev/null || { echo "control-flood: needs penctl (apt-get install pen)" >&2; exit 2; }
cd "$here"
./jpen --version >/dev/null # builds jpen first if needed
work="$(mktemp -d)"
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
pids=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
backend="$(free_port)"; listen="$(free_port)"; control="$(free_port)"
python3 - "$backend" >"$work/backend.log" 2>&1 <<'EOF' &
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(128)
while True:
    c, _ = s.accept()
    threading.Thread(target=lambda c=c: (c.sendall(b"backend\n"), c.close()), daemon=True).start()
EOF
pids+=($!)
root_opt=()
[ "$(id -u)" = 0 ] && root_opt=(--allow-root-control)
./jpen -f "${root_opt[@]}" -C "127.0.0.1:$control" "127.0.0.1:$listen" "127.0.0.1:$backend" >"$work/jpen.log" 2>&1 &
jpen=$!
pids+=($jpen)
for _ in $(seq 300); do penctl "127.0.0.1:$control" servers >/dev/null 2>&1 && break; sleep 0.1; done
python3 - "$jpen" "$control" "$listen" "$conns" "$bytes" <<'EOF'
import socket, subprocess, sys, threading, time
pid, control, listen, conns, nbytes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

before = rss_mib()
peak = [before]
stop = threading.Event()
answers = {"penctl": 0, "relay": 0, "relay_failed": 0}
first_answer = [None]
held = [None]  # when every flood connection had sent its bytes (or been closed by jpen)

def watch():
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mib())
        time.sleep(0.05)

def ask():
    while not stop.is_set():
        try:
            out = subprocess.run(["penctl", f"127.0.0.1:{control}", "servers"], capture_output=True, timeout=10).stdout
            if out.startswith(b"0 addr") and held[0] is not None:
                answers["penctl"] += 1
                if first_answer[0] is None:
                    first_answer[0] = time.time() - held[0]
        except subprocess.TimeoutExpired:
            pass
        if held[0] is not None:
            try:
                with socket.create_connection(("127.0.0.1", listen), timeout=10) as c:
                    c.settimeout(10)
                    answers["relay" if c.recv(100).startswith(b"backend") else "relay_failed"] += 1
            except OSError:
                answers["relay_failed"] += 1
        time.sleep(0.2)

threading.Thread(target=watch, daemon=True).start()
flood = []
threading.Thread(target=ask, daemon=True).start()
payload = b"x" * nbytes
for i in range(conns):
    try:
        s = socket.create_connection(("127.0.0.1", control), timeout=10)
        s.setblocking(False)
        flood.append([s, 0])
    except OSError:
        pass
deadline = time.time() + 60
while time.time() < deadline and any(sent < nbytes for _, sent in flood):
    for f in flood:
        if f[1] >= nbytes:
            continue
        try:
            f[1] += f[0].send(payload[f[1]:])
        except BlockingIOError:
            pass
        except OSError:
            f[1] = nbytes  # closed by jpen
    time.sleep(0.01)
held[0] = time.time()
wait = time.time() + 60
while first_answer[0] is None and time.time() < wait:
    time.sleep(0.1)
time.sleep(5)  # a few more penctl and relay rounds with the flood still held
stop.set()
for s, _ in flood:
    s.close()
time.sleep(3)
after = rss_mib()
fa = "never" if first_answer[0] is None else f"{first_answer[0]:.1f} s"
print(f"control flood: {len(flood)} connections x {nbytes} bytes held; jpen RSS {before:.0f} -> peak {peak[0]:.0f} -> "
      f"{after:.0f} MiB; penctl's first answer with the flood held: after {fa}; penctl answered {answers['penctl']}, "
      f"relay fetches {answers['relay']} ok, {answers['relay_failed']} failed")
ok = first_answer[0] is not None and answers["relay_failed"] == 0 and peak[0] - before <= 200
sys.exit(0 if ok else 1)
EOF
