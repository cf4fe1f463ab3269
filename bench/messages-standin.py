#!/usr/bin/env python3
"""Loopback stand-in for the Anthropic Messages API (POST /v1/messages, streamed SSE) for bench/claude-overhead.sh.

Usage: messages-standin.py PORTFILE CALLS
Listens on 127.0.0.1 (a free port, written to PORTFILE). A request that offers tools is answered with a Bash tool
call (`true`) while fewer than CALLS assistant turns are in the conversation, then with a closing text; a request
without tools (a title or summary) gets a short text. The step is counted from the request itself, so the stand-in
holds no conversation state. Usage figures are fixed.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sse(message_id, tool_use_id, text):
    events = [("message_start", {"type": "message_start", "message": {
        "id": message_id, "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 100, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}})]
    if tool_use_id is None:
        events.append(("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}))
        events.append(("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}))
    else:
        events.append(("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": tool_use_id, "name": "Bash", "input": {}}}))
        events.append(("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {
            "type": "input_json_delta", "partial_json": json.dumps({"command": "true", "description": "bench step"})}}))
    events.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
    events.append(("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": "end_turn" if tool_use_id is None else "tool_use", "stop_sequence": None},
                                     "usage": {"output_tokens": 20}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()


class Handler(BaseHTTPRequestHandler):
    counter = 0

    def log_message(self, *args):
        pass

    def reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("request-id", f"req_standin_{Handler.counter}")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = self.path.split("?")[0]
        if path.endswith("/count_tokens"):
            return self.reply(200, "application/json", b'{"input_tokens":10}')
        if not path.endswith("/v1/messages"):
            return self.reply(404, "application/json", b'{"type":"error","error":{"type":"not_found_error","message":"stand-in"}}')
        request = json.loads(body)
        Handler.counter += 1
        n = Handler.counter
        steps = sum(1 for m in request.get("messages", []) if m.get("role") == "assistant")
        if request.get("tools") and steps < CALLS:
            return self.reply(200, "text/event-stream", sse(f"msg_bench_{n:05}", f"toolu_bench_{n:05}", None))
        return self.reply(200, "text/event-stream", sse(f"msg_bench_{n:05}", None, "done" if request.get("tools") else "ok"))

    def do_GET(self):
        self.reply(404, "application/json", b'{"type":"error","error":{"type":"not_found_error","message":"stand-in"}}')


if __name__ == "__main__":
    CALLS = int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()
