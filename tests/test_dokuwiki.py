"""The DokuWiki plugin: live against three real wikis (open, restricted, API off), offline
against recordings and a JSON-RPC (2024+) server modelled on DokuWiki's documentation."""

from __future__ import annotations

import json
import os
import re
import shutil
import xmlrpc.client
from pathlib import Path

import pytest
import responses

from zahnrad.catalog import load_catalog
from zahnrad.cli import main as cli_main
from zahnrad.registry import registry
from zahnrad.runner import probe_strategy, probe_vendor
from zahnrad.strategy import Vendor, load_strategy
from zahnrad.testing import (
    assert_declarations_documented,
    assert_evidence,
    assert_facts,
    strategy_for,
)
from zahnrad.textsafe import filename

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "evaluator" / "demo"
UPDATE_ENV = "ZAHNRAD_UPDATE_RECORDINGS"
BASE = "https://wiki.example"

MEMBER_FACTS = ("edit.member", "edit.create_pages", "upload.files",
                "x-dokuwiki.acl_member_start", "x-dokuwiki.acl_member_new_page")

# What each live configuration must show; the demo recordings must replay to the same.
EXPECTED = {
    "open": {
        "platform.product": "DokuWiki",
        "platform.version": 'Release 2022-07-31b "Igor"',
        "platform.api_version": "11",
        "site.title": "Zahnrad DokuWiki open",
        "x-dokuwiki.remote_protocol": "xml-rpc",
        "api.rest": True,
        "api.write": True,
        "search.api": True,
        "feeds.rss": True,
        "access.anonymous_read": True,
        "edit.anonymous": True,
        "signup.open": True,
        "x-dokuwiki.acl_anonymous_start": 8,
        "x-dokuwiki.acl_anonymous_new_page": 8,
        "x-dokuwiki.acl_member_start": 8,
        "x-dokuwiki.acl_member_new_page": 8,
        "edit.member": True,
        "edit.create_pages": True,
        "upload.files": True,
    },
    "restricted": {
        "platform.product": "DokuWiki",
        "platform.version": 'Release 2022-07-31b "Igor"',
        "platform.api_version": "11",
        "site.title": "Zahnrad DokuWiki restricted",
        "api.rest": True,
        "search.api": True,
        "feeds.rss": True,
        "access.anonymous_read": True,
        "edit.anonymous": False,
        "signup.open": False,
        "x-dokuwiki.acl_anonymous_start": 1,
        "x-dokuwiki.acl_anonymous_new_page": 1,
        "x-dokuwiki.acl_member_start": 8,
        "x-dokuwiki.acl_member_new_page": 8,
        "edit.member": True,
        "edit.create_pages": True,
        "upload.files": True,
    },
    "api-off": {
        "platform.product": "DokuWiki",
        "site.title": "Zahnrad DokuWiki api-off",
        "api.rest": False,
        "api.write": False,
        "search.api": False,
        "feeds.rss": True,
        "access.anonymous_read": True,
        "edit.anonymous": True,
        "signup.open": True,
    },
}


# --------------------------------------------------------------------------- helpers


def probe(url: str, cred_names: dict[str, str] | None = None, env: dict[str, str] | None = None,
          options: dict | None = None, name: str = "Wiki"):
    vendor = Vendor(name=name, platform="dokuwiki", url=url, credentials=cred_names or {},
                    options=options or {})
    return probe_vendor(vendor, registry()["dokuwiki"], load_catalog(), environ=env or {})


def probe_server(server, **kw):
    return probe(server.url, server.cred_names, server.credentials, **kw)


def values(vf) -> dict:
    return {n: f.value for n, f in vf.facts.items() if f.source != "unknown"}


def reason(vf, fact: str) -> str:
    f = vf.facts[fact]
    assert f.source == "unknown", (fact, f.value)
    return f.reason or ""


def comparable(vf, base: str) -> dict:
    """Facts without timings, with the vendor URL neutralised (live vs replay)."""
    out = {}
    for name, f in vf.facts.items():
        d = f.as_dict()
        ev = d.get("evidence") or {}
        ev.pop("time", None)
        ev.pop("elapsed_ms", None)
        out[name] = json.loads(json.dumps(d).replace(base.rstrip("/"), "{base}"))
    return out


