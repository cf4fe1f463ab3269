# Sourced by the bench scripts. measure LABEL CMD...: runs CMD $RUNS times (default 5) under GNU time and prints one
# table row: median wall time, median CPU time (user + sys) and the largest peak RSS. Output of CMD is discarded;
# a failing run stops the script with its error.
RUNS=${RUNS:-5}
measure() {
  local label=$1; shift
  local times; times=$(mktemp)
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -a -o "$times" -f "%e %U %S %M" "$@" >/dev/null 2>"$times.err" || {
      echo "$label: failed (exit $?)" >&2; cat "$times.err" >&2; rm -f "$times" "$times.err"; exit 1; }
  done
  local wall cpu rss
  wall=$(awk '{ print $1 }' "$times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  cpu=$(awk '{ print $2 + $3 }' "$times" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  rss=$(awk '$4 > m { m = $4 } END { print m }' "$times")
  awk -v label="$label" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" \
    'BEGIN { printf "| %s | %.3f s | %.3f s | %.1f MiB |\n", label, wall, cpu, rss / 1024 }'
  rm -f "$times" "$times.err"
}
# The machine's state, printed under every table: figures on a loaded machine are not comparable.
machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS runs"
}
