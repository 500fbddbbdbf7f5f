# Shared by the reliability scripts: build the core test classes and print their class path.
# MVN_FLAGS defaults to offline (-o); set MVN_FLAGS= to let Maven download what is missing.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

mvn_q() {
  (cd "$here" && mvn -q -B ${MVN_FLAGS--o} "$@")
}

core_test_classpath() {
  mvn_q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath \
    -Dmdep.includeScope=test >&2
  echo "$here/core/target/test-classes:$here/core/target/classes:$(cat "$here/core/target/test.classpath")"
}
