#!/usr/bin/env bash
# scripts/bench backup — the backup stage's archive and restore of a 200 MiB volume (2,000 files) next to docker cp out of and into a container
# In one run on the private engine: a recipe whose one service takes part in backups with a named
# volume; the stage's seed fills it with 2,000 files of 100 KiB (200 MiB) of random bytes, then
#  1. the stage: its 'archive app' step (through the engine's archive endpoint, gzip'd into the
#     backup dir; target <= 1.2 x docker cp out) and its 'restore app' step (target <= 1.2 x docker cp in);
#  2. `docker cp` of the same volume out of a container and into another one (the hand way, for scale).
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(scripts/test-env env)"
[ -f plugin-deploy/target/plugin-deploy.jar ] && [ -f plugin-teardown/target/plugin-teardown.jar ] \
  || ./mvnw -q -B -pl plugin-deploy,plugin-teardown -am package -DskipTests
. scripts/lib/bench.sh
bench_header backup

work=$(mktemp -d)
stack=bback-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
d() { docker -H "$DOCKER_HOST" "$@"; }
cleanup() {
  d rm -f "$stack-cpout" "$stack-cpin" >/dev/null 2>&1 || true
  PLUGIN_STACK=$stack "$JAVA_HOME/bin/java" -jar plugin-teardown/target/plugin-teardown.jar >/dev/null 2>&1 || true
  d volume rm -f "$stack-cpin" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ms() { date +%s%3N; }
# a step of the stage (its results list each): "archive app", "restore app"
stage_ms() { python3 -c "import json,sys; print(next(c['durationMs'] for c in json.load(open('$1'))['details']['stages'][0]['commands'] if c['name'] == '$2'))"; }

recipe=$work/recipe
mkdir -p "$recipe"
cat > "$recipe/compose.yml" <<'YAML'
services:
  app:
    image: ${IMAGE}
    command: ["sleep", "3600"]
    init: true
    stop_grace_period: 1s
    volumes: ["data:/data"]
    deploy:
      labels:
        backupbot.backup: "true"
volumes:
  data: {}
YAML
fill='i=0; while [ $i -lt 2000 ]; do head -c 102400 /dev/urandom > /data/f$i; i=$((i+1)); done'
PLUGIN_STACK=$stack PLUGIN_RECIPE=$recipe PLUGIN_STAGES=backup PLUGIN_TIMEOUT=2m PLUGIN_TEARDOWN=never \
  PLUGIN_ENV="{\"IMAGE\": \"$LONGSHORE_TEST_IMAGE\"}" PLUGIN_BACKUP_DIR="$work/backups" PLUGIN_REPORT="$work/run.json" \
  PLUGIN_SEED="[{\"service\": \"app\", \"command\": \"$fill\", \"timeout\": \"5m\"}]" \
  PLUGIN_VERIFY='["app: test -f /data/f1999 && test -f /data/f0"]' \
  "$JAVA_HOME/bin/java" -jar plugin-deploy/target/plugin-deploy.jar > "$work/run.log" 2>&1 || { tail -30 "$work/run.log"; exit 1; }
grep -E "archived|restored|backup PASS|backup FAIL" "$work/run.log" | sed 's/^ */    /'
archive=$(stage_ms "$work/run.json" "archive app")
restore=$(stage_ms "$work/run.json" "restore app")
echo "  volume ${stack}_data: $(d run --rm -v "${stack}_data:/d" "$LONGSHORE_TEST_IMAGE" du -sh /d | cut -f1); archives $(du -sh "$work/backups" | cut -f1)"

d create --name "$stack-cpout" -v "${stack}_data:/d" "$LONGSHORE_TEST_IMAGE" true >/dev/null
t0=$(ms); d cp "$stack-cpout:/d" "$work/copy"; t1=$(ms)
cp_out=$((t1 - t0))
d rm -f "$stack-cpout" >/dev/null
d volume create "$stack-cpin" >/dev/null
d create --name "$stack-cpin" -v "$stack-cpin:/d" "$LONGSHORE_TEST_IMAGE" true >/dev/null
t0=$(ms); d cp "$work/copy/." "$stack-cpin:/d"; t1=$(ms)
cp_in=$((t1 - t0))
echo "  docker cp out of a container: $cp_out ms; into a container: $cp_in ms"
echo "  stage step 'archive app': $archive ms = $(awk -v a="$archive" -v b="$cp_out" 'BEGIN {printf "%.2f", a / b}') x docker cp out (target <= 1.2)"
echo "  stage step 'restore app': $restore ms = $(awk -v a="$restore" -v b="$cp_in" 'BEGIN {printf "%.2f", a / b}') x docker cp in (target <= 1.2)"
