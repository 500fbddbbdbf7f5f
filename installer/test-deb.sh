#!/usr/bin/env bash
# CI test of jpen's Debian package, end to end on this machine (as root):
#   build the .deb, apt-get install it, run jpen --version and jpenctl --help from /usr/bin, verify the systemd unit,
#   balance real HTTP traffic through /usr/bin/jpen (as the jpen user) to a python3 http.server on 127.0.0.1,
#   start jpen-console --demo under Xvfb and take a screenshot, then remove and purge the package and check
#   that nothing is left.
# Usage: installer/test-deb.sh [path/to/jpen.deb]   (without a path it runs installer/build-deb.sh first)
# Output: installer/target/test-deb/ (screenshot, logs). Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/target/test-deb"
rm -rf "$out" && mkdir -p "$out"

passed=0 failed=0 skipped=0
pids=()
step() { echo; echo "=== test-deb: $*"; }
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); finish; }
finish() {
  trap - EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${svc:-}" ] && rm -rf "$svc"
  if [ "$failed" -gt 0 ] && dpkg -s jpen >/dev/null 2>&1; then
    echo "test-deb: purging the package after the failure" >&2
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq jpen >/dev/null 2>&1 || true
  fi
  echo
  echo "test-deb: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}
trap 'err_at="line $LINENO: $BASH_COMMAND"' ERR
trap 'failed=$((failed + 1)); echo "FAIL: unexpected error (${err_at:-exit})" >&2; finish' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
gone() { # pid: the process has ended (a zombie not yet reaped counts as ended)
  local s
  s="$(ps -o stat= -p "$1" 2>/dev/null)" || return 0
  [[ $s == Z* ]]
}
wait_for() { # seconds, command...: retries until the command succeeds
  local t=$1; shift
  for _ in $(seq $((t * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

[ "$(id -u)" = 0 ] || { echo "test-deb: run as root (it installs and removes the package)" >&2; exit 1; }

step "tools"
# The same line a fresh Debian machine needs: Xvfb + xauth for xvfb-run, ImageMagick's import for the screenshot,
# x11-utils' xwininfo to see the window, curl and python3 for the traffic, systemd for systemd-analyze,
# desktop-file-utils to validate the menu entry.
tools=(xvfb xauth imagemagick x11-utils curl python3 systemd desktop-file-utils)
need=()
for p in "${tools[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi
ok "tools present: ${tools[*]}"

step "build"
deb="${1:-}"
if [ -z "$deb" ]; then
  "$here/build-deb.sh" -q
  deb="$(ls "$here"/target/installer/package/jpen_*.deb)"
fi
deb="$(realpath "$deb")"
[ -f "$deb" ] || fail "no package at $deb"
ok "package $deb: $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"

step "install"
if dpkg -s jpen >/dev/null 2>&1; then
  echo "test-deb: jpen is already installed; purging it first for a clean test"
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq jpen
fi
if ! apt-get install -s "$deb" >/dev/null 2>&1; then apt-get update -qq; fi # fresh machine: lists for the deps
DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >"$out/install.log" 2>&1 \
  || { cat "$out/install.log"; fail "apt-get install $deb"; }
[ -x /opt/jpen/bin/jpen ] || fail "/opt/jpen/bin/jpen is missing"
launchers=()
for l in jpen-console jpen jpenctl; do
  if [ -x "/opt/jpen/bin/$l" ]; then
    [ "$(readlink "/usr/bin/$l")" = "/opt/jpen/bin/$l" ] || fail "/usr/bin/$l does not link to /opt/jpen/bin/$l"
    launchers+=("$l")
  fi
done
dpkg-query -W -f='${Conffiles}\n' jpen | grep -q '^ /etc/jpen/jpen.cfg ' || fail "/etc/jpen/jpen.cfg is not a conffile"
[ -f /lib/systemd/system/jpen.service ] || fail "no /lib/systemd/system/jpen.service"
getent passwd jpen >/dev/null || fail "postinst did not create the user jpen"
[ "$(getent passwd jpen | cut -d: -f7)" = /usr/sbin/nologin ] || fail "user jpen has a login shell"
ok "installed: launchers ${launchers[*]} linked in /usr/bin, conffile /etc/jpen/jpen.cfg, unit, user jpen"
ex=/usr/share/doc/jpen/examples
[ -f $ex/keepalived.conf ] && [ -x $ex/jpen-notify.sh ] || fail "no keepalived example in $ex (keepalived.conf, executable jpen-notify.sh)"
ok "HA examples in $ex: keepalived.conf, jpen-notify.sh"
if [ -x /usr/bin/jpen-console ]; then
  entry=/usr/share/applications/jpen-console.desktop
  [ -f "$entry" ] || fail "no desktop entry $entry"
  desktop-file-validate "$entry" || fail "desktop-file-validate $entry"
  grep -qx 'Icon=jpen' "$entry" || fail "$entry does not use the icon jpen"
  for size in 16 24 32 48 64 128 256 512; do
    [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/jpen.png" ] || fail "no ${size}x${size} jpen icon in hicolor"
  done
  ok "desktop entry $entry is valid and its icon jpen is installed at 16 to 512 pixels"
fi

step "jpen --version"
v="$(jpen --version 2>&1)" || fail "jpen --version exited $?: $v"
echo "$v"
[[ "$v" == jpen* ]] || fail "jpen --version printed: $v"
ok "jpen --version: $v"

step "jpen's JVM flags are the repository launcher's"
# ./jpen and the package's bin/jpen are written apart (the script, and Launcher.java for jpackage): one flag measured
# into one and not the other would make the benchmarks' ./jpen a different program from the one installed.
repo_flags=$(awk '/^defaults=\(/,/\)$/' "$here/../jpen" | tr ' ()"' '\n\n\n\n' | grep '^-' | grep -v '^-Djava.library.path' | sort)
pkg_flags=$(sed -n 's/^flags="\(.*\)"$/\1/p' /opt/jpen/bin/jpen | tr ' ' '\n' | grep '^-' | sort)
[ -n "$repo_flags" ] || fail "no JVM flags found in ./jpen"
[ "$repo_flags" = "$pkg_flags" ] || fail "JVM flags differ: ./jpen has $(echo $repo_flags), the package's jpen $(echo $pkg_flags)"
ok "the same $(echo "$pkg_flags" | wc -l) flags: $(echo $pkg_flags)"

step "jpenctl --help"
if [ -x /usr/bin/jpenctl ]; then
  h="$(jpenctl --help 2>&1)" || fail "jpenctl --help exited $?: $h"
  echo "$h" | head -5
  grep -qi usage <<<"$h" || fail "jpenctl --help printed no usage: $h"
  ok "jpenctl --help"
else
  skip "jpenctl is not in this build (io.jpen.headless.Jpenctl was missing when the package was made)"
fi

step "systemd unit"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/jpen.service >"$out/verify.log" 2>&1 \
    || { cat "$out/verify.log"; fail "systemd-analyze verify jpen.service"; }
  cat "$out/verify.log"
  ok "systemd-analyze verify jpen.service"
else
  skip "systemd-analyze is not installed"
fi
for want in 'User=jpen' 'ExecStart=/opt/jpen/bin/jpen -F /etc/jpen/jpen.cfg --file-dir /var/lib/jpen --file-dir /var/log/jpen' \
            'TimeoutStopSec=20s' 'AmbientCapabilities=CAP_NET_BIND_SERVICE' \
            'Restart=on-failure' 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$want" /lib/systemd/system/jpen.service || fail "jpen.service lacks $want"
done
ok "jpen.service runs jpen -F /etc/jpen/jpen.cfg as jpen, may bind low ports, restarts on failure, reloads with HUP"

step "jpen balances traffic (as the user jpen)"
www="$out/www" && mkdir -p "$www" && chmod 755 "$out" "$www"
token="jpen-deb-test-$RANDOM$RANDOM"
echo "$token" >"$www/token.txt"
backend_port="$(free_port)"
(cd "$www" && exec python3 -m http.server --bind 127.0.0.1 "$backend_port" >"$out/backend.log" 2>&1) &
pids+=($!)
wait_for 20 curl -sf "http://127.0.0.1:$backend_port/token.txt" || fail "the test backend did not start"
listen_port="$(free_port)"
# setpriv execs jpen itself (no forking helper in between), so $! is jpen's pid
HOME=/nonexistent setpriv --reuid=jpen --regid=jpen --init-groups -- \
  /usr/bin/jpen -f "127.0.0.1:$listen_port" "127.0.0.1:$backend_port" >"$out/jpen.log" 2>&1 &
jpen_pid=$!
pids+=($jpen_pid)
if ! wait_for 30 curl -sf "http://127.0.0.1:$listen_port/token.txt"; then
  cat "$out/jpen.log"; fail "no answer through jpen on 127.0.0.1:$listen_port"
fi
for i in 1 2 3 4 5; do
  got="$(curl -sf --max-time 10 "http://127.0.0.1:$listen_port/token.txt")" || fail "fetch $i through jpen failed"
  [ "$got" = "$token" ] || fail "fetch $i through jpen returned '$got', not the backend's token"
done
kill -TERM "$jpen_pid"
wait_for 15 gone "$jpen_pid" || fail "jpen did not stop on TERM"
rc=0 && wait "$jpen_pid" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 143 ] || { cat "$out/jpen.log"; fail "jpen exited $rc on TERM"; }
ok "5 fetches through /usr/bin/jpen returned the backend's file; TERM stopped it"

step "jpen.service's command, and reload (HUP) re-reading the config"
# The unit's own ExecStart, as the user jpen, with a test config in place of /etc/jpen/jpen.cfg.
svc="$(mktemp -d /tmp/jpen-test-deb.XXXXXX)" && chmod 755 "$svc"
www2="$svc/www2" && mkdir -p "$www2"
token2="jpen-deb-reload-$RANDOM$RANDOM"
echo "$token2" >"$www2/token.txt"
backend2_port="$(free_port)"
(cd "$www2" && exec python3 -m http.server --bind 127.0.0.1 "$backend2_port" >"$out/backend2.log" 2>&1) &
pids+=($!)
wait_for 20 curl -sf "http://127.0.0.1:$backend2_port/token.txt" || fail "the second test backend did not start"
svc_port="$(free_port)"
printf 'listen 127.0.0.1:%s\nserver 0 address 127.0.0.1 port %s\n' "$svc_port" "$backend_port" >"$svc/jpen.cfg"
chmod 644 "$svc/jpen.cfg"
exec_start="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/jpen.service)"
read -r -a cmd <<<"${exec_start//\/etc\/jpen\/jpen.cfg/$svc/jpen.cfg}"
# The --file-dir directories the unit names; systemd makes them (StateDirectory=, LogsDirectory=) before it starts jpen.
made_dirs=()
for d in /var/lib/jpen /var/log/jpen; do
  [ -d "$d" ] || { install -d -o jpen -g jpen -m 0755 "$d"; made_dirs+=("$d"); }
done
start_jpen() { # extra arguments after the unit's command line; via_nohup=1: started by nohup (HUP ignored)
  HOME=/nonexistent ${via_nohup:+nohup} setpriv --reuid=jpen --regid=jpen --init-groups -- "${cmd[@]}" "$@" >"$out/service.log" 2>&1 &
  svc_pid=$!
  pids+=($svc_pid)
}
start_jpen
if wait_for 30 curl -sf "http://127.0.0.1:$svc_port/token.txt"; then
  ok "the unit's command line (${cmd[*]}) serves the config's listen address and server"
elif gone "$svc_pid" && grep -q "Missing required parameter" "$out/service.log"; then
  skip "jpen.service cannot start yet: this jpen refuses its command line '${cmd[*]}' ($(head -1 "$out/service.log")); \
jpen must take the listen address and servers from the -F file. Testing reload with them on the command line instead."
  start_jpen "127.0.0.1:$svc_port" "127.0.0.1:$backend_port"
  wait_for 30 curl -sf "http://127.0.0.1:$svc_port/token.txt" || { cat "$out/service.log"; fail "jpen -F with a command line did not serve"; }
else
  cat "$out/service.log"; fail "jpen did not start from the unit's command line ${cmd[*]}"
fi
[ "$(curl -sf --max-time 10 "http://127.0.0.1:$svc_port/token.txt")" = "$token" ] || fail "jpen -F did not use the config's server"
printf 'listen 127.0.0.1:%s\nserver 0 address 127.0.0.1 port %s\n' "$svc_port" "$backend2_port" >"$svc/jpen.cfg"
kill -HUP "$svc_pid"    # what ExecReload=/bin/kill -HUP $MAINPID does
reloaded() { [ "$(curl -sf --max-time 5 "http://127.0.0.1:$svc_port/token.txt")" = "$token2" ]; }
wait_for 20 reloaded || { cat "$out/service.log"; fail "after HUP, jpen did not switch to the config's new server"; }
kill -TERM "$svc_pid"
wait_for 15 gone "$svc_pid" || fail "jpen did not stop on TERM"
ok "HUP (systemctl reload) re-read the config: traffic moved to the new server"

# Started by nohup, HUP is ignored when jpen starts, and a JVM takes over no such signal: the package's launcher gives
# it HUP's default action back, so that HUP re-reads the config there too (as it does for Pen).
printf 'listen 127.0.0.1:%s\nserver 0 address 127.0.0.1 port %s\n' "$svc_port" "$backend_port" >"$svc/jpen.cfg"
via_nohup=1 start_jpen
served_first() { [ "$(curl -sf --max-time 5 "http://127.0.0.1:$svc_port/token.txt")" = "$token" ]; }
wait_for 30 served_first || { cat "$out/service.log"; fail "jpen under nohup did not serve the config's server"; }
catches_hup() { [ $(( 0x$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$svc_pid/status") & 1 )) -eq 1 ]; }
catches_hup || { cat "$out/service.log"; fail "jpen under nohup left HUP ignored"; }
printf 'listen 127.0.0.1:%s\nserver 0 address 127.0.0.1 port %s\n' "$svc_port" "$backend2_port" >"$svc/jpen.cfg"
kill -HUP "$svc_pid"
wait_for 20 reloaded || { cat "$out/service.log"; fail "under nohup, HUP did not re-read the config"; }
grep -q 'HUP is ignored' "$out/service.log" && { cat "$out/service.log"; fail "jpen under nohup warned that HUP is ignored"; }
kill -TERM "$svc_pid"
wait_for 15 gone "$svc_pid" || fail "jpen under nohup did not stop on TERM"
rm -rf "$svc"
[ ${#made_dirs[@]} -eq 0 ] || rmdir "${made_dirs[@]}" 2>/dev/null || true
ok "started by nohup, HUP re-read the config too (the launcher gave the JVM HUP back)"

step "jpen-console --demo under Xvfb"
shot="$out/jpen-console-demo.png"
if [ ! -x /usr/bin/jpen-console ]; then
  skip "jpen-console is not in this build (io.jpen.gui.Launcher was missing when the package was made)"
elif ! jpen-console --help 2>&1 | grep -q -- --demo; then
  skip "this build's jpen-console has no --demo"
else
  # One script inside xvfb-run: start the console, wait until its window shows the demo (the title names the
  # session: "jpen console — demo — ..."), let the charts fill, then screenshot the whole screen.
  cat >"$out/gui.sh" <<EOS
set -u
jpen-console --demo >"$out/console.log" 2>&1 &
pid=\$!
for _ in \$(seq 300); do
  xwininfo -root -tree 2>/dev/null | grep -i 'jpen' | grep -qi 'demo' && break
  kill -0 \$pid 2>/dev/null || { echo "jpen-console exited early"; exit 1; }
  sleep 0.2
done
xwininfo -root -tree | grep -i 'jpen' | grep -i 'demo' || { echo "no jpen window with the demo appeared"; xwininfo -root -tree | grep -i jpen; kill \$pid; exit 1; }
sleep 6
kill -0 \$pid 2>/dev/null || { echo "jpen-console exited after showing the demo"; exit 1; }
import -window root "$shot"
kill \$pid; wait \$pid 2>/dev/null
exit 0
EOS
  timeout 120 xvfb-run -a -s "-screen 0 1280x1024x24" bash "$out/gui.sh" || { cat "$out/console.log"; fail "jpen-console --demo under Xvfb"; }
  [ -s "$shot" ] || fail "no screenshot"
  colors="$(identify -format '%k' "$shot")"
  [ "$colors" -gt 50 ] || fail "the screenshot has only $colors colours: an empty screen?"
  ok "jpen-console --demo showed the demo in its window: $shot ($colors colours)"
fi

step "remove and purge"
DEBIAN_FRONTEND=noninteractive apt-get remove -y jpen >"$out/remove.log" 2>&1 || { cat "$out/remove.log"; fail "apt-get remove jpen"; }
[ ! -e /opt/jpen ] || fail "/opt/jpen is still there after remove: $(find /opt/jpen | head)"
for l in jpen-console jpen jpenctl; do
  [ ! -e "/usr/bin/$l" ] && [ ! -L "/usr/bin/$l" ] || fail "/usr/bin/$l is still there after remove"
done
for f in /lib/systemd/system/jpen.service /usr/share/applications/jpen-console.desktop /usr/share/pixmaps/jpen.png; do
  [ ! -e "$f" ] || fail "$f is still there after remove"
done
[ -f /etc/jpen/jpen.cfg ] || fail "remove deleted the conffile /etc/jpen/jpen.cfg (only purge should)"
ok "remove: /opt/jpen, the /usr/bin links, the unit and the desktop entry are gone; /etc/jpen/jpen.cfg is kept"
DEBIAN_FRONTEND=noninteractive apt-get purge -y jpen >>"$out/remove.log" 2>&1 || { cat "$out/remove.log"; fail "apt-get purge jpen"; }
[ ! -e /etc/jpen ] || fail "/etc/jpen is still there after purge"
! dpkg -s jpen >/dev/null 2>&1 || fail "dpkg still knows jpen after purge"
ok "purge: /etc/jpen is gone and dpkg no longer knows jpen"

finish
