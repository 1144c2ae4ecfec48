"""The Matrix plugin: live against two real Synapse homeservers (open: registration and the
federation listener on; closed: both off), offline against recordings and fake homeservers
modelled on the Matrix spec (SSO, registration tokens, guests, delegation, old servers)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
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
RECORDINGS = REPO / "tests" / "recordings" / "matrix"
UPDATE_ENV = "ZAHNRAD_UPDATE_RECORDINGS"
BASE = "https://matrix.example.org"

MEMBER_FACTS = ("bridges.protocols", "sharing.domain_restriction", "x-matrix.change_password",
                "x-matrix.set_displayname", "x-matrix.room_version_default",
                "x-matrix.room_versions")

COMMON = {
    "platform.product": "Synapse",
    "api.rest": True,
    "guests.allowed": False,
    "x-matrix.well_known": ["client"],
    "x-matrix.login_flows": ["m.login.application_service", "m.login.password"],
    "sso.identity_providers": [],
    "edit.own_posts": True,
    "edit.delete_own": True,
    "social.threads": True,
    "social.reactions": True,
    "social.mentions": True,
    "x-matrix.public_directory_anonymous": False,
    "spaces.public_count": 0,
    "bridges.protocols": [],
    "x-matrix.change_password": True,
    "x-matrix.set_displayname": True,
}
EXPECTED = {
    # open federates with anyone: no allow-list refuses, so the restriction stays unknown
    "open": {**COMMON, "signup.open": True, "x-matrix.registration_stages": ["m.login.dummy"],
             "federation.enabled": True, "federation.protocol": "matrix"},
    # closed: no federation listener and federation_domain_whitelist: [] (an allow-list of nobody)
    "closed": {**COMMON, "signup.open": False, "x-matrix.registration_stages": [],
               "federation.enabled": False, "federation.protocol": "none",
               "sharing.domain_restriction": "allow_list"},
}


# --------------------------------------------------------------------------- helpers


def probe(url: str, cred_names: dict[str, str] | None = None, env: dict[str, str] | None = None,
          options: dict | None = None, name: str = "Chat"):
    vendor = Vendor(name=name, platform="matrix", url=url, credentials=cred_names or {},
                    options=options or {})
    return probe_vendor(vendor, registry()["matrix"], load_catalog(), environ=env or {})


def token_only(server) -> tuple[dict[str, str], dict[str, str]]:
    names = {"access_token": server.cred_names["access_token"]}
    return names, {names["access_token"]: server.cred("access_token")}


def password_only(server) -> tuple[dict[str, str], dict[str, str]]:
    names = {k: server.cred_names[k] for k in ("username", "password")}
    return names, {n: server.credentials[n] for n in names.values()}


def values(vf) -> dict:
    return {n: f.value for n, f in vf.facts.items() if f.source != "unknown"}


def reason(vf, fact: str) -> str:
    f = vf.facts[fact]
    assert f.source == "unknown", (fact, f.value)
    return f.reason or ""


def comparable(facts: dict, base: str) -> dict:
    out = {}
    for name, d in facts.items():
        d = json.loads(json.dumps(d))
        ev = d.get("evidence") or {}
        ev.pop("time", None)
        ev.pop("elapsed_ms", None)
        out[name] = json.loads(json.dumps(d).replace(base.rstrip("/"), "{base}"))
    return out


def strategy_text(vendors: list[tuple[str, str, dict[str, str]]]) -> str:
    parts = ['[organisation]\nname = "Test"\n\n[goals]\nparticipation = 5\n'
             'self_organisation = 4\nknowledge_sharing = 5\nexternal_reach = 2\nadaptability = 3\n']
    for name, url, creds in vendors:
        table = ", ".join(f'{k} = "{v}"' for k, v in creds.items())
        parts.append(f'[[vendors]]\nname = "{name}"\nplatform = "matrix"\nurl = "{url}"\n'
                     f"credentials = {{ {table} }}\n")
    return "\n".join(parts)


def assert_clean_recording(path: Path, secrets: list[str]) -> None:
    text = path.read_text()
    for s in secrets:
        assert s not in text, f"secret in {path.name}"
    assert not re.search(r"127\.0\.0\.1:\d+", text), f"loopback address in {path.name}"
    assert "syt_" not in text, f"a Synapse access token in {path.name}"
    assert not re.search(r'access_token\\?": ?\\?"(?!REDACTED)', text), path.name
    assert "Authorization" not in text


# --------------------------------------------------------------------------- live


@pytest.mark.parametrize("config", ["open", "closed"])
def test_live_configurations(config, request):
    server = request.getfixturevalue(f"synapse_{config}")
    names, env = token_only(server)
    vf = probe(server.url, names, env)
    assert_facts(vf, EXPECTED[config])
    assert_evidence(vf)
    assert vf.complete, vf.problems
    if config == "open":  # federates with anyone: no allow-list to observe, never "none"
        restriction = vf.facts["sharing.domain_restriction"]
        assert restriction.source == "unknown"
        assert restriction.reason.startswith("no federation allow-list refused zahnrad.invalid")
    got = values(vf)
    assert re.match(r"1\.\d+\.\d+", got["platform.version"])
    assert re.fullmatch(r"v1\.\d+", got["platform.api_version"])
    assert "v1.1" in got["x-matrix.spec_versions"] and "r0.6.1" in got["x-matrix.spec_versions"]
    assert got["x-matrix.homeserver_base_url"].rstrip("/") == server.url
    assert got["x-matrix.room_version_default"] in got["x-matrix.room_versions"]
    # Synapse since 1.99 is AGPL (declared with the licence file as evidence).
    assert got["licence.spdx"] == "AGPL-3.0-only"
    assert "element-hq/synapse" in vf.facts["licence.spdx"].evidence.url
    # Synapse implements server-side search (declared once the implementation is known).
    assert vf.facts["search.api"].source == "declared" and got["search.api"] is True
    assert "no SSO login flow" in reason(vf, "sso.protocols")
    assert "no /.well-known/matrix/server delegation" in reason(vf, "x-matrix.server_delegation")
    assert server.cred("access_token") not in json.dumps(vf.as_dict())


def test_live_evidence_of_registration_and_federation(synapse_open, synapse_closed):
    vf = probe(synapse_open.url, *token_only(synapse_open))
    ev = vf.facts["signup.open"].evidence
    assert (ev.method, ev.status) == ("POST", 401)
    assert ev.url.endswith("/_matrix/client/v3/register")
    assert "m.login.dummy" in ev.excerpt and "session" not in ev.excerpt
    ev = vf.facts["federation.enabled"].evidence
    assert ev.status == 200 and ev.url.endswith("/_matrix/federation/v1/version")
    vf = probe(synapse_closed.url, *token_only(synapse_closed))
    ev = vf.facts["signup.open"].evidence
    assert ev.status == 403 and "Registration has been disabled" in ev.excerpt
    ev = vf.facts["federation.enabled"].evidence
    assert ev.status == 404 and "M_UNRECOGNIZED" in ev.path
    # Closed: the implementation comes from Synapse's own version endpoint instead.
    assert vf.facts["platform.version"].evidence.url.endswith("/_synapse/admin/v1/server_version")


def test_live_password_login_logs_out_again(synapse_open):
    names, env = password_only(synapse_open)
    vf = probe(synapse_open.url, names, env)
    assert_facts(vf, {k: EXPECTED["open"][k] for k in MEMBER_FACTS if k in EXPECTED["open"]})
    assert values(vf)["x-matrix.room_version_default"] in values(vf)["x-matrix.room_versions"]
    devices = requests.get(f"{synapse_open.url}/_matrix/client/v3/devices", timeout=30,
                           headers={"Authorization": f"Bearer {synapse_open.cred('access_token')}"})
    assert devices.status_code == 200
    assert "zahnrad probe" not in [d.get("display_name") for d in devices.json()["devices"]]
    assert synapse_open.cred("password") not in json.dumps(vf.as_dict())


def test_live_wrong_password(synapse_closed):
    names, env = password_only(synapse_closed)
    env[names["password"]] = "wrong"
    vf = probe(synapse_closed.url, names, env)
    for fact in MEMBER_FACTS:
        r = reason(vf, fact)
        assert "member login was refused" in r and "M_FORBIDDEN" in r, r
    assert values(vf)["signup.open"] is False  # anonymous facts are unaffected


def test_live_wrong_token(synapse_open):
    names, _ = token_only(synapse_open)
    vf = probe(synapse_open.url, names, {names["access_token"]: "syt_not_a_valid_token"})
    for fact in MEMBER_FACTS:
        assert "access token was refused (HTTP 401 M_UNKNOWN_TOKEN" in reason(vf, fact)
    assert "syt_not_a_valid_token" not in json.dumps(vf.as_dict())


def test_live_without_credentials(synapse_open):
    vf = probe(synapse_open.url)
    for fact in (*MEMBER_FACTS, "spaces.public_count"):
        assert "no member credentials configured" in reason(vf, fact)
    assert values(vf)["x-matrix.public_directory_anonymous"] is False


def test_live_evaluate_open_and_closed_differ(synapse_open, synapse_closed, tmp_path,
                                              monkeypatch):
    servers = {"open": synapse_open, "closed": synapse_closed}
    vendors = []
    for c, s in servers.items():
        names, env = token_only(s)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        vendors.append((f"Matrix {c}", s.url, names))
    path = tmp_path / "strategy.toml"
    path.write_text(strategy_text(vendors))
    assert cli_main(["evaluate", str(path), "-o", str(tmp_path / "run"), "-q"]) == 0
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    aspects = {v["name"]: v["aspects"] for v in results["vendors"]}
    # Self-registration (editability) and federation (integration) set them apart.
    assert aspects["Matrix open"]["editability"] > aspects["Matrix closed"]["editability"]
    assert aspects["Matrix open"]["integration"] > aspects["Matrix closed"]["integration"]
    facts = json.loads((tmp_path / "run" / "facts.json").read_text())
    by = {v["name"]: {f["fact"]: f["value"] for f in v["facts"]} for v in facts["vendors"]}
    assert (by["Matrix open"]["signup.open"], by["Matrix closed"]["signup.open"]) == (True, False)
    assert (by["Matrix open"]["federation.protocol"],
            by["Matrix closed"]["federation.protocol"]) == ("matrix", "none")


DEMO_VENDORS = {"open": "Matrix (open)", "closed": "Matrix (closed)"}
TEST_VENDORS = {"password": "Matrix (password login)", "wrong-password": "Matrix (wrong password)"}
WRONG_PASSWORD_ENV = "ZW_MX_WRONG_PASSWORD"


def test_live_record_replay_and_recordings(synapse_open, synapse_closed, tmp_path, monkeypatch):
    """Record live with `zahnrad probe --record`, replay offline elsewhere: the same facts.

    With ZAHNRAD_UPDATE_RECORDINGS=1 the fresh recordings replace the bundled ones (demo:
    open and closed with a member token; tests/recordings/matrix: a password login and a
    wrong password).
    """
    vendors = {  # name -> (server, credential names)
        DEMO_VENDORS["open"]: (synapse_open, token_only(synapse_open)[0]),
        DEMO_VENDORS["closed"]: (synapse_closed, token_only(synapse_closed)[0]),
        TEST_VENDORS["password"]: (synapse_open, password_only(synapse_open)[0]),
        TEST_VENDORS["wrong-password"]: (synapse_closed,
                                         dict(password_only(synapse_closed)[0],
                                              password=WRONG_PASSWORD_ENV)),
    }
    env = {k: v for s in (synapse_open, synapse_closed) for k, v in s.credentials.items()}
    env[WRONG_PASSWORD_ENV] = "wrong-" + synapse_closed.cred("password")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    path = tmp_path / "strategy.toml"
    path.write_text(strategy_text([(n, s.url, c) for n, (s, c) in vendors.items()]))
    rec = tmp_path / "rec"
    assert cli_main(["probe", str(path), "-o", str(tmp_path / "live"), "--record", str(rec),
                     "-q"]) == 0
    live = json.loads((tmp_path / "live" / "facts.json").read_text())
    files = {n: rec / f"{filename(n)}.json" for n in vendors}
    for file in files.values():
        assert_clean_recording(file, [v for v in env.values() if len(v) >= 8])

    for k in env:
        monkeypatch.delenv(k)
    urls = {n: f"https://{filename(n).lower()}.example" for n in vendors}
    other = tmp_path / "other.toml"
    other.write_text(strategy_text([(n, urls[n], c) for n, (_, c) in vendors.items()]))
    replayed = probe_strategy(load_strategy(other), replay=rec, quiet=True)
    for n, (s, _) in vendors.items():
        lv = next(v for v in live["vendors"] if v["name"] == n)
        live_facts = comparable({f["fact"]: f for f in lv["facts"]}, s.url)
        rv = {k: f.as_dict() for k, f in replayed.vendors[n].facts.items()}
        assert comparable(rv, urls[n]) == live_facts, n
    assert_facts(replayed.vendors[DEMO_VENDORS["open"]], EXPECTED["open"])
    assert_facts(replayed.vendors[DEMO_VENDORS["closed"]], EXPECTED["closed"])

    if os.environ.get(UPDATE_ENV) == "1":
        RECORDINGS.mkdir(parents=True, exist_ok=True)
        for n, file in files.items():
            target = DEMO / "recordings" if n in DEMO_VENDORS.values() else RECORDINGS
            shutil.copy(file, target / file.name)


# --------------------------------------------------------------------------- bundled recordings


def replay_recording(name: str, directory: Path, credentials: dict[str, str]):
    vendor = Vendor(name=name, platform="matrix", url="https://chat.muster.example",
                    credentials=credentials)
    strategy = strategy_for([vendor])
    return probe_strategy(strategy, replay=directory, quiet=True).vendors[name]


@pytest.mark.parametrize("config", ["open", "closed"])
def test_demo_recording_replays_to_the_live_facts(config):
    demo = load_strategy(DEMO / "strategy.toml")
    name = DEMO_VENDORS[config]
    vendor = next(v for v in demo.vendors if v.name == name)
    demo.vendors = [vendor]
    vf = probe_strategy(demo, replay=DEMO / "recordings", quiet=True).vendors[name]
    assert vf.complete, vf.problems
    assert_facts(vf, EXPECTED[config])
    assert_evidence(vf)
    assert values(vf)["x-matrix.homeserver_base_url"].rstrip("/") == vendor.url


def test_recorded_password_login_replays_offline():
    vf = replay_recording(TEST_VENDORS["password"], RECORDINGS,
                          {"username": "MX_USER", "password": "MX_PASSWORD"})
    assert_facts(vf, EXPECTED["open"])


def test_recorded_wrong_password_replays_offline():
    vf = replay_recording(TEST_VENDORS["wrong-password"], RECORDINGS,
                          {"username": "MX_USER", "password": "MX_PASSWORD"})
    for fact in MEMBER_FACTS:
        assert "member login was refused" in reason(vf, fact)
    assert values(vf)["federation.enabled"] is False


@pytest.mark.parametrize("name", [*DEMO_VENDORS.values(), *TEST_VENDORS.values()])
def test_bundled_recording_is_clean(name):
    folder = DEMO / "recordings" if name in DEMO_VENDORS.values() else RECORDINGS
    file = folder / f"{filename(name)}.json"
    assert_clean_recording(file, [])
    data = json.loads(file.read_text())
    assert data["vendor"] == name and data["platform"] == "matrix"


# --------------------------------------------------------------------------- offline: fakes


class FakeHomeserver:
    """A homeserver as the Matrix spec describes it; each knob is one deployment choice."""

    TOKEN = "syt_bWVtYmVy_FakeMemberToken_123"

    def __init__(self, *, versions=("r0.6.1", "v1.1", "v1.11"), flows=None,
                 register=(401, {"session": "abcdefghijklmnop",
                                 "flows": [{"stages": ["m.login.dummy"]}], "params": {}}),
                 guest=(403, {"errcode": "M_FORBIDDEN", "error": "Guest access is disabled"}),
                 federation=(200, {"server": {"name": "Synapse", "version": "1.98.0"}}),
                 well_known_server=None, auth_metadata=None, html_versions=False,
                 protocols=None, public_anonymous=False):
        self.versions, self.flows = list(versions), flows or [{"type": "m.login.password"}]
        self.register, self.guest, self.federation = register, guest, federation
        self.well_known_server, self.auth_metadata = well_known_server, auth_metadata
        self.html_versions, self.protocols = html_versions, protocols or {}
        self.public_anonymous = public_anonymous
        self.requests: list[tuple[str, str, str | None]] = []

    @staticmethod
    def reply(status: int, body) -> tuple[int, dict, str]:
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    def handle(self, request):
        parts = urlsplit(request.url)
        path, query = parts.path, parts.query
        auth = request.headers.get("Authorization")
        self.requests.append((request.method, path + ("?" + query if query else ""), auth))
        member = auth == f"Bearer {self.TOKEN}"
        unrecognized = self.reply(404, {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized"})
        if path == "/_matrix/client/versions":
            if self.html_versions:
                return 200, {"Content-Type": "text/html"}, "<!DOCTYPE html><html>Login</html>"
            return self.reply(200, {"versions": self.versions, "unstable_features": {}})
        if path.startswith("/.well-known/matrix/"):
            doc = path.rsplit("/", 1)[1]
            if doc == "client":
                return self.reply(200, {"m.homeserver": {"base_url": BASE + "/"}})
            if doc == "server" and self.well_known_server:
                return self.reply(200, {"m.server": self.well_known_server})
            return 404, {"Content-Type": "text/plain"}, "404"
        if path == "/_matrix/federation/v1/version":
            return self.reply(*self.federation)
        if path == "/_synapse/admin/v1/server_version":
            return self.reply(200, {"server_version": "1.98.0"})
        if path == "/_matrix/client/v1/auth_metadata":
            return self.reply(200, self.auth_metadata) if self.auth_metadata else unrecognized
        m = re.fullmatch(r"/_matrix/client/(v3|r0)/(.+)", path)
        if not m:
            return unrecognized
        endpoint = m.group(2)
        if endpoint == "login":
            return self.reply(200, {"flows": self.flows})
        if endpoint == "register":
            return self.reply(*(self.guest if "kind=guest" in query else self.register))
        if endpoint == "logout":
            return self.reply(200, {})
        if not member and not (endpoint == "publicRooms" and self.public_anonymous):
            return self.reply(401, {"errcode": "M_MISSING_TOKEN", "error": "Missing token"})
        if endpoint == "account/whoami":
            return self.reply(200, {"user_id": "@anna:example.org", "is_guest": False})
        if endpoint == "capabilities":
            return self.reply(200, {"capabilities": {
                "m.change_password": {"enabled": False},
                "m.room_versions": {"default": "10", "available": {
                    "9": "stable", "10": "stable", "org.matrix.msc1234": "unstable"}}}})
        if endpoint == "thirdparty/protocols":
            return self.reply(200, self.protocols)
        if endpoint == "publicRooms":
            if "server=" in query:
                return self.reply(502, {"errcode": "M_UNKNOWN", "error": "Failed to fetch"})
            return self.reply(200, {"chunk": [{"room_id": "!a:example.org"}],
                                    "total_room_count_estimate": 7})
        return unrecognized

    def install(self, rsps: responses.RequestsMock, *hosts: str) -> None:
        for host in (BASE, *hosts):
            for method in ("GET", "POST"):
                rsps.add_callback(method, re.compile(re.escape(host) + r"/.*"),
                                  callback=self.handle)


CREDS = {"access_token": "MX_TOKEN"}
ENV = {"MX_TOKEN": FakeHomeserver.TOKEN}


def fake_probe(server: FakeHomeserver, *hosts: str, creds=None, env=None, options=None):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install(rsps, *hosts)
        return probe(BASE, CREDS if creds is None else creds, ENV if env is None else env,
                     options=options)


def test_sso_identity_providers_and_protocols():
    flows = [{"type": "m.login.sso", "identity_providers": [
        {"id": "oidc-keycloak", "name": "Keycloak", "brand": None},
        {"id": "saml", "name": "Corporate SAML"}]}, {"type": "m.login.token"}]
    vf = fake_probe(FakeHomeserver(flows=flows))
    assert_facts(vf, {"sso.protocols": ["oidc", "saml"],
                         "sso.identity_providers": ["corporate saml", "keycloak"],
                         "x-matrix.login_flows": ["m.login.sso", "m.login.token"],
                         "platform.version": "1.98.0", "licence.spdx": "Apache-2.0"})
    assert vf.facts["sso.protocols"].evidence.url == f"{BASE}/_matrix/client/v3/login"


def test_registration_token_is_not_open_signup():
    register = (401, {"session": "x" * 24, "flows": [
        {"stages": ["m.login.registration_token", "m.login.dummy"]}]})
    vf = fake_probe(FakeHomeserver(register=register))
    assert values(vf)["signup.open"] is False
    assert values(vf)["x-matrix.registration_stages"] == ["m.login.dummy",
                                                          "m.login.registration_token"]
    assert "registration_token" in vf.facts["signup.open"].evidence.path


def test_guest_account_is_logged_out_and_its_token_scrubbed():
    guest_token = "syt_Z3Vlc3Q_GuestToken_456789"
    server = FakeHomeserver(guest=(200, {"user_id": "@12:example.org", "access_token": guest_token,
                                         "device_id": "GUEST"}))
    vf = fake_probe(server)
    assert values(vf)["guests.allowed"] is True
    assert ("POST", "/_matrix/client/v3/logout", f"Bearer {guest_token}") in server.requests
    assert guest_token not in json.dumps(vf.as_dict())


def test_delegated_federation_and_member_facts():
    server = FakeHomeserver(
        federation=(404, {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}),
        well_known_server="fed.example.org:443", protocols={"irc": {}, "Telegram": {}},
        public_anonymous=True)
    # The delegated host answers the federation API.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install(rsps)
        rsps.add("GET", "https://fed.example.org:443/_matrix/federation/v1/version",
                 json={"server": {"name": "Conduit", "version": "0.9.0"}})
        vf = probe(BASE, CREDS, ENV)
    assert_facts(vf, {
        "federation.enabled": True, "federation.protocol": "matrix",
        "x-matrix.server_delegation": "fed.example.org:443", "platform.product": "Conduit",
        "platform.version": "0.9.0", "bridges.protocols": ["irc", "telegram"],
        "x-matrix.public_directory_anonymous": True, "spaces.public_count": 7,
        "x-matrix.change_password": False, "x-matrix.set_displayname": True,
        "x-matrix.room_version_default": "10", "x-matrix.room_versions": ["9", "10"],
        "x-matrix.well_known": ["client", "server"],
    })
    assert vf.facts["federation.enabled"].evidence.url.startswith("https://fed.example.org")
    assert "licence.spdx" not in vf.facts  # Conduit's licence is not declared for Synapse
    assert vf.facts["search.api"].source == "unknown"  # nor Synapse's search
    # No allow-list: the homeserver tried to reach the reserved name (502), which proves nothing.
    assert "no federation allow-list refused zahnrad.invalid" in reason(
        vf, "sharing.domain_restriction")
    # The member token never went to the delegated federation host.
    assert all(a is None for m, p, a in server.requests if "federation" in p)


def test_federation_behind_a_proxy_is_unknown_not_false():
    server = FakeHomeserver(federation=(404, "<html>nginx</html>"))
    vf = fake_probe(server)
    r = reason(vf, "federation.enabled")
    assert "did not answer" in r and "options.federation_url" in r
    assert values(vf)["platform.product"] == "Synapse"  # from /_synapse/admin/v1/server_version


def test_federation_url_option():
    server = FakeHomeserver(federation=(404, {"errcode": "M_UNRECOGNIZED", "error": "x"}))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        server.install(rsps)
        rsps.add("GET", "https://matrix.example.org:8448/_matrix/federation/v1/version",
                 json={"server": {"name": "Synapse", "version": "1.120.0"}})
        vf = probe(BASE, CREDS, ENV, options={"federation_url": f"{BASE}:8448"})
    assert values(vf)["federation.enabled"] is True
    assert values(vf)["licence.spdx"] == "AGPL-3.0-only"


def test_oidc_native_server_delegates_signup():
    server = FakeHomeserver(
        auth_metadata={"issuer": "https://auth.example.org/",
                       "authorization_endpoint": "https://auth.example.org/authorize"},
        register=(404, {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}),
        flows=[{"type": "m.login.sso"}])
    vf = fake_probe(server)
    assert values(vf)["sso.protocols"] == ["oidc"]
    assert values(vf)["x-matrix.oidc_issuer"] == "https://auth.example.org/"
    assert "delegated (OIDC) authentication" in reason(vf, "signup.open")
    assert "OIDC provider" in reason(vf, "sso.identity_providers")


def test_old_server_uses_r0_paths_and_leaves_newer_features_unknown():
    server = FakeHomeserver(versions=("r0.5.0", "r0.6.1"))
    vf = fake_probe(server)
    paths = [p for _, p, _ in server.requests]
    assert "/_matrix/client/r0/login" in paths and "/_matrix/client/v3/login" not in paths
    assert values(vf)["platform.api_version"] == "r0.6.1"
    assert values(vf)["edit.delete_own"] is True
    assert "guaranteed from v1.4 on" in reason(vf, "social.threads")
    assert values(vf)["x-matrix.change_password"] is False


def test_html_page_instead_of_json():
    """A login portal in front of the homeserver answers every URL with its HTML page."""
    vf = fake_probe(FakeHomeserver(html_versions=True))
    assert not vf.complete
    assert "not a Matrix client API" in vf.problems[-1]
    for fact in ("api.rest", "signup.open", "federation.enabled", "bridges.protocols"):
        assert "was an HTML page" in reason(vf, fact), fact


def test_no_credentials_leave_member_facts_unknown_with_the_reason():
    vf = fake_probe(FakeHomeserver(), creds={}, env={})
    for fact in MEMBER_FACTS:
        assert reason(vf, fact) == ("no member credentials configured (access_token, or "
                                    "username and password)")


@pytest.mark.parametrize("knob, value, fact, why", [
    ("register", (401, {"session": "x" * 16, "flows": []}), "signup.open",
     "flows that are not lists of stages"),
    ("register", (401, {"flows": [{"stages": "m.login.dummy"}]}), "signup.open",
     "flows that are not lists of stages"),
    ("flows", [{"type": "m.login.sso", "identity_providers": "keycloak"}],
     "sso.identity_providers", "identity_providers is not a list"),
    ("federation", (404, {"errcode": "M_NOT_FOUND"}), "federation.enabled", "did not answer"),
    ("guest", (500, {"errcode": "M_UNKNOWN"}), "guests.allowed", "HTTP 500"),
])
def test_unclear_answers_never_become_false(knob, value, fact, why):
    vf = fake_probe(FakeHomeserver(**{knob: value}))
    assert why in reason(vf, fact)


def test_malformed_capability_is_unknown_not_default():
    server = FakeHomeserver()
    original = server.handle

    def handle(request):
        if request.url.endswith("/capabilities"):
            return server.reply(200, {"capabilities": {"m.change_password": {"enabled": "no"}}})
        return original(request)

    server.handle = handle
    vf = fake_probe(server)
    assert "is not {\"enabled\": true|false}" in reason(vf, "x-matrix.change_password")
    assert values(vf)["x-matrix.set_displayname"] is True  # absent = the spec's default


def test_declared_facts_name_their_documentation():
    """Every declaration is a catalog fact of the right type, with an https source and a note."""
    assert_declarations_documented("matrix")  # observed or declared, not both
    plat = registry()["matrix"]
    declared = {d.fact: d.value for d in plat.declared}
    assert declared["edit.member"] is False and declared["api.graphql"] is False
    assert declared["mobile.apps"] is True and declared["mobile.push"] is True
