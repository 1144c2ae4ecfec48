"""Keep credentials out of everything zahnrad writes.

Secrets are the values of the environment variables a strategy names, plus whatever a server
hands back as a token or session. URLs lose user info and credential-like query parameters;
headers lose Authorization, cookies and API-key headers; bodies lose known secret values in plain,
URL-encoded and base64 forms, and token-like JSON fields.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

MASK = "REDACTED"
SECRET_PARAMS = re.compile(
    r"(token|secret|password|passwd|pass|pwd|key|apikey|api_key|auth|session|sig|signature|"
    r"credential|code|ticket|lgpassword|lgtoken|logintoken|jwt|bearer)", re.I)
SECRET_HEADERS = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|"
    r"x-user-id|x-access-token|x-csrf-token|x-requested-with-token|private-token|x-.*-token|"
    r"x-.*-key|x-.*-secret)$", re.I)
SECRET_JSON_KEYS = re.compile(
    r"(token|secret|password|session|csrf|cookie|authorization|api_?key|refresh)", re.I)


def redact_url(url: str) -> str:
    """Remove user info and credential-like query parameters from a URL."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    query = [(k, MASK if SECRET_PARAMS.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="|:,*"), ""))


def is_secret_header(name: str) -> bool:
    return bool(SECRET_HEADERS.match(name))


def redact_headers(headers: dict[str, str] | Any) -> dict[str, str]:
    return {k: (MASK if is_secret_header(k) else v) for k, v in dict(headers).items()}


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as it may appear on the wire: plain, URL-encoded, base64 (alone or as user:pw),
    JSON- and XML-escaped."""
    out: set[str] = set()
    vals = [s for s in secrets if s and len(s) >= 4]
    for s in vals:
        out.update({s, quote(s, safe=""), quote_plus(s), base64.b64encode(s.encode()).decode().rstrip("=")})
        # Inside request bodies: JSON strings (json= escapes quotes and non-ASCII) and XML text
        # (XML-RPC escapes & < >).
        out.update({json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1],
                    html.escape(s, quote=False), html.escape(s)})
    for a in vals:
        for b in vals:
            if a != b:
                out.add(base64.b64encode(f"{a}:{b}".encode()).decode().rstrip("="))
    return sorted(out, key=len, reverse=True)


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    for form in secret_forms(secrets):
        text = text.replace(form, MASK)
    return text


def _looks_secret(value: Any) -> bool:
    """Token-like: a long string without spaces (not a flag such as "true" or a short id)."""
    return isinstance(value, str) and len(value) >= 12 and " " not in value


def scrub_json(value: Any) -> Any:
    """Replace token-like values of token-like keys anywhere in a JSON document."""
    if isinstance(value, dict):
        return {k: (MASK if SECRET_JSON_KEYS.search(k) and _looks_secret(v) else scrub_json(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v) for v in value]
    return value