def strategy_text(vendors: list[tuple[str, str, str, dict[str, str]]]) -> str:
    parts = ['[organisation]\nname = "Test"\n\n[goals]\nparticipation = 5\n'
             'self_organisation = 4\nknowledge_sharing = 5\nexternal_reach = 2\nadaptability = 3\n']
    for name, platform, url, creds in vendors:
        table = ", ".join(f'{k} = "{v}"' for k, v in creds.items())
        parts.append(f'[[vendors]]\nname = "{name}"\nplatform = "{platform}"\nurl = "{url}"\n'
                     f"credentials = {{ {table} }}\n")
    return "\n".join(parts)


def assert_clean_recording(path: Path, secrets: list[str]) -> None:
    text = path.read_text()
    for s in secrets:
        assert s not in text, f"secret in {path.name}"
    assert not re.search(r"127\.0\.0\.1:\d+", text), f"loopback address in {path.name}"
    assert "Authorization" not in text and "Set-Cookie" not in text


# --------------------------------------------------------------------------- live


@pytest.mark.parametrize("config", ["open", "restricted", "api-off"])
def test_live_configurations(config, request):
    server = request.getfixturevalue(f"dokuwiki_{config.replace('-', '_')}")
    vf = probe_server(server)
    assert_facts(vf, EXPECTED[config])
    assert_evidence(vf)
    assert vf.complete, vf.problems
    # Declared facts come with the vendor's documentation as evidence.
    assert vf.facts["licence.open_source"].source == "declared"
    assert vf.facts["licence.open_source"].evidence.url.startswith("https://www.dokuwiki.org/")
    # Credential values never reach the facts.
    text = json.dumps(vf.as_dict())
    assert server.cred("password") not in text


def test_live_restricted_evidence_names_the_call(dokuwiki_restricted):
    vf = probe_server(dokuwiki_restricted)
    ev = vf.facts["edit.anonymous"].evidence
    assert ev.url.endswith("/lib/exe/xmlrpc.php") and ev.method == "POST" and ev.status == 200
    assert ev.path == "wiki.aclCheck('start') [anonymous] >= 2 (edit)"
    assert ev.excerpt == '"1 (read)"'
    ev = vf.facts["signup.open"].evidence
    assert "do=register" in ev.url and "Action disabled: register" in ev.excerpt


def test_live_api_off_is_reported_and_pages_still_read(dokuwiki_api_off):
    vf = probe_server(dokuwiki_api_off)
    ev = vf.facts["api.rest"].evidence
    assert ev.status == 200 and ev.url.endswith("/lib/exe/xmlrpc.php")
    assert "-32605" in ev.path and "XML-RPC server not enabled." in ev.excerpt
    # Without the API, the page tools show what anonymous visitors may do.
    assert "page tools" in vf.facts["edit.anonymous"].evidence.path
    assert "Create this page" in vf.facts["edit.anonymous"].evidence.excerpt
    assert vf.facts["site.title"].evidence.path == "feed.php channel/title"
    for fact in MEMBER_FACTS:
        r = reason(vf, fact)
        assert "remote API" in r and "switched off" in r, r
    assert "version only through the remote API" in reason(vf, "platform.version")


def test_live_wrong_password_makes_member_facts_unknown(dokuwiki_restricted):
    """A wrong Basic-auth password silently runs as anonymous (read only here); the login check
    must turn that into unknown, not into "members cannot edit"."""
    server = dokuwiki_restricted
    env = dict(server.credentials)
    env[server.cred_names["password"]] = "wrong-" + server.cred("password")
    vf = probe(server.url, server.cred_names, env)
    for fact in MEMBER_FACTS:
        r = reason(vf, fact)
        assert "login was refused" in r and "dokuwiki.login returned False" in r, r
    # Anonymous facts are unaffected.
    assert values(vf)["edit.anonymous"] is False
    assert values(vf)["x-dokuwiki.acl_anonymous_start"] == 1
    assert env[server.cred_names["password"]] not in json.dumps(vf.as_dict())


def test_live_without_credentials(dokuwiki_open):
    vf = probe(dokuwiki_open.url)
    for fact in MEMBER_FACTS:
        assert reason(vf, fact) == "no member credentials configured (username and password)"
    assert values(vf)["edit.anonymous"] is True


