"""What a plugin's probe works with: :class:`ProbeContext`.

A probe asks the platform what it allows and reports facts through the context:
``observe`` (read from a response, with evidence), ``declare`` (from documentation) or ``unknown``
(with the reason). Requests go through ``ctx.request``/``ctx.get_json`` so that timeouts, retries,
the body cap, the deadline, redirect rules, evidence and recording apply to every plugin alike.
"""

from __future__ import annotations

import base64
import json as jsonlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import requests

from .facts import EXCERPT_LIMIT, Evidence, Fact, now_iso
from .http import ProbeError, RawReply, fetch
from .redact import MASK, redact_url, scrub_text

if TYPE_CHECKING:
    from .platforms import Platform
    from .strategy import Vendor

__all__ = ["AuthFailed", "ProbeContext", "ProbeError", "Refused", "Reply"]


class AuthFailed(ProbeError):
    """The vendor rejected the credentials: nothing more can be learned, the probe stops.

    Raised by a plugin; ``ctx.establishing`` lets it through (other ProbeErrors only make that
    block's facts unknown), so the runner marks the vendor as failed with this reason.
    """


class Refused(ProbeError):
    """The vendor answered that this account may not see this (an HTTP 403, or a 404 from a
    release without the endpoint): an answer, not a failure.

    ``ctx.establishing`` makes the block's facts unknown with the reason, as for any ProbeError,
    but does not count it as a failed request: the vendor's probing stays complete.
    """

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass
class Reply:
    """A response as plugins see it, with credential-free URL and helpers for evidence."""

    method: str
    url: str  # redacted
    status: int
    headers: dict[str, str]
    body: bytes
    time: str
    elapsed_ms: int
    secrets: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON; an HTML login page or garbage gives a ProbeError with a clear reason."""
        try:
            return jsonlib.loads(self.body)
        except ValueError:
            # the start of an error page may echo what was sent (a token): scrub before quoting
            start = scrub_text(self.text.lstrip()[:200], self.secrets)[:40].replace("\n", " ")
            kind = "an HTML page" if start.lower().startswith(("<!doctype", "<html")) else "not JSON"
            raise ProbeError(f"HTTP {self.status} from {self.short_url} was {kind} "
                             f"(starts {start[:20]!r})") from None

    @property
    def short_url(self) -> str:
        return self.url.split("?")[0]

    def excerpt(self, value: Any = None) -> str:
        """A short, secret-free excerpt: the given value as JSON, or the start of the body."""
        if value is None:
            text = self.text
        else:
            text = jsonlib.dumps(value, ensure_ascii=False, separators=(",", ":"))
        text = scrub_text(text, self.secrets)
        return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"

    def evidence(self, path: str, value: Any = None) -> Evidence:
        return Evidence(url=self.url, method=self.method, status=self.status, time=self.time,
                        elapsed_ms=self.elapsed_ms, path=path, excerpt=self.excerpt(value))


class ProbeContext:
    """Everything a probe needs for one vendor: its URL, credentials, HTTP and fact reporting."""

    def __init__(
        self,
        vendor: Vendor,
        platform: Platform,
        session: requests.Session,
        *,
        deadline_at: float,
        validate: Callable[[str, Any], str | None],
        on_exchange: Callable[[RawReply, str], None] | None = None,
        replay: bool = False,
        environ: dict[str, str] | None = None,
    ):
        import os

        self.vendor = vendor
        self.platform = platform
        self.session = session
        self.base_url = (vendor.url or platform.default_url or "").rstrip("/")
        self.options = vendor.options
        self.deadline_at = deadline_at
        self.replay = replay
        self.facts: dict[str, Fact] = {}
        self.problems: list[str] = []
        self.errors: list[str] = []  # requests that failed: the vendor's probing is incomplete
        self.closed = False
        self.last_url: str | None = None  # of the latest reply, for reasons
        self._validate = validate
        self._on_exchange = on_exchange
        self._lock = threading.Lock()
        env = os.environ if environ is None else environ
        self._secrets: dict[str, str] = {}
        for key, var in vendor.credentials.items():
            val = env.get(var)
            if replay:
                # Replays take the same path as the recorded run, with the masked values the
                # recording holds (a real value from the environment would never match it).
                self._secrets[key] = MASK
            elif val:
                self._secrets[key] = val

    # -- credentials -------------------------------------------------------------------------
    def credential(self, key: str) -> str | None:
        """The value of a credential the strategy names (None when not configured or not set)."""
        return self._secrets.get(key)

    def has_credentials(self, *keys: str) -> bool:
        return all(self._secrets.get(k) for k in keys)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(v for v in self._secrets.values() if v and v != MASK)

    def add_secret(self, value: str) -> None:
        """Register a value obtained during the probe (a session token) so it is scrubbed too."""
        if value:
            self._secrets[f"_obtained{len(self._secrets)}"] = value

    @staticmethod
    def basic_auth(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    # -- HTTP --------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] | None = (200,),
        max_body: int | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Send a request; statuses outside ``ok`` raise ProbeError("HTTP 403 from …").

        ``timeout`` shortens the vendor's read timeout for this one request (never lengthens it),
        for checks where waiting is itself the answer.
        """
        if self.closed:
            raise ProbeError("vendor deadline reached")
        kw = {"max_body": max_body} if max_body else {}
        try:
            raw = fetch(self.session, method, self.url(path), home=self.base_url or self.url(path),
                        deadline_at=self.deadline_at,
                        timeout=min(timeout, self.vendor.timeout) if timeout else self.vendor.timeout,
                        params=params, json=json, data=data, headers=headers, **kw)
        except ProbeError as exc:
            if self._on_exchange is not None:
                req = requests.Request(method, self.url(path), params=params, json=json,
                                       data=data).prepare()
                body = req.body.encode() if isinstance(req.body, str) else req.body
                self._on_exchange(RawReply(method=method, url=req.url or "", status=0, headers={},
                                           body=b"", elapsed_ms=0, request_body=body,
                                           failure=str(exc)), self.base_url)
            raise
        recorded_at = raw.headers.pop("X-Zahnrad-Recorded-At", None)
        if self._on_exchange is not None:
            self._on_exchange(raw, self.base_url)
        # scrub_text too: a server may put a credential under an innocent query name
        # (a redirect to ?next=<token>), which redact_url cannot know by the name.
        reply = Reply(method=raw.method, url=scrub_text(redact_url(raw.url), self.secrets),
                      status=raw.status,
                      headers=raw.headers, body=raw.body, time=recorded_at or now_iso(),
                      elapsed_ms=raw.elapsed_ms, secrets=self.secrets)
        self.last_url = reply.short_url
        if ok is not None and raw.status not in ok:
            raise ProbeError(f"HTTP {raw.status} from {reply.short_url}" + _hint(raw.status))
        return reply

    def get_json(self, path: str, **kw: Any) -> tuple[Reply, Any]:
        """GET a JSON document: (reply, parsed body)."""
        reply = self.request("GET", path, **kw)
        return reply, reply.json()

    # -- facts -------------------------------------------------------------------------------
    def _set(self, fact: Fact) -> None:
        with self._lock:
            if self.closed:
                return
            problem = self._validate(fact.fact, fact.value) if fact.source != "unknown" else None
            if problem is None and fact.source == "unknown" and fact.fact not in self.platform.all_facts():
                problem = self._validate(fact.fact, None)
            if problem:
                self.problems.append(f"plugin {self.platform.plugin or self.platform.name}: {problem}")
                return
            self.facts[fact.fact] = fact

    def observe(self, fact: str, value: Any, reply: Reply, path: str, excerpt: Any = None) -> None:
        """Report a fact read from ``reply`` at ``path`` (a JSON path or field description).

        A credential value inside a string value (a server echoing the user name into a
        version or title) is replaced by REDACTED, as in excerpts: facts never carry one."""
        if isinstance(value, str):
            value = scrub_text(value, self.secrets)
        elif isinstance(value, list):
            value = [scrub_text(v, self.secrets) if isinstance(v, str) else v for v in value]
        self._set(Fact(fact, value, "observed", reply.evidence(path, excerpt)))

    def declare(self, fact: str, value: Any, url: str, note: str = "") -> None:
        """Report a fact the vendor's documentation states (never from the live API)."""
        self._set(Fact(fact, value, "declared", Evidence(url=url, note=note or None)))

    def unknown(self, fact: str, reason: str) -> None:
        """Say a fact could not be established, and why; never overwrites a known fact."""
        if fact in self.facts and self.facts[fact].source != "unknown":
            return
        self._set(Fact(fact, None, "unknown", reason=reason))

    def is_set(self, fact: str) -> bool:
        return fact in self.facts and self.facts[fact].source != "unknown"

    @contextmanager
    def establishing(self, *facts: str) -> Iterator[None]:
        """Run a block of probing; a ProbeError makes the listed facts unknown with its reason.

        :class:`AuthFailed` is not caught: rejected credentials end the vendor's probe. A
        :class:`Refused` is an answer, so it does not make the probing incomplete.
        """
        try:
            yield
        except AuthFailed:
            raise
        except ProbeError as exc:
            if not isinstance(exc, Refused):
                self.errors.append(str(exc))
            for f in facts:
                if not self.is_set(f):
                    self.unknown(f, str(exc))


def _hint(status: int) -> str:
    return {
        401: " (not authenticated: credentials missing or rejected)",
        403: " (forbidden: the account lacks a permission)",
        404: " (not found)",
        429: " (rate limited)",
    }.get(status, " (server error)" if status >= 500 else "")
