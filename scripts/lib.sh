# Shared by the reliability scripts: build the core test classes and print their class path.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

mvn_q() {
  # Offline when everything is already in the local repository, online otherwise.
  (cd "$here" && { mvn -q -B -o "$@" 2>/dev/null || mvn -q -B "$@"; })
}

core_test_classpath() {
  mvn_q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath \
    -Dmdep.includeScope=test >&2
  echo "$here/core/target/test-classes:$here/core/target/classes:$(cat "$here/core/target/test.classpath")"
}
