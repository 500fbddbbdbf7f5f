# bench/lib.sh -- what bench/syscalls.sh, bench/warmup.sh and bench/idle.sh share: the nginx they relay to, HAProxy's
# configuration and their clean-up.
# Sourced after WORK, PIDS, PORT0 and LOAD_CPU are set; sets B1 and B2 (nginx's two ports on loopback).

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

B1=127.0.0.1:$PORT0; B2=127.0.0.1:$((PORT0 + 1))

start_nginx() {  # one worker pinned to LOAD_CPU, serving WORK/www/tiny (100 bytes) on B1 and B2
  mkdir -p "$WORK/www" "$WORK/nginx/tmp"
  chmod 755 "$WORK" "$WORK/www"
  head -c 100 /dev/zero | tr '\0' x >"$WORK/www/tiny"
  cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off; master_process on; worker_processes 1; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;
events { worker_connections 16384; use epoll; multi_accept on; }
http {
  access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_timeout 300s; keepalive_requests 1000000000; client_header_timeout 300s;
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy; fastcgi_temp_path $WORK/nginx/tmp/fcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi; default_type application/octet-stream;
  server { listen $B1 backlog=4096; listen $B2 backlog=4096; root $WORK/www; }
}
CONF
  taskset -c "$LOAD_CPU" nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >/dev/null 2>&1 &
  PIDS+=($!)
}

wait_port() {  # PORT [PID]: until 127.0.0.1:PORT accepts (PID, when given, must stay alive meanwhile)
  local i
  for i in $(seq 6000); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    [[ -z ${2:-} ]] || kill -0 "$2" 2>/dev/null || { echo "$(basename "$0"): exited before listening" >&2; return 1; }
    sleep 0.005
  done
  echo "$(basename "$0"): nothing listens on $1" >&2; return 1
}

backends_up() {  # start_nginx, then until both its ports accept
  start_nginx
  wait_port "$PORT0"; wait_port $((PORT0 + 1))
}

haproxy_cfg() {  # PORT MAXCONN -> $WORK/haproxy.cfg: one thread, mode tcp, round robin over B1 and B2 (anchors' haproxy-1t)
  cat >"$WORK/haproxy.cfg" <<CFG
global
  maxconn $2
  nbthread 1
defaults
  mode tcp
  timeout connect 5s
  timeout client 300s
  timeout server 300s
  maxconn $2
frontend fe
  bind 127.0.0.1:$1
  default_backend be
backend be
  balance roundrobin
  server s1 $B1
  server s2 $B2
CFG
}
