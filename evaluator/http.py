"""HTTP for probes: one ``requests.Session`` per vendor, with the safety rails built in.

- connect/read timeouts, never longer than what is left of the vendor's deadline;
- retries with backoff on connection errors, 429 and 5xx, honouring ``Retry-After`` (urllib3's
  ``Retry``), with the wait capped so one server cannot hold the run;
- a cap on the size of a response body, read in chunks (never the whole body into memory);
- redirects followed by hand: never from https to http, and credential headers are dropped when a
  redirect leaves the vendor's own origin;
- TLS verification always on; a vendor may name a CA bundle.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import __version__
from .redact import is_secret_header

MAX_BODY = 5 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = (429, 500, 502, 503, 504)


class ProbeError(Exception):
    """A request that did not give a usable answer; the message is the reason shown to people."""


class CappedRetry(Retry):
    """urllib3 ``Retry`` whose waits are capped (a server may ask for hours) and that stops
    retrying at the vendor's deadline: a retry that cannot finish in time only hides the reason
    (the runner would abandon the probe with a bare "deadline reached")."""

    retry_after_cap: float = 5.0
    deadline_at: float | None = None

    def new(self, **kw):  # type: ignore[override]
        r = super().new(**kw)
        r.retry_after_cap = self.retry_after_cap
        r.deadline_at = self.deadline_at
        return r

    def _left(self) -> float:
        return float("inf") if self.deadline_at is None else self.deadline_at - time.monotonic()

    def parse_retry_after(self, retry_after: str) -> float:
        return max(0.0, min(super().parse_retry_after(retry_after), self.retry_after_cap,
                            self._left() - 0.1))

    def get_backoff_time(self) -> float:
        return max(0.0, min(super().get_backoff_time(), self._left() - 0.1))

    def is_exhausted(self) -> bool:
        return super().is_exhausted() or self._left() <= 0.1


def make_session(ca_bundle: str | None = None, *, retries: int = 3, retry_after_cap: float = 5.0,
                 deadline_at: float | None = None) -> requests.Session:
    retry = CappedRetry(
        total=retries, connect=retries, read=1, status=retries, redirect=0,
        backoff_factor=0.25, backoff_max=4.0, status_forcelist=RETRY_STATUSES,
        allowed_methods=None, respect_retry_after_header=True, raise_on_status=False,
    )
    retry.retry_after_cap = retry_after_cap
    retry.deadline_at = deadline_at
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=4)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.verify = ca_bundle or True
    s.headers["User-Agent"] = f"zahnrad/{__version__} (+https://github.com/zahnrad/zahnrad)"
    s.max_redirects = MAX_REDIRECTS
    return s


def origin(url: str) -> tuple[str, str, int | None]:
    p = urlsplit(url)
    port = p.port or {"http": 80, "https": 443}.get(p.scheme)
    return (p.scheme, (p.hostname or "").lower(), port)


@dataclass
class RawReply:
    method: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int
    request_body: bytes | None = None  # of the request the caller made (before any redirect)
    history: list[str] = field(default_factory=list)
    # The request the caller made, when redirects led elsewhere: recordings are keyed by it, so
    # a replay (which serves the final answer directly) finds the exchange.
    request_method: str | None = None
    request_url: str | None = None
    # A request that got no usable answer (timeout, refused, over the cap…): the reason. Recorded
    # too, so a replay fails the same way instead of "not in the recording".
    failure: str | None = None


class RecordedFailure(requests.exceptions.ConnectionError):
    """A replayed request that failed when it was recorded; its text is the recorded reason."""


def _describe(exc: Exception) -> str:
    """A reason a person understands, from requests' nested exceptions."""
    if isinstance(exc, RecordedFailure):
        return str(exc)
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError) or "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS certificate not trusted (name a CA bundle for this vendor with ca_bundle)"
    if "Read timed out" in text or isinstance(exc, requests.exceptions.ReadTimeout):
        return "no answer in time (read timeout)"
    if isinstance(exc, requests.exceptions.ConnectTimeout) or "timed out" in text:
        return "connection timed out"
    if "too many" in text and "error responses" in text:
        status = re.search(r"too many (\d+) error", text)
        return f"server kept failing (HTTP {status.group(1) if status else '5xx'}, retries exhausted)"
    if isinstance(exc, requests.exceptions.RetryError):
        return "server kept failing (retries exhausted)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        if any(s in text for s in ("Name or service not known", "NameResolutionError",
                                   "getaddrinfo", "nodename nor servname", "No address associated")):
            return "host name does not resolve"
        if "Connection refused" in text:
            return "connection refused"
        if "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text:
            return "server closed the connection without answering"
        return "connection failed"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "response could not be decoded (bad compression)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "response was cut off"
    return f"request failed ({type(exc).__name__})"


