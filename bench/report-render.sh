#!/usr/bin/env bash
# Time `report --html` on a generated N-call session and the page's render in headless Chromium (navigation start to
# the first frame after the waterfall is drawn), three times. Needs what .ci/run installs: chromium, and puppeteer-core +
# axe-core in ~/.cache/agent-strace-ci/report-browser.
# Usage: bench/report-render.sh [calls=10000] [binary=artifacts/bin/linux-x64/agent-strace]
set -euo pipefail
calls="${1:-10000}"
bin="$(realpath "${2:-artifacts/bin/linux-x64/agent-strace}")"
repo="$(cd "$(dirname "$0")/.." && pwd)"
modules="${AGENT_STRACE_TOOL_CACHE:-$HOME/.cache/agent-strace-ci}/report-browser/node_modules"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/.agent-traces" "$calls" <<'PY'
import json, os, sys
root, calls = sys.argv[1], int(sys.argv[2])
sid, t, n, lines = "bench-report", 1796619000.0, 0, []
def add(kind, data, parent=None, dur=None):
    global n, t
    eid = "ev-%08x" % n; n += 1
    e = {"event_type": kind, "timestamp": t, "event_id": eid, "session_id": sid}
    if parent: e["parent_id"] = parent
    if dur is not None: e["duration_ms"] = dur
    e["data"] = data; lines.append(json.dumps(e, separators=(",", ":"))); t += 0.18
    return eid
add("session_start", {"agent_name": "claude-code", "model": "claude-sonnet-4-6"})
r = add("llm_request", {"model": "claude-sonnet-4-6"})
add("llm_response", {"model": "claude-sonnet-4-6", "usage": {"input_tokens": 10000, "output_tokens": 1000}}, r, 1500)
for i in range(calls):
    c = add("tool_call", {"tool_name": "Read" if i % 2 == 0 else "Bash", "arguments": {"command": "step %d" % i}})
    add("tool_result", {"content_preview": "ok"}, c, 20)
add("session_end", {})
os.makedirs(os.path.join(root, sid))
open(os.path.join(root, sid, "events.ndjson"), "w").write("\n".join(lines) + "\n")
open(os.path.join(root, sid, "meta.json"), "w").write(json.dumps({"session_id": sid, "started_at": 1796619000.0, "ended_at": t, "agent_name": "claude-code"}))
PY
cd "$work"
/usr/bin/time -f "report --html: %e s wall, %U+%S s CPU, %M KB peak RSS" "$bin" report bench-report --html -o report.html
echo "events.ndjson $(stat -c %s .agent-traces/bench-report/events.ndjson) bytes, report.html $(stat -c %s report.html) bytes"
for i in 1 2 3; do
  NODE_PATH="$modules" node "$repo/tests/AgentStrace.Cli.Tests/Report/report-browser.cjs" /usr/bin/chromium "$work/report.html" 0 \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print("render %d ms, %d spans in the DOM" % (r["renderMs"], len(r["spans"])))'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
