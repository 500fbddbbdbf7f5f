#!/usr/bin/env bash
# Builds jpen's Debian package: jpackage's app image, packed by jdeb (see README.md):
#   installer/target/installer/package/jpen_VERSION-1_ARCH.deb   and the app image in installer/target/installer/image/
# Usage: installer/build-deb.sh [extra mvn arguments, e.g. -o]
# A launcher whose main class is missing (jpen-console, jpen, jpenctl) fails the build; JPEN_INSTALLER_STRICT=false
# leaves it out with a warning instead.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

# The packager asks dpkg (-S, --print-architecture) and ldd which packages the runtime's libraries come from;
# jlink needs the JDK's jmods (openjdk-17-jdk-headless).
missing=()
command -v dpkg >/dev/null || missing+=(dpkg)
command -v ldd >/dev/null || missing+=(libc-bin)
command -v jpackage >/dev/null || missing+=(openjdk-17-jdk)
command -v mvn >/dev/null || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "build-deb: missing ${missing[*]}; install them: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "build-deb: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

cd "$root"
mvn -B -Pinstaller -pl installer -am -DskipTests -Dinstaller.strict="${JPEN_INSTALLER_STRICT:-true}" "$@" package

deb="$(ls "$here"/target/installer/package/jpen_*.deb)"
echo "build-deb: $deb ($(du -h "$deb" | cut -f1), $(stat -c %s "$deb") bytes)"
