"""Record and replay probe runs, so anyone can re-score offline.

Recording happens at our own HTTP layer (every exchange of ``ProbeContext.request``): secrets are
removed before anything is written — credential values in any encoding, Authorization, cookie and
API-key headers, token-like JSON fields — and the vendor's base URL is replaced by ``{base}`` so a
recording made against ``http://127.0.0.1:41234`` replays under any vendor URL.

Replay serves the exchanges back through ``responses``: the same plugin code runs, no request
leaves the machine, and a request that is not in the recording fails like a refused connection.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import InputError
from .files import load_json, write_json
from .http import RawReply, RecordedFailure
from .redact import MASK, SECRET_PARAMS, redact_headers, redact_url, scrub_json, scrub_text
from .textsafe import filename

RECORDING_FORMAT = "zahnrad-recording/1"
KEEP_HEADERS = {"content-type", "retry-after", "location", "content-encoding-original"}


def recording_file(directory: Path, vendor: str) -> Path:
    return directory / f"{filename(vendor)}.json"


def _candidates(directory: Path, vendor: str) -> Iterator[Path]:
    """Where a vendor's recording may be: NAME.json, or NAME-2.json … when vendor names collide
    as file names ("Wiki A/B" and "Wiki A-B" are both Wiki-A-B); the file's "vendor" field tells."""
    yield recording_file(directory, vendor)
    for i in range(2, 100):
        yield directory / f"{filename(vendor)}-{i}.json"


def _relocate(text: str, base: str) -> str:
    if not base:
        return text
    b = base.rstrip("/")
    host = urlsplit(b).netloc
    text = text.replace(b, "{base}")
    return text.replace(host, "{host}") if host else text


def _unrelocate(text: str, base: str) -> str:
    b = base.rstrip("/")
    return text.replace("{base}", b).replace("{host}", urlsplit(b).netloc)


def _key(method: str, url: str, body: bytes | None, base: str, secrets: tuple[str, ...]) -> str:
    """The identity of a request: method, relocated URL (sorted query), scrubbed body."""
    # Secrets can sit in the path too (a tenant id in an OAuth token URL), not only in the query.
    url = _relocate(scrub_text(redact_url(url), secrets), base)
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    text = scrub_text(body.decode("utf-8", "replace"), secrets) if body else ""
    if text and text[:1] not in "{[<" and "=" in text:
        # A form body: mask credential-like fields by name, as in URLs.
        # Relocate the decoded values: a URL in a form field is percent-encoded on the wire.
        pairs = parse_qsl(text, keep_blank_values=True)
        text = urlencode(sorted((k, MASK if SECRET_PARAMS.search(k) else _relocate(v, base))
                                for k, v in pairs))
    text = _relocate(text, base)
    text = re.sub(r"\bREDACTED\b", MASK, text)
    return f"{method.upper()} {url} {text}"


class Recorder:
    """Collects the exchanges of every vendor and writes one scrubbed file per vendor."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, Any]] = {}

    def exchange_hook(self, vendor: str, platform: str, secrets_of: Callable[[], tuple[str, ...]],
                      credentials: tuple[str, ...] = ()):
        """A hook recording one vendor's exchanges; ``credentials``: the keys (never values) set."""
        def append(entry: dict[str, Any]) -> None:
            with self._lock:
                rec = self._data.setdefault(vendor, {"format": RECORDING_FORMAT, "vendor": vendor,
                                                     "platform": platform,
                                                     "credentials": list(credentials),
                                                     "exchanges": []})
                rec["exchanges"].append(entry)

        def hook(raw: RawReply, base: str) -> None:
            secrets = secrets_of()
            if raw.failure is not None:
                from .facts import now_iso

                failed = {"key": _key(raw.method, raw.url, raw.request_body, base, secrets),
                          "error": _relocate(scrub_text(raw.failure, secrets), base),
                          "status": 0, "time": now_iso()}
                append(failed)
                return
            body = raw.body
            ctype = raw.headers.get("Content-Type", raw.headers.get("content-type", ""))
            entry: dict[str, Any] = {
                "key": _key(raw.request_method or raw.method, raw.request_url or raw.url,
                            raw.request_body, base, secrets),
                "status": raw.status,
                "headers": {k: v for k, v in redact_headers(raw.headers).items()
                            if k.lower() in KEEP_HEADERS},
            }
            try:
                text = body.decode("utf-8")
                if "json" in ctype or text[:1] in "{[":
                    try:
                        text = json.dumps(scrub_json(json.loads(text)), ensure_ascii=False)
                    except ValueError:
                        pass
                entry["body"] = _relocate(scrub_text(text, secrets), base)
            except UnicodeDecodeError:
                entry["body_b64"] = base64.b64encode(body).decode()
            from .facts import now_iso

            entry["time"] = now_iso()
            append(entry)

        return hook

    def save(self) -> list[Path]:
        paths: list[Path] = []
        for vendor in sorted(self._data):  # sorted: colliding names get the same suffix every time
            p = next(c for c in _candidates(self.directory, vendor) if c not in paths)
            write_json(p, self._data[vendor])
            paths.append(p)
        return paths