def fetch(
    session: requests.Session,
    method: str,
    url: str,
    *,
    home: str,
    deadline_at: float,
    timeout: float,
    params: dict | None = None,
    json: object | None = None,
    data: bytes | str | dict | None = None,
    headers: dict[str, str] | None = None,
    max_body: int = MAX_BODY,
) -> RawReply:
    """One logical request, redirects included, within the deadline and the body cap."""
    headers = dict(headers or {})
    home_origin = origin(home)
    history: list[str] = []
    first: tuple[str, str, bytes | None] | None = None
    started = time.monotonic()
    for _hop in range(MAX_REDIRECTS + 1):
        remaining = deadline_at - time.monotonic()
        if remaining <= 0.05:
            raise ProbeError("vendor deadline reached before the request")
        t = max(0.05, min(timeout, remaining))
        try:
            resp = session.request(
                method, url, params=params, json=json, data=data, headers=headers,
                timeout=(min(t, 10.0), t), allow_redirects=False, stream=True,
                # Explicitly: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a
                # session's verify, which would silently drop the vendor's ca_bundle.
                verify=session.verify,
            )
        except requests.exceptions.RequestException as exc:
            reason = _describe(exc)
            if t < timeout and reason in ("no answer in time (read timeout)", "connection timed out"):
                reason = "no answer before the vendor's deadline"  # the deadline cut the wait short
            raise ProbeError(reason) from None
        try:
            if first is None:
                body = resp.request.body
                first = (method, resp.request.url or url, body.encode() if isinstance(body, str) else body)
            if resp.is_redirect and "location" in resp.headers:
                target = urljoin(url, resp.headers["location"])
                history.append(url)
                if urlsplit(url).scheme == "https" and urlsplit(target).scheme != "https":
                    raise ProbeError("redirect from https to http refused")
                if len(history) > MAX_REDIRECTS or target in history:
                    raise ProbeError("redirect loop (too many redirects)")
                if origin(target) != home_origin:
                    # Never carry credentials to another host or port.
                    headers = {k: v for k, v in headers.items() if not is_secret_header(k)}
                    session.cookies.clear()
                if resp.status_code in (301, 302, 303) and method != "HEAD":
                    method, json, data = "GET", None, None
                url, params = target, None
                continue
            body = _read_capped(resp, max_body, deadline_at)
            return RawReply(
                method=method, url=resp.url, status=resp.status_code,
                headers=dict(resp.headers), body=body,
                elapsed_ms=int((time.monotonic() - started) * 1000),
                request_body=first[2] if isinstance(first[2], bytes) else None, history=history,
                request_method=first[0], request_url=first[1],
            )
        finally:
            resp.close()
    raise ProbeError("redirect loop (too many redirects)")


def _read_capped(resp: requests.Response, max_body: int, deadline_at: float) -> bytes:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body:
        raise ProbeError(f"response of {int(declared):,} bytes is over the {max_body:,}-byte cap")
    chunks: list[bytes] = []
    size = 0
    too_slow = "vendor deadline reached while reading the response (too slow)"
    # A body that drips (a byte a second) never trips the read timeout, and a blocking read of
    # a chunk waits for the whole chunk: at the deadline, shut the socket so the read returns.
    watchdog = threading.Timer(max(0.0, deadline_at - time.monotonic()), _shut, (resp,))
    watchdog.daemon = True
    watchdog.start()
    try:
        for chunk in resp.iter_content(chunk_size=16384):
            size += len(chunk)
            if size > max_body:
                raise ProbeError(f"response is over the {max_body:,}-byte cap (cut)")
            if time.monotonic() > deadline_at:
                raise ProbeError(too_slow)
            chunks.append(chunk)
    except requests.exceptions.RequestException as exc:
        raise ProbeError(too_slow if time.monotonic() >= deadline_at else _describe(exc)) from None
    finally:
        watchdog.cancel()
    if time.monotonic() >= deadline_at:  # a body without length ends "cleanly" when shut
        raise ProbeError(too_slow)
    return b"".join(chunks)


def _shut(resp: requests.Response) -> None:
    """Make a blocked read of ``resp`` return (urllib3 2.3+; older versions: the runner's
    deadline still abandons the probe)."""
    shutdown = getattr(resp.raw, "shutdown", None)
    if shutdown is not None:
        try:
            shutdown()
        except (OSError, RuntimeError, ValueError):
            pass
