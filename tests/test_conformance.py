"""The conformance kit: each check passes for a good plugin and catches what it is meant to catch.

Plugins under test are built in code (``Platform`` objects) and replayed from recordings written
here, so every failure mode is one small, explicit input.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest
import responses

from zahnrad.conformance import check_platform, env_name
from zahnrad.platforms import Declared, Platform
from zahnrad.recording import RECORDING_FORMAT

ROOT = Path(__file__).resolve().parent.parent
MATTERMOST = ROOT / "tests" / "recordings" / "mattermost"
STATUS = {"version": "2.1", "anonymous_edit": True}


def recording(folder: Path, *exchanges: dict, vendor: str = "Toy", platform: str = "toy",
              credentials: list | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{vendor}.json"
    p.write_text(json.dumps({
        "format": RECORDING_FORMAT, "vendor": vendor, "platform": platform,
        "credentials": credentials or [],
        "exchanges": [{"status": 200, "headers": {"Content-Type": "application/json"},
                       "time": "2026-11-28T00:00:00Z", **ex} for ex in exchanges],
    }))
    return folder


def status_exchange(body: dict | None = None) -> dict:
    return {"key": "GET {base}/api/status ", "body": json.dumps(body or STATUS)}


def good_probe(ctx):
    with ctx.establishing("platform.version", "edit.anonymous"):
        reply, data = ctx.get_json("api/status")
        ctx.observe("platform.version", data["version"], reply, "version", data["version"])
        ctx.observe("edit.anonymous", data["anonymous_edit"], reply, "anonymous_edit", data["anonymous_edit"])


def toy(probe=good_probe, facts=("platform.version", "edit.anonymous"), **kw) -> Platform:
    return Platform(name="toy", display_name="Toy", kind="wiki", version="1.0", probe=probe,
                    facts=facts, credentials={"token": "API token"}, **kw)


def check(tmp_path, platform=None, **kw):
    folder = kw.pop("folder", None) or recording(tmp_path / "rec", status_exchange())
    return check_platform("toy", replay=folder, platform=platform or toy(), environ=kw.pop("environ", {}), **kw)


def statuses(report) -> dict[str, str]:
    return {c.name: c.status for c in report.checks}


def test_a_good_plugin_passes_everything_but_listed(tmp_path):
    r = check(tmp_path)
    assert statuses(r) == {"listed": "FAIL", "hooks": "SKIP", "catalog": "PASS", "facts-only": "PASS",
                           "evidence": "PASS", "reasons": "PASS", "offline": "PASS", "secrets": "PASS"}
    assert r.check("listed").summary == "'toy' is not listed by `zahnrad plugins`"
    assert r.runs["Toy"].facts["edit.anonymous"].value is True
    assert r.check("evidence").summary == "2 observed facts, each with complete evidence"


def test_the_builtin_mattermost_pack_passes_every_check():
    r = check_platform("mattermost", replay=MATTERMOST, environ={})
    assert r.ok, r.text()
    assert [c.name for c in r.checks] == ["listed", "hooks", "catalog", "facts-only", "evidence",
                                          "reasons", "offline", "secrets"]
    assert r.check("hooks").summary == "implements zahnrad_register_packs"
    assert r.runs["Mattermost (member)"].facts["webhooks.incoming"].value is True
    assert r.text().endswith("all 8 checks passed")


def test_wrong_types_and_facts_outside_the_catalog(tmp_path):
    def probe(ctx):
        reply, data = ctx.get_json("api/status")
        ctx.observe("edit.anonymous", "yes", reply, "anonymous_edit")
        ctx.observe("x-other.thing", True, reply, "x")

    plat = toy(probe, facts=("edit.anonymous", "edit.telepathy"),
               declared=(Declared("licence.open_source", "MIT", "https://toy.example/licence"),))
    c = check(tmp_path, plat).check("catalog")
    assert c.status == "FAIL"
    assert c.details == [
        "named in Platform.facts: edit.telepathy: not in the fact catalog (see `zahnrad facts`)",
        "declared: licence.open_source: must be a bool, got str 'MIT'",
        "Toy: x-other.thing: platform-specific facts are named x-toy.NAME",
        "Toy: plugin toy: fact 'edit.anonymous' must be a bool, got str 'yes' (rejected)",
    ]


def test_incomplete_evidence_and_declared_without_url(tmp_path):
    def probe(ctx):
        reply, data = ctx.get_json("api/status")
        ctx.observe("platform.version", data["version"], reply, "")

    plat = toy(probe, facts=("platform.version",),
               declared=(Declared("hosting.self_hosted", True, "see the manual"),))
    c = check(tmp_path, plat).check("evidence")
    assert c.status == "FAIL"
    assert c.details == ["Toy: hosting.self_hosted: declared without the documentation URL",
                         "Toy: platform.version: evidence lacks path"]


def test_unknown_without_reason_and_plugin_crash(tmp_path):
    def probe(ctx):
        ctx.unknown("edit.anonymous", "  ")
        raise RuntimeError("boom")

    c = check(tmp_path, toy(probe)).check("reasons")
    assert c.status == "FAIL"
    assert c.details[0] == "Toy: edit.anonymous: unknown without a reason"
    assert c.details[1] == "Toy: plugin  failed: RuntimeError: boom"  # (no plugin name: not installed)


def test_score_like_facts_are_refused(tmp_path):
    def probe(ctx):
        reply, _ = ctx.get_json("api/status")
        ctx.observe("x-toy.quality_score", 4, reply, "score", 4)

    plat = toy(probe, facts=("x-toy.quality_score", "x-toy.vendor_rating"))
    c = check(tmp_path, plat).check("facts-only")
    assert c.status == "FAIL"
    assert c.details == [
        "x-toy.quality_score: looks like a score; plugins report facts, the organisation scores them",
        "x-toy.vendor_rating: looks like a score; plugins report facts, the organisation scores them",
    ]


def test_replay_refuses_the_network_and_names_unrecorded_requests(tmp_path):
    def probe(ctx):
        good_probe(ctx)
        with ctx.establishing("x-toy.extra"):
            ctx.get_json("api/extra")
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        except OSError:
            pass

    r = check(tmp_path, toy(probe, facts=("platform.version", "edit.anonymous", "x-toy.extra")))
    c = r.check("offline")
    assert c.status == "FAIL"
    assert c.details == ["network connection attempted: connect ('127.0.0.1', 9)",
                         "not in the recording: GET https://vendor.invalid/api/extra"]
    assert socket.create_connection is not None and socket.socket.connect.__name__ == "connect"


def test_missing_recording_fails_offline(tmp_path):
    (tmp_path / "empty").mkdir()
    r = check(tmp_path, folder=tmp_path / "empty")
    assert r.check("offline").status == "FAIL"
    assert r.check("offline").summary == f"no recording of platform toy in {tmp_path / 'empty'}"


@pytest.mark.parametrize("body,label", [
    ({"jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2lnbmF0dXJlc2ln"}, "contains a JSON Web Token"),
    ({"note": "Authorization: Bearer abcdefghijklmnop1234"}, "contains a bearer token"),
    ({"k": "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}, "contains a GitHub token"),
    ({"k": "xoxb-1234567890-abcdefghij"}, "contains a Slack token"),
    ({"k": "AKIAIOSFODNN7EXAMPLE"}, "contains an AWS access key"),
    ({"k": "-----BEGIN RSA PRIVATE KEY-----"}, "contains a private key"),
    ({"session_token": "0123456789abcdefghij"}, "session_token: a token-like value under a secret-like key"),
    ({"api": {"access_token": "0123456789abcdefghij"}}, "api.access_token: a token-like value under"),
])
def test_secrets_in_a_recording_are_found(tmp_path, body, label):
    folder = recording(tmp_path / "rec", status_exchange(dict(STATUS, **body)))
    c = check(tmp_path, folder=folder).check("secrets")
    assert c.status == "FAIL"
    assert any(label in d for d in c.details), c.details


def test_credential_values_from_the_environment_are_found(tmp_path):
    value = "my-very-own-s3cret"
    folder = recording(tmp_path / "rec", status_exchange(dict(STATUS, echo=value)))
    r = check(tmp_path, folder=folder, environ={env_name("toy", "token"): value})
    c = r.check("secrets")
    assert c.status == "FAIL"
    assert f"{folder / 'Toy.json'}: contains the value of a credential variable" in c.details
    r = check(tmp_path, folder=folder, environ={"OTHER": value}, secret_env=("OTHER",))
    assert r.check("secrets").status == "FAIL"
    assert check(tmp_path, folder=folder).check("secrets").status == "PASS"  # variable not set


def test_replay_uses_the_recorded_credentials(tmp_path):
    def probe(ctx):
        good_probe(ctx)
        if ctx.credential("token"):
            with ctx.establishing("edit.member"):
                reply, data = ctx.get_json("api/me", headers={"Authorization": f"Bearer {ctx.credential('token')}"})
                ctx.observe("edit.member", data["edit"], reply, "edit", data["edit"])
        else:
            ctx.unknown("edit.member", "needs the token")

    me = {"key": "GET {base}/api/me ", "body": json.dumps({"edit": True})}
    folder = recording(tmp_path / "rec", status_exchange(), me, credentials=["token"])
    r = check(tmp_path, toy(probe, facts=("platform.version", "edit.anonymous", "edit.member")), folder=folder)
    assert r.check("offline").status == "PASS"
    assert r.runs["Toy"].facts["edit.member"].value is True


def test_unknown_hooks_are_refused(tmp_path, monkeypatch):
    from zahnrad import registry as reg
    from zahnrad.hookspecs import hookimpl

    module = types.ModuleType("scoring_plugin")

    @hookimpl
    def zahnrad_register_platforms(register):
        pass

    @hookimpl
    def zahnrad_score_vendor(facts):
        return 5

    module.zahnrad_register_platforms = zahnrad_register_platforms
    module.zahnrad_score_vendor = zahnrad_score_vendor
    real = reg.make_plugin_manager

    def make():
        pm = real()
        pm.register(module, name="scoring_plugin")
        return pm

    monkeypatch.setattr(reg, "make_plugin_manager", make)
    plat = toy()
    plat.plugin = "scoring_plugin"
    c = check(tmp_path, plat).check("hooks")
    assert c.status == "FAIL"
    assert c.details == ["zahnrad_score_vendor: not a zahnrad hook (known: zahnrad_register_packs, "
                         "zahnrad_register_platforms)"]


def test_live_check_records_and_scans_what_would_be_recorded(tmp_path):
    token = "tok-live-9f8e7d6c5b4a"
    plat = toy()
    with responses.RequestsMock() as rs:
        rs.get("https://toy.example/api/status", json=dict(STATUS, echo=token))
        r = check_platform("toy", url="https://toy.example", platform=plat, record=tmp_path / "rec",
                           environ={"ZAHNRAD_TOY_TOKEN": token})
    assert r.check("secrets").status == "PASS"  # the recorder removed the echoed token
    assert r.check("offline").status == "SKIP" and r.check("offline").summary == "live check (probing complete)"
    saved = (tmp_path / "rec" / "toy.json").read_text()
    assert token not in saved and json.loads(saved)["credentials"] == ["token"]


def test_report_text_and_assert_ok(tmp_path):
    r = check(tmp_path)
    text = r.text()
    assert text.splitlines()[0] == "zahnrad plugin check: toy (Toy 1.0)"
    assert "  FAIL  listed      'toy' is not listed by `zahnrad plugins`" in text
    assert text.endswith("1 of 8 checks failed")
    with pytest.raises(AssertionError, match="zahnrad conformance failed"):
        r.assert_ok()


def test_cli_check_verdicts_and_exit_codes(tmp_path, capsys):
    from zahnrad.cli import main

    assert main(["plugin", "check", "mattermost", "--replay", str(MATTERMOST)]) == 0
    assert "  PASS  offline " in capsys.readouterr().out
    assert main(["plugin", "check", "mattermost", "--replay", str(MATTERMOST), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and len(data["checks"]) == 8
    assert main(["plugin", "check", "nosuchplatform", "--replay", str(MATTERMOST)]) == 1
    assert "FAIL  listed" in capsys.readouterr().out
    assert main(["plugin", "check", "mattermost"]) == 2
    assert "give either --replay DIR" in capsys.readouterr().err
    assert main(["plugin", "check", "mattermost", "--replay", str(tmp_path / "none")]) == 2
    assert "recording folder not found" in capsys.readouterr().err


def test_the_pytest_plugin_is_cheap_to_import_and_registered():
    code = ("import sys, zahnrad.testing; "
            "print(sorted(m for m in sys.modules if m.startswith('zahnrad')), 'requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['zahnrad', 'zahnrad.testing'] False"
    from importlib.metadata import entry_points

    assert [e.value for e in entry_points(group="pytest11") if e.name == "zahnrad"] == ["zahnrad.testing"]


def test_fixtures_work_in_a_pytest_session(tmp_path):
    (tmp_path / "test_mm.py").write_text(f"""
