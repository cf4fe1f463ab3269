#!/usr/bin/env bash
# Big-store benchmark: list, cost --all, baseline update and audit-readiness over a generated store of N sessions
# (default 10,000; see StoreGenerator.cs). Usage: bench/big-store.sh [N]   (RUNS=5 by default; prints table rows)
# The store is generated once into $BIG_STORE (default /tmp/agent-strace-big-<N>) and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/measure.sh
BIN=${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
n=${1:-10000}
store=${BIG_STORE:-/tmp/agent-strace-big-$n}
if [ ! -f "$store/.complete" ]; then
  dotnet build bench/AgentStrace.Bench -c Release -v q >/dev/null
  rm -rf "$store"
  dotnet bench/AgentStrace.Bench/bin/Release/net10.0/agent-strace-bench.dll gen-store "$store" "$n" 7 >&2
  touch "$store/.complete"
fi
cat "$store"/*/events.ndjson >/dev/null # warm the page cache: every run then reads from memory
measure "\`list\` ($n sessions)" "target ≤ 0.5 s" "$BIN" --trace-dir "$store" list
measure "\`cost --all\` ($n sessions)" "target ≤ 0.5 s" "$BIN" --trace-dir "$store" cost --all
measure "\`baseline update\` ($n sessions)" "target ≤ 0.5 s" "$BIN" --trace-dir "$store" baseline update --output "$store.baseline.json"
measure "\`audit-readiness\` ($n sessions)" "target ≤ 0.5 s" "$BIN" --trace-dir "$store" audit-readiness --retention-days 0
