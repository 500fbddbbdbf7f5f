#!/usr/bin/env bash
# bench/startup.sh -- time from start to listening (first accepted TCP connect), median of TRIALS starts, in ms:
# jpen as the installed package starts it (the app image's bin/jpen with its jlink'd runtime, after what the .deb's
# postinst does), ./jpen (Maven's class path, the same flags and archive), ./jpen without its class-data archive,
# and Pen. Pinned to PROXY_CPUS like anchors.sh.
#   PACKAGE=0 bench/startup.sh     # without the app image (it takes a minute to build)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRIALS=${TRIALS:-7}
CPU=${PROXY_CPUS:-1}
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

once() {  # CMD... -> ms until 127.0.0.1:$PORT accepts
  local t0 t1 p
  t0=$(date +%s%N)
  taskset -c "$CPU" "$@" >/dev/null 2>&1 &
  p=$!
  for _ in $(seq 3000); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    kill -0 "$p" 2>/dev/null || { echo "exited before listening: $*" >&2; return 1; }
    sleep 0.002
  done
  t1=$(date +%s%N)
  kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

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
