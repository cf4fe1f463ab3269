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
  awk -v label="$label" '
    { wall[NR] = $1; cpu[NR] = $2 + $3; if ($4 > rss) rss = $4 }
    END {
      n = asort(wall); asort(cpu); m = int((n + 1) / 2)
      printf "| %s | %.3f s | %.3f s | %.1f MiB |\n", label, wall[m], cpu[m], rss / 1024
    }' "$times"
  rm -f "$times" "$times.err"
}
# The machine's state, printed under every table: figures on a loaded machine are not comparable.
machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each"
}