_current = threading.local()


def set_current_vendor(name: str | None) -> None:
    """Mark the probing thread's vendor, so replay serves that vendor's exchanges."""
    _current.vendor = name


class Replayer:
    """Serves recorded exchanges for the vendors of a strategy via ``responses``."""

    def __init__(self, directory: Path):
        if not directory.is_dir():
            raise InputError(directory, None, "recording folder not found")
        self.directory = directory
        self._lock = threading.Lock()
        self._queues: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self._bases: dict[str, str] = {}

    def load(self, vendor: str, base: str) -> bool:
        """Load the recording of one vendor; False when there is none.

        Only a file recorded for this very vendor counts (its "vendor" field), never another
        vendor's whose name gives the same file name."""
        for p in _candidates(self.directory, vendor):
            if not p.exists():
                return False
            data = load_json(p)
            if not isinstance(data, dict) or data.get("format") != RECORDING_FORMAT:
                raise InputError(p, "format", f"not a zahnrad recording (expected format {RECORDING_FORMAT!r})")
            if data.get("vendor", vendor) == vendor:
                break
        else:
            return False
        queues: dict[str, list[dict[str, Any]]] = {}
        exchanges = data.get("exchanges", [])
        if not isinstance(exchanges, list):
            raise InputError(p, "exchanges", "expected a list")
        for i, ex in enumerate(exchanges):
            if not isinstance(ex, dict) or "key" not in ex or "status" not in ex:
                raise InputError(p, f"exchanges[{i}]", "expected key and status")
            queues.setdefault(ex["key"], []).append(ex)
        self._queues[vendor] = queues
        self._bases[vendor] = base.rstrip("/")
        return True

    def _callback(self, request) -> tuple[int, dict[str, str], bytes]:
        import requests

        vendor = getattr(_current, "vendor", None)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        if vendor in self._queues:
            base = self._bases[vendor]
            key = _key(request.method, request.url, body, base, ())
            with self._lock:
                q = self._queues[vendor].get(key)
                ex = (q.pop(0) if len(q) > 1 else q[0]) if q else None
            if ex is not None:
                headers = dict(ex.get("headers", {}))
                headers["X-Zahnrad-Recorded-At"] = ex.get("time", "")
                if "error" in ex:  # failed when recorded: fail the same way
                    raise RecordedFailure(_unrelocate(ex["error"], base))
                if "body_b64" in ex:
                    payload = base64.b64decode(ex["body_b64"])
                else:
                    payload = _unrelocate(ex.get("body", ""), base).encode()
                return ex["status"], headers, payload
        raise requests.ConnectionError(f"not in the recording: {request.method} {redact_url(request.url)}")

    @contextmanager
    def active(self) -> Iterator[None]:
        import responses

        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            for method in ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"):
                mock.add_callback(method, re.compile(r".*"), callback=self._callback)
            yield