def test_live_namespace_option(dokuwiki_restricted):
    vf = probe_server(dokuwiki_restricted, options={"namespace": "projects"})
    ev = vf.facts["edit.create_pages"].evidence
    assert ev.path.startswith("wiki.aclCheck('projects:zahnrad_acl_probe') [member]")
    assert values(vf)["x-dokuwiki.acl_anonymous_new_page"] == 1


def test_live_evaluate_three_wikis_differ(dokuwiki_open, dokuwiki_restricted, dokuwiki_api_off,
                                          tmp_path, monkeypatch, capsys):
    servers = {"open": dokuwiki_open, "restricted": dokuwiki_restricted,
               "api-off": dokuwiki_api_off}
    for s in servers.values():
        for k, v in s.credentials.items():
            monkeypatch.setenv(k, v)
    path = tmp_path / "strategy.toml"
    path.write_text(strategy_text([(f"DokuWiki {c}", "dokuwiki", s.url, s.cred_names)
                                   for c, s in servers.items()]))
    assert cli_main(["evaluate", str(path), "-o", str(tmp_path / "run"), "-q"]) == 0
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    edit = {v["name"]: v["aspects"]["editability"] for v in results["vendors"]}
    assert len(set(edit.values())) == 3, edit
    # Open > restricted (anonymous editing, self-registration); API off loses member rights.
    assert edit["DokuWiki open"] > edit["DokuWiki restricted"]
    assert edit["DokuWiki open"] > edit["DokuWiki api-off"]
    facts = json.loads((tmp_path / "run" / "facts.json").read_text())
    by = {v["name"]: {f["fact"]: f["value"] for f in v["facts"]} for v in facts["vendors"]}
    assert [by[f"DokuWiki {c}"]["edit.anonymous"] for c in servers] == [True, False, True]
    assert [by[f"DokuWiki {c}"]["api.rest"] for c in servers] == [True, True, False]
    assert [by[f"DokuWiki {c}"]["edit.member"] for c in servers] == [True, True, None]


DEMO_VENDORS = {"open": "DokuWiki (open)", "restricted": "DokuWiki (restricted)"}
# Recorded next to the demo ones, for offline tests of the odd cases (tests/recordings/dokuwiki).
TEST_VENDORS = {"api-off": "DokuWiki (api-off)", "wrong-password": "DokuWiki (wrong password)"}
RECORDINGS = REPO / "tests" / "recordings" / "dokuwiki"
WRONG_PASSWORD_ENV = "ZW_DW_WRONG_PASSWORD"


def test_live_record_replay_and_recordings(dokuwiki_open, dokuwiki_restricted, dokuwiki_api_off,
                                           tmp_path, monkeypatch):
    """Record live with `zahnrad probe --record`, replay offline elsewhere: the same facts.

    With ZAHNRAD_UPDATE_RECORDINGS=1 the fresh recordings replace the bundled ones (demo:
    open and restricted; tests/recordings/dokuwiki: API off and a wrong password).
    """
    wrong = dict(dokuwiki_restricted.cred_names, password=WRONG_PASSWORD_ENV)
    vendors = {  # name -> (server, credential names)
        DEMO_VENDORS["open"]: (dokuwiki_open, dokuwiki_open.cred_names),
        DEMO_VENDORS["restricted"]: (dokuwiki_restricted, dokuwiki_restricted.cred_names),
        TEST_VENDORS["api-off"]: (dokuwiki_api_off, dokuwiki_api_off.cred_names),
        TEST_VENDORS["wrong-password"]: (dokuwiki_restricted, wrong),
    }
    env = {k: v for s, _ in vendors.values() for k, v in s.credentials.items()}
    env[WRONG_PASSWORD_ENV] = "wrong-" + dokuwiki_restricted.cred("password")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    path = tmp_path / "strategy.toml"
    path.write_text(strategy_text([(n, "dokuwiki", s.url, c) for n, (s, c) in vendors.items()]))
    rec = tmp_path / "rec"
    assert cli_main(["probe", str(path), "-o", str(tmp_path / "live"), "--record", str(rec),
                     "-q"]) == 0
    live = json.loads((tmp_path / "live" / "facts.json").read_text())
    files = {n: rec / f"{filename(n)}.json" for n in vendors}
    for file in files.values():
        assert_clean_recording(file, [v for v in env.values() if len(v) >= 8])

    # Replay under other URLs, without credentials in the environment and without the servers.
    for k in env:
        monkeypatch.delenv(k)
    urls = {n: f"https://{filename(n).lower()}.example" for n in vendors}
    other = tmp_path / "other.toml"
    other.write_text(strategy_text([(n, "dokuwiki", urls[n], c)
                                    for n, (_, c) in vendors.items()]))
    replayed = probe_strategy(load_strategy(other), replay=rec, quiet=True)
    for n, (s, _) in vendors.items():
        lv = next(v for v in live["vendors"] if v["name"] == n)
        live_facts = {f["fact"]: f for f in lv["facts"]}
        for f in live_facts.values():
            f.get("evidence", {}).pop("time", None)
            f.get("evidence", {}).pop("elapsed_ms", None)
        live_norm = json.loads(json.dumps(live_facts).replace(s.url, "{base}"))
        assert comparable(replayed.vendors[n], urls[n]) == live_norm, n
    assert_facts(replayed.vendors[DEMO_VENDORS["open"]], EXPECTED["open"])
    assert_facts(replayed.vendors[TEST_VENDORS["api-off"]], EXPECTED["api-off"])

    if os.environ.get(UPDATE_ENV) == "1":
        RECORDINGS.mkdir(parents=True, exist_ok=True)
        for n, file in files.items():
            target = DEMO / "recordings" if n in DEMO_VENDORS.values() else RECORDINGS
            shutil.copy(file, target / file.name)


