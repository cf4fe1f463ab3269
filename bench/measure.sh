# Sourced by the bench scripts.
# measure LABEL PEER CMD...: runs CMD $RUNS times (default 5) under GNU time and prints one table row: median wall
# time, median CPU time (user + sys), the largest peak RSS, the median count of minor page faults, and PEER (the
# peer's figure, as text). CMD's stdout is discarded; its stdin is $MEASURE_STDIN when set. A failing run stops the
# script with its error.
RUNS=${RUNS:-5}
measure() {
  local label=$1 peer=$2; shift 2
  local times; times=$(mktemp)
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -a -o "$times" -f "%e %U %S %M %R" "$@" <"${MEASURE_STDIN:-/dev/null}" >/dev/null 2>"$times.err" || {
      echo "$label: failed (exit $?)" >&2; cat "$times.err" >&2; rm -f "$times" "$times.err"; exit 1; }
  done
  local wall cpu rss faults
  wall=$(awk '{ print $1 }' "$times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  cpu=$(awk '{ print $2 + $3 }' "$times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  faults=$(awk '{ print $5 }' "$times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  rss=$(awk '$4 > m { m = $4 } END { print m }' "$times")
  awk -v label="$label" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" -v faults="$faults" -v peer="$peer" \
    'BEGIN { printf "| %s | %.3f s | %.3f s | %.1f MiB | %d | %s |\n", label, wall, cpu, rss / 1024, faults, peer }'
  rm -f "$times" "$times.err"
}
header() {
  echo "| work | wall (median) | CPU user+sys (median) | peak RSS | page faults | peer / limit |"
  echo "|---|---|---|---|---|---|"
}
# The machine's state, printed under every table: figures taken on a loaded machine are not comparable.
machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS runs; $(date -u +%FT%TZ)"
}
