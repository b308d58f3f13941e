#!/usr/bin/env bash
# scripts/bench teardown — our teardown against the hand sequence operators use.
#
# Each round deploys the same run twice with `docker stack deploy` (5 services, 2 overlay
# networks, 3 secrets of which one external `<stack>_x_v1`, 2 configs, 3 volumes mounted by
# running tasks) and removes it
#   - with `java -jar plugin-teardown.jar --stack <s>` (JVM start included; it ends verified clean), and
#   - by hand: `docker stack rm` + `sleep 6` + `docker volume rm` + `docker secret rm` of the external secret,
# then counts what is left of each run right after it ends. Whatever the hand sequence leaves is
# removed afterwards (not timed). Needs DOCKER_HOST (e.g. `eval "$(scripts/test-env env)"`).
#
# Then the two-node figure: `scripts/test-env nodes 2` joins a worker (a dockerd in a network
# namespace of its own), the same run is deployed across both nodes (its tasks, and so its
# volumes, spread over them) and torn down with ours to verified clean on both (the worker's part
# by the helper job), counting what is left on either node; the swarm is one node again after.
# Target: two nodes <= 1.5 x one node (medians of the wall times). BENCH_NODES=1 skips it (it
# needs root and builds the teardown image with -Pimages: the helper job runs it on the worker).
#
# Environment: BENCH_ROUNDS (default 5), BENCH_SKIP_BUILD=1 to reuse target/plugin-teardown.jar,
# BENCH_KEEP=1 to keep each teardown's output and JSON report (per-step times),
# LONGSHORE_TEST_IMAGE (default longshore-test/busybox:latest).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DOCKER_HOST:?set DOCKER_HOST, e.g. eval \"\$(scripts/test-env env)\"}"
ROUNDS=${BENCH_ROUNDS:-5}
IMAGE=${LONGSHORE_TEST_IMAGE:-longshore-test/busybox:latest}
JAR=plugin-teardown/target/plugin-teardown.jar

NODES=${BENCH_NODES:-2}
if [[ "${BENCH_SKIP_BUILD:-}" != 1 || ! -f $JAR ]]; then
  echo "bench teardown: building plugin-teardown" >&2
  if ((NODES > 1)); then
    ./mvnw -B -q -Pimages -pl plugin-teardown -am package -DskipTests >&2
  else
    ./mvnw -B -q -pl plugin-teardown -am package -DskipTests >&2
  fi
fi
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

work=$(mktemp -d)
if [[ "${BENCH_KEEP:-}" == 1 ]]; then trap 'echo "bench teardown: outputs and reports kept in $work"' EXIT; else trap 'rm -rf "$work"' EXIT; fi
printf 'db_password\n' >"$work/secret"
printf 'listen=80\n' >"$work/config"

compose() { # a realistic run: 5 services honouring SIGTERM, 2 networks, 3 secrets, 2 configs, 3 volumes
  local s=$1
  cat <<YAML
version: "3.8"
x-app: &app
  image: $IMAGE
  command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
services:
  web:    {<<: *app, networks: [front], configs: [web_conf], volumes: ["static:/static"]}
  api:    {<<: *app, networks: [front, back], secrets: [db_password, x_v1], configs: [api_conf]}
  worker: {<<: *app, networks: [back], secrets: [api_token], volumes: ["cache:/cache"]}
  cache:  {<<: *app, networks: [back], volumes: ["cache:/data"]}
  db:     {<<: *app, networks: [back], secrets: [db_password], volumes: ["data:/var/lib/db"]}
networks:
  front: {driver: overlay}
  back: {driver: overlay}
secrets:
  db_password: {file: $work/secret}
  api_token: {file: $work/secret}
  x_v1: {external: true, name: ${s}_x_v1}
configs:
  web_conf: {file: $work/config}
  api_conf: {file: $work/config}
volumes:
  data: {}
  cache: {}
  static: {}
YAML
}

deploy() {
  local s=$1
  docker secret create "${s}_x_v1" "$work/secret" >/dev/null
  compose "$s" >"$work/$s.yml"
  docker stack deploy -c "$work/$s.yml" "$s" >/dev/null 2>&1
  # wait until all five tasks run (on whichever node) and their containers (and volumes) exist
  local deadline=$((SECONDS + 90))
  until [[ $(docker stack ps "$s" --filter desired-state=running --format '{{.CurrentState}}' 2>/dev/null | grep -c '^Running') -eq 5 ]]; do
    ((SECONDS < deadline)) || { echo "bench teardown: $s did not start within 90s" >&2; exit 1; }
    sleep 0.2
  done
}

residue() { # objects of run $1 still on the engine, by label or <stack>_ prefix
  local s=$1
  {
    for kind in service secret config network; do
      docker "$kind" ls -q --filter "label=com.docker.stack.namespace=$s"
      docker "$kind" ls --format '{{.ID}} {{.Name}}' --filter "name=${s}_" | awk -v p="${s}_" 'index($2, p) == 1 {print $1}'
    done
    docker volume ls -q --filter "label=com.docker.stack.namespace=$s"
    docker volume ls -q --filter "name=${s}_" | awk -v p="${s}_" 'index($1, p) == 1'
    docker ps -aq --filter "label=com.docker.stack.namespace=$s"
    if [[ -n ${WORKER:-} ]]; then # the worker's node-local objects
      docker -H "$WORKER" volume ls -q --filter "label=com.docker.stack.namespace=$s"
      docker -H "$WORKER" volume ls -q --filter "name=${s}_" | awk -v p="${s}_" 'index($1, p) == 1'
      docker -H "$WORKER" ps -aq --filter "label=com.docker.stack.namespace=$s"
    fi
  } | sort -u | wc -l
}