# --------------------------------------------------------------------------- bundled recordings


def replay_recording(name: str, directory: Path, credentials: dict[str, str] | None = None):
    """Replay one bundled recording through the plugin, as `zahnrad --replay` does."""
    vendor = Vendor(name=name, platform="dokuwiki", url="https://wiki.muster.example",
                    credentials=CREDS if credentials is None else credentials)
    strategy = strategy_for([vendor])
    return probe_strategy(strategy, replay=directory, quiet=True).vendors[name]


def test_recorded_api_off_replays_offline():
    vf = replay_recording(TEST_VENDORS["api-off"], RECORDINGS)
    assert_facts(vf, EXPECTED["api-off"])
    assert_evidence(vf)
    for fact in MEMBER_FACTS:
        assert "switched off" in reason(vf, fact)


def test_recorded_wrong_password_replays_offline():
    vf = replay_recording(TEST_VENDORS["wrong-password"], RECORDINGS)
    for fact in MEMBER_FACTS:
        assert "login was refused (dokuwiki.login returned False)" in reason(vf, fact)
    assert values(vf)["x-dokuwiki.acl_anonymous_start"] == 1
    assert values(vf)["edit.anonymous"] is False


@pytest.mark.parametrize("config", ["open", "restricted"])
def test_demo_recording_replays_to_the_live_facts(config):
    """The bundled recordings (made live) replay through the plugin to the live facts."""
    demo = load_strategy(DEMO / "strategy.toml")
    name = DEMO_VENDORS[config]
    vendor = next(v for v in demo.vendors if v.name == name)
    demo.vendors = [vendor]
    facts = probe_strategy(demo, replay=DEMO / "recordings", quiet=True)
    vf = facts.vendors[name]
    assert vf.complete, vf.problems
    assert_facts(vf, EXPECTED[config])
    assert_evidence(vf)
    assert all(f.evidence.url.startswith(vendor.url) for f in vf.facts.values()
               if f.source == "observed")


@pytest.mark.parametrize("name", [*DEMO_VENDORS.values(), *TEST_VENDORS.values()])
def test_bundled_recording_is_clean(name):
    folder = DEMO / "recordings" if name in DEMO_VENDORS.values() else RECORDINGS
    text = (folder / f"{filename(name)}.json").read_text()
    assert not re.search(r"127\.0\.0\.1:\d+|localhost:\d+", text)
    data = json.loads(text)
    assert data["vendor"] == name and data["platform"] == "dokuwiki"
    # The login went out with scrubbed credentials only.
    logins = [e["key"] for e in data["exchanges"] if "dokuwiki.login" in e["key"]]
    assert all(k.count("<string>REDACTED</string>") == 2 for k in logins)
    assert logins or name == TEST_VENDORS["api-off"]  # with the API off there is no login


# --------------------------------------------------------------------------- offline: JSON-RPC


