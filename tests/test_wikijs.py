"""Wiki.js 2.x probe pack: anonymous, group-limited API key, full-access key, API switched off.

HTTP is mocked with ``responses``; the answers are modelled on requarks/wiki 2.5: the GraphQL
schemas (server/graph/schemas/*.graphql: field names, types, which fields carry ``@auth``), the
auth directive (a refused field is null and ``errors[].message`` is "Forbidden", HTTP 200),
server/core/auth.js + server/master.js (an API key while the API is off, or a revoked one: HTTP
500 with ``{"data": {}, "errors": [{"message": …, "path": []}]}``) and Apollo Server 2 (a query
the schema does not know: HTTP 400 with the validation message).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import responses

from zahnrad.catalog import load_catalog
from zahnrad.registry import registry
from zahnrad.runner import probe_strategy, probe_vendor
from zahnrad.strategy import Strategy, Vendor
from zahnrad.testing import (
    assert_no_secrets,
    fact_values,
    record_probe,
    recorded_exchanges,
    strategy_for,
    update_recordings,
)
from zahnrad.testing import fact_state as state

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "tests" / "recordings" / "wikijs"
BASE = "https://wiki.acme.example"
# Wiki.js API keys are JWTs signed by the instance (shape only; no real key).
ADMIN_KEY = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcGkiOjEsImdycCI6MSwiaWF0IjoxNzE2MjM5MDIyfQ"
             ".Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkwMTIzNDU2Nzg5")
MEMBER_KEY = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcGkiOjIsImdycCI6MywiaWF0IjoxNzE2MjM5MDIyfQ"
              ".QW5vdGhlckJvZ3VzU2lnbmF0dXJlRm9yVGVzdHMwMTIzNDU")

STRATEGIES = {"data": {"authentication": {"activeStrategies": [
    {"key": "local", "displayName": "Local", "isEnabled": True, "selfRegistration": False,
     "strategy": {"key": "local", "title": "Local Database", "useForm": True}},
    {"key": "5f1b2c3d-8e9a-4b7c-9d0e-1f2a3b4c5d6e", "displayName": "Acme <b>SSO</b>",
     "isEnabled": True, "selfRegistration": True,
     "strategy": {"key": "keycloak", "title": "Keycloak", "useForm": False}},
    {"key": "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", "displayName": "Active Directory",
     "isEnabled": True, "selfRegistration": False,
     "strategy": {"key": "ldap", "title": "LDAP / Active Directory", "useForm": True}},
]}}}
SITE = {"data": {"site": {"config": {
    "title": "Acme Wiki", "featurePageComments": True, "featurePageRatings": False,
    "authEnforce2FA": False, "uploadMaxFileSize": 5242880}}}}
SYSTEM_INFO = {"data": {"system": {"info": {
    "currentVersion": "2.5.303", "pagesTotal": 412, "usersTotal": 57, "groupsTotal": 4}}}}
EXTENSIONS = {"data": {"system": {"extensions": [
    {"key": "git", "title": "Git", "isInstalled": True, "isCompatible": True},
    {"key": "pandoc", "title": "Pandoc", "isInstalled": False, "isCompatible": True},
    {"key": "puppeteer", "title": "Puppeteer", "isInstalled": False, "isCompatible": True},
    {"key": "sharp", "title": "Sharp", "isInstalled": True, "isCompatible": True}]}}}
RENDERERS = {"data": {"rendering": {"renderers": [
    {"key": "markdownCore", "isEnabled": True}, {"key": "markdownKroki", "isEnabled": False},
    {"key": "htmlCore", "isEnabled": True}, {"key": "htmlMermaid", "isEnabled": True},
    {"key": "htmlAsciinema", "isEnabled": False}]}}}
PROVIDERS = {"data": {"comments": {"providers": [
    {"key": "artalk", "isEnabled": False}, {"key": "commento", "isEnabled": False},
    {"key": "default", "isEnabled": True}, {"key": "disqus", "isEnabled": False}]}}}
GUEST_PAGES = {"data": {"pages": {"list": [{"id": 1}]}}}

# What the anonymous queries and the API-key queries ask (the pack's bodies).
ANSWERS = {
    "activeStrategies": STRATEGIES, "pages{list": GUEST_PAGES, "site{config": SITE,
    "system{info": SYSTEM_INFO, "system{extensions": EXTENSIONS, "rendering{": RENDERERS,
    "comments{providers": PROVIDERS,
}
# Top-level field and the path of the refused field, per @auth-protected query.
FORBIDDEN_PATHS = {"site{config": ["site", "config"], "system{info": ["system", "info"],
                   "system{extensions": ["system"], "rendering{": ["rendering", "renderers"],
                   "comments{providers": ["comments", "providers"], "pages{list": ["pages", "list"]}


def _forbidden(marker: str) -> dict:
    path = FORBIDDEN_PATHS[marker]
    data: dict = {path[0]: None} if len(path) == 1 else {path[0]: {path[1]: None}}
    return {"errors": [{"message": "Forbidden", "locations": [{"line": 1, "column": 2}],
                        "path": path, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}],
            "data": data}


def _wikijs(rs, *, api_enabled: bool = True, guest_read: bool = True, members_limited: bool = True):
    """A Wiki.js 2.5.303 at BASE: the full-access key sees everything, the member key's group
    may read and write pages only, the Guest group may read pages unless ``guest_read`` is off."""

    def graphql(request):
        query = json.loads(request.body)["query"]
        marker = next(m for m in ANSWERS if m in query)
        auth = request.headers.get("Authorization")
        if auth is not None:
            if not api_enabled:
                return 500, {}, json.dumps({"data": {}, "errors": [{
                    "message": "API is disabled. You must enable it from the Administration Area first.",
                    "path": []}]})
            if auth not in (f"Bearer {ADMIN_KEY}", f"Bearer {MEMBER_KEY}"):
                return 500, {}, json.dumps({"data": {}, "errors": [{
                    "message": "API Key is invalid or was revoked.", "path": []}]})
            if auth == f"Bearer {MEMBER_KEY}" and members_limited and marker in FORBIDDEN_PATHS:
                return 200, {}, json.dumps(_forbidden(marker))
            return 200, {}, json.dumps(ANSWERS[marker])
        # The Guest user: no @auth on activeStrategies; pages.list needs read:pages.
        if marker == "activeStrategies" or (marker == "pages{list" and guest_read):
            return 200, {}, json.dumps(ANSWERS[marker])
        return 200, {}, json.dumps(_forbidden(marker))

    rs.add_callback("POST", f"{BASE}/graphql", callback=graphql, content_type="application/json")


def wikijs():
    return registry()["wikijs"]


def probe(*, key: str | None = None, name: str = "Wiki.js"):
    creds = {"api_key": "WIKIJS_KEY"} if key else {}
    v = Vendor(name=name, platform="wikijs", url=BASE, credentials=creds, timeout=2.0, deadline=10.0)
    return probe_vendor(v, wikijs(), load_catalog(), environ={"WIKIJS_KEY": key} if key else {})


ADMIN_FACTS = ("site.title", "social.comments", "x-wikijs.page_ratings", "auth.mfa_enforceable",
               "x-wikijs.enforce_2fa", "x-wikijs.upload_max_bytes", "platform.version",
               "content.pages_total", "activity.users_total", "roles.count",
               "x-wikijs.system_extensions", "x-wikijs.renderers", "x-wikijs.comment_provider")


def test_wikijs_is_a_builtin_pack_plugin():
    p = wikijs()
    assert (p.plugin, p.kind, p.display_name) == ("wikijs", "wiki", "Wiki.js")
    assert p.distribution.startswith("zahnrad (built-in)")
    assert p.credentials.keys() == {"api_key"}
    assert set(ADMIN_FACTS) <= set(p.facts)


def test_anonymous_only():
    with responses.RequestsMock() as rs:
        _wikijs(rs)
        vf = probe(name="Wiki.js (anonymous)")
        sent = [(c.request.headers.get("Authorization"), json.loads(c.request.body)["query"])
                for c in rs.calls]
    assert [s[0] for s in sent] == [None, None]  # only the two anonymous queries are sent
    assert vf.complete and vf.problems == []
    assert state(vf, "api.graphql") == ("observed", True, None)
    assert state(vf, "x-wikijs.auth_strategies") == ("observed", ["local", "keycloak", "ldap"], None)
    assert state(vf, "signup.open") == ("observed", True, None)  # Keycloak with self-registration
    assert state(vf, "sso.protocols") == ("observed", ["oidc", "ldap"], None)
    assert state(vf, "sso.identity_providers") == ("observed", ["keycloak"], None)
    assert state(vf, "access.anonymous_read") == ("observed", True, None)
    ev = vf.facts["signup.open"].evidence
    assert (ev.url, ev.method, ev.status) == (f"{BASE}/graphql", "POST", 200)
    for fact in ADMIN_FACTS:
        assert state(vf, fact) == (
            "unknown", None, "needs the 'api_key' credential, which the strategy does not give for this vendor")
    # Documented facts hold without any request.
    assert vf.facts["editor.visual"].source == "declared" and vf.facts["editor.visual"].value is True
    assert vf.facts["licence.open_source"].evidence.url.startswith("https://github.com/requarks/wiki")


def test_full_access_key_sees_site_features_version_and_extensions(monkeypatch):
    with responses.RequestsMock() as rs:
        _wikijs(rs)
        vf = probe(key=ADMIN_KEY, name="Wiki.js (admin key)")
        auths = [c.request.headers.get("Authorization") for c in rs.calls]
    assert auths == [None, None] + [f"Bearer {ADMIN_KEY}"] * 5
    assert vf.complete and vf.problems == []
    assert state(vf, "site.title") == ("observed", "Acme Wiki", None)
    assert state(vf, "social.comments") == ("observed", True, None)
    assert state(vf, "x-wikijs.page_ratings") == ("observed", False, None)
    assert state(vf, "auth.mfa_enforceable") == ("observed", True, None)  # the setting exists
    assert state(vf, "x-wikijs.enforce_2fa") == ("observed", False, None)  # but is off
    assert state(vf, "x-wikijs.upload_max_bytes") == ("observed", 5242880, None)
    assert state(vf, "platform.version") == ("observed", "2.5.303", None)
    assert state(vf, "content.pages_total") == ("observed", 412, None)
    assert state(vf, "activity.users_total") == ("observed", 57, None)
    assert state(vf, "roles.count") == ("observed", 4, None)
    assert state(vf, "x-wikijs.system_extensions") == ("observed", ["git", "sharp"], None)
    assert state(vf, "x-wikijs.renderers") == ("observed", ["markdownCore", "htmlCore", "htmlMermaid"], None)
    assert state(vf, "x-wikijs.comment_provider") == ("observed", "default", None)
    assert ADMIN_KEY not in json.dumps(vf.as_dict())


def test_group_limited_key_leaves_admin_facts_unknown_quoting_forbidden():
    with responses.RequestsMock() as rs:
        _wikijs(rs)
        vf = probe(key=MEMBER_KEY, name="Wiki.js (member key)")
    assert vf.complete  # "Forbidden" is an answer, not a failure
    assert state(vf, "site.title") == (
        "unknown", None, f'data.site.config.title is not in the answer of {BASE}/graphql, which says: '
                         '"Forbidden"')
    for fact in ADMIN_FACTS:
        source, value, reason = state(vf, fact)
        assert (source, value) == ("unknown", None), fact
        assert reason.endswith('which says: "Forbidden"'), (fact, reason)
    # The anonymous part is unaffected.
    assert state(vf, "signup.open") == ("observed", True, None)


def test_guest_without_read_pages_is_a_clear_no():
    with responses.RequestsMock() as rs:
        _wikijs(rs, guest_read=False)
        vf = probe()
    assert state(vf, "access.anonymous_read") == ("observed", False, None)
    assert vf.facts["access.anonymous_read"].evidence.excerpt == '"forbidden"'


def test_empty_page_list_stays_unknown():
    with responses.RequestsMock() as rs:
        _wikijs(rs)
        rs.replace(responses.POST, f"{BASE}/graphql", json={"data": {"pages": {"list": []}}})
        vf = probe()
    assert state(vf, "access.anonymous_read")[0] == "unknown"


@pytest.mark.parametrize("api_enabled,key,message", [
    (False, ADMIN_KEY, "API is disabled. You must enable it from the Administration Area first."),
    (True, "eyJhbGciOiJSUzI1NiJ9.eyJhcGkiOjk5fQ.cmV2b2tlZEtleVNpZ25hdHVyZTAxMjM0NTY3ODk",
     "API Key is invalid or was revoked."),
])
def test_api_switched_off_or_key_revoked_gives_wikijs_reason(api_enabled, key, message):
    with responses.RequestsMock() as rs:
        _wikijs(rs, api_enabled=api_enabled)
        vf = probe(key=key)
    reason = f'HTTP 500 from {BASE}/graphql: "{message}"'
    for fact in ADMIN_FACTS:
        assert state(vf, fact) == ("unknown", None, reason), fact
    assert not vf.complete and reason in vf.problems
    assert state(vf, "sso.protocols")[0] == "observed"  # the guest view still works


@pytest.mark.parametrize("answer,reason_end", [
    ({"status": 404, "body": "<!DOCTYPE html><html><title>Not Found</title></html>",
      "content_type": "text/html"},
     f"no GraphQL endpoint at /graphql (not Wiki.js 2, or a proxy hides it) (HTTP 404 from {BASE}/graphql)"),
    ({"status": 302, "headers": {"Location": f"{BASE}/login"}}, None),
    ({"status": 400, "json": {"errors": [{
        "message": 'Cannot query field "activeStrategies" on type "AuthenticationQuery".',
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]}},
     'which says: "Cannot query field \\"activeStrategies\\" on type \\"AuthenticationQuery\\"."'),
])
def test_hidden_api_or_other_schema_gives_unknowns_never_absences(answer, reason_end):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        rs.add(responses.POST, f"{BASE}/graphql", **answer)
        rs.add(responses.GET, f"{BASE}/login", body="<!DOCTYPE html><html>Login</html>",
               content_type="text/html")
        vf = probe()
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed  # no false, no empty list: only unknowns
    reason = state(vf, "signup.open")[2]
    if reason_end is None:  # a login redirect: the SSO gateway's HTML page is no answer
        assert reason == f"HTTP 200 from {BASE}/login was an HTML page (starts '<!DOCTYPE html><html')"
    elif reason_end.startswith("which says"):
        assert reason.endswith(reason_end.replace('\\"', '"')), reason
    else:
        assert reason == reason_end
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------
VENDORS = {"Wiki.js (anonymous)": None, "Wiki.js (member key)": MEMBER_KEY,
           "Wiki.js (admin key)": ADMIN_KEY}


def _strategy() -> Strategy:
    vendors = [Vendor(name=n, platform="wikijs", url=BASE,
                      credentials={"api_key": f"ZAHNRAD_WIKIJS_{i}"} if k else {})
               for i, (n, k) in enumerate(VENDORS.items())]
    return strategy_for(vendors)


def _env(monkeypatch) -> None:
    for i, key in enumerate(VENDORS.values()):
        if key:
            monkeypatch.setenv(f"ZAHNRAD_WIKIJS_{i}", key)


def test_recording_is_current_and_free_of_keys(tmp_path, monkeypatch):
    """The committed recordings are what these fixtures record (ZAHNRAD_UPDATE_RECORDINGS=1
    rewrites them)."""
    _env(monkeypatch)
    record_probe(_strategy(), tmp_path, routes=_wikijs)
    update_recordings(tmp_path, RECORDINGS)
    assert recorded_exchanges(tmp_path) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (ADMIN_KEY, MEMBER_KEY, "wiki.acme.example"))


def test_replay_gives_the_live_facts(monkeypatch):
    _env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _wikijs(rs)
        live = probe_strategy(_strategy(), quiet=True)
    for i in range(len(VENDORS)):
        monkeypatch.delenv(f"ZAHNRAD_WIKIJS_{i}", raising=False)
    again = probe_strategy(_strategy(), replay=RECORDINGS, quiet=True)
    for name in VENDORS:
        assert fact_values(live.vendors[name]) == fact_values(again.vendors[name]), name
    assert again.vendors["Wiki.js (admin key)"].facts["platform.version"].value == "2.5.303"


def test_conformance(zahnrad_conformance):
    zahnrad_conformance("wikijs", RECORDINGS).assert_ok()
