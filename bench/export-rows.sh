#!/usr/bin/env bash
# Export and audit-package benchmark on one generated session of N tool calls (default 100,000): the OTLP/JSON and
# OTLP protobuf exports, the EU AI Act package and its offline verification. Usage: bench/export-rows.sh [N]
# (RUNS=5 by default; prints table rows; the session is generated once into $EXPORT_STORE, default /tmp/agent-strace-export-<N>).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/measure.sh
BIN=${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
n=${1:-100000}
store=${EXPORT_STORE:-/tmp/agent-strace-export-$n}
if [ ! -f "$store/.id" ]; then
  dotnet build bench/AgentStrace.Bench -c Release -v q >/dev/null
  rm -rf "$store"
  dotnet bench/AgentStrace.Bench/bin/Release/net10.0/agent-strace-bench.dll gen "$store" "$n" 7 >"$store.id.tmp"
  mv "$store.id.tmp" "$store/.id"
fi
id=$(cat "$store/.id")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mb=$(( $(stat -c %s "$store/$id/events.ndjson") / 1000000 ))
measure "\`export --format otlp --output x.json\` ($n calls, $mb MB)" "Python tool: 20 s, 1.6 GiB" "$BIN" --trace-dir "$store" export "$id" --format otlp --output "$out/x.json"
measure "\`export --format otlp-genai --output x.pb\` ($n calls)" "target ≤ 0.2 s" "$BIN" --trace-dir "$store" export "$id" --format otlp-genai --output "$out/x.pb"
measure "\`export --format eu-ai-act\` ($n calls)" "target ≤ 1.5 s" "$BIN" --trace-dir "$store" export "$id" --format eu-ai-act --output "$out/package.json"
measure "\`verify --from-export\` (that package, $(( $(stat -c %s "$out/package.json") / 1000000 )) MB)" "target ≤ 1 s" "$BIN" verify --from-export "$out/package.json"