def page(*, tools: str = "edit", title: str = "Company Wiki", body: str = "") -> str:
    label = {"edit": "Edit this page", "create": "Create this page",
             "source": "Show pagesource"}[tools]
    return (f'<!DOCTYPE html><html lang="en"><head><title>start [{title}]</title>'
            f'<meta name="generator" content="DokuWiki"/></head><body>'
            f'<ul><li class="{tools}"><a href="/doku.php?id=start&amp;do=edit" rel="nofollow">'
            f"<span>{label}</span></a></li></ul>{body}</body></html>")


class FakeDokuWiki:
    """A DokuWiki 2024-02 "Kaos" as documented: JSON-RPC 2.0 at lib/exe/jsonrpc.php (core.*),
    HTTP Basic auth, refusals as HTTP 401 with a JSON-RPC error, remote off as HTTP 404 -32605.
    """

    USER, PASSWORD = "anna", "s3cret&\"pässword<"

    def __init__(self, *, remote: bool = True, anon=1, member=8, login=None,
                 isadmin: bool = False, remote_anonymous: bool = True, register: bool = False):
        self.remote, self.anon, self.member, self.login = remote, anon, member, login
        self.isadmin, self.remote_anonymous, self.register = isadmin, remote_anonymous, register
        self.calls: list[tuple[str, str | None]] = []

    def _user(self, request) -> str | None:
        import base64

        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
            if (user, pw) == (self.USER, self.PASSWORD):
                return user
        return None  # a wrong password silently means anonymous, as in DokuWiki

    def jsonrpc(self, request):
        if not self.remote:
            return 404, {}, json.dumps({"error": {"code": -32605,
                                                  "message": "JSON-RPC server not enabled."}})
        assert request.headers["Content-Type"] == "application/json"
        data = json.loads(request.body)
        method, params, user = data["method"], data.get("params", []), self._user(request)
        self.calls.append((method, user))
        public = {"core.getAPIVersion", "core.getWikiTitle", "core.login"}
        if method not in public and user is None and not self.remote_anonymous:
            message = f"server error. not authorized to call method {method}"
            return 401, {}, json.dumps({"error": {"code": -32603, "message": message}})
        result = {
            "core.getAPIVersion": 14,
            "core.getWikiTitle": "Company Wiki",
            "core.getWikiVersion": 'Release 2024-02-06b "Kaos"',
            "core.login": (params == [self.USER, self.PASSWORD] if self.login is None
                           else self.login),
            "core.whoAmI": {"login": user or "", "name": "Anna", "mail": "a@example.org",
                            "groups": ["user"], "isadmin": self.isadmin, "ismanager": False},
            "core.aclCheck": (self.member if user else self.anon),
        }[method]
        return 200, {}, json.dumps({"jsonrpc": "2.0", "id": data.get("id"), "result": result})

    def doku(self, request):
        tools = "edit" if isinstance(self.anon, int) and self.anon >= 2 else "source"
        if "do=register" in request.url:
            body = ('<form id="dw__register" method="post"></form>' if self.register else
                    '<div class="error">Action disabled: register</div>')
            return 200, {}, page(tools=tools, body=body)
        return 200, {}, page(tools=tools)

    def install(self, rsps: responses.RequestsMock) -> None:
        rsps.add_callback("POST", f"{BASE}/lib/exe/jsonrpc.php", callback=self.jsonrpc)
        rsps.add_callback("GET", re.compile(rf"{re.escape(BASE)}/doku\.php.*"),
                          callback=self.doku)
        rsps.add("GET", f"{BASE}/feed.php", content_type="application/rss+xml",
                 body='<?xml version="1.0"?><rss version="2.0"><channel><title>Company Wiki'
                      "</title></channel></rss>")
        rsps.add("GET", re.compile(rf"{re.escape(BASE)}/lib/exe/openapi\.php\?spec=1"),
                 json={"openapi": "3.1.0", "info": {"title": "DokuWiki API"},
                       "paths": {"/core.getAPIVersion": {}, "/plugin.struct.getData": {},
                                 "/plugin.struct.saveData": {}, "/plugin.bureaucracy.x": {}}})


CREDS = {"username": "DW_USER", "password": "DW_PASSWORD"}
ENV = {"DW_USER": FakeDokuWiki.USER, "DW_PASSWORD": FakeDokuWiki.PASSWORD}


