#!/usr/bin/env bash
# Runs java with the launcher's default JVM flags (see ../jpen), for the console-cost probe in bench/run.sh.
exec java -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000 -Xms16m -Xmx512m -Xmn5m -XX:-UsePerfData \
  -XX:Tier3InvocationThreshold=400 -XX:Tier3MinInvocationThreshold=200 -XX:Tier3CompileThreshold=4000 -XX:PerMethodTrapLimit=0 ${JPEN_JAVA_OPTS:-} "$@"
