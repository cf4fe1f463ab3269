#!/usr/bin/env bash
# Claude Code history benchmark, side by side with ccusage: `import --discover && cost --all` against
# `ccusage claude session --offline` on the same ~/.claude copy, plus the re-run of an unchanged history.
# Usage: bench/claude-history.sh [COPIES ...]   (default: 1 10). COPIES=1 is the shared real-transcripts fixture
# (../shared/fixtures/real-transcripts/claude-code, or $TRANSCRIPTS); COPIES=N is N copies of it with fresh session
# ids (a history N times larger). Each case runs RUNS times (default 5): median wall and CPU time, largest peak RSS.
# Needs GNU time (/usr/bin/time) and, for the comparison, ccusage on PATH (npm install -g ccusage@20.0.24).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}")
SRC=$(realpath "${TRANSCRIPTS:-../shared/fixtures/real-transcripts/claude-code}")
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
[ -d "$SRC" ] || { echo "no transcripts at $SRC (set TRANSCRIPTS=DIR)" >&2; exit 2; }
CCUSAGE=$(command -v ccusage || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RUNS=${RUNS:-5}

# run LABEL CMD...: median wall seconds and max peak RSS over $RUNS runs (before each run: $PREP, if set).
run() {
  label=$1; shift
  : > "$work/times"
  for _ in $(seq "$RUNS"); do
    if [ -n "${PREP:-}" ]; then eval "$PREP"; fi
    /usr/bin/time -a -o "$work/times" -f "%e %M %U %S" "$@" >/dev/null 2>"$work/err" || { echo "$label: failed" >&2; cat "$work/err" >&2; exit 1; }
  done
  # wall time and CPU time (user + sys) medians: on a shared machine the CPU time is the steadier figure
  awk '{ print $3 + $4 }' "$work/times" | sort -n > "$work/cpu"
  cpu=$(awk '{ c[NR] = $1 } END { print c[int((NR + 1) / 2)] }' "$work/cpu")
  sort -n "$work/times" | awk -v label="$label" -v runs="$RUNS" -v cpu="$cpu" '
    { t[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "  %-58s %6.3f s wall  %6.3f s cpu  %7.1f MiB\n", label, t[int((NR + 1) / 2)], cpu, rss / 1024 }'
}

# make_history N DIR: DIR/.claude/projects/<project>/ with N copies of the transcripts (session ids rewritten per copy).
make_history() {
  local n=$1 home=$2 proj="$2/.claude/projects/-home-dev-bench"
  mkdir -p "$proj"
  for i in $(seq "$n"); do
    python3 - "$SRC" "$proj" "$i" <<'PY'
import os, re, sys
src, proj, i = sys.argv[1], sys.argv[2], int(sys.argv[3])
uuid = re.compile(r'"sessionId":"([0-9a-f]{8})')
def rewrite(text):  # a distinct session id per copy: keep the shape, change the first 8 hex digits
    text = uuid.sub(lambda m: '"sessionId":"%08x' % ((int(m.group(1), 16) + i * 7919) % (1 << 32)), text)
    # distinct request ids too, or a tool that dedupes requests across files would count one copy
    return text.replace('"msg_', '"msg_c%03d' % i).replace('"req_', '"req_c%03d' % i)
for root, _, files in os.walk(src):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f), src)
        parts = rel.split(os.sep)
        parts[0] = f"c{i:03d}-" + parts[0]
        out = os.path.join(proj, *parts)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(os.path.join(root, f), encoding="utf-8") as a, open(out, "w", encoding="utf-8") as b:
            b.write(rewrite(a.read()))
PY
  done
}

both() { "$BIN" --trace-dir "$1" import --discover --claude-dir "$2" && "$BIN" --trace-dir "$1" cost --all; }
export -f both
export BIN

for n in "${@:-1 10}"; do
  home="$work/home-$n"
  make_history "$n" "$home"
  mb=$(du -sm "$home/.claude/projects" | cut -f1)
  files=$(find "$home/.claude/projects" -name '*.jsonl' | wc -l)
  echo "history x$n: $files transcript files, ${mb} MB"
  store="$work/store-$n"
  # Each run's store is moved aside, not deleted, until the case ends: deleting thousands of files just before a run
  # makes ext4 skip their recently freed inodes on every create of the next one (find_inode_bit/recently_deleted),
  # a cost a user's first import does not pay.
  mkdir -p "$work/old"
  PREP="[ ! -e '$store' ] || mv '$store' \"\$(mktemp -d -p '$work/old')\"" run "agent-strace import --discover && cost --all (fresh store)" bash -c "both '$store' '$home/.claude'"
  rm -rf "$work/old"
  both "$store" "$home/.claude" >/dev/null 2>&1
  PREP="" run "agent-strace import --discover (unchanged history)" "$BIN" --trace-dir "$store" import --discover --claude-dir "$home/.claude"
  PREP="" run "agent-strace cost --all (imported store)" "$BIN" --trace-dir "$store" cost --all
  if [ -n "$CCUSAGE" ]; then
    PREP="" run "ccusage claude session --offline" env HOME="$home" CLAUDE_CONFIG_DIR="$home/.claude" "$CCUSAGE" claude session --offline
  else
    echo "  ccusage not on PATH: npm install -g ccusage@20.0.24 for the comparison"
  fi
  rm -rf "$home" "$store"
done
