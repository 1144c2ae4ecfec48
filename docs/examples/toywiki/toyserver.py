"""The toy platform of the tutorial: a tiny wiki API to write a plugin against.

Run it with ``python toyserver.py`` (http://127.0.0.1:8080, member token ``demo-token``).

Endpoints (all JSON):

- ``GET /api/status`` — anyone: name, version, whether visitors may edit ("yes"/"no"), sign-up
  ("open", "invite" or "closed") and the extensions with their state;
- ``GET /api/me`` — with ``Authorization: Bearer TOKEN``: what the member may do; 401 without;
- ``GET /api/comments/settings`` — the comments module's settings; 404 when it is switched off.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATUS = {
    "name": "Toy Wiki",
    "version": "2.1.0",
    "anonymous_edit": "no",
    "signup": "invite",
    "extensions": [
        {"id": "gallery", "enabled": True},
        {"id": "polls", "enabled": True},
        {"id": "legacy-import", "enabled": False},
    ],
}
ME = {"user": "ada", "permissions": {"edit": True, "create": True, "upload": False}}
COMMENTS = {"enabled": True, "threads": True, "reactions": ["like", "thanks"]}


def make_server(port: int = 8080, *, token: str = "demo-token", comments: bool = True,
                host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for the toy API (port 0: any free port; see ``server.server_address``)."""

    class Handler(BaseHTTPRequestHandler):
        def send(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            if path == "/api/status":
                self.send(200, STATUS)
            elif path == "/api/me":
                if self.headers.get("Authorization") == f"Bearer {token}":
                    self.send(200, ME)
                else:
                    self.send(401, {"error": "log in first"})
            elif path == "/api/comments/settings" and comments:
                self.send(200, COMMENTS)
            else:
                self.send(404, {"error": "not found"})

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


def serve_in_thread(**kw: object) -> tuple[ThreadingHTTPServer, str]:
    """Start a toy server on a free port in a daemon thread: (server, base URL)."""
    server = make_server(0, **kw)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default="demo-token", help="the member token /api/me accepts")
    parser.add_argument("--no-comments", dest="comments", action="store_false",
                        help="switch the comments module off (its settings answer 404)")
    args = parser.parse_args()
    print(f"Toy Wiki on http://127.0.0.1:{args.port} (member token: {args.token})")
    make_server(args.port, token=args.token, comments=args.comments).serve_forever()
