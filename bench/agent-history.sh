#!/usr/bin/env bash
# Codex CLI and Gemini CLI history benchmark, side by side with ccusage: `import --discover --agent codex|gemini-cli`
# then `cost --all` against `ccusage codex|gemini session --offline` on the same CODEX_HOME / ~/.gemini, plus the
# re-run of an unchanged history, and the token totals both tools report.
# Usage: bench/agent-history.sh [COPIES ...]   (default: 1 10 large). COPIES=N is N copies of the shared agent samples
# (../shared/fixtures/agent-samples, or $AGENT_SAMPLES: third-party files with their licences, read at run time and
# never copied into the repository) with fresh session, message and call ids. `large` is one Codex rollout and one
# Gemini journal of $LARGE_MB MB each (default 100) built by repeating a real turn with fresh ids (throughput, memory).
# Each case runs RUNS times (default 5): median wall and CPU time, largest peak RSS.
# Needs GNU time (/usr/bin/time), python3 and, for the comparison, ccusage on PATH (npm install -g ccusage@20.0.24).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${AGENT_STRACE_BIN:-artifacts/bin/linux-x64/agent-strace}")
SRC=$(realpath -m "${AGENT_SAMPLES:-../shared/fixtures/agent-samples}")
GEN="python3 $PWD/bench/agent-samples.py"
[ -x "$BIN" ] || { echo "publish first: dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64" >&2; exit 2; }
[ -d "$SRC/codex" ] && [ -d "$SRC/gemini" ] || { echo "no agent samples at $SRC (set AGENT_SAMPLES=DIR holding codex/ and gemini/)" >&2; exit 2; }
CCUSAGE=$(command -v ccusage || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RUNS=${RUNS:-5}
LARGE_MB=${LARGE_MB:-100}

# run LABEL CMD...: median wall and CPU seconds and max peak RSS over $RUNS runs (before each run: $PREP, if set).
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
  sort -n "$work/times" | awk -v label="$label" -v cpu="$cpu" -v mb="${MB:-0}" '
    { t[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "  %-62s %7.3f s wall  %7.3f s cpu  %7.1f MiB", label, t[int((NR + 1) / 2)], cpu, rss / 1024
          if (mb > 0 && cpu > 0) printf "  %6.1f MB/s of CPU", mb / cpu
          printf "\n" }'
}

# megabytes DIR: the bytes of the files under DIR, in MB (10^6 bytes).
megabytes() { find "$1" -type f -printf '%s\n' | awk '{ b += $1 } END { printf "%.2f", b / 1e6 }'; }

import_cost() { "$BIN" --trace-dir "$1" import --discover --agent "$2" "$3" "$4" && "$BIN" --trace-dir "$1" cost --all; }
export -f import_cost
export BIN

# tokens STORE: the token totals and cost agent-strace reports over the store.
tokens() { "$BIN" --trace-dir "$1" cost --by agent -f json 2>/dev/null | $GEN report-strace; }

# ccusage_tokens AGENT ENV...: the same from ccusage's JSON report.
ccusage_tokens() {
  local agent=$1; shift
  env "$@" "$CCUSAGE" "$agent" session --offline --json 2>/dev/null | $GEN report-ccusage
}

# agent NAME FLAG DIR SIZE_MB CCUSAGE_AGENT ENV...: the rows of one agent's history.
agent() {
  local name=$1 flag=$2 dir=$3 mb=$4 peer=$5; shift 5
  local store="$work/store-$name"
  MB=$mb PREP="rm -rf '$store'" run "agent-strace import --discover --agent $name && cost --all (fresh)" bash -c "import_cost '$store' '$name' '$flag' '$dir'"
  import_cost "$store" "$name" "$flag" "$dir" >/dev/null 2>&1
  MB=0 PREP="" run "agent-strace import --discover --agent $name (unchanged)" "$BIN" --trace-dir "$store" import --discover --agent "$name" "$flag" "$dir"
  MB=0 PREP="" run "agent-strace cost --all (imported store)" "$BIN" --trace-dir "$store" cost --all
  if [ -n "$CCUSAGE" ]; then
    MB=$mb PREP="" run "ccusage $peer session --offline" env "$@" "$CCUSAGE" "$peer" session --offline
    echo "  tokens, agent-strace: $(tokens "$store")"
    echo "  tokens, ccusage:      $(ccusage_tokens "$peer" "$@")"
  else
    echo "  ccusage not on PATH: npm install -g ccusage@20.0.24 for the comparison"
    echo "  tokens, agent-strace: $(tokens "$store")"
  fi
  rm -rf "$store"
}

for n in ${@:-1 10 large}; do
  home="$work/home-$n"
  mkdir -p "$home"
  if [ "$n" = large ]; then
    $GEN codex-large "$SRC" "$LARGE_MB" "$home" 2>"$work/lines"
    echo "large Codex rollout: $(cat "$work/lines"), $(megabytes "$home/.codex") MB"
  else
    $GEN codex "$SRC" "$n" "$home"
    echo "Codex history x$n: $(find "$home/.codex" -name '*.jsonl' | wc -l) rollouts, $(megabytes "$home/.codex") MB"
  fi
  mb=0; [ "$n" = large ] && mb=$(megabytes "$home/.codex")
  agent codex --codex-home "$home/.codex" "$mb" codex HOME="$home" CODEX_HOME="$home/.codex"
  $GEN totals "$home" | sed 's/^/  in the files: /'
  rm -rf "$home/.codex"
  if [ "$n" = large ]; then
    $GEN gemini-large "$SRC" "$LARGE_MB" "$home" 2>"$work/lines"
    echo "large Gemini journal: $(cat "$work/lines"), $(megabytes "$home/.gemini") MB"
  else
    $GEN gemini "$SRC" "$n" "$home"
    echo "Gemini history x$n: $(find "$home/.gemini" -name '*.json*' | wc -l) chat files, $(megabytes "$home/.gemini") MB"
  fi
  mb=0; [ "$n" = large ] && mb=$(megabytes "$home/.gemini")
  agent gemini-cli --gemini-dir "$home/.gemini" "$mb" gemini HOME="$home" GEMINI_DATA_DIR="$home/.gemini"
  rm -rf "$home"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS runs; $(date -u +%FT%TZ)"
