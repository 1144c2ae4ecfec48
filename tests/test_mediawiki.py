"""The MediaWiki plugin against real MediaWikis (open and locked) and against recordings.

Live tests start MediaWiki 1.39 on 127.0.0.1 (tests/servers) and go through the real runner or
CLI. Offline tests replay recordings of real wikis (tests/recordings/mediawiki: a private wiki
seen anonymously and by a member, a wrong bot password, a main-account login; the demo's
evaluator/demo/recordings) or mock the few situations no fixture shows (EditURI discovery).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import responses

from zahnrad.catalog import load_catalog
from zahnrad.facts import FactSet, VendorFacts
from zahnrad.plugins import mediawiki as mw
from zahnrad.redact import secret_forms
from zahnrad.registry import registry
from zahnrad.runner import probe_strategy, probe_vendor
from zahnrad.strategy import Vendor, load_strategy

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "recordings" / "mediawiki"
DEMO_RECORDINGS = REPO / "evaluator" / "demo" / "recordings"
PORT = re.compile(r"127\.0\.0\.1:\d+")
# Facts that change when other tests edit the shared wiki (page and user counts).
VOLATILE = {"activity.users_total", "activity.users_active", "content.pages_total"}
MEMBER_FACTS = ("edit.member", "edit.create_pages", "upload.files", "api.tokens_personal")
GOALS = """
[goals]
participation = 5
self_organisation = 4
knowledge_sharing = 5
external_reach = 2
adaptability = 3
"""


# ------------------------------------------------------------------------------------ helpers


def probe_live(server, *, keys: tuple[str, ...] | None = None,
               override: dict[str, str] | None = None) -> VendorFacts:
    """Probe a live fixture through the runner; ``keys`` limits the credentials passed."""
    names = {k: v for k, v in server.cred_names.items() if keys is None or k in keys}
    environ = dict(server.credentials)
    for key, value in (override or {}).items():
        environ[server.cred_names[key]] = value
    vendor = Vendor(name=f"MediaWiki ({server.config})", platform="mediawiki", url=server.url,
                    credentials=names)
    return probe_vendor(vendor, registry()["mediawiki"], load_catalog(), environ=environ)


def values(vf: VendorFacts) -> dict[str, object]:
    return {f.fact: f.value for f in vf.facts.values()}


def observed(vf: VendorFacts, fact: str):
    f = vf.facts[fact]
    assert f.source == "observed", f"{fact}: {f.source} ({f.reason})"
    return f.value


def assert_evidence_complete(vf: VendorFacts, secrets: list[str] = ()) -> None:
    """Every observed fact has method, secret-free URL, status, time, path and excerpt."""
    forms = secret_forms(secrets)
    n = 0
    for f in vf.facts.values():
        if f.source == "observed":
            e = f.evidence
            assert e is not None and e.complete, f"{f.fact}: incomplete evidence {e}"
            assert e.method in ("GET", "POST") and isinstance(e.status, int)
            assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", e.time), e.time
            assert not any(s in e.url or s in (e.excerpt or "") for s in forms), f.fact
            n += 1
        elif f.source == "declared":
            assert f.evidence and f.evidence.url.startswith("https://www.mediawiki.org/")
        else:
            assert f.reason, f"{f.fact}: unknown without a reason"
    assert n >= 30


def write_strategy(path: Path, vendors: list[tuple[str, str, dict[str, str]]]) -> Path:
    text = '[organisation]\nname = "MediaWiki test"\n' + GOALS
    for name, url, creds in vendors:
        c = ", ".join(f'{k} = "{v}"' for k, v in creds.items())
        text += (f'\n[[vendors]]\nname = "{name}"\nplatform = "mediawiki"\nurl = "{url}"\n'
                 f"credentials = {{ {c} }}\n")
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    full = dict(os.environ, **(env or {}))
    r = subprocess.run([sys.executable, "-m", "zahnrad", *args], capture_output=True, text=True,
                       env=full, timeout=300, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def replay(tmp_path: Path, directory: Path, vendors: list[tuple[str, dict[str, str]]],
           url: str = "https://wiki.example.org") -> FactSet:
    """Probe vendors from recordings, in-process, under another base URL than recorded."""
    strategy = write_strategy(tmp_path / "strategy.toml", [(n, url, c) for n, c in vendors])
    return probe_strategy(load_strategy(strategy), replay=directory, quiet=True)


BOT = {"bot_username": "MW_BOT_USER", "bot_password": "MW_BOT_PASSWORD"}
MAIN = {"username": "MW_USER", "password": "MW_PASSWORD"}


# ------------------------------------------------------------------------------------ live


@pytest.fixture(scope="module")
def open_facts(mediawiki_open) -> VendorFacts:
    return probe_live(mediawiki_open)


@pytest.fixture(scope="module")
def locked_facts(mediawiki_locked) -> VendorFacts:
    return probe_live(mediawiki_locked)


def test_open_wiki_facts(open_facts):
    vf = open_facts
    assert vf.complete, vf.problems
    assert observed(vf, "platform.product") == "MediaWiki"
    assert re.match(r"1\.\d+\.\d+", observed(vf, "platform.version"))
    assert observed(vf, "site.title") == "Zahnrad MediaWiki open"
    assert observed(vf, "edit.anonymous") is True
    assert observed(vf, "x-mediawiki.create_pages_anonymous") is True
    assert observed(vf, "signup.open") is True
    assert observed(vf, "access.anonymous_read") is True
    # installed with --with-extensions: the bundled extensions, VisualEditor among them
    assert observed(vf, "editor.visual") is True
    assert "VisualEditor" in observed(vf, "extensions.installed")
    assert observed(vf, "extensions.count") == len(observed(vf, "extensions.installed")) >= 20
    assert observed(vf, "editor.syntaxes") == ["wikitext", "wysiwyg"]
    # the member logged in with its bot password and may edit and create pages
    assert observed(vf, "x-mediawiki.member_login") == "bot_password"
    assert observed(vf, "edit.member") is True
    assert observed(vf, "edit.create_pages") is True
    assert observed(vf, "api.tokens_personal") is True
    # own contributions are edited like any page, with no time limit
    assert observed(vf, "edit.own_posts") is True
    assert observed(vf, "edit.window_minutes") == 525600
    assert observed(vf, "api.graphql") is False  # no GraphQL extension among the bundled ones
    # uploads are off in a fresh install ($wgEnableUploads): the upload right alone is not enough
    assert observed(vf, "upload.files") is False
    assert observed(vf, "upload.max_size_mb") == 0
    # talk pages are the discussion page per article, open to whoever may edit
    assert observed(vf, "social.comments") is True
    assert observed(vf, "x-mediawiki.talk_pages") is True
    assert observed(vf, "feeds.rss") is True
    assert observed(vf, "x-mediawiki.rest_api") is True
    assert observed(vf, "api.write") is True
    assert observed(vf, "sso.protocols") == []
    assert "vector-2022" in observed(vf, "theming.themes")
    assert vf.facts["licence.open_source"].source == "declared"


def test_locked_wiki_facts(locked_facts):
    vf = locked_facts
    assert vf.complete, vf.problems
    assert observed(vf, "edit.anonymous") is False
    assert observed(vf, "edit.member") is False
    assert observed(vf, "edit.own_posts") is False
    assert observed(vf, "edit.window_minutes") == 0  # no editing at all
    assert observed(vf, "signup.open") is False
    # "*" and "user" keep createpage, but creating a page needs edit too
    ev = vf.facts["x-mediawiki.create_pages_anonymous"].evidence
    assert "createpage" in ev.excerpt and '"edit"' not in ev.excerpt
    assert observed(vf, "x-mediawiki.create_pages_anonymous") is False
    assert observed(vf, "edit.create_pages") is False
    assert observed(vf, "social.comments") is False  # talk pages exist, but nobody may edit
    assert observed(vf, "content.tags") is False
    assert observed(vf, "extensions.count") == 0
    assert observed(vf, "editor.visual") is False
    assert observed(vf, "access.anonymous_read") is True


def test_live_evidence_complete_and_secret_free(mediawiki_open, mediawiki_locked,
                                                open_facts, locked_facts):
    for server, vf in ((mediawiki_open, open_facts), (mediawiki_locked, locked_facts)):
        secrets = list(server.credentials.values())
        assert_evidence_complete(vf, secrets)
        text = json.dumps(FactSet(vendors={vf.name: vf}).as_dict())
        for form in secret_forms(secrets):
            assert form not in text


def test_main_account_login(mediawiki_open, mediawiki_locked):
    """Without a bot password the main account logs in through action=clientlogin."""
    vf = probe_live(mediawiki_open, keys=("username", "password"))
    assert observed(vf, "x-mediawiki.member_login") == "main_account"
    assert observed(vf, "edit.member") is True
    assert vf.facts["edit.member"].evidence.path.startswith("query.userinfo.rights")
    assert vf.facts["api.tokens_personal"].source == "unknown"
    vf = probe_live(mediawiki_locked, keys=("username", "password"))
    assert observed(vf, "edit.member") is False


def test_no_credentials_judges_a_new_member_from_the_groups(mediawiki_locked):
    vf = probe_live(mediawiki_locked, keys=())
    assert vf.complete
    assert observed(vf, "x-mediawiki.member_login") == "none"
    assert observed(vf, "edit.member") is False
    assert "usergroups" in vf.facts["edit.member"].evidence.path


def test_wrong_password_live(mediawiki_open):
    vf = probe_live(mediawiki_open, override={"bot_password": "0" * 32})
    assert not vf.complete
    for f in MEMBER_FACTS:
        assert vf.facts[f].source == "unknown"
        assert "Incorrect username or password" in vf.facts[f].reason
    assert observed(vf, "edit.anonymous") is True
    assert observed(vf, "signup.open") is True


def test_cli_probe_record_has_no_secret_and_no_port(mediawiki_open, mediawiki_locked, tmp_path):
    servers = (mediawiki_open, mediawiki_locked)
    strategy = write_strategy(tmp_path / "s.toml", [
        (f"MediaWiki ({s.config})", s.url, s.cred_names) for s in servers])
    env = {k: v for s in servers for k, v in s.credentials.items()}
    run_cli("probe", str(strategy), "-o", str(tmp_path / "run"), "--record",
            str(tmp_path / "rec"), "-q", env=env)
    forms = secret_forms(list(env.values()))
    for p in [tmp_path / "run" / "facts.json", *sorted((tmp_path / "rec").glob("*.json"))]:
        text = p.read_text()
        assert not [f for f in forms if f in text], p.name
        if p.parent.name == "rec":
            assert not PORT.search(text), p.name
            assert "lgpassword=REDACTED" in text
    assert len(list((tmp_path / "rec").glob("*.json"))) == 2


def test_evaluate_end_to_end(mediawiki_open, mediawiki_locked, tmp_path):
    """`zahnrad evaluate` on both live wikis with the built-in criteria ranks them apart."""
    servers = (mediawiki_open, mediawiki_locked)
    strategy = write_strategy(tmp_path / "s.toml", [
        (f"MediaWiki ({s.config})", s.url, s.cred_names) for s in servers])
    env = {k: v for s in servers for k, v in s.credentials.items()}
    run_cli("evaluate", str(strategy), "-o", str(tmp_path / "run"), "-q", env=env)
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    facts = json.loads((tmp_path / "run" / "facts.json").read_text())
    by_name = {v["name"]: v for v in results["vendors"]}
    opened, locked = by_name["MediaWiki (open)"], by_name["MediaWiki (locked)"]
    assert opened["rank"] == 1 and locked["rank"] == 2
    assert opened["aspects"]["editability"] > locked["aspects"]["editability"]
    assert_scores_lead_to_evidence(results, facts)


def assert_scores_lead_to_evidence(results: dict, facts: dict) -> None:
    """Every observed score names facts whose evidence is in facts.json (request and excerpt)."""
    index = {(v["name"], f["fact"]): f for v in facts["vendors"] for f in v["facts"]}
    n = 0
    for s in results["scores"]:
        if s["source"] != "observed":
            continue
        n += 1
        known = [index[(s["vendor"], f)] for f in s["facts"]
                 if (s["vendor"], f) in index and index[(s["vendor"], f)]["source"] != "unknown"]
        assert known, s
        for f in known:
            assert f["source"] == "observed", (s["criterion"], f)
            e = f["evidence"]
            assert all(e.get(k) not in (None, "") for k in
                       ("method", "url", "status", "time", "path", "excerpt")), (s, e)
    assert n >= 10


def test_demo_recordings_replay_like_live(mediawiki_open, mediawiki_locked, tmp_path):
    """The committed demo recordings give the facts a live probe gives today.

    The demo strategy logs in with the main account (username/password), so do the recordings.
    """
    fs = replay(tmp_path, DEMO_RECORDINGS, [("MediaWiki (open)", MAIN),
                                             ("MediaWiki (locked)", MAIN)])
    for server in (mediawiki_open, mediawiki_locked):
        live = probe_live(server, keys=("username", "password"))
        got = values(fs.vendors[live.name])
        want = values(live)
        diff = {k: (want[k], got.get(k)) for k in want
                if k not in VOLATILE and want[k] != got.get(k)}
        assert not diff, f"{live.name}: {diff}"


# ------------------------------------------------------------------------------------ offline


def test_demo_recordings_offline(tmp_path):
    for p in DEMO_RECORDINGS.glob("MediaWiki-*.json"):
        text = p.read_text()
        assert not PORT.search(text), p.name
        assert "&password=REDACTED&username=REDACTED" in text
    strategy = write_strategy(tmp_path / "s.toml", [
        ("MediaWiki (open)", "https://open.example.org", MAIN),
        ("MediaWiki (locked)", "https://locked.example.org/wiki", MAIN)])
    run_cli("evaluate", str(strategy), "-o", str(tmp_path / "run"), "--replay",
            str(DEMO_RECORDINGS), "-q")
    raw = json.loads((tmp_path / "run" / "facts.json").read_text())
    vals = {v["name"]: {f["fact"]: f["value"] for f in v["facts"]} for v in raw["vendors"]}
    assert vals["MediaWiki (open)"]["edit.anonymous"] is True
    assert vals["MediaWiki (open)"]["signup.open"] is True
    assert vals["MediaWiki (open)"]["editor.visual"] is True
    assert vals["MediaWiki (open)"]["edit.member"] is True
    assert vals["MediaWiki (open)"]["x-mediawiki.member_login"] == "main_account"
    assert vals["MediaWiki (locked)"]["edit.anonymous"] is False
    assert vals["MediaWiki (locked)"]["edit.member"] is False
    assert vals["MediaWiki (locked)"]["signup.open"] is False
    assert all(v["complete"] for v in raw["vendors"])
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    by_name = {v["name"]: v for v in results["vendors"]}
    assert (by_name["MediaWiki (open)"]["aspects"]["editability"]
            > by_name["MediaWiki (locked)"]["aspects"]["editability"])
    assert_scores_lead_to_evidence(results, raw)
    # evidence URLs are under the replay's vendor URL, not the recorded loopback one
    ev = next(f for f in raw["vendors"][1]["facts"] if f["fact"] == "edit.member")["evidence"]
    assert ev["url"].startswith("https://locked.example.org/wiki/api.php?")


def test_private_wiki_anonymous(tmp_path):
    vf = replay(tmp_path, FIXTURES, [("MediaWiki (private, anonymous)", {})]).vendors[
        "MediaWiki (private, anonymous)"]
    assert vf.complete
    assert observed(vf, "access.anonymous_read") is False
    assert "readapidenied" in vf.facts["access.anonymous_read"].evidence.excerpt
    assert observed(vf, "api.rest") is True
    for f in ("edit.anonymous", "signup.open", "edit.member", "extensions.count", "editor.visual"):
        assert vf.facts[f].source == "unknown"
        assert "private" in vf.facts[f].reason and "readapidenied" in vf.facts[f].reason
    assert_evidence_complete_some(vf)


def assert_evidence_complete_some(vf: VendorFacts) -> None:
    for f in vf.facts.values():
        if f.source == "observed":
            assert f.evidence.complete


def test_private_wiki_member_sees_everything(tmp_path, monkeypatch):
    # Real-looking values in the environment must not change a replay (engine fix: replays
    # always use the masked values the recording holds).
    monkeypatch.setenv("MW_BOT_USER", "Member@zahnrad")
    monkeypatch.setenv("MW_BOT_PASSWORD", "0123456789abcdef0123456789abcdef")
    vf = replay(tmp_path, FIXTURES, [("MediaWiki (private, member)", BOT)]).vendors[
        "MediaWiki (private, member)"]
    assert vf.complete, vf.problems
    assert observed(vf, "access.anonymous_read") is False
    # "*" lost read: anonymous editing is impossible whatever else "*" may have
    assert observed(vf, "edit.anonymous") is False
    assert vf.facts["edit.anonymous"].evidence.path.startswith("query.usergroups[name='*']")
    assert observed(vf, "edit.member") is True  # this private wiki lets members edit
    assert observed(vf, "platform.product") == "MediaWiki"
    assert observed(vf, "feeds.rss") is True
    assert_evidence_complete(vf)


def test_wrong_password_offline(tmp_path):
    vf = replay(tmp_path, FIXTURES, [("MediaWiki (wrong password)", BOT)]).vendors[
        "MediaWiki (wrong password)"]
    assert not vf.complete
    assert any("login" in p for p in vf.problems)
    for f in MEMBER_FACTS + ("x-mediawiki.member_groups",):
        assert vf.facts[f].source == "unknown"
        assert vf.facts[f].reason.startswith("member login failed")
        assert "Incorrect username or password" in vf.facts[f].reason
    assert observed(vf, "edit.anonymous") is True
    assert observed(vf, "editor.visual") is True


def test_main_account_replays_under_another_url(tmp_path):
    """clientlogin's loginreturnurl carries the base URL inside a form body (engine fix)."""
    text = (FIXTURES / "MediaWiki-main-account.json").read_text()
    assert "loginreturnurl=%7Bbase%7D" in text and not PORT.search(text)
    vf = replay(tmp_path, FIXTURES, [("MediaWiki (main account)", MAIN)],
                url="https://other.example.net/w").vendors["MediaWiki (main account)"]
    assert vf.complete, vf.problems
    assert observed(vf, "x-mediawiki.member_login") == "main_account"
    assert observed(vf, "edit.member") is True


