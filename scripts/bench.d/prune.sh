#!/usr/bin/env bash
# scripts/bench prune: 500 stopped containers + 200 dangling images, removed by longshore prune
# and, on an identical seed, by `docker container prune` + `docker image prune` with the same
# until filter. Prints the plan's and the prune's wall time next to the CLI's.
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(scripts/test-env env)"
CONTAINERS=${BENCH_CONTAINERS:-500}
IMAGES=${BENCH_IMAGES:-200}
UNTIL=${BENCH_UNTIL:-5}
image=$LONGSHORE_TEST_IMAGE
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f plugin-prune/target/plugin-prune.jar ] || ./mvnw -q -B -pl plugin-prune -am package -DskipTests

ms() { date +%s%3N; }

seed() {
  local tag=$1
  seq 1 "$CONTAINERS" | xargs -P 8 -I{} docker create --label "bench-prune=$tag" "$image" true >/dev/null
  for i in $(seq 1 "$IMAGES"); do
    printf '%s-%s-%s\n' "$tag" "$i" "$RANDOM" > "$work/marker"
    tar -C "$work" -cf "$work/layer-$i.tar" marker
  done
  seq 1 "$IMAGES" | xargs -P 8 -I{} docker import "$work/layer-{}.tar" >/dev/null
  local last; last=$(ms)
  # wait (bounded) until everything seeded is older than until
  while [ $(( $(ms) - last )) -le $(( (UNTIL + 1) * 1000 )) ]; do sleep 0.2; done
}

count() {
  echo "$(docker ps -aq --filter "label=bench-prune=$1" --filter status=created | wc -l) containers, $(docker images -q --filter dangling=true | wc -l) dangling images"
}

# other runs on this engine must not close the live-run gate for the benchmark
stacks=$(curl -s --unix-socket "${DOCKER_HOST#unix://}" http://engine/services | python3 -c '
import json, sys
names = set()
for s in json.load(sys.stdin) if sys.stdin else []:
    labels = s.get("Spec", {}).get("Labels") or {}
    for k in ("io.longshore.run", "com.docker.stack.namespace"):
        if labels.get(k):
            names.add(labels[k])
print(",".join(sorted(names)))' 2>/dev/null || true)

echo "bench prune: seeding $CONTAINERS stopped containers and $IMAGES dangling images (longshore run)..."
seed ours
echo "  seeded: $(count ours)"
report=$work/report.json
t0=$(ms)
PLUGIN_PATH=/var/lib/longshore-test/docker PLUGIN_FORCE=true PLUGIN_UNTIL=${UNTIL}s PLUGIN_IGNORE_STACKS="$stacks" \
  PLUGIN_REPORT=$report "$JAVA_HOME/bin/java" -jar plugin-prune/target/plugin-prune.jar | tail -n 1
t1=$(ms)
step_ms() { python3 -c "import json,sys; d=json.load(open('$report')); print(next((s['durationMs'] for s in d['steps'] if s['name']=='$1'), -1))"; }
gates_ms=$(step_ms gates); plan_ms=$(step_ms plan); prune_ms=$(step_ms prune)
ours_total=$((t1 - t0))
echo "  left: $(count ours)"

echo "bench prune: seeding again (CLI run)..."
seed cli
echo "  seeded: $(count cli)"
t0=$(ms)
docker container prune -f --filter "until=${UNTIL}s" >/dev/null
docker image prune -f --filter "until=${UNTIL}s" >/dev/null
t1=$(ms)
cli_total=$((t1 - t0))
echo "  left: $(count cli)"

echo
printf '%-58s %8s\n' "what" "ms"
printf '%-58s %8d\n' "longshore prune: gates (disk, services, tasks)" "$gates_ms"
printf '%-58s %8d\n' "longshore prune: plan (/system/df + plan)" "$plan_ms"
printf '%-58s %8d\n' "longshore prune: removal of the plan" "$prune_ms"
printf '%-58s %8d\n' "longshore prune: whole process (JVM start to exit)" "$ours_total"
printf '%-58s %8d\n' "docker container prune + docker image prune (until=${UNTIL}s)" "$cli_total"
python3 -c "
plan, prune, gates, total, cli = $plan_ms, $prune_ms, $gates_ms, $ours_total, $cli_total
print('ratio plan + removal / CLI:                 %.2fx  (target <= 1.2x: %s)' % ((plan + prune) / cli, 'met' if (plan + prune) <= 1.2 * cli else 'MISSED'))
print('ratio gates + plan + removal / CLI:         %.2fx' % ((gates + plan + prune) / cli))
print('ratio whole process (JVM start incl.) / CLI: %.2fx' % (total / cli))"
