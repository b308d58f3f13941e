#!/usr/bin/env bash
# Writes <out>/app.jsa: the dynamic CDS archive of the classes a plugin loads for a real start and
# for --help, on top of the runtime's archive of JDK classes, so the JVM in the image maps them
# instead of parsing and verifying them at every start. The training run (the kit's Launcher with
# -Dlongshore.cds.training=true) runs the job with <training env> and DOCKER_HOST pointing at a
# socket that does not exist, so it plans and stops unreachable (exit 3) at its first engine or
# registry call, then runs --help, in one JVM; it fails the build if the job ends otherwise.
#
# A CDS archive is only used when the class path matches: the same jar names in the same order
# (the directory they sit in may differ) with the same sizes and mtimes. So this stages the jars
# exactly as the image lays them out: the module's jar alone in <root>/app/classpath, the stored
# libraries of images/StoredJars.java in <root>/app/lib, in the order of its jvm-classpath file,
# every file with Jib's mtime, 1970-01-01T00:00:01Z. The smoke test runs the image with
# -Xshare:on, which fails if the archive does not match.
#
# usage: images/app-cds.sh <out> <base> <java> <module.jar> <main.class> <image-app dir> <training env> [jvm options...]
#        <base>: "own" for the base runtime.sh builds; anything else (a public base with its own
#                Java) leaves <out> empty, as an archive is only valid for the JVM that wrote it
#        <image-app dir>: what images/StoredJars.java wrote: lib/*.jar and jvm-classpath
#        <training env>: KEY=VALUE words the job needs to get as far as its first call (may be
#                empty); @IMAGES@ stands for this directory (images/training holds a recipe)
set -euo pipefail

out=$1 base=$2 java=$3 jar=$4 main=$5 app=$6 training=$7
shift 7
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
mkdir -p "$out"
if [[ $base != own ]]; then
  echo "images/app-cds.sh: no CDS archive on a public base"
  exit 0
fi
stage=$out/stage/app
mkdir -p "$stage/classpath" "$stage/lib"
cp "$jar" "$stage/classpath/"
cp "$app"/lib/*.jar "$stage/lib/"
find "$stage" -exec touch -h -d @1 {} +
cp_arg=$(sed "s|/app/|$stage/|g" "$app/jvm-classpath")

# A training run must never act: a clean environment (never the caller's DOCKER_HOST), no engine
# socket, and only what the job needs to reach its first call.
read -r -a training_env <<<"${training//@IMAGES@/$here}"
trained=$(env -i PATH=/usr/bin:/bin DOCKER_HOST=unix:///nonexistent/longshore-cds-training.sock "${training_env[@]}" \
  "$java" "$@" -Dlongshore.cds.training=true -XX:ArchiveClassesAtExit="$out/app.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -cp "$cp_arg" "$main") || { echo "images/app-cds.sh: the training run of $main failed: $trained" >&2; exit 1; }
# Check it on the spot as the image will use it (-Xshare:on fails on any mismatch).
env -i PATH=/usr/bin:/bin "$java" "$@" -XX:SharedArchiveFile="$out/app.jsa" -Xshare:on \
  -cp "$cp_arg" "$main" --help >/dev/null
rm -rf "$out/stage"
echo "images/app-cds.sh: $out/app.jsa ($(( $(stat -c %s "$out/app.jsa") / 1048576 )) MB) for $main ($trained)"
