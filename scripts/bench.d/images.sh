#!/usr/bin/env bash
# scripts/bench images: image sizes (as is, gzip), the bytes the four share, prune startup (--help, and to its first engine call) next to busybox
#
# usage: scripts/bench images [--no-build] [--runs N]
#   builds the images first (./mvnw -Pimages package -DskipTests) unless --no-build; either way it
#   measures the images this worktree built last (target/jib-image.id), not whatever the shared
#   engine's tags point at. Sizes: each layer of `docker save`, as is and gzip -6 (what a push
#   sends). Startup: N (default 11) runs of each command, interleaved, after one warm-up each.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/bench.sh
bench_env
bench_header images "$@"

images_build=1
images_runs=11
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-build) images_build=0 ;;
    --runs) images_runs=$2; shift ;;
    *) echo "scripts/bench images: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

images_names=(verify-registry deploy teardown prune)
if [[ $images_build == 1 ]]; then
  echo "building the images (./mvnw -B -Pimages package -DskipTests) ..."
  images_log=$(mktemp)
  ./mvnw -B -ntp -Pimages package -DskipTests > "$images_log" 2>&1 || { cat "$images_log" >&2; exit 1; }
  rm -f "$images_log"
fi

declare -A images_id
for n in "${images_names[@]}"; do
  f=plugin-$n/target/jib-image.id
  [[ -s $f ]] || { echo "scripts/bench images: $f is missing; run without --no-build" >&2; exit 1; }
  images_id[$n]=$(cat "$f")
  docker image inspect "${images_id[$n]}" >/dev/null \
    || { echo "scripts/bench images: image ${images_id[$n]} ($n) is not in the engine" >&2; exit 1; }
done

images_tmp=$(mktemp -d)
trap 'rm -rf "$images_tmp"' EXIT
# One save of all four: a layer they share is one directory, measured once.
docker save "${images_id[@]}" | tar -x -C "$images_tmp"
# "<image id> <layer path> <what made it>" per layer, bottom first, from manifest.json and the configs
python3 - "$images_tmp" > "$images_tmp/layers" <<'PY'
import json, os, sys, tarfile
root = sys.argv[1]

def where(layer):  # the directory of the layer's first file, to tell Jib's "extra files" apart
    with tarfile.open(os.path.join(root, layer)) as t:
        f = next((m.name for m in t if m.isfile()), "")
    return "/" + os.path.dirname(f).lstrip("./")
for image in json.load(open(os.path.join(root, "manifest.json"))):
    config = json.load(open(os.path.join(root, image["Config"])))
    made = [h.get("comment") or h.get("created_by", "?") for h in config.get("history", []) if not h.get("empty_layer")]
    for i, layer in enumerate(image["Layers"]):
        what = (made[i] if i < len(made) else "?").split(" --add-modules")[0] + " in " + where(layer)
        print(image["Config"].removesuffix(".json"), layer, what.replace(" ", "_"))
PY
declare -A raw gz what
while read -r _ layer made; do
  [[ -n ${raw[$layer]:-} ]] && continue
  raw[$layer]=$(stat -c %s "$images_tmp/$layer")
  gz[$layer]=$(gzip -6 -n -c "$images_tmp/$layer" | wc -c)
  what[$layer]=$made
done < "$images_tmp/layers"

printf '\n%-28s %7s %15s %15s\n' image layers uncompressed gzip
largest=0
declare -A used
for n in "${images_names[@]}"; do
  layers=$(awk -v id="${images_id[$n]#sha256:}" '$1 == id {print $2}' "$images_tmp/layers")
  r=0 g=0 count=0
  for layer in $layers; do
    r=$((r + raw[$layer])); g=$((g + gz[$layer])); count=$((count + 1))
    used[$layer]=$(( ${used[$layer]:-0} + 1 ))
  done
  (( g > largest )) && largest=$g
  printf '%-28s %7s %15s %15s\n' "longshore/$n" "$count" "$(bench_mb $r)" "$(bench_mb $g)"
done

