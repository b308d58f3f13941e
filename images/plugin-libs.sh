#!/usr/bin/env bash
# What a plugin needs beyond what every image shares, for its image:
#   - checks that the shared runtime has every JDK module the plugin's and the kit's own code
#     uses (jdeps); a missing one fails the build with the module to add to images.jlink.modules
#   - prints a glob of the plugin's libraries that the kit does not have (e.g. JGit for deploy),
#     which Jib moves out of the libraries layer into a layer of their own on top, so that the
#     libraries layer holds the kit's libraries only and stays the same in every image
# A library the kit has in another version (Maven's nearest-wins) would make the shared layer
# differ: that is reported, to be pinned in the parent's dependencyManagement.
#
# usage: images/plugin-libs.sh <jdk> <runtime-java> <plugin.jar> <kit classpath file> <runtime classpath>
#        <runtime classpath>: Maven's, ':'-separated, the module's classes directory first
#        <kit classpath file>: the same of plugin-kit, written by its build in this run
set -euo pipefail

jdk=$1 java=$2 jar=$3 kit_classpath=$4 classpath=$5
IFS=: read -ra entries <<< "$classpath"

kit_jar=
for entry in "${entries[@]:1}"; do
  case $(basename "$entry") in plugin-kit.jar | plugin-kit-*.jar) kit_jar=$entry ;; esac
done
needed=$("$jdk/bin/jdeps" --ignore-missing-deps -q --multi-release base --print-module-deps "$jar" ${kit_jar:+"$kit_jar"})
have=$("$java" --list-modules | sed 's/@.*//')
for module in ${needed//,/ }; do
  grep -qx "$module" <<< "$have" || {
    echo "images/plugin-libs.sh: $(basename "$jar") uses the JDK module $module, which the image runtime lacks; add it to images.jlink.modules in the parent pom" >&2
    exit 1
  }
done

if [[ ! -s $kit_classpath ]]; then
  echo "images/plugin-libs.sh: $kit_classpath is missing (build plugin-kit in the same run); all libraries stay in one layer" >&2
  echo "/app/lib/-none-"
  exit 0
fi
IFS=: read -ra kit_entries <<< "$(cat "$kit_classpath")"
kit_names=$(for entry in "${kit_entries[@]:1}"; do basename "$entry"; done)
names=$(for entry in "${entries[@]:1}"; do basename "$entry"; done)
own=()
for entry in "${entries[@]:1}"; do
  name=$(basename "$entry")
  [[ $entry == "$kit_jar" ]] || grep -qxF "$name" <<< "$kit_names" || own+=("$name")
done
for name in $kit_names; do
  grep -qxF "$name" <<< "$names" \
    || echo "images/plugin-libs.sh: WARNING: $(basename "$jar") does not get the kit's $name (another version wins), so its image cannot share the libraries layer; pin one version in the parent's dependencyManagement" >&2
done
if [[ ${#own[@]} -eq 0 ]]; then
  echo "/app/lib/-none-"
elif [[ ${#own[@]} -eq 1 ]]; then
  echo "/app/lib/${own[0]}"
else
  (IFS=,; echo "/app/lib/{${own[*]}}")
fi
