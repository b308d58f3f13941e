#!/usr/bin/env bash
# scripts/bench verify — verify-registry's walk against a sequential HEAD-per-blob probe and skopeo.
#
# An OCI index of 8 platforms x 12 layers plus 8 attestation manifests is pushed to the local
# anonymous registry; every request then goes through a proxy (plugin-verify-registry's test
# FaultProxy) that adds 20 ms, as a registry across a network would. Printed in one run:
#   - our shallow walk (HEAD per blob, default: from 8 up to 32 in flight), and the same at concurrency 1 and 16;
#   - a sequential curl-and-jq walk: what a hand-written CI integrity step does;
#   - our deep walk (GET + sha256 of every blob) and `skopeo copy --all docker://... dir:`.
# Targets: shallow >= 10x faster than the sequential walk; deep no slower than skopeo's copy.
# Needs the private test environment (scripts/test-env start) and curl, jq, skopeo.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
if [[ ${LONGSHORE_TEST_ENV:-} != 1 ]]; then
  env_script="$ROOT/scripts/test-env"
  [[ -x $env_script ]] || { echo "verify bench: run scripts/test-env start, then eval \"\$(scripts/test-env env)\"" >&2; exit 2; }
  eval "$("$env_script" env)"
fi
for tool in curl jq skopeo; do
  command -v "$tool" >/dev/null || { echo "verify bench: $tool is needed" >&2; exit 2; }
done
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
DELAY_MS=${BENCH_DELAY_MS:-20}
RUNS=${BENCH_RUNS:-3} # each figure is the best of RUNS: a shared CI host is noisy, the best run is the least disturbed
LAYER_BYTES=${BENCH_LAYER_BYTES:-262144}
# The JVM options the image runs the plugin with (the jib entrypoint in pom.xml, images.jit in
# plugin-verify-registry/pom.xml): a short-lived client JVM, serial GC, with C2 as well as C1 for the
# deep walk's SHA-256. The walk is measured as the image runs it.
IMAGE_JVM=(-XX:+UseSerialGC -XX:TieredStopAtLevel=4 -XX:-UsePerfData)

echo "building plugin-verify-registry..."
./mvnw -q -B -pl plugin-verify-registry -am package -DskipTests
MOD=$ROOT/plugin-verify-registry/target
CP="$MOD/test-classes:$MOD/classes:$MOD/lib/*:$ROOT/plugin-kit/target/test-classes"
WORK=$(mktemp -d /tmp/verify-bench.XXXXXX)

echo "pushing the benchmark image to $LONGSHORE_REGISTRY_ANON..."
read -r -a PUSHED < <("$JAVA" -cp "$CP" io.longshore.verify.fixture.BenchImage push "$LONGSHORE_REGISTRY_ANON" "$LAYER_BYTES")
REPO=${PUSHED[0]}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$JAVA" -cp "$CP" io.longshore.verify.fixture.FaultProxy "$PORT" "$LONGSHORE_REGISTRY_ANON" "$DELAY_MS" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
cleanup() {
  kill "$PROXY_PID" 2>/dev/null || true
  "$JAVA" -cp "$CP" io.longshore.verify.fixture.BenchImage delete "$LONGSHORE_REGISTRY_ANON" "$REPO" "${PUSHED[@]:1}" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PROXY=127.0.0.1:$PORT
for _ in $(seq 100); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$PROXY/v2/" || true) == 200 ]] && break
  sleep 0.1
done

now() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }

# ours: process wall time, and the walk's own time from the JSON report; best of RUNS
ours() { # name, extra args...
  local name=$1; shift
  local t0 t1 rc i wall walk
  WALL=; WALK=
  for ((i = 0; i < RUNS; i++)); do
    rc=0
    t0=$(now)
    PLUGIN_REPORT="$WORK/$name.json" "$JAVA" "${IMAGE_JVM[@]}" -jar "$MOD/plugin-verify-registry.jar" --repo "$PROXY/$REPO" "$@" >"$WORK/$name.log" 2>&1 || rc=$?
    t1=$(now)
    [[ $rc == 0 ]] || { echo "verify bench: $name exited $rc"; cat "$WORK/$name.log"; exit 1; }
    wall=$((t1 - t0))
    walk=$(($(jq -r '.details.walkMs' "$WORK/$name.json") * 1000000))
    if [[ -z $WALL || $wall -lt $WALL ]]; then WALL=$wall; fi
    if [[ -z $WALK || $walk -lt $WALK ]]; then WALK=$walk; SUMMARY=$(tail -n1 "$WORK/$name.log"); fi
  done
}
best() { # command...: sets BEST to the best wall time of RUNS
  local i t0 t1
  BEST=
  for ((i = 0; i < RUNS; i++)); do
    t0=$(now); "$@"; t1=$(now)
    if [[ -z $BEST || $((t1 - t0)) -lt $BEST ]]; then BEST=$((t1 - t0)); fi
  done
}

