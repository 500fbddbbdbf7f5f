#!/usr/bin/env bash
# Runs java with the launcher's default JVM flags (see ../jpen), for the console-cost probe in bench/run.sh.
exec java -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000 -Xms16m -Xmx512m -XX:-UsePerfData ${JPEN_JAVA_OPTS:-} "$@"
