#!/usr/bin/env python3
"""A loopback OTLP/HTTP sink for benchmarks: reads each request body, answers 200 with an empty
ExportTraceServiceResponse, counts requests and bytes. Usage: sink.py PORT (binds 127.0.0.1 only)."""
import http.server, sys

class Sink(http.server.BaseHTTPRequestHandler):
    # Keep-alive, like a real collector: HTTP/1.0 would reconnect for every request and measure the sink, not the exporter.
    protocol_version = "HTTP/1.1"
    requests = 0
    bytes = 0
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        Sink.requests += 1
        Sink.bytes += n
        self.send_response(200)
        self.send_header("Content-Type", self.headers.get("Content-Type", "application/x-protobuf"))
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
