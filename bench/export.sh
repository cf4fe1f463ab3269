#!/usr/bin/env bash
# Export benchmark of the published AOT binary: wall time and peak RSS for sessions of N tool calls, to an
# OTLP protobuf file and to a loopback OTLP/HTTP sink. Usage: bench/export.sh [N ...]  (default: 10000 100000)
# Each case runs RUNS times (default 5); the median wall time and the largest peak RSS are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}
GEN="dotnet bench/AgentStrace.Bench/bin/Release/net10.0/agent-strace-bench.dll"
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
dotnet build bench/AgentStrace.Bench -c Release -v q >/dev/null
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 bench/sink.py "$port" & sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5
RUNS=${RUNS:-5}
# run LABEL CMD...: median wall seconds and max peak RSS over $RUNS runs.
run() {
  label=$1; shift
  : > "$work/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -a -o "$work/times" -f "%e %M" "$@" >/dev/null 2>"$work/err" || { echo "$label: failed" >&2; cat "$work/err" >&2; exit 1; }
  done
  sort -n "$work/times" | awk -v label="$label" -v runs="$RUNS" '
    { t[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "%s: %.2f s (median of %d), peak RSS %d KB\n", label, t[int((NR + 1) / 2)], runs, rss }'
}
for n in "${@:-10000 100000}"; do
  for size in $n; do
    store="$work/store-$size"
    id=$($GEN gen "$store" "$size" 7)
    mb=$(du -m "$store/$id/events.ndjson" | cut -f1)
    for fmt in otlp-genai otlp; do
      run "$size calls ($mb MB) $fmt -> file.pb" "$BIN" --trace-dir "$store" export "$id" --format "$fmt" --output "$work/out.pb"
      run "$size calls ($mb MB) $fmt -> loopback http/protobuf" "$BIN" --trace-dir "$store" export "$id" --format "$fmt" --endpoint "http://127.0.0.1:$port" --timeout 60
    done
    rm -rf "$store"
  done
done
