#!/usr/bin/env bash
# A small fleet on this machine, watched by one console window: an HA pair (role master / backup) attached over
# SSH through a throwaway sshd on loopback, and a third balancer attached by its API's URL; gentle curl traffic.
# Everything lives in a temporary folder (keys, known_hosts, ssh_config, tokens) and on 127.0.0.1; the real
# ~/.ssh is not used. Stops everything it started on exit.
#
#   scripts/fleet-demo.sh                      # opens the console (needs a display; xvfb-run works)
#   scripts/fleet-demo.sh --screenshot DIR     # saves 12-fleet.png, 13-fleet-member.png, 14-fleet-dark.png and exits
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d /tmp/jpen-fleet-demo.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# backends: two web servers behind the pair, one behind the third balancer, and a port where nothing listens
for name in web1 web2 web3; do
  mkdir -p "$dir/$name"; echo "$name" > "$dir/$name/index.html"
  port=$(free_port); eval "${name}_port=$port"
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir/$name" >/dev/null 2>&1 & pids+=($!)
done
dead_port=$(free_port)

# the balancers, each with its API on loopback and its own token file
start_jpen() { # name listen_port api_port role servers...
  local name=$1 listen=$2 api=$3 role=$4; shift 4
  local opts=(--api "127.0.0.1:$api" --api-token-file "$dir/$name.token" -r -b 10)
  [ "$role" != - ] && opts+=(-O "role $role")
  "$here/jpen" "${opts[@]}" "127.0.0.1:$listen" "$@" >"$dir/$name.log" 2>&1 & pids+=($!)
}
lb1=$(free_port); lb1_api=$(free_port); lb2=$(free_port); lb2_api=$(free_port); lb3=$(free_port); lb3_api=$(free_port)
start_jpen lb1 "$lb1" "$lb1_api" master "127.0.0.1:$web1_port" "127.0.0.1:$web2_port"
start_jpen lb2 "$lb2" "$lb2_api" backup "127.0.0.1:$web1_port" "127.0.0.1:$web2_port"
start_jpen lb3 "$lb3" "$lb3_api" - "127.0.0.1:$web3_port" "127.0.0.1:$dead_port"

# a throwaway sshd on loopback, and an ssh_config for the console that uses only this folder
ssh-keygen -q -t ed25519 -N '' -C host -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -C client -f "$dir/client_key"
cp "$dir/client_key.pub" "$dir/authorized_keys"
ssh_port=$(free_port)
cat >"$dir/sshd_config" <<CONF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile none
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowTcpForwarding local
CONF
cat >"$dir/ssh_config" <<CONF
Host *
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile $dir/known_hosts
  GlobalKnownHostsFile /dev/null
CONF
echo "[127.0.0.1]:$ssh_port $(cat "$dir/host_key.pub")" >"$dir/known_hosts"
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" & pids+=($!)

for f in lb1 lb2 lb3; do
  for _ in $(seq 1 300); do [ -s "$dir/$f.token" ] && grep -q "API on" "$dir/$f.log" && break; sleep 0.2; done
done

# traffic that keeps connections open a while (a 1 MB file at 200 KB/s): more on the master; bounded in time
for name in web1 web2 web3; do head -c 1000000 /dev/urandom >"$dir/$name/big.bin"; done
load() { # port parallel_clients
  local end=$((SECONDS + ${JPEN_FLEET_DEMO_SECONDS:-900}))
  for _ in $(seq 1 "$2"); do
    ( while [ $SECONDS -lt $end ]; do
        curl -s -o /dev/null --max-time 20 --limit-rate 200k "http://127.0.0.1:$1/big.bin" || sleep 1
        curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/" || true
      done ) &
    pids+=($!)
  done
}
load "$lb1" 6
load "$lb2" 1
load "$lb3" 3

user=$(id -un)
"$here/jpen-console" --ssh-config "$dir/ssh_config" \
  --attach "ssh://$user@127.0.0.1:$ssh_port?api=$lb1_api&token-file=$dir/lb1.token" \
  --attach "ssh://$user@127.0.0.1:$ssh_port?api=$lb2_api&token-file=$dir/lb2.token" \
  --attach "http://127.0.0.1:$lb3_api" --token-file "$dir/lb3.token" "$@"
