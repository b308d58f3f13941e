# Sourced by benchmarks in scripts/bench.d (bash): small helpers so each reports the same way.
#   bench_env                 points this shell at the private engine (starts it when needed)
#   bench_header <name>       one line: what runs where, with the machine's load
#   bench_now                 wall clock in nanoseconds
#   bench_median              the median of the numbers on stdin, one a line
#   bench_mb <bytes>          bytes as MB with one decimal (1 MB = 10^6 bytes, as registries count)

bench_env() {
  if [[ ${LONGSHORE_TEST_ENV:-} != 1 ]]; then
    scripts/test-env start >&2
    eval "$(scripts/test-env env)"
  fi
}
bench_header() {
  echo "== scripts/bench $* ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), engine $DOCKER_HOST)"
}
bench_now() { date +%s%N; }
bench_median() {
  sort -n | awk '{v[NR] = $1} END {if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
bench_mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b / 1e6}'; }
