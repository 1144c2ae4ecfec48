"""The fault corpus: platforms that misbehave in every way we know, run through the real runner.

Every case is one vendor of the third-party example plugin (tests/example_plugin: GET
``{base}/status.json``) or of the built-in MediaWiki plugin, served by tests/faultserver.py on
127.0.0.1. The cases of a group run concurrently in ONE ``probe_strategy`` call, together with a
well-behaved vendor ("Good"), so each case is checked for what the issue asks:

- the vendor is done inside its deadline plus a small margin (and so is the whole run);
- the well-behaved vendor in the same run is complete and unaffected;
- the affected facts are unknown with a reason a person understands (the exact text);
- memory stays bounded (tracemalloc over the run in-process; the 200 MB case again in a
  subprocess, measured with ``getrusage``);
- no traceback reaches stderr: a representative subset runs through ``zahnrad probe`` in a
  subprocess.

The figures the tests measure are written to ``$ZAHNRAD_CORPUS_FIGURES`` when that is set (used to
fill in docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import email.utils
import io
import json
import os
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from faultserver import (
    STATUS,
    FaultServer,
    Handler,
    cut_off,
    drip,
    failing_then,
    gzip_bomb,
    hang,
    redirect,
    reply,
    self_signed_cert,
    slow,
    stream,
)

from zahnrad.catalog import load_catalog
from zahnrad.facts import VendorFacts
from zahnrad.http import MAX_BODY
from zahnrad.runner import DEADLINE_MARGIN, probe_strategy
from zahnrad.strategy import Strategy, Vendor

SECRET = "Corpus-ApiKey-7Hq2xZ"
HUGE = 200 * 1000 * 1000  # the 200 MB body
#: how far past its deadline a vendor may finish: the runner's own margin plus scheduling slack
SLACK = DEADLINE_MARGIN + 0.75
FIGURES: dict[str, Any] = {}
CAP = f"{MAX_BODY:,}"
WEIRD = ("v1 \x1b[31mred\x1b[0m \x07bell \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ "
         "\u202etxt.exe \u200b =cmd|' /C calc'!A0 <script>alert(1)</script> ../../etc/x "
         "Zahnrad ⚙ 日本語 \r\nline2\x00nul")


@dataclass
class Env:
    """The servers a group of cases runs against."""

    srv: FaultServer
    other: FaultServer
    tls: FaultServer | None
    cert: Path | None
    closed_port: int


@dataclass
class Case:
    id: str
    setup: Callable[[Env, str], str]  # (env, route prefix) -> the vendor's base URL
    reason: str | None  # exact reason of the watched fact ({base} = the vendor URL); None: observed
    fact: str = "edit.anonymous"
    timeout: float = 2.0
    deadline: float = 6.0
    platform: str = "example"
    credentials: bool = False
    ca_bundle: bool = False
    needs_tls: bool = False
    slow: bool = False
    cli: bool = False  # also in the `zahnrad probe` subprocess subset
    check: Callable[[Env, VendorFacts, float], None] | None = None
    marks: list[Any] = field(default_factory=list)


def on(path_handler: Callable[[], Callable[[Handler], None]] | Callable[[Handler], None],
       file: str = "status.json") -> Callable[[Env, str], str]:
    """A case served at ``{srv}/{prefix}/{file}``."""
    def setup(env: Env, prefix: str) -> str:
        env.srv.routes[f"/{prefix}/{file}"] = path_handler  # type: ignore[assignment]
        return f"{env.srv.url}/{prefix}"

    return setup


def _retry_once(first: Callable[[Handler], None]) -> Callable[[Env, str], str]:
    def setup(env: Env, prefix: str) -> str:
        env.srv.routes[f"/{prefix}/status.json"] = failing_then([first], lambda r: r.send_json(STATUS),
                                                                 prefix)
        return f"{env.srv.url}/{prefix}"

    return setup


def _http_date_in(seconds: float) -> Callable[[Handler], None]:
    def handler(req: Handler) -> None:
        when = email.utils.formatdate(time.time() + seconds, usegmt=True)
        req.send_json({"error": "slow down"}, status=429, headers={"Retry-After": when})

    return handler


def _count(path: str, n: int) -> Callable[[Env, VendorFacts, float], None]:
    def check(env: Env, vf: VendorFacts, elapsed: float) -> None:
        assert len(env.srv.requests_to(path)) == n

    return check


def _at_least(seconds: float, requests: tuple[str, int] | None = None) -> Callable[[Env, VendorFacts, float], None]:
    def check(env: Env, vf: VendorFacts, elapsed: float) -> None:
        assert elapsed >= seconds
        if requests:
            assert len(env.srv.requests_to(requests[0])) == requests[1]

    return check


def _to_other(env: Env, prefix: str) -> str:
    env.srv.routes[f"/{prefix}/status.json"] = redirect(f"{env.other.url}/{prefix}/status.json")
    env.other.routes[f"/{prefix}/status.json"] = lambda r: r.send_json(STATUS)
    return f"{env.srv.url}/{prefix}"


def _no_key_at_other(env: Env, vf: VendorFacts, elapsed: float) -> None:
    prefix = "/redirect-other-port/status.json"
    assert env.srv.requests_to(prefix)[0]["headers"]["X-Api-Key"] == SECRET  # its own origin: yes
    seen = env.other.requests_to(prefix)
    assert len(seen) == 1 and "X-Api-Key" not in seen[0]["headers"]  # another port: never
    assert SECRET not in json.dumps(vf.as_dict())


def _https_to_http(env: Env, prefix: str) -> str:
    assert env.tls is not None
    env.tls.routes[f"/{prefix}/status.json"] = redirect(f"{env.srv.url}/{prefix}/status.json")
    env.srv.routes[f"/{prefix}/status.json"] = lambda r: r.send_json(STATUS)
    return f"{env.tls.url}/{prefix}"


def _never_followed(env: Env, vf: VendorFacts, elapsed: float) -> None:
    assert env.srv.requests_to("/https-to-http/status.json") == []
    assert env.tls is not None and env.tls.requests_to("/https-to-http/status.json")[0]["headers"][
        "X-Api-Key"] == SECRET


def _tls(env: Env, prefix: str) -> str:
    assert env.tls is not None
    env.tls.routes[f"/{prefix}/status.json"] = lambda r: r.send_json(STATUS)
    return f"{env.tls.url}/{prefix}"


def _weird_kept(env: Env, vf: VendorFacts, elapsed: float) -> None:
    assert vf.facts["platform.version"].value == WEIRD  # the data, byte for byte
    assert vf.facts["platform.version"].source == "observed"
    excerpt = vf.facts["platform.version"].evidence.excerpt
    assert "\x1b" not in excerpt and "\x07" not in excerpt  # evidence excerpts are JSON-escaped


def _mediawiki(data: Any) -> Callable[[Env, str], str]:
    return on(reply(200, json.dumps(data)), file="api.php")


MW_WRONG_TYPES = {"batchcomplete": True, "query": {
    "general": {"generator": None, "sitename": 42, "writeapi": "yes", "uploadsenabled": "true",
                "maxuploadsize": "big"},
    "usergroups": [{"name": "*", "rights": ["read"]}, {"name": "user", "rights": None}],
    "statistics": {"users": "12", "articles": None, "activeusers": "many", "admins": [1]},
    "userinfo": {"anon": True, "rights": ["read"]}}}


def _mw_wrong_types(env: Env, vf: VendorFacts, elapsed: float) -> None:
    for fact in ("platform.version", "activity.users_total", "content.pages_total",
                 "activity.users_active", "admin.count", "upload.max_size_mb", "site.title"):
        assert vf.facts[fact].source == "unknown", fact
        assert vf.facts[fact].reason == "not established by the plugin", fact
    assert vf.facts["edit.member"].reason == "siteinfo usergroups[name='user'].rights is not a list"
    assert vf.facts["api.write"].source == "unknown"  # "yes" is not MediaWiki's flag
    # what the answer did say clearly is kept
    assert (vf.facts["access.anonymous_read"].source, vf.facts["access.anonymous_read"].value) == (
        "observed", True)


CASES: list[Case] = [
    # -- the network
    Case("refused", lambda env, p: f"http://127.0.0.1:{env.closed_port}", "connection refused", cli=True),
    Case("dns", lambda env, p: "http://zahnrad-fault.invalid", "host name does not resolve", cli=True),
    Case("accept-never-answer", on(hang()), "no answer in time (read timeout)", timeout=1.0,
         deadline=4.0, cli=True),
    Case("drip-one-byte-a-second", on(drip(json.dumps(STATUS).encode())),
         "vendor deadline reached while reading the response (too slow)", deadline=3.0, slow=True),
    # -- statuses
    Case("500-then-success", _retry_once(reply(500, '{"error": "boom"}')), None,
         check=_count("/500-then-success/status.json", 2)),
    Case("503-forever", on(reply(503, "busy", "text/plain")),
         "HTTP 503 from {base}/status.json (server error)", cli=True,
         check=_count("/503-forever/status.json", 4)),
    Case("429-retry-after-seconds", _retry_once(reply(429, "{}", headers={"Retry-After": "1"})), None,
         check=_at_least(0.9, ("/429-retry-after-seconds/status.json", 2))),
    Case("429-retry-after-http-date", _retry_once(_http_date_in(2)), None,
         check=_at_least(0.9, ("/429-retry-after-http-date/status.json", 2))),
    Case("429-forever-retry-after-an-hour", on(reply(429, "{}", headers={"Retry-After": "3600"})),
         "HTTP 429 from {base}/status.json (rate limited)", deadline=4.0, slow=True),
    Case("401", on(reply(401, '{"error": "login"}')),
         "HTTP 401 from {base}/status.json (not authenticated: credentials missing or rejected)"),
    Case("403", on(reply(403, '{"error": "no"}')),
         "HTTP 403 from {base}/status.json (forbidden: the account lacks a permission)", cli=True),
    # -- bodies
    Case("html-login-page", on(reply(200, "<!DOCTYPE html>\n<html><form>Login</form></html>", "text/html")),
         "HTTP 200 from {base}/status.json was an HTML page (starts '<!DOCTYPE html> <htm')", cli=True),
    Case("truncated-json", on(reply(200, '{"version": "1.0", "anonymous_ed')),
         "HTTP 200 from {base}/status.json was not JSON (starts '{\"version\": \"1.0\", \"')"),
    Case("cut-off-connection", on(cut_off(b'{"version": "1.0", "anon', 400)), "response was cut off"),
    Case("list-for-object", on(reply(200, json.dumps([STATUS]))),
         "the answer from {base}/status.json did not have the shape plugin example expects "
         "(TypeError: list indices must be integers or slices, not str)", cli=True),
    Case("missing-field", on(reply(200, json.dumps({"version": "1.0", "anonymous_edit": True}))),
         "the answer from {base}/status.json did not have the shape plugin example expects "
         "(KeyError: 'signup')", fact="signup.open"),
    Case("mediawiki-strings-for-numbers-and-nulls", _mediawiki(MW_WRONG_TYPES),
         "not established by the plugin",
         fact="platform.version", platform="mediawiki", check=_mw_wrong_types),
    Case("body-200MB-chunked", on(stream(HUGE)), f"response is over the {CAP}-byte cap (cut)"),
    Case("body-200MB-content-length", on(stream(HUGE, chunked=False)),
         f"response of {HUGE + 15:,} bytes is over the {CAP}-byte cap"),
    Case("gzip-bomb", on(gzip_bomb(HUGE)), f"response is over the {CAP}-byte cap (cut)"),
    # -- redirects
    Case("redirect-loop", lambda env, p: (
        env.srv.routes.update({f"/{p}/status.json": redirect(f"/{p}/b"),
                               f"/{p}/b": redirect(f"/{p}/status.json")}), f"{env.srv.url}/{p}")[1],
         "redirect loop (too many redirects)"),
    Case("redirect-other-port", _to_other, None, credentials=True, check=_no_key_at_other, cli=True),
    Case("https-to-http", _https_to_http, "redirect from https to http refused", credentials=True,
         ca_bundle=True, needs_tls=True, check=_never_followed),
    # -- TLS
    Case("tls-self-signed-refused", _tls, "TLS certificate not trusted (name a CA bundle for this vendor "
         "with ca_bundle)", needs_tls=True, cli=True),
    Case("tls-self-signed-with-ca-bundle", _tls, None, ca_bundle=True, needs_tls=True),
    # -- time
    Case("slow-inside-deadline", on(slow(1.5)), None, timeout=3.0, deadline=5.0, slow=True),
    Case("slow-past-deadline", on(slow(8)), "no answer before the vendor's deadline", timeout=10.0,
         deadline=2.0, slow=True),
    # -- vendor strings
    Case("unicode-and-control-characters", on(lambda r: r.send_json(dict(STATUS, version=WEIRD))), None,
         fact="platform.version", check=_weird_kept, cli=True),
]
CASE_BY_ID = {c.id: c for c in CASES}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Env:
    tmp = tmp_path_factory.mktemp("tls")
    cert = self_signed_cert(tmp)
    srv, other = FaultServer().start(), FaultServer().start()
    tls = FaultServer(tls=cert).start() if cert else None
    yield Env(srv, other, tls, cert[0] if cert else None, _free_port())
    for s in (srv, other, tls):
        if s is not None:
            s.stop()
    out = os.environ.get("ZAHNRAD_CORPUS_FIGURES")
    if out and FIGURES:
        Path(out).write_text(json.dumps(FIGURES, indent=2))


def _vendor(case: Case, env: Env, url: str) -> Vendor:
    return Vendor(name=case.id, platform=case.platform, url=url, timeout=case.timeout,
                  deadline=case.deadline,
                  credentials={"token": "CORPUS_TOKEN"} if case.credentials else {},
                  ca_bundle=str(env.cert) if case.ca_bundle and env.cert else None)


def _strategy(vendors: list[Vendor]) -> Strategy:
    return Strategy(path=None, organisation="T", employees=None, goal_weights={}, goal_priorities={},
                    consistency_ratio=None, unknown_policy="neutral", must_have={}, criteria_weights={},
                    criteria_file=None, vendors=vendors)


@dataclass
class GroupRun:
    results: dict[str, VendorFacts]
    done_after: dict[str, float]
    elapsed: float
    peak_traced: int
    stderr: str


_RUNS: dict[str, GroupRun] = {}


def _run_group(env: Env, group: str, monkeypatch: pytest.MonkeyPatch) -> GroupRun:
    """Probe every case of a group (fast or slow) at once, with a good vendor beside them."""
    if group in _RUNS:
        return _RUNS[group]
    cases = [c for c in CASES if c.slow == (group == "slow") and (env.tls or not c.needs_tls)]
    env.srv.routes["/good/status.json"] = lambda r: r.send_json(STATUS)
    vendors = [Vendor(name="Good", platform="example", url=f"{env.srv.url}/good", timeout=2, deadline=6)]
    vendors += [_vendor(c, env, c.setup(env, c.id)) for c in cases]
    monkeypatch.setenv("CORPUS_TOKEN", SECRET)
    started = time.monotonic()
    done: dict[str, float] = {}

    def finished(vf: VendorFacts) -> None:
        done[vf.name] = time.monotonic() - started

    err = io.StringIO()
    tracemalloc.start()
    try:
        with contextlib.redirect_stderr(err):  # thread tracebacks (threading.excepthook) land here
            fs = probe_strategy(_strategy(vendors), quiet=True, on_done=finished, catalog=load_catalog())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    run = GroupRun(fs.vendors, done, time.monotonic() - started, peak, err.getvalue())
    _RUNS[group] = run
    longest = max((t for n, t in done.items() if n != "Good"), default=0.0)
    FIGURES[f"{group}_group"] = {"cases": len(cases), "run_seconds": round(run.elapsed, 2),
                                 "longest_vendor_seconds": round(longest, 2),
                                 "peak_traced_MB": round(peak / 2**20, 1),
                                 "vendor_seconds": {n: round(t, 2) for n, t in
                                                    sorted(done.items(), key=lambda x: -x[1])}}
    return run


def _params() -> list[Any]:
    out = []
    for c in CASES:
        marks = list(c.marks) + ([pytest.mark.slow] if c.slow else [])
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_fault_case(case: Case, env: Env, monkeypatch):
    if case.needs_tls and env.tls is None:
        pytest.skip("no TLS server: neither the cryptography package nor the openssl command is here")
    run = _run_group(env, "slow" if case.slow else "fast", monkeypatch)
    vf = run.results[case.id]
    base = vf.url
    # 1. done inside the vendor's deadline plus a small margin, and so is the run
    assert run.done_after[case.id] <= case.deadline + SLACK
    assert run.elapsed <= max(c.deadline for c in CASES if c.slow == case.slow) + SLACK
    # 2. the well-behaved vendor in the same run is unaffected
    good = run.results["Good"]
    assert good.complete and good.problems == []
    assert {n: (f.source, f.value) for n, f in good.facts.items()} == {
        "platform.version": ("observed", "1.0"), "edit.anonymous": ("observed", True),
        "signup.open": ("observed", False), "licence.open_source": ("declared", True)}
    # 3. the affected facts: unknown with the exact reason (or observed, for the cases that recover)
    fact = vf.facts[case.fact]
    if case.reason is None:
        assert fact.source == "observed", (fact.source, fact.reason)
        if case.platform == "example" and case.fact == "edit.anonymous":
            assert vf.complete and vf.problems == []
            assert fact.value is True and vf.facts["signup.open"].value is False
    else:
        assert (fact.source, fact.value, fact.reason) == ("unknown", None, case.reason.replace("{base}", base))
        assert not vf.complete or case.platform != "example"
    # declared facts never depend on the platform answering
    if case.platform == "example":
        assert vf.facts["licence.open_source"].source == "declared"
    # 4. no traceback (in-process: nothing at all on stderr during the run)
    assert run.stderr == ""
    # 5. memory stayed bounded: every case of the group at once stays far below one 200 MB body
    assert run.peak_traced < 64 * 2**20, f"peak {run.peak_traced / 2**20:.1f} MB"
    if case.check is not None:
        case.check(env, vf, run.done_after[case.id])


def test_corpus_is_large_enough():
    assert len(CASES) >= 20


# ------------------------------------------------------------------ the same through the CLI


def _toml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid TOML basic string


def _strategy_file(path: Path, vendors: list[Vendor]) -> Path:
    lines = ["[organisation]", 'name = "Fault AG"', "[goals]", "participation = 5", "self_organisation = 1",
             "knowledge_sharing = 1", "external_reach = 1", "adaptability = 1"]
    for v in vendors:
        lines += ["[[vendors]]", f"name = {_toml_str(v.name)}", f"platform = {_toml_str(v.platform)}",
                  f"url = {_toml_str(v.url or '')}", f"timeout = {v.timeout}", f"deadline = {v.deadline}"]
        if v.ca_bundle:
            lines.append(f"ca_bundle = {_toml_str(v.ca_bundle)}")
        if v.credentials:
            lines.append("credentials = { token = \"CORPUS_TOKEN\" }")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_subset_has_no_traceback_and_the_same_reasons(env: Env, tmp_path):
    """`zahnrad probe` in a subprocess: exit 0, no traceback, one summary, the same reasons."""
    cases = [c for c in CASES if c.cli and (env.tls or not c.needs_tls)]
    assert len(cases) >= 8
    vendors = [Vendor(name="Good", platform="example", url=f"{env.srv.url}/good", timeout=2, deadline=6)]
    env.srv.routes["/good/status.json"] = lambda r: r.send_json(STATUS)
    for c in cases:
        prefix = f"cli-{c.id}"
        url = c.setup(env, prefix)
        v = _vendor(c, env, url)
        v.name = f"{c.id} \x1b[31m<b>"  # a hostile vendor name too (strategy-controlled, still escaped)
        vendors.append(v)
    strat = _strategy_file(tmp_path / "strategy.toml", vendors)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "zahnrad", "probe", str(strat), "-o", str(tmp_path / "out")],
                          capture_output=True, timeout=60, env={**os.environ, "CORPUS_TOKEN": SECRET})
    elapsed = time.monotonic() - started
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, err
    assert "Traceback" not in err and '  File "' not in err
    assert elapsed <= max(c.deadline for c in cases) + SLACK + 3.0  # + interpreter start-up
    for stream_ in (proc.stdout, proc.stderr):
        assert b"\x1b" not in stream_ and b"\x07" not in stream_ and b"\xe2\x80\xae" not in stream_
    assert SECRET.encode() not in proc.stdout + proc.stderr
    assert err.startswith(f"Probed {len(vendors)} vendor(s) in ")
    facts = json.loads((tmp_path / "out" / "facts.json").read_text())
    by_name = {v["name"]: v for v in facts["vendors"]}
    assert by_name["Good"]["complete"] is True
    for c in cases:
        v = by_name[f"{c.id} \x1b[31m<b>"]
        f = next(f for f in v["facts"] if f["fact"] == c.fact)
        if c.reason is None:
            assert f["source"] == "observed"
        else:
            assert (f["source"], f["reason"]) == ("unknown", c.reason.replace("{base}", v["url"]))
    weird = next(f for f in by_name["unicode-and-control-characters \x1b[31m<b>"]["facts"]
                 if f["fact"] == "platform.version")
    assert weird["value"] == WEIRD
    FIGURES["cli_subset"] = {"cases": len(cases), "seconds": round(elapsed, 2)}


# ------------------------------------------------------------------ the 200 MB case, measured

_PROBE_ONE = textwrap.dedent("""
    import json, resource, sys, time
    from zahnrad.catalog import load_catalog
    from zahnrad.registry import registry
    from zahnrad.runner import probe_vendor
    from zahnrad.strategy import Vendor
    catalog = load_catalog()
    plugin = registry()["example"]
    warm = probe_vendor(Vendor(name="Warm", platform="example", url=sys.argv[2], timeout=5, deadline=20),
                        plugin, catalog)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.monotonic()
    vf = probe_vendor(Vendor(name="Big", platform="example", url=sys.argv[1], timeout=5, deadline=20),
                      plugin, catalog)
    print(json.dumps({"reason": vf.facts["edit.anonymous"].reason, "seconds": time.monotonic() - t,
                      "before_kb": before, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
""")


def _measure(url: str, warm: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-c", _PROBE_ONE, url, warm], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["chunked", "content-length", "gzip-bomb"])
def test_200MB_body_is_cut_at_the_cap_with_bounded_memory(env: Env, kind: str):
    """Peak RSS of a probing process that meets a 200 MB body stays near that of a tiny answer."""
    env.srv.routes["/mem-small/status.json"] = lambda r: r.send_json(STATUS)
    env.srv.routes[f"/mem-{kind}/status.json"] = {
        "chunked": stream(HUGE), "content-length": stream(HUGE, chunked=False), "gzip-bomb": gzip_bomb(HUGE),
    }[kind]
    small = _measure(f"{env.srv.url}/mem-small", f"{env.srv.url}/mem-small")
    big = _measure(f"{env.srv.url}/mem-{kind}", f"{env.srv.url}/mem-small")
    assert small["reason"] is None
    assert big["reason"] in (f"response is over the {CAP}-byte cap (cut)",
                             f"response of {HUGE + 15:,} bytes is over the {CAP}-byte cap")
    extra_mb = (big["maxrss_kb"] - big["before_kb"]) / 1024
    FIGURES[f"rss_{kind}"] = {"before_MB": round(big["before_kb"] / 1024, 1),
                              "peak_MB": round(big["maxrss_kb"] / 1024, 1), "extra_MB": round(extra_mb, 1),
                              "small_answer_peak_MB": round(small["maxrss_kb"] / 1024, 1),
                              "seconds": round(big["seconds"], 2)}
    assert extra_mb < 40, FIGURES[f"rss_{kind}"]


# ------------------------------------------------------------------ defects in plugins (not ours)
# A plugin reads an answer its own way; zahnrad checks the TYPE of what the plugin reports, not
# how it derived it. These cases show plugins turning an unclear answer into a clear "false",
# which the principles forbid ("only a clear observation makes a bool fact false"). They are
# (found by this corpus and fixed in the plugins).

PLUGIN_DEFECTS = [
    pytest.param("example", "status.json", {"version": "1.0", "anonymous_edit": None, "signup": "no"},
                 ("edit.anonymous", "signup.open"), id="example-null-and-string-for-bool"),
    pytest.param("mediawiki", "api.php", {"batchcomplete": True, "query": {
        "general": {"generator": "MediaWiki 1.41.0"},
        "usergroups": [{"name": "*", "rights": "read edit createaccount"}],
        "userinfo": {"anon": True, "rights": "read edit createaccount"}}},
        ("edit.anonymous", "signup.open"), id="mediawiki-string-for-rights-list"),
    pytest.param("mediawiki", "api.php", {"batchcomplete": True, "query": {
        "general": {"generator": "MediaWiki 1.41.0"}, "extensions": None,
        "usergroups": [{"name": "*", "rights": ["read"]}]}},
        ("extensions.installed", "editor.visual"),
        id="mediawiki-null-extensions"),
]


@pytest.mark.parametrize("platform,file,answer,facts", PLUGIN_DEFECTS)
def test_unclear_answers_never_become_false(env: Env, platform, file, answer, facts):
    from zahnrad.registry import registry
    from zahnrad.runner import probe_vendor

    prefix = f"defect-{platform}-{abs(hash(json.dumps(answer))) % 10**8}"
    env.srv.routes[f"/{prefix}/{file}"] = reply(200, json.dumps(answer))
    vf = probe_vendor(Vendor(name="D", platform=platform, url=f"{env.srv.url}/{prefix}", timeout=2, deadline=5),
                      registry()[platform], load_catalog())
    for fact in facts:
        assert vf.facts[fact].source == "unknown", (fact, vf.facts[fact].value)
