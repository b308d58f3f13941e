#!/usr/bin/env bash
# The libraries as an image carries them, into <out>: lib/*.jar with stored entries and the
# class path file jvm-classpath (images/StoredJars.java), then, with a JDK that has the Class-File
# API (24 or newer), the Java 5 classes among them rewritten so that CDS can archive them
# (images/ModernClasses.java). Both write the same bytes for the same input on every machine.
#
# usage: images/libs.sh <jdk-home> <out> <module jar name> <runtime classpath>
set -euo pipefail

jdk=$1 out=$2 jar=$3 classpath=$4
here=$(cd "$(dirname "$0")" && pwd)
"$jdk/bin/java" "$here/StoredJars.java" "$out" "$jar" "$classpath"
feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if (( ${feature%%.*} >= 24 )); then
  "$jdk/bin/java" "$here/ModernClasses.java" "$out"/lib/*.jar
else
  echo "images/libs.sh: JDK $feature has no Class-File API (24+); Java 5 classes stay outside the CDS archive"
fi
