"""Declarative probe packs: a platform probe written as data (TOML), not code.

A pack names its platform, the requests to send to the vendor's own base URL and, for each fact,
which answer it reads, a JMESPath expression (https://jmespath.org) into that JSON, the expected
type and what an HTTP status means. Nothing in a pack runs as code: requests go through
``ctx.request`` (so timeouts, the body cap, the deadline, redirect rules, evidence, recording and
replay apply as for any plugin) and values are only read, compared and mapped.

Why data and not code: a vendor (or a colleague without Python) can write and review a probe in
one file, a schema checks it before anything runs, and a pack can never do more than read its own
platform's API — the lesson of nuclei templates and Wappalyzer fingerprints.

A short example (the full format is in ``docs/writing-plugins.md``)::

    format = "zahnrad-pack/1"

    [platform]
    name = "toywiki"
    display_name = "Toy Wiki"
    kind = "wiki"
    version = "1.0.0"

    [credentials]
    token = "a member's API token"

    [request.info]
    path = "api/info"

    [request.me]
    path = "api/me"
    auth = { headers = { Authorization = "Bearer {token}" } }
    on_status = { 401 = "unknown: the token was not accepted" }

    [[fact]]
    name = "edit.anonymous"
    request = "info"
    path = "permissions.anonymous_edit"
    type = "bool"
    equals = "yes"

Loading (:func:`load_pack`) validates the file against ``schemas/pack.schema.json`` and then
checks what a schema cannot: facts against the catalog and their types, request ids, credential
placeholders, paths that stay below the base URL, and JMESPath syntax. Every problem is an
:class:`~zahnrad.errors.InputError` naming the pack file and the field path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .errors import InputError, describe_type
from .platforms import Declared, Platform

PACK_FORMAT = "zahnrad-pack/1"
STATUS_ACTIONS = ("absent", "read", "unknown")
ABSENT_BY_TYPE: dict[str, Any] = {"bool": False, "list": [], "int": 0, "number": 0}
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_UNSET = object()


# -- the parsed pack -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PackRequest:
    """One request of a pack; sent at most once per probe, in the pack's order."""

    id: str
    method: str
    path: str
    query: dict[str, Any]
    headers: dict[str, str]
    json: Any
    auth_headers: dict[str, str]
    basic: tuple[str, str] | None
    needs: tuple[str, ...]  # credential keys that must be set for the request to be sent
    on_status: dict[int, str]
    error: Any = None  # compiled JMESPath: the platform's own error message in an answer


@dataclass(frozen=True)
class PackFact:
    """How one fact is read: from which request(s), by which expression, mapped how."""

    name: str
    requests: tuple[str, ...]
    path: str
    expression: Any  # a compiled jmespath expression
    type: str
    equals: Any = _UNSET
    map: dict[str, Any] | None = None
    if_missing: Any = _UNSET
    absent: Any = _UNSET
    on_status: dict[int, str] = field(default_factory=dict)


@dataclass
class Pack:
    path: Path
    platform: dict[str, Any]
    credentials: dict[str, str]
    declared: tuple[Declared, ...]
    requests: dict[str, PackRequest]
    facts: tuple[PackFact, ...]


