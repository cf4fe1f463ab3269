#!/usr/bin/env python3
"""Builds Codex CLI and Gemini CLI histories for bench/agent-history.sh from the shared sample files.

The samples are third-party files (licences beside them) read at run time: nothing of them is kept in the repository.

  agent-samples.py codex  SRC N HOME     N copies of SRC/codex/*.jsonl as HOME/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl
  agent-samples.py gemini SRC N HOME     N copies of SRC/gemini as HOME/.gemini/tmp/<project>/chats/...
  agent-samples.py codex-large SRC MB HOME   one rollout of about MB megabytes: the real two-turn session whose second
                                             turn repeats with fresh call ids and growing cumulative token totals
  agent-samples.py gemini-large SRC MB HOME  one v0.39+ JSONL journal of about MB megabytes: the real legacy session's
                                             messages appended again and again with fresh ids, each model reply
                                             written twice (before and after its tool calls), as the CLI does
  agent-samples.py report-strace|report-ccusage   one line of token totals and cost from the JSON report on stdin
                                         (`agent-strace cost --by agent -f json`, `ccusage ... session --json`)
  agent-samples.py totals HOME           token totals of the Codex rollouts: the sum of last_token_usage over every
                                         token_count line, and over the lines whose total_token_usage changed

Every copy gets fresh session, message and call ids (consistently across the files of one copy, so forks and
sub-agents still link), so no tool can deduplicate one copy against another.
"""
import datetime
import glob
import json
import os
import re
import sys
import uuid

NS = uuid.UUID("6f1c2a7e-0000-4000-8000-000000000017")
# Session, turn and message ids: 8-4-4-4-12 lowercase alphanumerics (some synthetic ids are not hex).
ID = re.compile(r"\b[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}\b")
CALL = re.compile(r"\bcall_([A-Za-z0-9]{8,})")
TIME = re.compile(r'"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z"')
TOKENS = ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens"]


def fresh(copy, old):
    return str(uuid.uuid5(NS, f"{copy}/{old}"))


def rewriter(copy, extra_ids):
    def rewrite(text):
        for old in extra_ids:
            text = text.replace(f'"{old}"', f'"{fresh(copy, old)}"')
        text = ID.sub(lambda m: fresh(copy, m.group(0)), text)
        return CALL.sub(lambda m: f"call_c{copy:04d}{m.group(1)}", text)
    return rewrite


def first_meta(lines):
    for line in lines:
        d = json.loads(line)
        if d.get("type") == "session_meta":
            p = d["payload"]
            return p.get("id") or p.get("session_id"), d["timestamp"]
    return None, json.loads(lines[0])["timestamp"]