RECORDINGS = {str(MATTERMOST)!r}

def test_conformance(zahnrad_conformance):
    zahnrad_conformance("mattermost", RECORDINGS).assert_ok()

def test_replay(zahnrad_replay):
    runs = zahnrad_replay("mattermost", RECORDINGS)
    assert runs["Mattermost (anonymous)"].facts["platform.version"].value == "9.11.0"

def test_failure_is_readable(zahnrad_conformance):
    zahnrad_conformance("nosuchplatform", RECORDINGS).assert_ok()
""")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "1 failed, 2 passed" in out.stdout, out.stdout
    assert "FAIL  listed      'nosuchplatform' is not listed by `zahnrad plugins`" in out.stdout
    off = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:zahnrad",
                          str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert "fixture 'zahnrad_conformance' not found" in off.stdout


def test_recording_helpers_compare_update_and_scan(tmp_path, monkeypatch):
    from zahnrad.testing import assert_no_secrets, recorded_exchanges, update_recordings

    made, committed = tmp_path / "made", tmp_path / "committed"
    made.mkdir()
    rec = {"format": RECORDING_FORMAT, "exchanges": [{"time": "2026-01-01T00:00:00Z", "url": "{base}/a"}]}
    (made / "V.json").write_text(json.dumps(rec))
    monkeypatch.delenv("ZAHNRAD_UPDATE_RECORDINGS", raising=False)
    update_recordings(made, committed)
    assert not committed.exists()  # only on request
    monkeypatch.setenv("ZAHNRAD_UPDATE_RECORDINGS", "1")
    update_recordings(made, committed)
    rec["exchanges"][0]["time"] = "2027-02-02T00:00:00Z"
    (made / "V.json").write_text(json.dumps(rec))
    assert recorded_exchanges(made) == recorded_exchanges(committed) == {
        "V.json": {"format": RECORDING_FORMAT, "exchanges": [{"url": "{base}/a"}]}}
    assert_no_secrets(committed, ("s3cr3t-token", "wiki.acme.example"))
    with pytest.raises(AssertionError, match="V.json"):
        assert_no_secrets(committed, ("{base}/a",))


def test_strategy_toml_reads_back_as_the_same_vendors():
    from zahnrad.strategy import Vendor, parse_strategy
    from zahnrad.testing import strategy_toml

    vendors = [Vendor(name='Wiki "open"', platform="mediawiki", url="https://wiki.example/w"),
               Vendor(name="Chat", platform="matrix", url="https://chat.example",
                      credentials={"access_token": "ZAHNRAD_MX_TOKEN"}, timeout=2.5,
                      deadline=20.0, options={"max_pages": 3, "spaces": "all", "deep": True})]
    got = parse_strategy(tomllib.loads(strategy_toml(vendors)), Path("strategy.toml")).vendors
    assert got == vendors