def fake_probe(wiki: FakeDokuWiki, env: dict | None = None, creds: dict | None = None):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wiki.install(rsps)
        vf = probe(BASE, CREDS if creds is None else creds, ENV if env is None else env)
        bodies = [c.request.body for c in rsps.calls]
    return vf, bodies


def test_jsonrpc_wiki_gives_member_and_anonymous_rights():
    wiki = FakeDokuWiki(anon=1, member=8)
    vf, _ = fake_probe(wiki)
    assert_facts(vf, {
        "x-dokuwiki.remote_protocol": "json-rpc",
        "platform.api_version": "14",
        "platform.version": 'Release 2024-02-06b "Kaos"',
        "site.title": "Company Wiki",
        "api.rest": True, "api.write": True, "search.api": True, "api.openapi_spec": True,
        "x-dokuwiki.remote_plugins": ["bureaucracy", "struct"],
        "edit.anonymous": False, "access.anonymous_read": True,
        "edit.member": True, "edit.create_pages": True, "upload.files": True,
        "x-dokuwiki.acl_member_start": 8, "signup.open": False, "feeds.rss": True,
    })
    assert_evidence(vf)
    ev = vf.facts["edit.member"].evidence
    assert ev.url == f"{BASE}/lib/exe/jsonrpc.php" and ev.path.startswith("core.aclCheck('start')")
    # Anonymous checks ran without credentials, member checks with them, after the login.
    methods = [m for m, _ in wiki.calls]
    assert methods.index("core.login") < methods.index("core.whoAmI")
    assert ("core.aclCheck", None) in wiki.calls and ("core.aclCheck", "anna") in wiki.calls
    assert "XML-RPC" not in json.dumps(vf.as_dict())


def test_jsonrpc_wrong_password_is_not_taken_for_anonymous_rights():
    vf, _ = fake_probe(FakeDokuWiki(), env={**ENV, "DW_PASSWORD": "wrong"})
    for fact in MEMBER_FACTS:
        assert "login was refused (core.login returned False)" in reason(vf, fact)


def test_jsonrpc_api_off():
    vf, _ = fake_probe(FakeDokuWiki(remote=False, anon=2))
    assert values(vf)["api.rest"] is False and values(vf)["api.write"] is False
    assert values(vf)["search.api"] is False
    assert vf.facts["api.rest"].evidence.status == 404
    assert "lib/exe/jsonrpc.php: error -32605" in vf.facts["api.rest"].evidence.path
    assert values(vf)["edit.anonymous"] is True  # from the page tools
    assert "JSON-RPC server not enabled." in reason(vf, "edit.member")


def test_jsonrpc_admin_account_is_not_an_ordinary_member():
    vf, _ = fake_probe(FakeDokuWiki(isadmin=True))
    for fact in MEMBER_FACTS:
        assert "administrator" in reason(vf, fact)


def test_remoteuser_refusing_anonymous_falls_back_to_the_page():
    vf, _ = fake_probe(FakeDokuWiki(remote_anonymous=False, anon=2))
    assert "remoteuser" in reason(vf, "x-dokuwiki.acl_anonymous_start")
    assert values(vf)["edit.anonymous"] is True
    assert "page tools" in vf.facts["edit.anonymous"].evidence.path
    assert values(vf)["platform.version"] == 'Release 2024-02-06b "Kaos"'  # asked as the member
    assert values(vf)["edit.member"] is True


@pytest.mark.parametrize("knobs, fact, why", [
    ({"member": "8"}, "edit.member", "answered '8', not an ACL level"),
    ({"member": None}, "upload.files", "answered None, not an ACL level"),
    ({"member": True}, "edit.create_pages", "answered True, not an ACL level"),
    ({"anon": {}}, "x-dokuwiki.acl_anonymous_start", "answered {}, not an ACL level"),
    ({"login": {}}, "edit.member", "login was refused (core.login returned {})"),
    ({"login": "yes"}, "edit.member", "login was refused (core.login returned 'yes')"),
])
def test_unclear_answers_never_become_false(knobs, fact, why):
    vf, _ = fake_probe(FakeDokuWiki(**knobs))
    assert why in reason(vf, fact)