now_ms() { date +%s%3N; }

ours() { # wall ms (JVM start included), residue, exit code, the job's own ms (from its report)
  local s=$1 t0 t1 rc=0 job
  t0=$(now_ms)
  "$JAVA" -jar "$JAR" --stack "$s" --timeout 2m --report "$work/$s.json" >"$work/$s.out" 2>&1 || rc=$?
  t1=$(now_ms)
  job=$(sed -n 's/^  "durationMs" : \([0-9]*\),$/\1/p' "$work/$s.json" 2>/dev/null || true)
  echo "$((t1 - t0)) $(residue "$s") $rc ${job:-?}"
}

by_hand() {
  local s=$1 t0 t1
  t0=$(now_ms)
  docker stack rm "$s" >/dev/null 2>&1 || true
  sleep 6
  docker volume rm "${s}_data" "${s}_cache" "${s}_static" >/dev/null 2>&1 || true
  docker secret rm "${s}_x_v1" >/dev/null 2>&1 || true
  t1=$(now_ms)
  echo "$((t1 - t0)) $(residue "$s") 0"
  # not timed: clear what the hand sequence left so the engine is clean again
  "$JAVA" -jar "$JAR" --stack "$s" --timeout 2m >/dev/null 2>&1 || true
}

ours_ms=() ours_job=() hand_ms=() ours_left=0 hand_left=0 ours_fail=0
echo "bench teardown: $ROUNDS rounds; run = 5 services, 2 networks, 3 secrets, 2 configs, 3 volumes; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-6s %-14s %9s %9s %8s   %-14s %9s %8s\n' round ours "wall ms" "job ms" residue hand "wall ms" residue
for ((r = 1; r <= ROUNDS; r++)); do
  id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  a="bt-o$id" b="bt-h$id"
  deploy "$a"; deploy "$b"
  if ((r % 2)); then read -r oms oleft orc ojob < <(ours "$a"); read -r hms hleft _ < <(by_hand "$b")
  else read -r hms hleft _ < <(by_hand "$b"); read -r oms oleft orc ojob < <(ours "$a"); fi
  ((orc == 0)) || { ours_fail=$((ours_fail + 1)); echo "ours exited $orc:" >&2; cat "$work/$a.out" >&2; }
  printf '%-6s %-14s %9s %9s %8s   %-14s %9s %8s\n' "$r" "$a" "$oms" "$ojob" "$oleft" "$b" "$hms" "$hleft"
  ours_ms+=("$oms") ours_job+=("$ojob") hand_ms+=("$hms")
  ours_left=$((ours_left + oleft)) hand_left=$((hand_left + hleft))
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
om=$(median "${ours_ms[@]}") hm=$(median "${hand_ms[@]}")
echo
echo "teardown (ours, verified clean): median ${om} ms wall incl. JVM start ($(median "${ours_job[@]}") ms in the job), residue ${ours_left} objects in ${ROUNDS} rounds, ${ours_fail} non-zero exits"
echo "hand sequence (stack rm + sleep 6 + rm): median ${hm} ms, residue ${hand_left} objects in ${ROUNDS} rounds"
awk -v o="$om" -v h="$hm" 'BEGIN {printf "ours is %.1fx the speed of the hand sequence (%+d ms)\n", h / o, o - h}'

((NODES > 1)) || exit 0
echo
echo "bench teardown: two nodes (scripts/test-env nodes 2)"
scripts/test-env nodes 2
trap 'scripts/test-env nodes 1 || true; rm -rf "$work"' EXIT
WORKER=unix://$(docker node ls -q | xargs docker node inspect --format '{{index .Spec.Labels "io.longshore.docker-socket"}}' | grep . | head -n1)
two_ms=() two_job=() two_left=0 two_fail=0 spread=0
printf '%-6s %-14s %9s %9s %8s %13s\n' round ours "wall ms" "job ms" residue "tasks on w."
for ((r = 1; r <= ROUNDS; r++)); do
  id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  a="bt-2n$id"
  deploy "$a"
  on_worker=$(docker -H "$WORKER" ps -q --filter "label=com.docker.stack.namespace=$a" | wc -l)
  read -r oms oleft orc ojob < <(ours "$a")
  ((orc == 0)) || { two_fail=$((two_fail + 1)); echo "ours exited $orc:" >&2; cat "$work/$a.out" >&2; }
  printf '%-6s %-14s %9s %9s %8s %13s\n' "$r" "$a" "$oms" "$ojob" "$oleft" "$on_worker"
  two_ms+=("$oms") two_job+=("$ojob") two_left=$((two_left + oleft))
done
tm=$(median "${two_ms[@]}")
echo
echo "teardown on two nodes (ours, verified clean on both): median ${tm} ms wall incl. JVM start ($(median "${two_job[@]}") ms in the job), residue ${two_left} objects in ${ROUNDS} rounds, ${two_fail} non-zero exits"
awk -v one="$om" -v two="$tm" 'BEGIN {printf "two nodes / one node: %d ms / %d ms = %.2fx (target <= 1.5x)\n", two, one, two / one}'
