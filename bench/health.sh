#!/usr/bin/env bash
# bench/health.sh [SERVERS] [SECONDS] -- what active health checks cost: jpen in front of SERVERS (200) loopback
# servers, SECONDS (20) without checks, then as long with 'check http /healthz' on each at health_interval 1; prints
# the CPU of jpen's event loops and an echo's round trip through the relay in each phase (HealthCheckProbe).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
(cd "$ROOT" && mvn -q -B -DskipTests -Pbench -pl bench -am package) >&2
exec "$ROOT/bench/probe-java.sh" -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" io.jpen.bench.HealthCheckProbe "$@"
