#!/usr/bin/python3
# Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
"""A tiny upstream API for the nginx example: it answers every request with
200 and the body `upstream ok: METHOD PATH` (the path with its query), and
`user: VALUE` on a second line when the request has an X-User header, so a
test can tell that a request got through nginx and stepup.

    /usr/bin/python3 upstream.py [--listen 127.0.0.1:0]

On start it prints one line, `upstream listening on HOST:PORT`, to stdout.
Only the Python standard library; SIGTERM and SIGINT end it with status 0.
"""
import argparse
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 so that nginx can keep connections to the upstream alive.
    protocol_version = "HTTP/1.1"
    server_version = "stepup-example-upstream"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle holds
    # the body until nginx's delayed ACK, some 40 ms per request.
    disable_nagle_algorithm = True

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(min(length, 1 << 20))
        body = f"upstream ok: {self.command} {self.path}\n"
        if self.headers.get("X-User") is not None:  # set by nginx from the token (the module's example)
            body += f"user: {self.headers.get('X-User')}\n"
        body = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # nginx keeps the access log


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections under load.
    request_queue_size = 256


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (port 0: any free port)")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    server = Server((host, int(port)), Handler)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"upstream listening on {server.server_address[0]}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