shared_raw=0 shared_gz=0 shared_n=0 unique_gz=0
for layer in "${!used[@]}"; do
  unique_gz=$((unique_gz + gz[$layer]))
  if (( used[$layer] == ${#images_names[@]} )); then
    shared_raw=$((shared_raw + raw[$layer])); shared_gz=$((shared_gz + gz[$layer])); shared_n=$((shared_n + 1))
  fi
done
printf '%-28s %7s %15s %15s\n' "shared by all four" "$shared_n" "$(bench_mb $shared_raw)" "$(bench_mb $shared_gz)"
printf '%-28s %7s %15s %15s\n' "all four (unique layers)" "${#used[@]}" "" "$(bench_mb $unique_gz)"
printf '\nlayers, bottom first (prune), and how many of the four images have each:\n'
for layer in $(awk -v id="${images_id[prune]#sha256:}" '$1 == id {print $2}' "$images_tmp/layers"); do
  printf '  %-54s %s of 4 %12s %12s\n' "${what[$layer]//_/ }" "${used[$layer]}" "$(bench_mb "${raw[$layer]}")" "$(bench_mb "${gz[$layer]}")"
done
awk -v u="$unique_gz" -v l="$largest" 'BEGIN {
  printf "largest image %.1f MB gzip (target <= 45 MB: %s); all four = %.2f x the largest (target <= 1.4: %s)\n",
    l / 1e6, (l <= 45e6 ? "met" : "MISSED"), u / l, (u / l <= 1.4 ? "met" : "MISSED") }'

# Startup: the same engine, the same --rm, interleaved so that load from other work hits both.
# Besides --help, a real start: prune with DOCKER_HOST at a socket that does not exist (and the
# data root it measures at /) runs its gates and stops at its first engine call (exit 3), so it
# measures start to first call.
busybox=${LONGSHORE_TEST_IMAGE:-longshore-test/busybox:latest}
prune=${images_id[prune]}
time_run() {  # <expected exit> <docker run args...>: prints the wall time of one `docker run --rm ...` in milliseconds
  local want=$1 t0 t1 rc=0
  shift
  t0=$(bench_now)
  docker run --rm "$@" >/dev/null 2>&1 || rc=$?
  t1=$(bench_now)
  [[ $rc == "$want" ]] || { echo "scripts/bench images: docker run $* exited $rc, not $want" >&2; return 1; }
  echo $(( (t1 - t0) / 1000000 ))
}
nowhere=(-e DOCKER_HOST=unix:///nonexistent/longshore-bench.sock -e PLUGIN_PATH=/ "$prune")
time_run 0 "$prune" --help >/dev/null
time_run 3 "${nowhere[@]}" >/dev/null
time_run 0 "$busybox" true >/dev/null
: > "$images_tmp/prune.ms"
: > "$images_tmp/start.ms"
: > "$images_tmp/busybox.ms"
for ((i = 0; i < images_runs; i++)); do
  time_run 0 "$prune" --help >> "$images_tmp/prune.ms"
  time_run 3 "${nowhere[@]}" >> "$images_tmp/start.ms"
  time_run 0 "$busybox" true >> "$images_tmp/busybox.ms"
done
p=$(bench_median < "$images_tmp/prune.ms")
j=$(bench_median < "$images_tmp/start.ms")
b=$(bench_median < "$images_tmp/busybox.ms")
range() { echo "$(sort -n "$1" | head -1)-$(sort -n "$1" | tail -1)"; }
printf '\nstartup, median of %d runs (min-max):\n' "$images_runs"
printf '  %-56s %6s ms  (%s)\n' "docker run --rm longshore/prune --help" "$p" "$(range "$images_tmp/prune.ms")"
printf '  %-56s %6s ms  (%s)\n' "docker run --rm longshore/prune, to its first engine call" "$j" "$(range "$images_tmp/start.ms")"
printf '  %-56s %6s ms  (%s)\n' "docker run --rm $busybox true" "$b" "$(range "$images_tmp/busybox.ms")"
awk -v p="$p" -v j="$j" -v b="$b" 'BEGIN { printf "  ratio %.2f (target <= 2: %s); to the first engine call %.2f\n", p / b, (p / b <= 2 ? "met" : "MISSED"), j / b }'
