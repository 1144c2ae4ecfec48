"""A platform server that misbehaves on purpose, on 127.0.0.1 and a free port.

Routes are plain functions ``handler(req) -> None`` registered per server; they write whatever
they like to the socket (status, headers, partial bodies, nothing at all). Every request is
logged with its headers so tests can check what reached the server (e.g. that no credential
followed a redirect).

The factories below (``hang``, ``drip``, ``stream``, ``gzip_bomb``, ``redirect`` …) build the
misbehaviours of the fault corpus (tests/test_fault_corpus.py). Every one of them is bounded in
time and size and stops when the server stops, so a test that abandons a request never leaves a
handler writing forever. ``FaultServer(tls=...)`` serves HTTPS with a certificate made at test
time by :func:`self_signed_cert`.
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

#: Upper bound for anything a handler does on its own (hanging, dripping, streaming).
HANDLER_LIMIT_S = 30.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, a kept-alive connection waits
    # for the client's delayed ACK (~40 ms per request) -- real servers do not behave like that.
    disable_nagle_algorithm = True

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
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    do_GET = do_POST = do_HEAD = _dispatch

    @property
    def fault(self) -> FaultServer:
        return self.server.fault  # type: ignore[attr-defined]

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

    def send_chunks(self, chunks: Iterator[bytes], status: int = 200, ctype: str = "application/json",
                    headers: dict[str, str] | None = None) -> None:
        """A chunked body from a generator: never held in memory, no Content-Length to refuse."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        for chunk in chunks:
            if self.fault.stopping.is_set():
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        else:
            self.wfile.write(b"0\r\n\r\n")
            return
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections when 20 vendors connect at once, and
    # the kernel's SYN retry then adds a whole second: a benchmark artefact, not the runner's.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-answer are what the corpus is about: no traceback for them."""
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class FaultServer:
    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        self.routes: dict[str, Callable[[Handler], None]] = {}
        self.log: list[dict[str, Any]] = []
        self.counters: dict[str, int] = {}
        self.stopping = threading.Event()
        self._count_lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.fault = self  # type: ignore[attr-defined]
        self.scheme = "http"
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def route(self, path: str) -> Callable[[Callable[[Handler], None]], Callable[[Handler], None]]:
        def deco(fn: Callable[[Handler], None]) -> Callable[[Handler], None]:
            self.routes[path] = fn
            return fn

        return deco

    def count(self, key: str) -> int:
        with self._count_lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]

    def requests_to(self, path: str) -> list[dict[str, Any]]:
        return [e for e in self.log if e["path"].split("?")[0] == path]

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


STATUS = {"version": "1.0", "anonymous_edit": True, "signup": False}


def slow(seconds: float, data: Any = None) -> Callable[[Handler], None]:
    """Answer correctly, after ``seconds``."""
    def handler(req: Handler) -> None:
        if req.fault.stopping.wait(seconds):
            return
        req.send_json(STATUS if data is None else data)

    return handler


def hang() -> Callable[[Handler], None]:
    """Accept the connection, read the request, never answer (until the server stops)."""
    def handler(req: Handler) -> None:
        req.fault.stopping.wait(HANDLER_LIMIT_S)
        req.close_connection = True

    return handler


def drip(body: bytes, interval: float = 1.0, ctype: str = "application/json") -> Callable[[Handler], None]:
    """Headers at once (with the true Content-Length), then the body one byte per ``interval``."""
    def handler(req: Handler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.flush()
        started = time.monotonic()
        for i in range(len(body)):
            req.wfile.write(body[i:i + 1])
            req.wfile.flush()
            if req.fault.stopping.wait(interval) or time.monotonic() - started > HANDLER_LIMIT_S:
                break
        req.close_connection = True

    return handler


def stream(total: int, *, chunked: bool = True, chunk: int = 65536) -> Callable[[Handler], None]:
    """A body of ``total`` bytes generated on the fly (a JSON string of x's), never in memory."""
    def body() -> Iterator[bytes]:
        sent = 0
        yield b'{"version": "'
        piece = b"x" * chunk
        while sent < total:
            n = min(chunk, total - sent)
            sent += n
            yield piece if n == chunk else piece[:n]
        yield b'"}'

    def handler(req: Handler) -> None:
        if chunked:
            req.send_chunks(body())
            return
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(total + 15))
        req.end_headers()
        for c in body():
            if req.fault.stopping.is_set():
                break
            req.wfile.write(c)
        req.close_connection = True

    return handler


def gzip_stream(total: int, *, chunk: int = 1 << 20) -> Iterator[bytes]:
    """``total`` zero bytes gzip-compressed, produced piecewise (about 1 KB per MB)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    zeros = bytes(chunk)
    yield comp.compress(b'{"version": "')
    left = total
    while left > 0:
        n = min(chunk, left)
        left -= n
        out = comp.compress(zeros if n == chunk else zeros[:n])
        if out:
            yield out
    yield comp.compress(b'"}') + comp.flush()


def gzip_bomb(total: int) -> Callable[[Handler], None]:
    """``Content-Encoding: gzip``: a small compressed body that inflates to ``total`` bytes."""
    compressed = b"".join(gzip_stream(total))

    def handler(req: Handler) -> None:
        req.send_body(compressed, ctype="application/json", headers={"Content-Encoding": "gzip"})

    handler.compressed_size = len(compressed)  # type: ignore[attr-defined]
    return handler


def redirect(location: str, status: int = 302) -> Callable[[Handler], None]:
    def handler(req: Handler) -> None:
        req.send_body(b"", status=status, headers={"Location": location})

    return handler


def reply(status: int, body: bytes | str = b"", ctype: str = "application/json",
          headers: dict[str, str] | None = None) -> Callable[[Handler], None]:
    """Always the same answer."""
    data = body.encode() if isinstance(body, str) else body

    def handler(req: Handler) -> None:
        req.send_body(data, status=status, ctype=ctype, headers=headers)

    return handler


def cut_off(body: bytes, declared: int) -> Callable[[Handler], None]:
    """Promise ``declared`` bytes, send ``body``, hang up."""
    def handler(req: Handler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(declared))
        req.end_headers()
        req.wfile.write(body)
        req.wfile.flush()
        req.close_connection = True

    return handler


def failing_then(first: list[Callable[[Handler], None]], then: Callable[[Handler], None],
                 key: str) -> Callable[[Handler], None]:
    """The handlers of ``first`` in turn for the first requests, ``then`` for every later one."""
    def handler(req: Handler) -> None:
        n = req.fault.count(key)
        (first[n - 1] if n <= len(first) else then)(req)

    return handler


def self_signed_cert(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path] | None:
    """A certificate for ``host`` (as IP SAN and CN) and its key, or None if no tool can make one.

    Uses the ``cryptography`` package when installed, else the ``openssl`` command.
    """
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        return _cert_with_cryptography(cert, key, host)
    except ImportError:
        pass
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=IP:{host}", "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True)
    return cert, key


def _cert_with_cryptography(cert: Path, key: Path, host: str) -> tuple[Path, Path]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    k = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    c = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(k.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(hours=1))
         .not_valid_after(now + datetime.timedelta(days=2))
         .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), False)
         .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
         .sign(k, hashes.SHA256()))
    key.write_bytes(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    cert.write_bytes(c.public_bytes(serialization.Encoding.PEM))
    return cert, key
