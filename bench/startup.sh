#!/usr/bin/env bash
# bench/startup.sh -- time from start to listening (first accepted TCP connect), median of TRIALS starts, in ms:
# jpen as the installed package starts it (the app image's bin/jpen with its jlink'd runtime, after what the .deb's
# postinst does), ./jpen (Maven's class path, the same flags and archive), ./jpen without its class-data archive,
# and Pen. The proxy is pinned to PROXY_CPUS and the probe that waits for it to LOAD_CPUS, like anchors.sh's proxies
# and load; the probe neither forks nor sleeps in another process between its connects, so that it takes no CPU from
# the start it times.
#   PACKAGE=0 bench/startup.sh     # without the app image (it takes a minute to build)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRIALS=${TRIALS:-11}
CPU=${PROXY_CPUS:-1}
LOAD_CPU=${LOAD_CPUS:-0}
PORT=${STARTUP_PORT:-23900}
PACKAGE=${PACKAGE:-1}
IMAGE=$ROOT/installer/target/installer/image/jpen-console
"$ROOT/jpen" --version >/dev/null   # build and write the class-data archive first, outside the timing
if [[ $PACKAGE == 1 ]]; then
  echo "bench/startup.sh: building the app image (installer profile) and making its archive as postinst does" >&2
  (cd "$ROOT" && mvn -q -B -ntp -Pinstaller -pl installer -am package -DskipTests -Dinstaller.type=app-image \
    -Djdeb.skip=true) >&2
  JPEN_CDS_DUMP=1 "$IMAGE/bin/jpen" >/dev/null 2>&1 || echo "bench/startup.sh: the package's archive was not made" >&2
fi

# From here on this script and what it starts run on LOAD_CPU (taskset -c puts the proxy on CPU): a probe on the
# proxy's core would take CPU from the start it times.
taskset -cp "$LOAD_CPU" $$ >/dev/null
nap_dir=$(mktemp -d)
trap 'rm -rf "$nap_dir"' EXIT
mkfifo "$nap_dir/nap"
exec {nap}<>"$nap_dir/nap"   # nothing is ever written to it: a read on it with a timeout is a sleep without a fork

once() {  # CMD... -> ms until 127.0.0.1:$PORT accepts
  local t0 t1 p s i
  t0=${EPOCHREALTIME/./}   # microseconds, read without a fork
  taskset -c "$CPU" "$@" >/dev/null 2>&1 &
  p=$!
  for ((i = 0; i < 6000; i++)); do
    if { exec {s}<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then exec {s}>&-; break; fi
    kill -0 "$p" 2>/dev/null || { echo "exited before listening: $*" >&2; return 1; }
    read -r -t 0.001 -u "$nap" _ || true
  done
  t1=${EPOCHREALTIME/./}
  kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true
  echo $(((t1 - t0) / 1000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# The build and the archives were just written: their write-back to disk would run during the first starts. Flushed
# here, and one start of each is made untimed, so that every timed start finds its files as a restart does.
sync
[[ $PACKAGE == 1 ]] && once "$IMAGE/bin/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9 >/dev/null
once "$ROOT/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9 >/dev/null
once pen -f 127.0.0.1:$PORT 127.0.0.1:9 >/dev/null

declare -A ms=()
for ((i = 0; i < TRIALS; i++)); do   # interleaved, so that noise hits all alike
  [[ $PACKAGE == 1 ]] && ms[package]+="$(once "$IMAGE/bin/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9) "
  ms[jpen]+="$(once "$ROOT/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9) "
  ms[nocds]+="$(JPEN_CDS=0 once "$ROOT/jpen" -f 127.0.0.1:$PORT 127.0.0.1:9) "
  ms[pen]+="$(once pen -f 127.0.0.1:$PORT 127.0.0.1:9) "
done
m() { tr ' ' '\n' <<<"${ms[$1]}" | grep . | median; }
pkg=""; [[ $PACKAGE == 1 ]] && pkg="package $(m package) ms, "
echo "${pkg}jpen $(m jpen) ms (./jpen, class-data archive), jpen $(m nocds) ms (./jpen, no archive), pen $(m pen) ms; median of $TRIALS starts, pinned to cpu $CPU"
