#!/usr/bin/env bash
# Builds the ParCEFone check into .cairn/cef-check (once; again when its sources change) and prints
# the java command line that runs it. Needs Java 17+ and Maven, as the local stack does.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../../.cairn/cef-check"
stamp="$(cat "$here/pom.xml" "$here/src/main/java/io/cairn/cefcheck/CefCheck.java" | sha256sum | cut -c1-16)"
if [[ ! -f "$out/built-$stamp" ]]; then
  rm -rf "$out"
  mkdir -p "$out"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" package >"$out/maven.log" 2>&1 \
    || { echo "cef-check: maven failed, see $out/maven.log" >&2; tail -20 "$out/maven.log" >&2; exit 1; }
  touch "$out/built-$stamp"
fi
echo "java -cp $out/target/cairn-cef-check-1.jar:$out/lib/* io.cairn.cefcheck.CefCheck"