def _siteinfo_body(base: str) -> str:
    """The open wiki's recorded siteinfo answer, relocated to ``base``."""
    rec = json.loads((DEMO_RECORDINGS / "MediaWiki-open.json").read_text())
    ex = next(e for e in rec["exchanges"] if "meta=siteinfo" in e["key"])
    return ex["body"].replace("{base}", base).replace("{host}", base.split("//")[1])


@responses.activate
def test_api_found_through_edituri_link():
    base = "https://wiki.example.org"
    responses.get(f"{base}/api.php", status=404, body="<html>not found</html>")
    responses.get(f"{base}/w/api.php", status=404, body="<html>not found</html>")
    responses.get(f"{base}/", status=200, content_type="text/html", body=(
        '<!DOCTYPE html><html><head><link rel="EditURI" type="application/rsd+xml" '
        'href="//wiki.example.org/mw/api.php?action=rsd"/></head><body>Wiki</body></html>'))
    responses.get(f"{base}/mw/api.php", status=200, content_type="application/json",
                  body=_siteinfo_body(base + "/mw"))
    vendor = Vendor(name="Wiki", platform="mediawiki", url=base)
    vf = probe_vendor(vendor, registry()["mediawiki"], load_catalog(), environ={})
    assert observed(vf, "edit.anonymous") is True
    assert observed(vf, "editor.visual") is True
    ev = vf.facts["edit.anonymous"].evidence
    assert ev.url.startswith(f"{base}/mw/api.php?") and ev.method == "GET" and ev.status == 200
    # the feed was not mocked: unknown with a reason, and the probing is marked incomplete
    assert vf.facts["feeds.rss"].source == "unknown" and vf.facts["feeds.rss"].reason
    requested = [c.request.url.split("?")[0] for c in responses.calls]
    assert requested[:4] == [f"{base}/api.php", f"{base}/w/api.php", f"{base}/",
                             f"{base}/mw/api.php"]


