#!/usr/bin/env bash
# scripts/bench warm — warm mode: snapshot and restore of a 500 MiB volume next to docker cp out of and into a container, and a no-op reconcile's wall time
# In one run on the private engine: a recipe repository with a healthy release 1.0.0 whose volume
# holds 500 MiB (500 files of 1 MiB); then
#  1. `docker cp` of the volume out of a container and into another (the hand way, for scale),
#  2. a no-op reconcile, wall time with JVM start as the image starts it, median of 3 (target <= 3 s),
#  3. release 1.0.1: the upgrade's snapshot step (target <= 1.2 x docker cp out),
#  4. release 1.0.2 fails its healthcheck: the rollback's restore step (target <= 1.2 x docker cp
#     in); the copies' SHA-256 check runs before it, while the failed release's services go.
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(scripts/test-env env)"
[ -f plugin-deploy/target/plugin-deploy.jar ] && [ -f plugin-teardown/target/plugin-teardown.jar ] \
  || ./mvnw -q -B -pl plugin-deploy,plugin-teardown -am package -DskipTests
# the snapshot and restore copy in a helper container of the deploy image (streaming without it)
docker -H "$DOCKER_HOST" image inspect longshore/deploy:latest >/dev/null 2>&1 \
  || ./mvnw -q -B -Pimages -pl plugin-deploy -am package -DskipTests
. scripts/lib/bench.sh
bench_header warm

