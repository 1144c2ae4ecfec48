"""The probe runner against a real local HTTP server that misbehaves on purpose.

Uses the third-party example plugin (tests/example_plugin, installed in the test venv), which
also proves entry-point discovery.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import STATUS, FaultServer, slow

from zahnrad.catalog import load_catalog
from zahnrad.registry import registry
from zahnrad.runner import probe_strategy, probe_vendor
from zahnrad.strategy import Strategy, Vendor

SECRET = "s3cr3t-Tok3n-9f8e7d6c"


@pytest.fixture
def server():
    s = FaultServer().start()
    yield s
    s.stop()


@pytest.fixture
def other():
    s = FaultServer().start()
    yield s
    s.stop()


def example():
    return registry()["example"]


def vendor(url: str, **kw) -> Vendor:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("deadline", 10.0)
    return Vendor(name=kw.pop("name", "Toy"), platform="example", url=url, **kw)


def probe(v: Vendor):
    return probe_vendor(v, example(), load_catalog())


def facts_of(vf) -> dict:
    return {n: (f.source, f.value, f.reason) for n, f in vf.facts.items()}


def test_entry_point_plugin_is_listed_with_its_distribution():
    out = subprocess.run([sys.executable, "-m", "zahnrad", "plugins", "--json"],
                         capture_output=True, text=True, check=True)
    rows = {r["platform"]: r for r in json.loads(out.stdout)}
    assert rows["example"]["source"] == "zahnrad-example 1.2.0"
    assert rows["example"]["version"] == "1.2.0"
    assert rows["example"]["kind"] == "other"


@pytest.mark.parametrize("env,listed", [
    ({"ZAHNRAD_DISABLE_PLUGIN_AUTOLOAD": "1"}, False),
    ({"ZAHNRAD_LOAD_PLUGINS": "some-other-dist"}, False),
    ({"ZAHNRAD_LOAD_PLUGINS": "zahnrad-example"}, True),
])
def test_plugin_loading_can_be_limited(env, listed):
    import os

    out = subprocess.run([sys.executable, "-m", "zahnrad", "plugins", "--json"],
                         capture_output=True, text=True, check=True, env={**os.environ, **env})
    assert ("example" in {r["platform"] for r in json.loads(out.stdout)}) is listed


def test_observed_facts_carry_complete_evidence(server):
    server.routes["/status.json"] = lambda r: r.send_json(STATUS)
    vf = probe(vendor(server.url))
    assert vf.complete and vf.problems == []
    f = vf.facts["edit.anonymous"]
    assert (f.source, f.value) == ("observed", True)
    assert f.evidence.complete
    assert f.evidence.url == f"{server.url}/status.json"
    assert f.evidence.status == 200 and f.evidence.method == "GET"
    assert vf.facts["licence.open_source"].source == "declared"
    assert vf.plugin == {"name": "example", "version": "1.2.0", "distribution": "zahnrad-example 1.2.0"}


def test_read_timeout_gives_unknown_with_reason(server):
    server.routes["/status.json"] = slow(5)
    t = time.monotonic()
    vf = probe(vendor(server.url, timeout=0.5))
    assert time.monotonic() - t < 3
    assert facts_of(vf)["edit.anonymous"] == ("unknown", None, "no answer in time (read timeout)")
    assert not vf.complete


def test_server_error_is_retried(server):
    def flaky(r):
        if server.count("flaky") == 1:
            r.send_json({"error": "boom"}, status=500)
        else:
            r.send_json(STATUS)

    server.routes["/status.json"] = flaky
    vf = probe(vendor(server.url))
    assert facts_of(vf)["signup.open"] == ("observed", False, None)
    assert len(server.log) == 2


def test_429_retry_after_is_honoured(server):
    def limited(r):
        if server.count("limited") == 1:
            r.send_json({"error": "slow down"}, status=429, headers={"Retry-After": "1"})
        else:
            r.send_json(STATUS)

    server.routes["/status.json"] = limited
    t = time.monotonic()
    vf = probe(vendor(server.url))
    assert time.monotonic() - t >= 0.9
    assert vf.facts["edit.anonymous"].source == "observed"


def test_html_login_page_with_200_is_not_json(server):
    server.routes["/status.json"] = lambda r: r.send_body(
        b"<!DOCTYPE html><html><body><form>Login</form></body></html>", ctype="text/html")
    vf = probe(vendor(server.url))
    reason = vf.facts["edit.anonymous"].reason
    assert reason == f"HTTP 200 from {server.url}/status.json was an HTML page (starts '<!DOCTYPE html><html')"
    assert vf.facts["edit.anonymous"].source == "unknown"


def test_body_over_the_cap_is_refused_without_reading_it(server):
    def huge(r):
        r.send_response(200)
        r.send_header("Content-Type", "application/json")
        r.send_header("Transfer-Encoding", "chunked")
        r.end_headers()
        chunk = b"x" * 65536
        for _ in range(200):  # 12.5 MB, chunked: no Content-Length to refuse up front
            r.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        r.wfile.write(b"0\r\n\r\n")

    server.routes["/status.json"] = huge
    vf = probe(vendor(server.url))
    assert vf.facts["edit.anonymous"].reason == "response is over the 5,242,880-byte cap (cut)"


def test_redirect_to_another_host_drops_credentials(server, other, monkeypatch):
    monkeypatch.setenv("TOY_TOKEN", SECRET)
    server.routes["/status.json"] = lambda r: r.send_body(
        b"", status=302, headers={"Location": f"{other.url}/status.json"})
    other.routes["/status.json"] = lambda r: r.send_json(STATUS)
    vf = probe(vendor(server.url, credentials={"token": "TOY_TOKEN"}))
    assert server.log[0]["headers"]["X-Api-Key"] == SECRET  # the vendor's own host gets it
    assert "X-Api-Key" not in other.log[0]["headers"]  # the other host never does
    assert vf.facts["edit.anonymous"].source == "observed"
    assert SECRET not in json.dumps(vf.as_dict())


def test_redirect_loop_is_stopped(server):
    server.routes["/status.json"] = lambda r: r.send_body(b"", status=302, headers={"Location": "/loop"})
    server.routes["/loop"] = lambda r: r.send_body(b"", status=302, headers={"Location": "/status.json"})
    vf = probe(vendor(server.url))
    assert vf.facts["edit.anonymous"].reason == "redirect loop (too many redirects)"


def test_one_vendor_failing_never_stops_the_others(server):
    server.routes["/status.json"] = lambda r: r.send_json(STATUS)
    server.routes["/slow/status.json"] = slow(30)
    s = Strategy(path=None, organisation="T", employees=None, goal_weights={}, goal_priorities={},
                 consistency_ratio=None, unknown_policy="neutral", must_have={}, criteria_weights={},
                 criteria_file=None, vendors=[
                     vendor(server.url, name="Good"),
                     vendor("http://127.0.0.1:9", name="Refused"),
                     vendor(server.url + "/slow", name="Hanging", timeout=30, deadline=1.5),
                 ])
    t = time.monotonic()
    fs = probe_strategy(s, quiet=True)
    elapsed = time.monotonic() - t
    assert elapsed < 1.5 + 1.0 + 1.0  # the hanging vendor's deadline plus the margin
    assert fs.vendors["Good"].complete and fs.vendors["Good"].facts["edit.anonymous"].value is True
    assert fs.vendors["Refused"].facts["edit.anonymous"].reason == "connection refused"
    hanging = fs.vendors["Hanging"]
    assert not hanging.complete
    assert hanging.facts["edit.anonymous"].source == "unknown"
    assert "deadline" in hanging.facts["edit.anonymous"].reason
    assert list(fs.vendors) == ["Good", "Refused", "Hanging"]


def test_wrong_fact_names_and_types_are_rejected_and_named(server):
    from zahnrad.platforms import Platform

    def bad_probe(ctx):
        reply, data = ctx.get_json("status.json")
        ctx.observe("edit.anonymous", "yes", reply, "anonymous_edit")
        ctx.observe("edit.telepathy", True, reply, "x")
        ctx.observe("signup.open", False, reply, "signup")

    p = Platform(name="bad", display_name="Bad", kind="other", version="0", probe=bad_probe,
                 facts=("edit.anonymous", "signup.open"), plugin="badplugin")
    server.routes["/status.json"] = lambda r: r.send_json(STATUS)
    vf = probe_vendor(vendor(server.url), p, load_catalog())
    assert vf.problems == [
        "plugin badplugin: fact 'edit.anonymous' must be a bool, got str 'yes' (rejected)",
        "plugin badplugin: fact 'edit.telepathy' is not in the fact catalog (rejected)",
    ]
    assert vf.facts["signup.open"].source == "observed"
    assert vf.facts["edit.anonymous"].source == "unknown"


def _strategy_file(tmp_path: Path, url: str) -> Path:
    p = tmp_path / "strategy.toml"
    p.write_text(f"""
