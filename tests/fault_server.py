"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, one behaviour per URL path.

Each behaviour is a function of the request handler; `sequence` gives the n-th request of a path
the n-th behaviour (the last one repeats). Every wait is bounded, so the server always ends.
"""

import gzip
import http.server
import threading
import time
from collections import Counter
from collections.abc import Callable

Behaviour = Callable[[http.server.BaseHTTPRequestHandler], None]

LONGEST_WAIT_S = 5.0  # a hanging or dripping answer gives up after this, whatever the client does


def serve(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Behaviour:
    def behave(handler):
        handler.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return behave


def status(code: int, headers: dict[str, str] | None = None) -> Behaviour:
    return serve(f"status {code}\n".encode(), code, headers)


def sequence(*behaviours: Behaviour) -> list[Behaviour]:
    return list(behaviours)


def hang(handler) -> None:
    """Accept the request and never answer (until LONGEST_WAIT_S)."""
    time.sleep(LONGEST_WAIT_S)


def drip(body: bytes, interval_s: float = 0.05) -> Behaviour:
    """A complete, correct answer sent one byte at a time."""

    def behave(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        give_up = time.monotonic() + LONGEST_WAIT_S
        for index in range(len(body)):
            if time.monotonic() > give_up:
                return
            try:
                handler.wfile.write(body[index:index + 1])
                handler.wfile.flush()
            except OSError:  # the client gave up
                return
            time.sleep(interval_s)

    return behave


def redirect_to_self(handler) -> None:
    redirect_to(handler.path)(handler)


def redirect_to(location: str) -> Behaviour:
    def behave(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return behave


def bad_gzip(body: bytes) -> Behaviour:
    """Says gzip, sends something else after a valid gzip header."""
    broken = gzip.compress(body)[:10] + b"this is not deflate data" * 4
    return serve(broken, headers={"Content-Encoding": "gzip"})


def short_body(body: bytes, sent: int) -> Behaviour:
    """Promises the whole body, sends `sent` bytes and closes the connection."""

    def behave(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[:sent])
        handler.wfile.flush()
        handler.close_connection = True

    return behave


def oversized_stream(chunk: bytes, total: int) -> Behaviour:
    """A body without Content-Length that just keeps coming (closed by the connection's end)."""

    def behave(handler):
        handler.send_response(200)
        handler.end_headers()
        sent = 0
        try:
            while sent < total:
                handler.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            return
        handler.close_connection = True

    return behave


def drop_connection(handler) -> None:
    """Close the connection without any answer."""
    handler.close_connection = True


class FaultServer:
    """Serves `plan[path]` (a behaviour or a sequence of them); any other path is a 404."""

    def __init__(self, host: str = "127.0.0.1"):
        self.plan: dict[str, Behaviour | list[Behaviour]] = {}
        self.requests: Counter[str] = Counter()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, Content-Length honoured, like GitHub

            def do_GET(self):
                server.requests[self.path] += 1
                planned = server.plan.get(self.path)
                if planned is None:
                    status(404)(self)
                    return
                if isinstance(planned, list):
                    planned = planned[min(server.requests[self.path], len(planned)) - 1]
                planned(self)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        # A short poll: shutdown() waits for the loop to notice (0.5 s by default).
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
