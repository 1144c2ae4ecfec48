"""The conformance kit: the checks every plugin passes, for pytest and for ``zahnrad plugin check``.

One module, two front ends: the pytest plugin :mod:`zahnrad.testing` (fixtures for plugin
authors' own tests) and the command ``zahnrad plugin check NAME --replay DIR | --url URL``. Both
call :func:`check_platform` and show the same verdicts.

What is checked, and why each matters to the organisation that runs the plugin:

- **listed**: the plugin is installed the way ``zahnrad plugins`` finds it (entry point ``zahnrad``);
- **hooks**: it implements only zahnrad's hooks (a hook that is not in the spec — say one that
  would return a score — is refused by name);
- **catalog**: every fact it names or reports is in the fact catalog with the right type, or is a
  platform-specific ``x-PLATFORM.`` fact;
- **facts-only**: nothing it reports is a score, rating or weight: scoring stays with the
  evaluating organisation;
- **evidence**: every observed fact has complete evidence (request, status, time, what was read)
  and every declared fact names its documentation URL;
- **reasons**: every unknown fact says why;
- **offline** (replay): the replay opens no network connection and asks for nothing that is not in
  the recording;
- **secrets**: the recording (and the facts) contain no credential: neither the values of the
  credential environment variables nor anything shaped like a token.

Credentials for a live check come from the environment, named ``ZAHNRAD_<PLATFORM>_<KEY>``
(``ZAHNRAD_MATTERMOST_TOKEN``); the same variables are scanned for in recordings.
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .recording import Recorder, Replayer

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
SCORE_WORDS = re.compile(r"(^|[._-])(score|scores|scoring|rating|rank|ranking|grade|weight|"
                         r"weights|points|stars|verdict|recommend\w*)($|[._-])", re.I)
TOKEN_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a bearer token", re.compile(r"(?i)\bbearer\s+(?!REDACTED)[A-Za-z0-9._~+/=-]{12,}")),
    ("HTTP basic credentials", re.compile(r"(?i)\bbasic\s+(?!REDACTED)[A-Za-z0-9+/]{16,}={0,2}")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("an AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("an Atlassian API token", re.compile(r"\bATATT[A-Za-z0-9_=-]{20,}")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
REPLAY_BASE = "https://vendor.invalid"


@dataclass
class Check:
    """One verdict: a name, PASS/FAIL/SKIP, a one-line summary and the details behind a FAIL."""

    name: str
    status: str
    summary: str
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != FAIL


@dataclass
class Report:
    """All verdicts for one platform, with the facts of every run (for further assertions)."""

    platform: str
    title: str
    checks: list[Check] = field(default_factory=list)
    runs: dict[str, Any] = field(default_factory=dict)  # vendor name -> VendorFacts

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def text(self) -> str:
        """The readable verdict, one line per check, details indented below failures."""
        from .textsafe import terminal

        width = max((len(c.name) for c in self.checks), default=8)
        lines = [terminal(self.title)]
        for c in self.checks:
            lines.append(f"  {c.status}  {c.name.ljust(width)}  {terminal(c.summary)}")
            for d in c.details[:20]:
                lines.append(f"        {' ' * width}  - {terminal(d)}")
            if len(c.details) > 20:
                lines.append(f"        {' ' * width}  … and {len(c.details) - 20} more")
        failed = self.failed()
        lines.append(f"{len(failed)} of {len(self.checks)} checks failed" if failed
                     else f"all {len(self.checks)} checks passed")
        return "\n".join(lines)

    def assert_ok(self) -> None:
        """For tests: raise AssertionError with the readable verdict unless every check passed."""
        if not self.ok:
            raise AssertionError("zahnrad conformance failed\n" + self.text())


def env_name(platform: str, key: str) -> str:
    """The environment variable a check reads a credential from: ZAHNRAD_<PLATFORM>_<KEY>."""
    return "ZAHNRAD_" + re.sub(r"[^A-Z0-9]+", "_", f"{platform}_{key}".upper())


# -- entry point ---------------------------------------------------------------------------------
def check_platform(
    name: str,
    *,
    replay: str | Path | None = None,
    url: str | None = None,
    record: str | Path | None = None,
    platform: Any = None,
    environ: dict[str, str] | None = None,
    secret_env: tuple[str, ...] = (),
) -> Report:
    """Run every check on platform ``name`` (or the plugin of that name).

    ``replay``: a folder of recordings (those whose ``platform`` is ``name`` are replayed, offline);
    ``url``: probe a live instance instead, with credentials from ``ZAHNRAD_<PLATFORM>_<KEY>``, and
    check what it would record (kept in ``record`` if given). ``platform`` checks a
    :class:`~zahnrad.platforms.Platform` object that need not be installed (tests of the kit).
    ``secret_env`` names further environment variables whose values must not appear anywhere.
    """
    if (replay is None) == (url is None):
        raise InputError(None, None, "give either a recording folder (--replay) or a URL (--url)")
    env = dict(os.environ if environ is None else environ)
    report = Report(platform=name, title=f"zahnrad plugin check: {name}")
    listed = _listed(name, report)
    plat = platform if platform is not None else listed
    if plat is None:
        for n in ("hooks", "catalog", "facts-only", "evidence", "reasons", "offline", "secrets"):
            report.checks.append(Check(n, SKIP, "no platform to check"))
        return report
    report.platform = plat.name
    origin = f", plugin {plat.plugin} from {plat.distribution}" if plat.plugin else ""
    report.title = f"zahnrad plugin check: {plat.name} ({plat.display_name} {plat.version}{origin})"
    report.checks.append(_hooks(plat))

    secrets_vars = tuple(env_name(plat.name, k) for k in plat.credentials) + tuple(secret_env)
    secret_values = [env[v] for v in secrets_vars if env.get(v)]
    if replay is not None:
        runs, offline, files = _replay_runs(plat, Path(replay))
    else:
        runs, offline, files = _live_run(plat, url or "", env, Path(record) if record else None)
    report.runs = runs
    report.checks.append(_catalog(plat, runs))
    report.checks.append(_facts_only(plat, runs))
    report.checks.append(_evidence(runs))
    report.checks.append(_reasons(runs))
    report.checks.append(offline)
    report.checks.append(_secrets(files, runs, secret_values, secrets_vars))
    return report


# -- the checks ----------------------------------------------------------------------------------
def _listed(name: str, report: Report) -> Any:
    from .registry import registry

    reg = registry()
    plat = reg.get(name)
    if plat is None:
        by_plugin = [p for p in reg.values() if p.plugin == name]
        plat = by_plugin[0] if len(by_plugin) == 1 else None
    if plat is None:
        report.checks.append(Check(
            "listed", FAIL, f"{name!r} is not listed by `zahnrad plugins`",
            ["is the package installed (pip install -e .) with an entry point in the group "
             "\"zahnrad\"?", f"listed platforms: {', '.join(sorted(reg)) or 'none'}"]))
        return None
    report.checks.append(Check("listed", PASS, f"listed by `zahnrad plugins` as {plat.name} "
                                               f"({plat.distribution or 'unknown source'})"))
    return plat


def _hooks(plat: Any) -> Check:
    from . import hookspecs
    from .registry import make_plugin_manager

    if not plat.plugin:
        return Check("hooks", SKIP, "not installed as a plugin")
    pm = make_plugin_manager()
    module = pm.get_plugin(plat.plugin) or pm.get_plugin(f"zahnrad.plugins.{plat.plugin}")
    if module is None:
        return Check("hooks", SKIP, f"plugin module {plat.plugin!r} not loaded (a strategy pack?)")
    known = {n for n in dir(hookspecs) if n.startswith("zahnrad_")}
    impls = [n for n in dir(module) if pm.parse_hookimpl_opts(module, n) is not None]
    unknown = [n for n in impls if n not in known]
    if unknown:
        return Check("hooks", FAIL, "implements hooks zahnrad does not define",
                     [f"{n}: not a zahnrad hook (known: {', '.join(sorted(known))})" for n in unknown])
    return Check("hooks", PASS, f"implements {', '.join(impls) or 'no hooks'}")


def _fact_problem(plat: Any, fact: str, value: Any, types: dict[str, str]) -> str | None:
    from .catalog import type_ok

    if fact.startswith("x-"):
        prefixes = {f"x-{plat.name}.", f"x-{plat.plugin}."} if plat.plugin else {f"x-{plat.name}."}
        if not any(fact.startswith(p) for p in prefixes):
            return f"{fact}: platform-specific facts are named x-{plat.name}.NAME"
        return None
    if fact not in types:
        return f"{fact}: not in the fact catalog (see `zahnrad facts`)"
    if value is not None and not type_ok(types[fact], value):
        return f"{fact}: must be a {types[fact]}, got {type(value).__name__} {value!r:.60}"
    return None


def _catalog(plat: Any, runs: dict[str, Any]) -> Check:
    from .catalog import load_catalog

    types = {n: d.type for n, d in load_catalog().facts.items()}
    problems: list[str] = []
    names = set(plat.all_facts())
    for fact in plat.facts:
        p = _fact_problem(plat, fact, None, types)
        if p:
            problems.append(f"named in Platform.facts: {p}")
    for d in plat.declared:
        p = _fact_problem(plat, d.fact, d.value, types)
        if p:
            problems.append(f"declared: {p}")
    flagged = {p.split(": ")[1] for p in problems}
    static = set(names)
    for vname, vf in runs.items():
        for f in vf.facts.values():
            names.add(f.fact)
            p = _fact_problem(plat, f.fact, f.value, types)
            if p and (f.fact not in static or f.source != "unknown"):
                problems.append(f"{vname}: {p}")
        for prob in vf.problems:
            m = re.search(r"fact '([^']+)'", prob)
            if prob.endswith("(rejected)") and not (m and m.group(1) in flagged):
                problems.append(f"{vname}: {prob}")
    if problems:
        return Check("catalog", FAIL, "facts outside the catalog or of the wrong type",
                     list(dict.fromkeys(problems)))
    return Check("catalog", PASS, f"{len(names)} facts, all in the catalog with the right type")


def _facts_only(plat: Any, runs: dict[str, Any]) -> Check:
    bad: list[str] = []
    names = set(plat.all_facts()) | {f for vf in runs.values() for f in vf.facts}
    for n in sorted(names):
        if SCORE_WORDS.search(n):
            bad.append(f"{n}: looks like a score; plugins report facts, the organisation scores them")
    for attr in ("score", "scores", "weight", "weights", "rating"):
        if hasattr(plat, attr) or hasattr(plat.probe, attr):
            bad.append(f"the platform carries {attr!r}; plugins report facts only")
    if bad:
        return Check("facts-only", FAIL, "reports something score-like", bad)
    return Check("facts-only", PASS, "reports facts and evidence only, no scores")


def _evidence(runs: dict[str, Any]) -> Check:
    bad: list[str] = []
    observed = 0
    for vname, vf in runs.items():
        for f in vf.facts.values():
            if f.source == "observed":
                observed += 1
                ev = f.evidence
                if ev is None or not ev.complete:
                    missing = [k for k in ("url", "method", "status", "time", "path", "excerpt")
                               if ev is None or getattr(ev, k) is None
                               or (k != "excerpt" and not getattr(ev, k))]
                    bad.append(f"{vname}: {f.fact}: evidence lacks {', '.join(missing) or 'details'}")
            elif f.source == "declared":
                if f.evidence is None or not re.match(r"^https?://", f.evidence.url or ""):
                    bad.append(f"{vname}: {f.fact}: declared without the documentation URL")
    if bad:
        return Check("evidence", FAIL, "facts without complete evidence", bad)
    if not runs:
        return Check("evidence", SKIP, "no run to look at")
    return Check("evidence", PASS, f"{observed} observed facts, each with complete evidence")


def _reasons(runs: dict[str, Any]) -> Check:
    bad = [f"{vname}: {f.fact}: unknown without a reason" for vname, vf in runs.items()
           for f in vf.facts.values() if f.source == "unknown" and not (f.reason or "").strip()]
    crashes = [f"{vname}: {p}" for vname, vf in runs.items() for p in vf.problems
               if re.match(r"^plugin .*failed: ", p)]
    if bad or crashes:
        return Check("reasons", FAIL, "unknown facts without a reason, or the plugin crashed",
                     bad + crashes)
    unknown = sum(1 for vf in runs.values() for f in vf.facts.values() if f.source == "unknown")
    return Check("reasons", PASS, f"{unknown} unknown facts, each with its reason")


def _secrets(files: list[tuple[str, str]], runs: dict[str, Any], values: list[str],
             names: tuple[str, ...]) -> Check:
    from .redact import secret_forms

    forms = secret_forms(values)
    found: list[str] = []
    texts = list(files) + [(f"facts of {v}", json.dumps(vf.as_dict(), ensure_ascii=False)) for v, vf in runs.items()]
    for where, text in texts:
        for form in forms:
            if form in text:
                found.append(f"{where}: contains the value of a credential variable")
                break
        for label, pattern in TOKEN_SHAPES:
            m = pattern.search(text)
            if m:
                found.append(f"{where}: contains {label} ({m.group(0)[:6]}…)")
        found.extend(f"{where}: {p}" for p in _secret_fields(text))
    if found:
        return Check("secrets", FAIL, "credentials found: remove them before committing",
                     list(dict.fromkeys(found)))
    scanned = f"{len(files)} recording file(s)" if files else "no recording"
    var_note = f" (with the values of {', '.join(names)} where set)" if names else ""
    return Check("secrets", PASS, f"{scanned} and the facts scanned: no credential{var_note}")


def _secret_fields(text: str) -> list[str]:
    """Token-like values under token-like JSON keys that escaped scrubbing (hand-made recordings)."""
    from .redact import MASK, SECRET_JSON_KEYS, _looks_secret

    out: list[str] = []

    def walk(v: Any, path: str) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if (isinstance(k, str) and SECRET_JSON_KEYS.search(k) and _looks_secret(x)
                        and MASK not in x):
                    out.append(f"{path}{k}: a token-like value under a secret-like key")
                else:
                    walk(x, f"{path}{k}.")
        elif isinstance(v, list):
            for x in v:
                walk(x, path)
        elif isinstance(v, str) and v[:1] in "{[":
            try:
                walk(json.loads(v), path)
            except ValueError:
                pass

    try:
        walk(json.loads(text), "")
    except ValueError:
        pass
    return out


# -- runs ----------------------------------------------------------------------------------------
def _recordings_for(plat: Any, folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    from .files import load_json
    from .recording import RECORDING_FORMAT

    if not folder.is_dir():
        raise InputError(folder, None, "recording folder not found")
    out = []
    for p in sorted(folder.glob("*.json")):
        data = load_json(p)
        if isinstance(data, dict) and data.get("format") == RECORDING_FORMAT \
                and data.get("platform") == plat.name:
            out.append((p, data))
    return out


def _replay_runs(plat: Any, folder: Path) -> tuple[dict[str, Any], Check, list[tuple[str, str]]]:
    from .catalog import load_catalog
    from .runner import probe_vendor
    from .strategy import Vendor

    recs = _recordings_for(plat, folder)
    if not recs:
        return {}, Check("offline", FAIL, f"no recording of platform {plat.name} in {folder}",
                         ["make one: zahnrad probe STRATEGY -o run --record " + str(folder)]), []
    catalog = load_catalog()
    runs: dict[str, Any] = {}
    misses: list[str] = []
    replayer = _CountingReplayer(folder, misses)
    vendors = []
    for _path, data in recs:
        creds = {k: env_name(plat.name, k) for k in data.get("credentials", [])}
        base = plat.default_url if not plat.needs_url and plat.default_url else REPLAY_BASE
        v = Vendor(name=str(data.get("vendor", _path.stem)), platform=plat.name, url=base,
                   credentials=creds, timeout=5.0, deadline=30.0)
        replayer.load(v.name, base)
        vendors.append(v)
    with no_network() as attempts, replayer.active():
        for v in vendors:
            runs[v.name] = probe_vendor(v, plat, catalog, replay=True, environ={})
    details = [f"network connection attempted: {a}" for a in attempts]
    details += [f"not in the recording: {m}" for m in dict.fromkeys(misses)]
    if details:
        check = Check("offline", FAIL, "the replay did not stay inside the recording", details)
    else:
        old = sum(1 for _, d in recs if "credentials" not in d)
        note = (f" ({old} recording(s) made before recordings named their credentials: replayed "
                "without any)" if old else "")
        check = Check("offline", PASS, f"replayed {len(recs)} recording(s) with no network "
                                       f"access and nothing outside the recording{note}")
    return runs, check, [(str(p), p.read_text("utf-8", errors="replace")) for p, _ in recs]


def _live_run(plat: Any, url: str, env: dict[str, str],
              record: Path | None) -> tuple[dict[str, Any], Check, list[tuple[str, str]]]:
    from .catalog import load_catalog
    from .runner import probe_vendor
    from .strategy import Vendor

    if not re.match(r"^https?://[^/\s]+", url):
        raise InputError(None, "--url", f"{url!r} is not an http(s) URL")
    creds = {k: env_name(plat.name, k) for k in plat.credentials}
    v = Vendor(name=plat.name, platform=plat.name, url=url.rstrip("/"), credentials=creds)
    with tempfile.TemporaryDirectory(prefix="zahnrad-check-") as tmp:
        recorder = Recorder(record if record is not None else Path(tmp))
        vf = probe_vendor(v, plat, load_catalog(), recorder=recorder, environ=env)
        texts = [(str(p) if record is not None else f"what would be recorded ({p.name})",
                  p.read_text("utf-8", errors="replace")) for p in recorder.save()]
    state = "probing complete" if vf.complete else "probing incomplete: " + "; ".join(vf.problems[-2:])
    return {v.name: vf}, Check("offline", SKIP, f"live check ({state})"), texts


class _CountingReplayer(Replayer):
    """A Replayer that also notes every request the recording cannot answer."""

    def __init__(self, folder: Path, misses: list[str]):
        super().__init__(folder)
        self.misses = misses

    def _callback(self, request):  # type: ignore[no-untyped-def]
        import requests

        try:
            return super()._callback(request)
        except requests.ConnectionError as exc:
            self.misses.append(str(exc).removeprefix("not in the recording: "))
            raise


_guard_lock = threading.Lock()


@contextmanager
def no_network() -> Iterator[list[str]]:
    """Refuse (and note) every network connection and name lookup while active.

    ``responses`` answers requests made through ``requests`` before any socket is opened, so a
    plugin that replays cleanly never reaches these; one that opens its own sockets is caught.
    """
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo, real_create = socket.getaddrinfo, socket.create_connection

    def refuse(what: str) -> OSError:
        attempts.append(what)
        return ConnectionRefusedError(f"zahnrad replay: no network ({what})")

    def connect(self, address):  # type: ignore[no-untyped-def]
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect(self, address)
        raise refuse(f"connect {address!r}")

    def connect_ex(self, address):  # type: ignore[no-untyped-def]
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect_ex(self, address)
        raise refuse(f"connect {address!r}")

    def getaddrinfo(host, *a, **kw):  # type: ignore[no-untyped-def]
        raise refuse(f"name lookup {host!r}")

    def create_connection(address, *a, **kw):  # type: ignore[no-untyped-def]
        raise refuse(f"connect {address!r}")

    with _guard_lock:
        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
        socket.create_connection = create_connection  # type: ignore[assignment]
        try:
            yield attempts
        finally:
            socket.socket.connect = real_connect  # type: ignore[method-assign]
            socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
            socket.getaddrinfo = real_getaddrinfo  # type: ignore[assignment]
            socket.create_connection = real_create  # type: ignore[assignment]