[organisation]
name = "Test AG"
[goals]
participation = 5
self_organisation = 1
knowledge_sharing = 1
external_reach = 1
adaptability = 1
[[vendors]]
name = "Toy <b>wiki</b>"
platform = "example"
url = "{url}"
credentials = {{ token = "TOY_TOKEN" }}
""")
    return p


def test_record_then_replay_offline_gives_the_same_results(server, tmp_path, monkeypatch):
    from zahnrad.cli import main

    monkeypatch.setenv("TOY_TOKEN", SECRET)
    server.routes["/status.json"] = lambda r: r.send_json(dict(STATUS, token=SECRET * 2, echo=SECRET))
    strat = _strategy_file(tmp_path, server.url)
    assert main(["evaluate", str(strat), "-o", str(tmp_path / "live"), "--record",
                 str(tmp_path / "rec"), "-q"]) == 0
    recording = (tmp_path / "rec" / "Toy-b-wiki-b.json").read_text()
    assert SECRET not in recording and "127.0.0.1" not in recording
    assert "{base}/status.json" in recording
    server.stop()
    monkeypatch.delenv("TOY_TOKEN")
    assert main(["evaluate", str(strat), "-o", str(tmp_path / "replay"), "--replay",
                 str(tmp_path / "rec"), "-q"]) == 0
    live = json.loads((tmp_path / "live" / "results.json").read_text())
    again = json.loads((tmp_path / "replay" / "results.json").read_text())
    assert [v["total"] for v in live["vendors"]] == [v["total"] for v in again["vendors"]]
    lf = json.loads((tmp_path / "live" / "facts.json").read_text())["vendors"][0]["facts"]
    rf = json.loads((tmp_path / "replay" / "facts.json").read_text())["vendors"][0]["facts"]
    assert [(f["fact"], f["value"], f["source"]) for f in lf] == [(f["fact"], f["value"], f["source"]) for f in rf]
    for path in (tmp_path / "live").iterdir():
        assert SECRET not in path.read_text(errors="replace")


def test_replay_never_touches_the_network(tmp_path):
    from zahnrad.cli import main

    (tmp_path / "rec").mkdir()
    strat = _strategy_file(tmp_path, "http://127.0.0.1:9")
    assert main(["probe", str(strat), "-o", str(tmp_path / "out"), "--replay", str(tmp_path / "rec"), "-q"]) == 0
    facts = json.loads((tmp_path / "out" / "facts.json").read_text())["vendors"][0]
    assert not facts["complete"]
    reason = next(f["reason"] for f in facts["facts"] if f["fact"] == "edit.anonymous")
    assert reason == "connection failed"


def test_a_broken_plugin_is_left_out_and_named(monkeypatch):
    import types

    from zahnrad import registry as reg
    from zahnrad.hookspecs import hookimpl
    from zahnrad.platforms import Platform

    broken = types.ModuleType("broken_plugin")
    broken.zahnrad_register_platforms = hookimpl(lambda register: 1 / 0)
    dup = types.ModuleType("dup_plugin")
    dup.zahnrad_register_platforms = hookimpl(
        lambda register: register(Platform(name="mediawiki", display_name="Fake", kind="wiki", version="0")))
    real = reg.make_plugin_manager

    def patched():
        pm = real()
        pm.register(broken, name="broken_plugin")
        pm.register(dup, name="dup_plugin")
        return pm

    monkeypatch.setattr(reg, "make_plugin_manager", patched)
    reg.registry.cache_clear()
    try:
        plats = reg.registry()
        assert plats["mediawiki"].display_name == "MediaWiki"
        assert "example" in plats
        probs = reg.problems()
        assert "plugin broken_plugin left out: ZeroDivisionError: division by zero" in probs
        assert any(p.startswith("plugin dup_plugin") and "already registered by mediawiki" in p for p in probs)
    finally:
        reg.registry.cache_clear()


def test_exit_codes_of_commands_reach_the_caller():
    from zahnrad.cli import main

    assert main(["plugin", "check", "no-such-platform", "--replay", "."]) != 0


def test_a_failed_request_replays_with_the_same_reason(server, tmp_path):
    from zahnrad.cli import main

    server.routes["/status.json"] = slow(5)
    strat = _strategy_file(tmp_path, server.url)
    strat.write_text(strat.read_text().replace('credentials = { token = "TOY_TOKEN" }',
                                               "timeout = 0.5"))
    assert main(["probe", str(strat), "-o", str(tmp_path / "live"), "--record", str(tmp_path / "rec"),
                 "-q"]) == 0
    assert '"error": "no answer in time (read timeout)"' in (tmp_path / "rec" / "Toy-b-wiki-b.json").read_text()
    server.stop()
    assert main(["probe", str(strat), "-o", str(tmp_path / "again"), "--replay", str(tmp_path / "rec"),
                 "-q"]) == 0

    def reasons(run: str) -> dict:
        vendor = json.loads((tmp_path / run / "facts.json").read_text())["vendors"][0]
        return {f["fact"]: f.get("reason") for f in vendor["facts"]}

    assert reasons("again") == reasons("live")
    assert reasons("live")["edit.anonymous"] == "no answer in time (read timeout)"
