"""A platform server that misbehaves on purpose, on 127.0.0.1 and a free port.

Routes are plain functions ``handler(req) -> None`` registered per server; they write whatever
they like to the socket (status, headers, partial bodies, nothing at all). Every request is
logged with its headers so tests can check what reached the server (e.g. that no credential
followed a redirect).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _dispatch(self) -> None:
        server: FaultServer = self.server.fault  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        server.log.append({"method": self.command, "path": self.path, "headers": dict(self.headers)})
        route = server.routes.get(path)
        if route is None:
            self.send_json({"error": "no such route"}, status=404)
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_HEAD = _dispatch

    # helpers for routes
    def send_json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_body(body, status, "application/json", headers)

    def send_body(self, body: bytes, status: int = 200, ctype: str = "text/plain",
                  headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class FaultServer:
    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Handler], None]] = {}
        self.log: list[dict[str, Any]] = []
        self.counters: dict[str, int] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.fault = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str) -> Callable[[Callable[[Handler], None]], Callable[[Handler], None]]:
        def deco(fn: Callable[[Handler], None]) -> Callable[[Handler], None]:
            self.routes[path] = fn
            return fn

        return deco

    def count(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


STATUS = {"version": "1.0", "anonymous_edit": True, "signup": False}


def slow(seconds: float) -> Callable[[Handler], None]:
    def handler(req: Handler) -> None:
        time.sleep(seconds)
        req.send_json(STATUS)

    return handler