@responses.activate
def test_edituri_to_another_host_is_refused():
    base = "https://wiki.example.org"
    responses.get(f"{base}/api.php", status=404)
    responses.get(f"{base}/w/api.php", status=404)
    responses.get(f"{base}/", status=200, content_type="text/html",
                  body='<link rel="EditURI" href="https://evil.example.com/api.php?action=rsd">')
    vf = probe_vendor(Vendor(name="Wiki", platform="mediawiki", url=base,
                             credentials={"bot_username": "U", "bot_password": "P"}),
                      registry()["mediawiki"], load_catalog(),
                      environ={"U": "Someone@app", "P": "a" * 32})
    assert not vf.complete
    assert "another host" in vf.facts["edit.anonymous"].reason
    assert not any("evil.example.com" in c.request.url for c in responses.calls)


@responses.activate
def test_no_mediawiki_api_anywhere():
    base = "https://www.example.org"
    for path in ("/api.php", "/w/api.php"):
        responses.get(base + path, status=404)
    responses.get(base + "/", status=200, body="<html><head></head></html>")
    vf = probe_vendor(Vendor(name="Site", platform="mediawiki", url=base),
                      registry()["mediawiki"], load_catalog(), environ={})
    assert not vf.complete
    reason = vf.facts["edit.anonymous"].reason
    assert reason.startswith("no MediaWiki API found") and "no EditURI link" in reason
    assert vf.facts["licence.open_source"].source == "declared"


