#!/bin/sh
# keepalived's notify script for jpen: tells the balancer its role, which `status`, the API and the console show.
#
# keepalived runs it as   jpen-notify.sh [--control TARGET] [--jpenctl PATH] TYPE NAME STATE PRIORITY
# (its own four arguments last). TARGET is jpen's control port (default 127.0.0.1:8888), PATH the jpenctl to use
# (default /usr/bin/jpenctl). keepalived ignores the exit status; a failure is logged with logger.
control=127.0.0.1:8888
jpenctl=/usr/bin/jpenctl
while [ $# -gt 4 ]; do
  case "$1" in
    --control) control=$2; shift 2 ;;
    --jpenctl) jpenctl=$2; shift 2 ;;
    *) shift ;;
  esac
done
case "$3" in
  MASTER) role=master ;;
  BACKUP) role=backup ;;
  FAULT) role=fault ;;
  STOP|DELETED) role=fault ;;  # keepalived is stopping: this node will not take the address
  *) exit 0 ;;
esac
if ! out=$("$jpenctl" --timeout 5 "$control" role "$role" 2>&1) || [ -n "$out" ]; then
  logger -t jpen-notify "could not tell jpen at $control its role $role: $out" 2>/dev/null || true
  exit 1
fi