# the sequential probe a CI step writes by hand: GET the index, GET each child, HEAD each blob
ACCEPT='application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json'
sequential() {
  local base=http://$PROXY/v2/$REPO index manifest d code requests=1 bad=0
  index=$(curl -fsS -H "Accept: $ACCEPT" "$base/manifests/latest")
  for d in $(jq -r '.manifests[].digest' <<<"$index"); do
    manifest=$(curl -fsS -H "Accept: $ACCEPT" "$base/manifests/$d"); requests=$((requests + 1))
    for blob in $(jq -r '.config.digest, .layers[].digest' <<<"$manifest"); do
      code=$(curl -s -o /dev/null -I -w '%{http_code}' "$base/blobs/$blob"); requests=$((requests + 1))
      [[ $code == 200 ]] || bad=$((bad + 1))
    done
  done
  SEQ_REQUESTS=$requests
  [[ $bad == 0 ]] || { echo "verify bench: the sequential walk found $bad bad blobs"; exit 1; }
}

skopeo_copy() {
  rm -rf "$WORK/skopeo"
  skopeo copy --quiet --all --src-tls-verify=false "docker://$PROXY/$REPO:latest" "dir:$WORK/skopeo" >"$WORK/skopeo.log" 2>&1 \
    || { cat "$WORK/skopeo.log"; exit 1; }
}

# The proxy is a JVM too: its first few hundred requests run interpreted. Warm it (and the
# registry) with two walks nobody is timed on, so that whichever walk goes first is not charged for it.
echo "warming the proxy up..."
RUNS=2 ours warmup
echo "walking through a proxy that adds ${DELAY_MS} ms per request (best of $RUNS runs each)..."
ours shallow;    SHALLOW_WALL=$WALL; SHALLOW_WALK=$WALK; SHALLOW_SUMMARY=$SUMMARY
ours shallow1 --concurrency 1; SEQ1_WALK=$WALK
ours shallow16 --concurrency 16; C16_WALK=$WALK
best sequential; SEQ_WALL=$BEST
ours deep --deep; DEEP_WALL=$WALL; DEEP_WALK=$WALK
best skopeo_copy; SKOPEO_WALL=$BEST

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
SPEEDUP=$(ratio "$SEQ_WALL" "$SHALLOW_WALK")
SPEEDUP1=$(ratio "$SEQ1_WALK" "$SHALLOW_WALK")
C16_SPEEDUP=$(ratio "$SEQ_WALL" "$C16_WALK")
DEEP_RATIO=$(ratio "$SKOPEO_WALL" "$DEEP_WALL")
ok() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }' && echo met || echo MISSED; }

cat <<REPORT

verify-registry benchmark
  image    OCI index: 8 platforms x 12 layers of $((LAYER_BYTES / 1024)) KiB + 8 attestation manifests ($REPO)
  network  +${DELAY_MS} ms per request (FaultProxy in front of $LONGSHORE_REGISTRY_ANON); best of $RUNS runs
  host     $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)
  ours     $SHALLOW_SUMMARY

  shallow (HEAD per blob)
    longshore, default (8..32)    walk $(secs "$SHALLOW_WALK")s   (process incl. JVM start $(secs "$SHALLOW_WALL")s)
    longshore, concurrency 1      walk $(secs "$SEQ1_WALK")s
    longshore, concurrency 16     walk $(secs "$C16_WALK")s   (${C16_SPEEDUP}x vs curl + jq)
    sequential curl + jq          $(secs "$SEQ_WALL")s   ($SEQ_REQUESTS requests)
    speed-up vs curl + jq         ${SPEEDUP}x   target >= 10x: $(ok "$SPEEDUP" 10)
    speed-up vs concurrency 1     ${SPEEDUP1}x
  deep (GET + sha256 of every blob)
    longshore --deep              $(secs "$DEEP_WALL")s   (walk $(secs "$DEEP_WALK")s)
    skopeo copy --all ... dir:    $(secs "$SKOPEO_WALL")s
    skopeo / longshore            ${DEEP_RATIO}x   target >= 1x: $(ok "$DEEP_RATIO" 1)
REPORT