@responses.activate
def test_other_api_error_is_a_failure_with_mediawikis_words():
    base = "https://wiki.example.org"
    responses.get(f"{base}/api.php", json={"error": {"code": "internal_api_error_DBQueryError",
                                                     "info": "A database query error occurred."}})
    vf = probe_vendor(Vendor(name="W", platform="mediawiki", url=base),
                      registry()["mediawiki"], load_catalog(), environ={})
    assert not vf.complete
    assert "internal_api_error_DBQueryError" in vf.facts["edit.member"].reason


def test_rights_are_combined_as_mediawiki_does():
    assert mw.can_edit({"read", "edit"})
    assert not mw.can_edit({"edit"})  # no reading, no editing
    assert not mw.can_create({"read", "createpage", "createtalk"})  # createpage needs edit
    assert mw.can_create({"read", "edit", "createpage"})


def test_bot_session_rights_come_from_the_groups():
    """A bot-password session lacks rights its grants exclude (upload); groups do not."""
    from zahnrad.probe import Reply

    reply = Reply("GET", "https://w/api.php", 200, {}, b"{}", "2026-01-01T00:00:00Z", 1)
    site = mw.Site(reply, {"usergroups": [
        {"name": "*", "rights": ["read"]},
        {"name": "user", "rights": ["edit", "createpage", "upload"]},
        {"name": "sysop", "rights": ["delete"]}]})
    info = {"id": 3, "groups": ["*", "user", "sysop"], "rights": ["read", "edit"]}
    m = mw.member_from_login("bot_password", reply, info, site)
    assert m.rights == {"read", "edit", "createpage", "upload"}  # not sysop's delete
    assert m.extra_groups == ["sysop"] and "sysop" in m.path
    m = mw.member_from_login("main_account", reply, {**info, "groups": ["*", "user"]}, site)
    assert m.rights == {"read", "edit"}  # the session's own rights


def test_catalog_names_only():
    catalog = load_catalog()
    platform = registry()["mediawiki"]
    for f in platform.all_facts():
        assert f.startswith("x-mediawiki.") or f in catalog.facts, f


def test_declared_facts_name_their_documentation():
    """Every declaration is a catalog fact of the right type, with an https source and a note."""
    from zahnrad.catalog import type_ok

    facts = load_catalog().facts
    plat = registry()["mediawiki"]
    for d in plat.declared:
        assert d.fact in facts, d.fact
        assert type_ok(facts[d.fact].type, d.value), d
        assert d.url.startswith("https://www.mediawiki.org/wiki/"), d
        assert d.note.strip(), d
    assert not set(plat.facts) & {d.fact for d in plat.declared}  # observed or declared, not both
    declared = {d.fact: d.value for d in plat.declared}
    assert declared["templates.pages"] is True and declared["spaces.member_create"] is False