def test_credentials_never_reach_facts_or_recordings(tmp_path):
    """The password has JSON- and XML-special characters: escaped forms must be scrubbed too."""
    from zahnrad.recording import Recorder

    wiki = FakeDokuWiki()
    recorder = Recorder(tmp_path)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wiki.install(rsps)
        vendor = Vendor(name="Wiki", platform="dokuwiki", url=BASE, credentials=CREDS)
        vf = probe_vendor(vendor, registry()["dokuwiki"], load_catalog(), environ=ENV,
                          recorder=recorder)
    recorder.save()
    text = (tmp_path / "Wiki.json").read_text() + json.dumps(vf.as_dict())
    pw = FakeDokuWiki.PASSWORD
    for form in (pw, json.dumps(pw)[1:-1], xmlrpc.client.escape(pw), "s3cret"):
        assert form not in text


# --------------------------------------------------------------------------- offline: odd servers


def test_html_instead_of_xml_rpc_leaves_api_facts_unknown():
    """A rewrite rule that sends every unknown URL to doku.php: 200 HTML for the API endpoints."""
    html = page(tools="source")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("POST", f"{BASE}/lib/exe/jsonrpc.php", body=html, content_type="text/html")
        rsps.add("POST", f"{BASE}/lib/exe/xmlrpc.php", body=html, content_type="text/html")
        rsps.add("GET", re.compile(rf"{re.escape(BASE)}/doku\.php.*"), body=html)
        rsps.add("GET", f"{BASE}/feed.php", body=html, content_type="text/html")
        vf = probe(BASE, CREDS, ENV)
    r = reason(vf, "api.rest")
    assert "was an HTML page" in r and "/lib/exe/xmlrpc.php" in r and "JSON-RPC" in r
    assert "not an RSS or Atom feed" in reason(vf, "feeds.rss")
    for fact in (*MEMBER_FACTS, "platform.version"):
        assert "was an HTML page" in reason(vf, fact)
    assert values(vf)["edit.anonymous"] is False  # the page itself was readable


def test_not_a_dokuwiki_at_all():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("GET", re.compile(r".*"), body="<html><body>Hello</body></html>")
        rsps.add("POST", re.compile(r".*"), status=404, body="<html>not found</html>")
        vf = probe(BASE)
    assert "no generator meta tag" in reason(vf, "edit.anonymous")
    assert "no remote API answered" in reason(vf, "api.rest")
    assert "HTTP 404" in reason(vf, "api.rest")


def test_xml_rpc_refusal_is_http_401_with_empty_struct():
    """DokuWiki 2022: refusals are 401 with a methodResponse holding an empty struct."""
    empty = xmlrpc.client.dumps(({},), methodresponse=True)

    def xml(request):
        method = xmlrpc.client.loads(request.body)[1]
        if method == "dokuwiki.getXMLRPCAPIVersion":
            return 200, {}, xmlrpc.client.dumps((11,), methodresponse=True)
        if method == "dokuwiki.getTitle":
            return 200, {}, xmlrpc.client.dumps(("Handbook",), methodresponse=True)
        return 401, {}, empty

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add("POST", f"{BASE}/lib/exe/jsonrpc.php", status=404, body="<html>404</html>")
        rsps.add_callback("POST", f"{BASE}/lib/exe/xmlrpc.php", callback=xml)
        rsps.add("GET", re.compile(rf"{re.escape(BASE)}/doku\.php.*"), body=page(tools="source"))
        rsps.add("GET", f"{BASE}/feed.php", body='<rss version="2.0"><channel><title>H</title>'
                                                 "</channel></rss>")
        vf = probe(BASE)
    assert values(vf)["site.title"] == "Handbook"
    assert values(vf)["x-dokuwiki.remote_protocol"] == "xml-rpc"
    r = reason(vf, "platform.version")
    assert "refused with HTTP 401" in r and "remoteuser" in r
    assert "refused with HTTP 401" in reason(vf, "x-dokuwiki.acl_anonymous_start")
    assert values(vf)["edit.anonymous"] is False


def test_declared_facts_name_their_documentation():
    """Every declaration is a catalog fact of the right type, with an https source and a note."""
    assert_declarations_documented("dokuwiki")  # observed or declared, not both
    plat = registry()["dokuwiki"]
    declared = {d.fact: d.value for d in plat.declared}
    assert declared["api.graphql"] is False and declared["licence.model"] == "open_source"