work=$(mktemp -d)
stack=bwarm-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
d() { docker -H "$DOCKER_HOST" "$@"; }
cleanup() {
  d rm -f "$stack-cpout" "$stack-cpin" >/dev/null 2>&1 || true
  PLUGIN_STACK=$stack "$JAVA_HOME/bin/java" -jar plugin-teardown/target/plugin-teardown.jar >/dev/null 2>&1 || true
  d volume rm -f "$stack-cpin" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ms() { date +%s%3N; }
step_ms() { python3 -c "import json,sys; print(next(s['durationMs'] for s in json.load(open('$1'))['steps'] if s['name'] == '$2'))"; }
result() { python3 -c "import json; d=json.load(open('$1')); print(d['details'].get('result') or d['summary'])"; }

recipe=$work/repo/recipes/app
mkdir -p "$recipe"
git -C "$work/repo" init -q -b main
git -C "$work/repo" config user.email bench@longshore.invalid
git -C "$work/repo" config user.name bench
release() { # tag healthcheck
  cat > "$recipe/compose.yml" <<YAML
services:
  app:
    image: \${IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo $1 > /www/index.html && exec httpd -f -p 8080 -h /www"]
    init: true
    stop_grace_period: 1s
    volumes: ["data:/data"]
    ports:
      - target: 8080
        published: \${PORT}
        mode: host
    healthcheck:
      test: $2
      interval: 1s
      timeout: 1s
      retries: 1
    deploy:
      labels: ["coop-cloud.\${STACK_NAME}.version=$1"]
volumes:
  data: {}
YAML
  git -C "$work/repo" add -A && git -C "$work/repo" commit -qm "$1" && git -C "$work/repo" tag "$1"
}
reconcile() { # report
  PLUGIN_MODE=warm PLUGIN_STACK=$stack PLUGIN_RECIPE=$recipe PLUGIN_REPORT=$1 PLUGIN_TIMEOUT=2m PLUGIN_HEALTH_TIMEOUT=30s \
    PLUGIN_ENV="{\"IMAGE\": \"$LONGSHORE_TEST_IMAGE\", \"PORT\": \"$port\"}" PLUGIN_HEALTH_URL="http://127.0.0.1:$port/index.html" \
    PLUGIN_ALERT_DIR=$work/alerts PLUGIN_DATA_ROOT=/var/lib/longshore-test/docker \
    "$JAVA_HOME/bin/java" ${JAVA_CDS:-} -jar plugin-deploy/target/plugin-deploy.jar > "$1.log" 2>&1 || true
}
# As the image runs it: with a dynamic AppCDS archive of an earlier run (the first reconcile writes
# it, the others use it), as scripts/bench deploy does; one no-op also runs without, for scale.
JAVA_CDS="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$work/deploy.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"

release 1.0.0+1.0 '["CMD", "test", "-f", "/www/index.html"]'
reconcile "$work/first.json"
echo "  first reconcile: $(result "$work/first.json")"
d run --rm -v "${stack}_data:/d" "$LONGSHORE_TEST_IMAGE" sh -c 'i=0; while [ $i -lt 500 ]; do head -c 1048576 /dev/urandom > /d/f$i; i=$((i+1)); done'
echo "  volume ${stack}_data: $(d run --rm -v "${stack}_data:/d" "$LONGSHORE_TEST_IMAGE" du -sh /d | cut -f1)"

# docker cp, three times each way (the median: a shared host's disk and CPU vary from one copy to the next)
outs=(); ins=()
d create --name "$stack-cpout" -v "${stack}_data:/d" "$LONGSHORE_TEST_IMAGE" true >/dev/null
d volume create "$stack-cpin" >/dev/null
d create --name "$stack-cpin" -v "$stack-cpin:/d" "$LONGSHORE_TEST_IMAGE" true >/dev/null
for i in 1 2 3; do
  rm -rf "$work/copy"
  t0=$(ms); d cp "$stack-cpout:/d" "$work/copy"; t1=$(ms)
  outs+=($((t1 - t0)))
  d run --rm -v "$stack-cpin:/d" "$LONGSHORE_TEST_IMAGE" sh -c 'rm -rf /d/* /d/.[!.]*' >/dev/null 2>&1 || true
  t0=$(ms); d cp "$work/copy/." "$stack-cpin:/d"; t1=$(ms)
  ins+=($((t1 - t0)))
done
d rm -f "$stack-cpout" "$stack-cpin" >/dev/null
d volume rm "$stack-cpin" >/dev/null
rm -rf "$work/copy"
cp_out=$(printf '%s\n' "${outs[@]}" | bench_median)
cp_in=$(printf '%s\n' "${ins[@]}" | bench_median)
echo "  docker cp out of a container: ${outs[*]} ms, median $cp_out; into a container: ${ins[*]} ms, median $cp_in"

noops=()
for i in 1 2 3; do
  t0=$(ms); reconcile "$work/noop$i.json"; t1=$(ms)
  noops+=($((t1 - t0)))
  [ "$(result "$work/noop$i.json")" = noop ] || { echo "  not a no-op:"; tail -5 "$work/noop$i.json.log"; }
done
noop=$(printf '%s\n' "${noops[@]}" | bench_median)
t0=$(ms); JAVA_CDS= reconcile "$work/noop-plain.json"; t1=$(ms)
plain=$((t1 - t0))
python3 -c "import json; d=json.load(open('$work/noop3.json')); print('    steps of the last: ' + ', '.join(s['name'] + ' ' + str(s['durationMs']) + ' ms' for s in d['steps']) + '; in the JVM ' + str(d['durationMs']) + ' ms')"
echo "  no-op reconcile: ${noops[*]} ms, median $noop ms wall incl. JVM start with the AppCDS archive, as the image runs it (target <= 3000); $plain ms without"

release 1.0.1+1.0 '["CMD", "test", "-f", "/www/index.html"]'
reconcile "$work/up.json"
snap=$(step_ms "$work/up.json" snapshot)
echo "  upgrade: $(result "$work/up.json"); snapshot step $snap ms = $(awk -v a="$snap" -v b="$cp_out" 'BEGIN {printf "%.2f", a / b}') x docker cp out (target <= 1.2)"
grep "snapshot of\|through this process" "$work/up.json.log" | sed 's/^ */    /'

release 1.0.2+1.0 '["CMD", "false"]'
reconcile "$work/back.json"
restore=$(step_ms "$work/back.json" restore)
echo "  broken release: $(result "$work/back.json"); restore step $restore ms = $(awk -v a="$restore" -v b="$cp_in" 'BEGIN {printf "%.2f", a / b}') x docker cp in (target <= 1.2)"
grep "restored\|to check\|through this process" "$work/back.json.log" | sed 's/^ */    /'