def rollout_path(home, stamp, session):
    day = stamp[:10].replace("-", "/")
    name = "rollout-" + stamp[:19].replace(":", "-") + "-" + session + ".jsonl"
    path = os.path.join(home, ".codex", "sessions", day, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def codex(src, n, home):
    files = sorted(glob.glob(os.path.join(src, "codex", "*.jsonl")))
    texts = {f: open(f, encoding="utf-8").read() for f in files}
    ids = set()  # session ids that are not uuid-shaped ("parent-spawn-001")
    for text in texts.values():
        for line in text.splitlines():
            d = json.loads(line)
            if d.get("type") == "session_meta":
                for key in ("id", "session_id", "forked_from_id"):
                    if d["payload"].get(key) and not ID.fullmatch(d["payload"][key]):
                        ids.add(d["payload"][key])
    for copy in range(1, n + 1):
        rewrite = rewriter(copy, sorted(ids, key=len, reverse=True))
        for f, text in texts.items():
            out = rewrite(text)
            session, stamp = first_meta(out.splitlines())
            session = session or fresh(copy, os.path.basename(f))
            with open(rollout_path(home, stamp, session), "w", encoding="utf-8") as w:
                w.write(out)


def gemini(src, n, home):
    root = os.path.join(src, "gemini")
    files = [f for f in glob.glob(os.path.join(root, "**", "*.json*"), recursive=True)]
    for copy in range(1, n + 1):
        rewrite = rewriter(copy, [])
        chats = os.path.join(home, ".gemini", "tmp", f"bench-project-{copy:04d}", "chats")
        for f in files:
            out = rewrite(open(f, encoding="utf-8").read())
            rel = os.path.relpath(f, root)
            if rel.endswith(".json"):  # the legacy document: session-<start>-<first 8 of its sessionId>.json
                doc = json.loads(out)
                rel = "session-" + doc["startTime"][:16].replace(":", "-") + "-" + doc["sessionId"][:8] + ".json"
            else:  # the journal and its sub-agent folder keep their layout; their names carry ids
                rel = rewrite(os.path.relpath(rel, "synthetic-v0.39plus/chats"))
                if "/" not in rel:
                    session = json.loads(out.splitlines()[0])["sessionId"]
                    rel = re.sub(r"-[0-9a-f]{8}\.jsonl$", "-" + session[:8] + ".jsonl", rel)
            path = os.path.join(chats, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as w:
                w.write(out)


def shift(line, seconds):
    def move(m):
        t = datetime.datetime.fromisoformat(m.group(1)) + datetime.timedelta(seconds=seconds)
        return '"timestamp":"' + t.isoformat(timespec="milliseconds") + 'Z"'
    return TIME.sub(move, line)


def codex_large(src, mb, home):
    lines = open(os.path.join(src, "codex", "agtrace.codex_session.jsonl"), encoding="utf-8").read().splitlines()
    head, turn = lines[:24], lines[24:]  # line 25 starts the second user turn
    def total(line):
        return [json.loads(line)["payload"]["info"]["total_token_usage"][k] for k in TOKENS]
    delta = [b - a for a, b in zip(total(head[-1]), total(turn[-1]))]
    session = fresh(0, "large")
    head = [head[0].replace("019b04ae-b1c6-7c72-a134-a4c2de66058c", session)] + head[1:]
    path = rollout_path(home, json.loads(head[0])["timestamp"], session)
    target, size, k = mb * 1_000_000, 0, 0
    with open(path, "w", encoding="utf-8") as w:
        for line in head:
            w.write(line + "\n")
        while size < target:
            for line in turn:
                line = CALL.sub(lambda m: f"call_r{k:06d}{m.group(1)}", shift(line, 60 * k))
                if '"type":"token_count"' in line and '"total_token_usage"' in line:
                    d = json.loads(line)
                    usage = d["payload"]["info"]["total_token_usage"]
                    for key, dk in zip(TOKENS, delta):
                        usage[key] += dk * k
                    line = json.dumps(d, separators=(",", ":"), ensure_ascii=False)
                size += len(line.encode("utf-8")) + 1
                w.write(line + "\n")
            k += 1
    print(f"{len(head) + k * len(turn)} lines, {k} repeated turns", file=sys.stderr)


def gemini_large(src, mb, home):
    doc = json.load(open(os.path.join(src, "gemini", "agtrace.gemini_session.json"), encoding="utf-8"))
    session = fresh(0, "gemini-large")
    chats = os.path.join(home, ".gemini", "tmp", "bench-large", "chats")
    os.makedirs(chats, exist_ok=True)
    path = os.path.join(chats, "session-" + doc["startTime"][:16].replace(":", "-") + "-" + session[:8] + ".jsonl")
    header = {"sessionId": session, "projectHash": doc["projectHash"], "startTime": doc["startTime"],
              "lastUpdated": doc["startTime"], "kind": "main"}
    target, size, k, lines = mb * 1_000_000, 0, 0, 1
    with open(path, "w", encoding="utf-8") as w:
        w.write(json.dumps(header, separators=(",", ":")) + "\n")
        while size < target:
            for m in doc["messages"]:
                m = json.loads(shift(json.dumps(m, separators=(",", ":"), ensure_ascii=False), 300 * k))
                m["id"] = fresh(k, m["id"])
                for c in m.get("toolCalls", []):
                    c["id"] = f"{c['id']}-r{k}"
                writes = [m]
                if m.get("toolCalls"):  # the reply is journaled before its tool calls run, then again with them
                    writes = [{key: v for key, v in m.items() if key != "toolCalls"}, m]
                for rec in writes:
                    line = json.dumps(rec, separators=(",", ":"), ensure_ascii=False)
                    size += len(line.encode("utf-8")) + 1
                    lines += 1
                    w.write(line + "\n")
            k += 1
    print(f"{lines} lines, {k * len(doc['messages'])} messages", file=sys.stderr)


def totals(home):
    naive, changed = [0] * 5, [0] * 5
    for f in glob.glob(os.path.join(home, ".codex", "sessions", "**", "*.jsonl"), recursive=True):
        previous = None
        for line in open(f, encoding="utf-8"):
            if '"token_count"' not in line:
                continue
            info = json.loads(line)["payload"].get("info") or {}
            if "total_token_usage" not in info:
                continue
            last = [info.get("last_token_usage", {}).get(k, 0) for k in TOKENS]
            now = [info["total_token_usage"].get(k, 0) for k in TOKENS]
            naive = [a + b for a, b in zip(naive, last)]
            if now != previous:
                changed = [a + b for a, b in zip(changed, last)]
            previous = now
    print(f"last_token_usage summed over every token_count line: {naive[4]} total tokens "
          f"({naive[0]} input, {naive[1]} cached, {naive[2]} output)")
    print(f"last_token_usage summed where total_token_usage changed: {changed[4]} total tokens "
          f"({changed[0]} input, {changed[1]} cached, {changed[2]} output)")


def report(total, input, cached, output, usd):
    print(f"{total:,} total tokens ({input:,} input, {cached:,} cached, {output:,} output), ${usd:.4f}")


def report_strace():
    rows = json.load(sys.stdin)["rows"]
    s = lambda k: sum(r[k] for r in rows)
    report(s("total_tokens"), s("input_tokens"), s("cache_read_tokens"), s("output_tokens"), s("cost_usd"))


def report_ccusage():
    t = json.load(sys.stdin)["totals"]
    report(t["totalTokens"], t["inputTokens"], t["cacheReadTokens"], t["outputTokens"], t.get("costUSD", t.get("totalCost", 0)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd in ("report-strace", "report-ccusage"):
        try:
            report_strace() if cmd == "report-strace" else report_ccusage()
        except (ValueError, KeyError) as e:
            print(f"? (no readable JSON report: {e})")
    elif cmd == "totals":
        totals(sys.argv[2])
    else:
        {"codex": codex, "gemini": gemini, "codex-large": codex_large, "gemini-large": gemini_large}[cmd](
            sys.argv[2], int(sys.argv[3]), sys.argv[4])
