#!/usr/bin/env bash
# What a user feels: the real Claude Code CLI (2.1.328) running a scripted session of CALLS Bash tool calls (default
# 100) against a loopback stand-in for the Messages API (bench/messages-standin.py), three ways, interleaved run by
# run: with our hooks installed (`agent-strace setup`), with every hook a no-op `true`, and with every hook a Native AOT
# "hello" (bench/AotHello, the floor of any AOT hook). Prints the median wall time of each and the differences.
# Usage: bench/claude-overhead.sh [CALLS]   (RUNS=5 by default; needs python3 and Claude Code: .ci/run installs it into
# ~/.cache/agent-strace-ci, or set CLAUDE_CODE_BIN). Only loopback traffic: the API stand-in listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}")
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
CLAUDE=${CLAUDE_CODE_BIN:-$HOME/.cache/agent-strace-ci/claude-code-2.1.328/node_modules/@anthropic-ai/claude-code-linux-x64/claude}
[ -x "$CLAUDE" ] || { echo "Claude Code not found at $CLAUDE: set CLAUDE_CODE_BIN" >&2; exit 2; }
calls=${1:-100}
RUNS=${RUNS:-5}
work=$(mktemp -d)
standin=""
trap '[ -n "$standin" ] && kill "$standin" 2>/dev/null; rm -rf "$work"' EXIT
dotnet publish bench/AotHello -c Release -r linux-x64 -o "$work/hello" -v q >/dev/null
python3 bench/messages-standin.py "$work/port" "$calls" &
standin=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$work/port")"

# run MODE I: one Claude Code session in a fresh project and home; prints its wall time in seconds.
run() {
  local mode=$1 dir="$work/$1-$2"
  mkdir -p "$dir/home" "$dir/project" "$dir/tmp"
  (cd "$dir/project" && HOME="$dir/home" "$BIN" setup >/dev/null 2>&1)
  case $mode in
    true) sed -i -E 's#"command": "[^"]*"#"command": "true"#' "$dir/project/.claude/settings.json" ;;
    hello) sed -i -E "s#\"command\": \"[^\"]*\"#\"command\": \"$work/hello/AotHello\"#" "$dir/project/.claude/settings.json" ;;
  esac
  local start end
  start=$(date +%s.%N)
  (cd "$dir/project" && env -u CLAUDECODE -u CLAUDE_CODE_ENTRYPOINT -u CLAUDE_PROJECT_DIR -u CLAUDE_CONFIG_DIR \
    -u ANTHROPIC_AUTH_TOKEN -u AGENT_STRACE_DIR -u AGENT_TRACE_DIR \
    HOME="$dir/home" TMPDIR="$dir/tmp" ANTHROPIC_BASE_URL="$base" ANTHROPIC_API_KEY=sk-ant-standin-not-a-key \
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 \
    "$CLAUDE" -p "Do the scripted task" --output-format json --model claude-sonnet-4-5-20250929 --allowedTools Bash \
    >"$dir/out.json" 2>"$dir/err.txt") || { echo "claude failed ($mode run $2):" >&2; cat "$dir/out.json" "$dir/err.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  if [ "$mode" = ours ]; then
    # The hooks must have recorded every call, without errors: otherwise the figure is not of the real work.
    local store="$dir/project/.agent-traces" recorded
    [ ! -f "$store/hook-errors.log" ] || { echo "hook errors:" >&2; cat "$store/hook-errors.log" >&2; exit 1; }
    recorded=$(cat "$store"/*/events.ndjson | grep -c '"event_type":"tool_call"' || true)
    [ "$recorded" -eq "$calls" ] || { echo "recorded $recorded tool calls, expected $calls" >&2; exit 1; }
  fi
  rm -rf "$dir"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for i in $(seq "$RUNS"); do
  for mode in ours true hello; do run "$mode" "$i" >>"$work/$mode.times"; done
done
ours=$(median <"$work/ours.times"); none=$(median <"$work/true.times"); hello=$(median <"$work/hello.times")
echo "| Claude Code $calls-tool-call session, hooks: agent-strace | $ours s | $(awk -v a="$ours" -v b="$none" 'BEGIN { printf "%+.2f", a - b }') s over \`true\` hooks, $(awk -v a="$ours" -v b="$hello" 'BEGIN { printf "%+.2f", a - b }') s over AOT-hello hooks |"
echo "| same, every hook \`true\` | $none s | |"
echo "| same, every hook an AOT hello | $hello s | $(awk -v a="$hello" -v b="$none" 'BEGIN { printf "%+.2f", a - b }') s over \`true\` hooks |"
echo "runs (s): ours $(tr '\n' ' ' <"$work/ours.times")| true $(tr '\n' ' ' <"$work/true.times")| hello $(tr '\n' ' ' <"$work/hello.times")"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS runs; $(date -u +%FT%TZ)"
