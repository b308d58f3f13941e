# Sourced (POSIX sh): makes JAVA_HOME point at a JDK >= 21, or stops with a clear sentence.
# Order: an existing JAVA_HOME that is new enough, then `java` on PATH, then /usr/lib/jvm/*.
longshore_java_feature() {
  # prints the feature release (17, 21, 25, ...) of the given java binary, or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

longshore_select_jdk() {
  _min=21
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    _v=$(longshore_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ]; then return 0; fi
  fi
  _javac=$(command -v javac 2>/dev/null || true)
  if [ -n "$_javac" ]; then
    _home=$(dirname "$(dirname "$(readlink -f "$_javac")")")
    _v=$(longshore_java_feature "$_home/bin/java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ]; then JAVA_HOME=$_home; export JAVA_HOME; return 0; fi
  fi
  _best=; _bestv=0
  case $- in *f*) _noglob=1; set +f ;; *) _noglob= ;; esac
  for _d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$_d/bin/javac" ] || continue
    _v=$(longshore_java_feature "$_d/bin/java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ] && [ "$_v" -gt "$_bestv" ]; then _best=$_d; _bestv=$_v; fi
  done
  [ -z "$_noglob" ] || set -f
  if [ -n "$_best" ]; then JAVA_HOME=$_best; export JAVA_HOME; return 0; fi
  echo "longshore needs a JDK $_min or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}, PATH, /usr/lib/jvm). Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  return 1
}