# -- loading -------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def pack_schema() -> dict[str, Any]:
    """The JSON Schema every pack is validated against (``zahnrad/schemas/pack.schema.json``)."""
    text = resources.files("zahnrad").joinpath("schemas/pack.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _catalog_types() -> dict[str, str]:
    from .catalog import builtin_facts_path, parse_facts
    from .files import load_toml

    path = builtin_facts_path()
    return {n: d.type for n, d in parse_facts(load_toml(path), path).items()}


def load_pack(path: str | Path) -> Platform:
    """Read, validate and compile a pack file into a :class:`Platform` whose probe interprets it."""
    from .files import load_toml

    p = Path(path)
    pack = parse_pack(load_toml(p), p)
    meta = pack.platform
    return Platform(
        name=meta["name"], display_name=meta["display_name"], kind=meta["kind"],
        version=meta["version"], probe=PackProbe(pack),
        facts=tuple(dict.fromkeys(f.name for f in pack.facts)), declared=pack.declared,
        docs_url=meta.get("docs_url"), credentials=dict(pack.credentials),
        needs_url=meta.get("needs_url", True), default_url=meta.get("default_url"),
    )


def parse_pack(raw: dict[str, Any], path: Path) -> Pack:
    """Validate a parsed pack (schema first, then the rules a schema cannot express)."""
    _validate_schema(raw, path)

    def fail(place: str, message: str) -> InputError:
        return InputError(path, place, message)

    meta = raw["platform"]
    name = meta["name"]
    creds: dict[str, str] = dict(raw.get("credentials", {}))
    catalog = _catalog_types()

    def check_fact_name(fact: str, place: str) -> str | None:
        """The catalog type of ``fact`` (None for x- facts); unknown names are an error."""
        if fact.startswith("x-"):
            if not fact.startswith(f"x-{name}."):
                raise fail(place, f"platform-specific facts are named x-{name}.NAME, not {fact!r}")
            return None
        if fact not in catalog:
            raise fail(place, f"{fact!r} is not in the fact catalog (see `zahnrad facts`; "
                              f"platform-specific facts are named x-{name}.NAME)")
        return catalog[fact]

    def check_value(value: Any, ftype: str, place: str) -> None:
        from .catalog import type_ok

        if not type_ok(ftype, value):
            raise fail(place, f"expected {_a(ftype)} value, got {describe_type(value)} {value!r}")

    declared: list[Declared] = []
    for i, d in enumerate(raw.get("declared", [])):
        ctype = check_fact_name(d["fact"], f"declared[{i}].fact")
        if ctype is not None:
            check_value(d["value"], ctype, f"declared[{i}].value")
        declared.append(Declared(d["fact"], d["value"], d["url"], d.get("note", "")))

    requests: dict[str, PackRequest] = {}
    for rid, r in raw.get("request", {}).items():
        requests[rid] = _request(rid, r, creds, fail)

    facts: list[PackFact] = []
    seen: dict[str, int] = {}
    used: set[str] = set()
    for i, f in enumerate(raw.get("fact", [])):
        place = f"fact[{i}]"
        fname = f["name"]
        ctype = check_fact_name(fname, f"{place}.name")
        if ctype is not None and f["type"] != ctype:
            raise fail(f"{place}.type", f"{fname!r} is {_a(ctype)} in the fact catalog, not {_a(f['type'])}")
        if fname in seen:
            raise fail(f"{place}.name", f"{fname!r} is already read by fact[{seen[fname]}] "
                                        "(list several requests in one fact to try them in order)")
        seen[fname] = i
        rids = (f["request"],) if isinstance(f["request"], str) else tuple(f["request"])
        for j, rid in enumerate(rids):
            if rid not in requests:
                where = f"{place}.request" if isinstance(f["request"], str) else f"{place}.request[{j}]"
                raise fail(where, f"no request {rid!r} in this pack (requests: "
                                  f"{', '.join(requests) or 'none'})")
        used.update(rids)
        facts.append(_fact(f, place, rids, requests, check_value, fail))
    for rid in requests:
        if rid not in used:
            raise fail(f"request.{rid}", "not read by any fact (remove it, or add a [[fact]] that reads it)")
    if not facts and not declared:
        raise fail("fact", "the pack reports nothing: add [[fact]] entries (or [[declared]] facts)")
    return Pack(path=path, platform=dict(meta), credentials=creds, declared=tuple(declared),
                requests=requests, facts=tuple(facts))


def _request(rid: str, r: dict[str, Any], creds: dict[str, str], fail: Any) -> PackRequest:
    place = f"request.{rid}"
    _check_path(r["path"], f"{place}.path", fail)
    auth = r.get("auth", {})
    auth_headers: dict[str, str] = {}
    needs: list[str] = []
    for h, template in auth.get("headers", {}).items():
        hp = f"{place}.auth.headers.{h}"
        if "\r" in template or "\n" in template:
            raise fail(hp, "a header value cannot contain line breaks")
        rest = _PLACEHOLDER.sub("", template)
        if "{" in rest or "}" in rest:
            raise fail(hp, "placeholders are {credential_key} (lower-case letters, digits, _)")
        keys = _PLACEHOLDER.findall(template)
        if not keys:
            raise fail(hp, "no {credential} placeholder: plain headers go in headers, not auth")
        _declared(keys, creds, hp, fail)
        needs.extend(keys)
        auth_headers[h] = template
    basic = None
    if "basic" in auth:
        basic = (auth["basic"][0], auth["basic"][1])
        _declared(basic, creds, f"{place}.auth.basic", fail)
        needs.extend(basic)
    when = r.get("when", [])
    when = [when] if isinstance(when, str) else list(when)
    _declared(when, creds, f"{place}.when", fail)
    needs.extend(when)
    error = _compile(r["error"], f"{place}.error", fail) if "error" in r else None
    return PackRequest(
        id=rid, method=r.get("method", "GET"), path=r["path"], query=dict(r.get("query", {})),
        headers=dict(r.get("headers", {})), json=r.get("json", _UNSET), auth_headers=auth_headers,
        basic=basic, needs=tuple(dict.fromkeys(needs)),
        on_status={int(k): v for k, v in r.get("on_status", {}).items()}, error=error,
    )


def _compile(path: str, place: str, fail: Any) -> Any:
    """A compiled JMESPath expression, or an InputError naming the place and the problem."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(path)
    except JMESPathError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        first = first.removesuffix(", for expression:").removesuffix(":")
        raise fail(place, f"{path!r} is not a valid JMESPath expression: {first}") from None


def _declared(keys: Any, creds: dict[str, str], place: str, fail: Any) -> None:
    for key in keys:
        if key not in creds:
            raise fail(place, f"uses credential {key!r}, which [credentials] does not declare "
                              f"(declared: {', '.join(creds) or 'none'})")


def _fact(f: dict[str, Any], place: str, rids: tuple[str, ...], requests: dict[str, PackRequest],
          check_value: Any, fail: Any) -> PackFact:
    expression = _compile(f["path"], f"{place}.path", fail)
    ftype = f["type"]
    if "equals" in f and ftype != "bool":
        raise fail(f"{place}.equals", f"equals makes a bool fact; this fact is {_a(ftype)} (use map)")
    mapping = None
    if "map" in f:
        mapping = dict(f["map"])
        for k, v in mapping.items():
            check_value(v, ftype, f"{place}.map.{k}")
    for key in ("if_missing", "absent"):
        if key in f:
            check_value(f[key], ftype, f"{place}.{key}")
    on_status = {int(k): v for k, v in f.get("on_status", {}).items()}
    if "absent" not in f and ftype not in ABSENT_BY_TYPE:
        for rid in rids:
            merged = {**requests[rid].on_status, **on_status}
            absent = sorted(s for s, a in merged.items() if a == "absent")
            if absent:
                raise fail(place, f"HTTP {absent[0]} means absent (request {rid!r}), but {_a(ftype)} "
                                  "fact has no natural absent value: give absent = ...")
    return PackFact(
        name=f["name"], requests=rids, path=f["path"], expression=expression, type=ftype,
        equals=f.get("equals", _UNSET), map=mapping, if_missing=f.get("if_missing", _UNSET),
        absent=f.get("absent", _UNSET), on_status=on_status,
    )


def _check_path(path: str, place: str, fail: Any) -> None:
    """Refuse anything that could leave the vendor's base URL: schemes, //host, .., backslashes."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
        raise fail(place, f"{path!r} is an absolute URL; a pack only sends requests to the vendor's "
                          "base URL, so give a path relative to it (e.g. \"api/v4/system/ping\")")
    if path.startswith("//"):
        raise fail(place, f"{path!r} would name another host; give a path relative to the base URL")
    if "\\" in path or re.search(r"[\s\x00-\x1f]", path):
        raise fail(place, f"{path!r} contains a backslash, a space or a control character")
    if "?" in path or "#" in path:
        raise fail(place, "put query parameters in query = { ... }, not in the path")
    decoded = path
    for _ in range(3):
        decoded = unquote(decoded)
    if any(seg in ("..", ".") for seg in decoded.split("/")):
        raise fail(place, f"{path!r} contains a . or .. segment; paths stay below the vendor's base URL")


def _place(parts: Any) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def _validate_schema(raw: dict[str, Any], path: Path) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(pack_schema())
    errors = list(validator.iter_errors(raw))
    if not errors:
        return
    # The most specific problem first (deepest place), in document order among equals.
    err = max(errors, key=lambda e: (len(e.absolute_path), e.validator == "additionalProperties"))
    place = _place(err.absolute_path)
    inst = err.instance
    v = err.validator
    schema = err.schema if isinstance(err.schema, dict) else {}
    if "propertyNames" in err.schema_path:
        place = f"{place}.{inst}" if place else str(inst)
        message = schema.get("errorMessage") or err.message
    elif v == "additionalProperties" and isinstance(inst, dict):
        known = sorted(schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in schema.get("properties", {}))
        place = f"{place}.{extra[0]}" if place else extra[0]
        message = f"unknown key (known: {', '.join(known)})"
    elif v == "required" and isinstance(inst, dict):
        missing = [k for k in err.validator_value if k not in inst][0]
        place = f"{place}.{missing}" if place else missing
        message = "missing"
    elif v == "not":
        message = "give either equals or map, not both"
    elif schema.get("errorMessage"):
        message = f"{schema['errorMessage']} (got {describe_type(inst)} {json.dumps(inst)[:60]})"
    elif v == "enum":
        message = f"{inst!r} is not one of: {', '.join(map(str, err.validator_value))}"
    elif v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        message = f"expected {' or '.join(want)}, got {describe_type(inst)}"
    else:
        message = err.message
    if isinstance(raw.get("fact"), list) and place.startswith("fact["):
        idx = int(place[5:place.index("]")])
        entry = raw["fact"][idx] if idx < len(raw["fact"]) else None
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            message += f" (fact {entry['name']})"
    raise InputError(path, place or None, message)


# -- running -------------------------------------------------------------------------------------
@dataclass
class _Outcome:
    """What a request gave: a reply to read, or the reason it could not be read."""

    reply: Any = None
    data: Any = _UNSET
    reason: str | None = None
    parse_error: str | None = None


class PackProbe:
    """The probe of a pack-defined platform: sends the pack's requests and reads its facts."""

    def __init__(self, pack: Pack):
        self.pack = pack

    def __repr__(self) -> str:
        return f"PackProbe({str(self.pack.path)!r})"

    def __call__(self, ctx: Any) -> dict[str, Any]:
        """Send the requests, report the facts; return the replies by request id.

        The replies (None for a request that was not sent or got no answer) let a Python plugin
        that builds on a pack read what the pack cannot express — combining two answers, say —
        without asking the platform again. The runner ignores the return value.
        """
        from .http import ProbeError

        needed = {rid for f in self.pack.facts for rid in f.requests}
        outcomes: dict[str, _Outcome] = {}
        for rid, req in self.pack.requests.items():
            if rid not in needed:
                continue
            missing = [k for k in req.needs if not ctx.credential(k)]
            if missing:
                outcomes[rid] = _Outcome(reason=_missing_reason(ctx, missing))
                continue
            try:
                outcomes[rid] = _Outcome(reply=self._send(ctx, req))
            except ProbeError as exc:
                ctx.errors.append(str(exc))
                outcomes[rid] = _Outcome(reason=str(exc))
        for fact in self.pack.facts:
            reasons: list[str] = []
            for rid in fact.requests:
                reason = self._read(ctx, fact, self.pack.requests[rid], outcomes[rid])
                if reason is None:
                    break
                reasons.append(reason)
            else:
                ctx.unknown(fact.name, "; ".join(dict.fromkeys(reasons)))
        return {rid: out.reply for rid, out in outcomes.items()}

    def _send(self, ctx: Any, req: PackRequest) -> Any:
        from .http import ProbeError

        target = ctx.url(req.path)
        if not target.startswith(ctx.base_url.rstrip("/") + "/"):
            raise ProbeError(f"request {req.id} would leave the vendor's base URL (refused)")
        headers = dict(req.headers)
        for h, template in req.auth_headers.items():
            headers[h] = _PLACEHOLDER.sub(lambda m: ctx.credential(m.group(1)) or "", template)
        if req.basic is not None:
            headers["Authorization"] = ctx.basic_auth(ctx.credential(req.basic[0]) or "",
                                                      ctx.credential(req.basic[1]) or "")
        kw: dict[str, Any] = {"headers": headers or None, "ok": None}
        if req.query:
            kw["params"] = {k: _query_value(v) for k, v in req.query.items()}
        if req.json is not _UNSET:
            kw["json"] = req.json
        return ctx.request(req.method, req.path, **kw)

    def _read(self, ctx: Any, fact: PackFact, req: PackRequest, out: _Outcome) -> str | None:
        """Set ``fact`` from one request's outcome; returns why it could not (None: it was set)."""
        from .http import ProbeError
        from .probe import _hint

        if out.reply is None:
            return out.reason or "request not sent"
        reply = out.reply
        status = reply.status
        action = fact.on_status.get(status, req.on_status.get(status))
        if action is None:
            action = "read" if 200 <= status < 300 else "error"
        if action == "absent":
            value = fact.absent if fact.absent is not _UNSET else ABSENT_BY_TYPE[fact.type]
            ctx.observe(fact.name, _copy(value), reply, f"HTTP {status}")
            return None
        if action.startswith("unknown"):
            why = action.partition(":")[2].strip()
            status_text = f"HTTP {status} from {reply.short_url}"
            if why:
                return f"{why} ({status_text})"
            said = _error_message(req, out, ctx.secrets)
            return status_text + (f': "{said}"' if said else _hint(status))
        if action == "error":
            said = _error_message(req, out, ctx.secrets)
            reason = f"HTTP {status} from {reply.short_url}" + (f': "{said}"' if said else _hint(status))
            if reason not in ctx.errors:
                ctx.errors.append(reason)
            return reason
        if out.data is _UNSET and out.parse_error is None:
            try:
                out.data = reply.json()
            except ProbeError as exc:
                out.parse_error = str(exc)
                ctx.errors.append(str(exc))
        if out.parse_error is not None:
            return out.parse_error
        return self._value(ctx, fact, reply, out.data, _error_message(req, out, ctx.secrets))

    def _value(self, ctx: Any, fact: PackFact, reply: Any, data: Any,
               said: str | None = None) -> str | None:
        from jmespath.exceptions import JMESPathError

        from .catalog import type_ok

        try:
            found = fact.expression.search(data)
        except JMESPathError as exc:
            return f"{fact.path}: {exc} (in the answer of {reply.short_url})"
        if found is None:
            if said:
                # The platform said why the value is not there (a GraphQL "Forbidden", say):
                # that is the reason, and never an absence, whatever if_missing says.
                return f'{fact.path} is not in the answer of {reply.short_url}, which says: "{said}"'
            if fact.if_missing is _UNSET:
                return f"{fact.path} is not in the answer of {reply.short_url}"
            ctx.observe(fact.name, _copy(fact.if_missing), reply, f"{fact.path} (not present)")
            return None
        value = found
        if fact.equals is not _UNSET:
            value = found == fact.equals
        elif fact.map is not None:
            key = found if isinstance(found, str) else json.dumps(found)
            if key in fact.map:
                value = fact.map[key]
            elif "*" in fact.map:
                value = fact.map["*"]
            else:
                return (f"{fact.path} is {json.dumps(found)[:60]}, which the pack does not map "
                        f"(mapped: {', '.join(k for k in fact.map)})")
        if not type_ok(fact.type, value):
            return (f"{fact.path} in the answer of {reply.short_url} is {describe_type(value)} "
                    f"{json.dumps(value)[:60]}, not {_a(fact.type)}")
        ctx.observe(fact.name, _copy(value), reply, fact.path, found)
        return None


def _error_message(req: PackRequest, out: _Outcome, secrets: tuple[str, ...] = ()) -> str | None:
    """The platform's own error message in an answer (the request's ``error`` expression).

    GraphQL servers answer HTTP 200 with ``errors[].message`` next to the fields they refused;
    REST APIs wrap a message in an error envelope. Quoting it turns "not in the answer" into a
    reason a person can act on. Several messages are joined; the text is cut at 200 characters.
    """
    from jmespath.exceptions import JMESPathError

    from .redact import scrub_text

    if req.error is None or out.reply is None:
        return None
    if out.data is _UNSET and out.parse_error is None:
        try:
            out.data = json.loads(out.reply.body)
        except ValueError:
            return None  # not JSON: the caller reports that (or the status) itself
    if out.data is _UNSET:
        return None
    try:
        found = req.error.search(out.data)
    except JMESPathError:
        return None
    items = found if isinstance(found, list) else [found]
    texts = [str(x).strip() for x in items if isinstance(x, (str, int, float)) and str(x).strip()]
    if not texts:
        return None
    # A platform may echo what it was sent ("invalid token abc…"): credentials never reach reasons.
    text = scrub_text("; ".join(dict.fromkeys(texts)), secrets)
    return text if len(text) <= 200 else text[:199] + "…"


def _a(type_name: str) -> str:
    return ("an " if type_name[0] in "aeiou" else "a ") + type_name


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _query_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _missing_reason(ctx: Any, keys: list[str]) -> str:
    parts = []
    for key in keys:
        var = ctx.vendor.credentials.get(key)
        if var is None:
            parts.append(f"needs the {key!r} credential, which the strategy does not give for this vendor")
        else:
            parts.append(f"needs the {key!r} credential: environment variable {var} is not set")
    return "; ".join(parts)
