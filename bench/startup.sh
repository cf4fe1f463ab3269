#!/usr/bin/env bash
# Start-up benchmark: `--version` and `hook pre-tool` (on a ~106k-event session) of the published binary, beside a
# Native AOT "hello" built with the same publish settings (bench/AotHello).
# Usage: bench/startup.sh   (RUNS=5 by default; prints table rows). Page faults are minor faults (GNU time %R).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/measure.sh
BIN=${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
RUNS=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build bench/AgentStrace.Bench -c Release -v q >/dev/null
dotnet publish bench/AotHello -c Release -r linux-x64 -o "$work/hello" -v q >/dev/null
id=$(dotnet bench/AgentStrace.Bench/bin/Release/net10.0/agent-strace-bench.dll gen "$work/store" 49000 11)
printf '{"session_id":"%s-9a0d-4e8b","transcript_path":"/nonexistent/t.jsonl","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"npm test"},"tool_use_id":"toolu_bench"}' "$id" "$work" >"$work/payload.json"
measure "AOT hello (bench/AotHello)" "" "$work/hello/AotHello"
measure "\`--version\`" "AOT hello: the row above" "$BIN" --version
measure "\`/bin/true\` (spawn floor of this table)" "" /bin/true
MEASURE_STDIN="$work/payload.json" AGENT_STRACE_DIR="$work/store" \
  measure "\`hook pre-tool\` (106k-event session)" "Python tool's hook: 250–460 ms" "$BIN" hook pre-tool
