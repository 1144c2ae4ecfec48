"""Rocket.Chat: the probe pack and its Python supplement, anonymous, as a member and as an admin.

HTTP is mocked with ``responses``; the answers are modelled on the documented ones
(RocketChat/Rocket.Chat-Open-API settings.yaml, integrations.yaml, marketplace-apps.yaml; the
server's getServerInfo for /api/info and the apps REST routes for /api/apps/installed). The
recording in tests/recordings/rocketchat/ is made from the same fixtures by
``zahnrad probe --record`` (``ZAHNRAD_UPDATE_RECORDINGS=1`` rewrites it).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from zahnrad.catalog import load_catalog
from zahnrad.registry import registry
from zahnrad.runner import probe_vendor
from zahnrad.strategy import Vendor
from zahnrad.testing import (
    assert_no_secrets,
    fact_values,
    record_probe,
    recorded_exchanges,
    replay_vendor,
    update_recordings,
)
from zahnrad.testing import fact_state as state

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "tests" / "recordings" / "rocketchat"
BASE = "https://chat.acme.example"
ADMIN_ID, ADMIN_TOKEN = "Hq5tD2wLb9XnCk3Ra", "RScctEHSmLGZGywfIhWyRpyofhKOiMoUIpimhvheU3f"
MEMBER_ID, MEMBER_TOKEN = "Zp8mQ4vYs1JcNe7Wu", "k2Jd9fQpLx7VbN4mZt6YhR1sWc8GuE3aTo5iKy0nXqP"
CREDS = {"user_id": "ZAHNRAD_ROCKETCHAT_USER_ID", "auth_token": "ZAHNRAD_ROCKETCHAT_AUTH_TOKEN"}
ENV = {"ZAHNRAD_ROCKETCHAT_USER_ID": ADMIN_ID, "ZAHNRAD_ROCKETCHAT_AUTH_TOKEN": ADMIN_TOKEN}
MEMBER_ENV = {"ZAHNRAD_ROCKETCHAT_USER_ID": MEMBER_ID,
              "ZAHNRAD_ROCKETCHAT_AUTH_TOKEN": MEMBER_TOKEN}
JSON_CT = "application/json"

MIN_CLIENTS = {"desktop": "3.9.6", "mobile": "4.39.0"}
INFO = {"version": "7.2", "minimumClientVersions": MIN_CLIENTS, "success": True}
INFO_FULL = {
    "info": {"version": "7.2.1",
             "build": {"date": "2024-12-18T14:02:11.000Z", "nodeVersion": "v20.18.0",
                       "arch": "x64", "platform": "linux", "osRelease": "6.1.0-27-amd64",
                       "totalMemory": 16777216000, "freeMemory": 4123456000, "cpus": 8},
             "marketplaceApiVersion": "1.47.0",
             "commit": {"hash": "a7d4f1c0e9b2", "date": "Wed Dec 18 13:40:00 2024 +0000",
                        "author": "Release Bot", "subject": "Release 7.2.1", "tag": "7.2.1",
                        "branch": "HEAD"}},
    "version": "7.2.1", "minimumClientVersions": MIN_CLIENTS, "success": True,
}
VALUES = {
    "Site_Name": "Acme Chat", "Accounts_RegistrationForm": "Public",
    "Accounts_ManuallyApproveNewUsers": True, "Accounts_AllowAnonymousRead": False,
    "Message_AllowEditing": True, "Message_AllowEditing_BlockEditInMinutes": 0,
    "Message_AllowDeleting": True, "Message_Read_Receipt_Enabled": False,
    "FileUpload_Enabled": True, "FileUpload_MaxFileSize": 104857600, "LDAP_Enable": True,
    "Federation_Matrix_enabled": False, "Threads_enabled": True, "E2E_Enable": False,
}
# Public settings that sort before ours: what an older server (which ignores _id) lists first.
OTHER_PUBLIC = {"API_Embed": True, "API_Drupal_URL": "", "Accounts_AllowDeleteOwnAccount": False,
                "Accounts_AllowEmailChange": True, "Accounts_AllowRealNameChange": True}


def setting(name: str, value) -> dict:
    s = {"_id": name, "value": value, "enterprise": False}
    if name == "Message_Read_Receipt_Enabled":
        s.update(enterprise=True, invalidValue=False, modules=["message-read-receipt"])
    return s


def settings_answer(values: dict) -> dict:
    items = [setting(k, v) for k, v in sorted(values.items())]
    return {"settings": items, "count": len(items), "offset": 0, "total": len(items),
            "success": True}


OAUTH = {"services": [
    {"_id": "google", "name": "google", "clientId": "48151623-acme.apps.googleusercontent.com",
     "buttonLabelText": "", "buttonColor": "", "buttonLabelColor": "", "custom": False},
    {"_id": "Kq3nW8pXzR4vT2yLm", "service": "keycloak", "clientId": "rocketchat", "custom": True,
     "serverURL": "https://sso.acme.example", "tokenPath":
     "/realms/acme/protocol/openid-connect/token", "identityPath":
     "/realms/acme/protocol/openid-connect/userinfo", "authorizePath":
     "/realms/acme/protocol/openid-connect/auth", "scope": "openid email profile",
     "loginStyle": "redirect", "tokenSentVia": "header", "identityTokenSentVia": "default",
     "usernameField": "preferred_username", "mergeUsers": True, "buttonLabelText": "Acme-Login",
     "buttonColor": "#1d74f5", "buttonLabelColor": "#FFFFFF"},
], "success": True}


def app(name: str, status: str, version: str = "1.0.0", n: int = 1) -> dict:
    return {"id": f"c33fa1a{n}-68a7-491e-bf49-9d7b99671c48", "version": version,
            "requiredApiVersion": "^1.44.0", "iconFile": "icon.png",
            "author": {"name": "Rocket.Chat", "homepage": "https://rocket.chat",
                       "support": "https://rocket.chat/support"},
            "name": name, "nameSlug": name.lower().replace(" ", "-"), "classFile": "App.js",
            "description": f"{name} for Rocket.Chat", "implements": [], "permissions": [],
            "status": status, "languages": ["en", "de"], "private": False, "migrated": True,
            "installationSource": "marketplace"}


APPS = {"apps": [app("Jitsi", "auto_enabled", "2.2.1", 1), app("Poll", "manually_enabled", n=2),
                 app("Zoom", "manually_disabled", n=3)], "success": True}
INTEGRATIONS = {"integrations": [
    {"_id": "WMQDChpnYTRmFre9h", "type": "webhook-incoming", "enabled": True,
     "name": "Jenkins", "username": "rocket.cat", "channel": ["#builds"], "scriptEnabled": False,
     "token": "XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk", "userId": "rocket.cat",
     "_createdAt": "2024-05-02T10:00:00.000Z",
     "_createdBy": {"username": "it-betrieb", "_id": "R4jgcQaQhvvK6K3iY"},
     "_updatedAt": "2024-05-02T10:00:00.000Z"},
    {"_id": "3aazpZ2WzoBP8msi9", "type": "webhook-outgoing", "enabled": False,
     "name": "Ticket-Bot", "username": "rocket.cat", "urls": ["https://tickets.acme.example/rc"],
     "event": "sendMessage", "triggerWords": ["!ticket"], "scriptEnabled": False,
     "userId": "rocket.cat", "channel": [], "_createdAt": "2024-06-11T08:30:00.000Z",
     "_createdBy": {"username": "it-betrieb", "_id": "R4jgcQaQhvvK6K3iY"},
     "_updatedAt": "2024-06-11T08:30:00.000Z"},
], "offset": 0, "items": 2, "total": 2, "success": True}
NOT_LOGGED_IN = {"status": "error", "message": "You must be logged in to do this."}
FORBIDDEN = {"success": False, "error": "User does not have the permissions required for this "
                                        "action [error-unauthorized]"}
QUERY_REMOVED = {"success": False, "error": "must NOT have additional properties "
                                            "[invalid-params]", "errorType": "invalid-params"}


def rocketchat_server(rs: responses.RequestsMock, *, values: dict | None = None,
                      legacy: bool = False, oauth: dict | None = None) -> None:
    """A Rocket.Chat server as the documented API answers (7.x; 6.x with ``legacy``)."""
    values = VALUES if values is None else values

    def who(request) -> str | None:
        uid, tok = request.headers.get("X-User-Id"), request.headers.get("X-Auth-Token")
        if uid is None and tok is None:
            return "anon"
        return {(ADMIN_ID, ADMIN_TOKEN): "admin", (MEMBER_ID, MEMBER_TOKEN): "member"}.get(
            (uid, tok))

    def info(request):
        w = who(request)
        if w is None:
            return 401, {}, json.dumps(NOT_LOGGED_IN)
        if legacy:
            short = dict(INFO, version="6.10")
            full = dict(INFO_FULL, version="6.10.2",
                        info=dict(INFO_FULL["info"], version="6.10.2"))
            return 200, {}, json.dumps(full if w == "admin" else short)
        return 200, {}, json.dumps(INFO_FULL if w == "admin" else INFO)

    def settings_public(request):
        q = parse_qs(urlsplit(request.url).query)
        if "query" in q:
            if not legacy:
                return 400, {}, json.dumps(QUERY_REMOVED)
            wanted = json.loads(q["query"][0])["_id"]["$in"]
            return 200, {}, json.dumps(settings_answer({k: values[k] for k in wanted
                                                        if k in values}))
        if "_id" in q and not legacy:
            wanted = q["_id"][0].split(",")
            return 200, {}, json.dumps(settings_answer({k: values[k] for k in wanted
                                                        if k in values}))
        # Older servers ignore _id: the first page of all public settings, sorted by _id.
        first = {**OTHER_PUBLIC, **{k: v for k, v in values.items() if k.startswith("Acc")}}
        return 200, {}, json.dumps(settings_answer(first))

    def logged_in(answer: dict, admin_only: bool = False):
        def callback(request):
            w = who(request)
            if w is None or w == "anon":
                return 401, {}, json.dumps(NOT_LOGGED_IN)
            if admin_only and w != "admin":
                return 403, {}, json.dumps(FORBIDDEN)
            return 200, {}, json.dumps(answer)
        return callback

    rs.add_callback("GET", f"{BASE}/api/info", callback=info, content_type=JSON_CT)
    rs.add_callback("GET", f"{BASE}/api/v1/settings.public", callback=settings_public,
                    content_type=JSON_CT)
    rs.get(f"{BASE}/api/v1/settings.oauth", json=oauth or OAUTH)
    rs.add_callback("GET", f"{BASE}/api/apps/installed", callback=logged_in(APPS),
                    content_type=JSON_CT)
    rs.add_callback("GET", f"{BASE}/api/v1/integrations.list",
                    callback=logged_in(INTEGRATIONS, admin_only=True), content_type=JSON_CT)


def rocketchat():
    return registry()["rocketchat"]


def run(*, creds: dict | None = None, env: dict | None = None, name: str = "Rocket.Chat",
        **server):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        rocketchat_server(rs, **server)
        v = Vendor(name=name, platform="rocketchat", url=BASE, credentials=creds or {},
                   timeout=2.0, deadline=10.0)
        vf = probe_vendor(v, rocketchat(), load_catalog(), environ=env or {})
        calls = [c.request.url.removeprefix(BASE).split("?")[0] for c in rs.calls]
    return vf, calls


def test_rocketchat_is_a_builtin_plugin_built_on_its_pack():
    p = rocketchat()
    assert (p.plugin, p.kind, p.display_name) == ("rocketchat", "team chat", "Rocket.Chat")
    assert p.credentials.keys() == {"user_id", "auth_token"}
    assert {"sso.protocols", "upload.max_size_mb", "signup.open"} <= set(p.facts)


# -- anonymous ---------------------------------------------------------------------------------------
def test_anonymous_on_rocketchat_7():
    vf, calls = run(name="Rocket.Chat (anonymous)")
    assert calls == ["/api/info", "/api/v1/settings.public", "/api/v1/settings.public",
                     "/api/v1/settings.oauth"]  # each request once, none twice for the supplement
    assert vf.complete and vf.problems == []
    assert state(vf, "platform.product") == ("observed", "Rocket.Chat", None)
    assert state(vf, "platform.version") == ("observed", "7.2", None)  # no patch level anonymously
    assert state(vf, "site.title") == ("observed", "Acme Chat", None)
    assert state(vf, "signup.open") == ("observed", False, None)  # public form, but approval
    assert state(vf, "access.anonymous_read") == ("observed", False, None)
    assert state(vf, "edit.own_posts") == ("observed", True, None)
    assert state(vf, "edit.window_minutes") == ("observed", 525600, None)
    assert state(vf, "edit.delete_own") == ("observed", True, None)
    assert state(vf, "privacy.read_receipts") == ("observed", False, None)
    assert state(vf, "upload.files") == ("observed", True, None)
    assert state(vf, "x-rocketchat.max_file_size_bytes") == ("observed", 104857600, None)
    assert state(vf, "upload.max_size_mb") == ("observed", 104.9, None)
    assert state(vf, "x-rocketchat.ldap_enabled") == ("observed", True, None)
    assert state(vf, "federation.enabled") == ("observed", False, None)
    assert state(vf, "federation.protocol") == ("observed", "none", None)
    assert state(vf, "social.threads") == ("observed", True, None)
    assert state(vf, "x-rocketchat.e2e_encryption") == ("observed", False, None)
    assert state(vf, "sso.identity_providers") == ("observed", ["google", "keycloak"], None)
    assert state(vf, "sso.protocols") == ("observed", ["oauth2", "ldap"], None)
    ev = vf.facts["sso.protocols"].evidence
    assert (ev.url, ev.status) == (f"{BASE}/api/v1/settings.oauth", 200)
    assert json.loads(ev.excerpt) == {"services": ["google", "keycloak"], "LDAP_Enable": True}
    ev = vf.facts["signup.open"].evidence
    assert ev.url.startswith(f"{BASE}/api/v1/settings.public?_id=Site_Name,")
    need = ("needs the 'user_id' credential, which the strategy does not give for this vendor; "
            "needs the 'auth_token' credential, which the strategy does not give for this vendor")
    assert state(vf, "extensions.installed") == ("unknown", None, need)
    assert state(vf, "x-rocketchat.integrations_count") == ("unknown", None, need)
    assert vf.facts["licence.model"].value == "open_core"


def test_anonymous_on_rocketchat_6_uses_the_query_parameter():
    vf, _ = run(legacy=True)
    assert vf.complete
    assert state(vf, "platform.version") == ("observed", "6.10", None)
    # The _id filter is ignored there; Accounts_* happen to be on the first page, the rest
    # comes from the query request: every value is the server's own.
    assert vf.facts["signup.open"].evidence.url.startswith(f"{BASE}/api/v1/settings.public?_id=")
    assert "query=" in vf.facts["edit.window_minutes"].evidence.url
    assert state(vf, "edit.window_minutes") == ("observed", 525600, None)
    assert state(vf, "upload.max_size_mb") == ("observed", 104.9, None)
    assert state(vf, "sso.protocols") == ("observed", ["oauth2", "ldap"], None)


@pytest.mark.parametrize("changes,fact,value", [
    ({"Accounts_ManuallyApproveNewUsers": False}, "signup.open", True),
    ({"Accounts_RegistrationForm": "Secret URL", "Accounts_ManuallyApproveNewUsers": False},
     "signup.open", False),
    ({"Message_AllowEditing_BlockEditInMinutes": 15}, "edit.window_minutes", 15),
    ({"Message_AllowEditing": False}, "edit.window_minutes", 0),
    ({"Federation_Matrix_enabled": True}, "federation.protocol", "matrix"),
    ({"LDAP_Enable": False}, "sso.protocols", ["oauth2"]),
])
def test_settings_read(changes, fact, value):
    vf, _ = run(values={**VALUES, **changes})
    assert state(vf, fact) == ("observed", value, None)


def test_saml_login_and_no_services():
    saml = {"services": [{"_id": "saml_acme", "service": "saml", "custom": False,
                          "buttonLabelText": "Acme SAML", "entryPoint":
                          "https://idp.acme.example/sso"}], "success": True}
    vf, _ = run(oauth=saml, values={**VALUES, "LDAP_Enable": False})
    assert state(vf, "sso.protocols") == ("observed", ["saml"], None)
    assert state(vf, "sso.identity_providers") == ("observed", ["saml"], None)
    vf, _ = run(oauth={"services": [], "success": True}, values={**VALUES, "LDAP_Enable": False})
    assert state(vf, "sso.protocols") == ("observed", [], None)
    assert state(vf, "sso.identity_providers") == ("observed", [], None)


def test_settings_a_server_does_not_publish_stay_unknown():
    values = {k: v for k, v in VALUES.items()
              if k not in ("LDAP_Enable", "Accounts_ManuallyApproveNewUsers")}
    values["FileUpload_MaxFileSize"] = -1
    vf, _ = run(values=values)
    assert state(vf, "signup.open")[0] == "unknown"
    assert state(vf, "sso.protocols") == (
        "unknown", None, f"LDAP_Enable is not in the answer of {BASE}/api/v1/settings.public; "
                         f"HTTP 400 from {BASE}/api/v1/settings.public")
    assert state(vf, "upload.max_size_mb") == (
        "unknown", None, "FileUpload_MaxFileSize is -1: no limit, which is no number of megabytes")
    assert state(vf, "edit.own_posts") == ("observed", True, None)


# -- logged in ---------------------------------------------------------------------------------------
def test_administrator_token():
    vf, calls = run(creds=CREDS, env=ENV, name="Rocket.Chat (admin)")
    assert calls.count("/api/info") == 2
    assert vf.complete and vf.problems == []
    assert state(vf, "platform.version") == ("observed", "7.2.1", None)
    assert vf.facts["platform.version"].evidence.path == "info.version || version"
    assert state(vf, "extensions.installed") == ("observed", ["Jitsi", "Poll", "Zoom"], None)
    assert state(vf, "extensions.count") == ("observed", 3, None)
    assert state(vf, "x-rocketchat.apps_enabled") == ("observed", ["Jitsi", "Poll"], None)
    assert state(vf, "x-rocketchat.integrations_count") == ("observed", 2, None)
    dumped = json.dumps(vf.as_dict())
    assert ADMIN_TOKEN not in dumped and ADMIN_ID not in dumped
    assert "XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk" not in dumped  # a webhook token


def test_member_token_sees_apps_but_not_integrations():
    vf, _ = run(creds=CREDS, env=MEMBER_ENV)
    assert vf.complete
    assert state(vf, "platform.version") == ("observed", "7.2", None)  # no view-statistics
    assert state(vf, "extensions.count") == ("observed", 3, None)
    assert state(vf, "x-rocketchat.integrations_count") == (
        "unknown", None, "only users with the manage-(own-)incoming/outgoing-integrations "
                         "permissions (administrators by default) see the integrations (HTTP 403 "
                         f"from {BASE}/api/v1/integrations.list)")


def test_rejected_token():
    env = dict(ENV, ZAHNRAD_ROCKETCHAT_AUTH_TOKEN="not-the-token-0123456789")
    vf, _ = run(creds=CREDS, env=env)
    assert vf.complete
    reason = (f"the user id and personal access token were not accepted (HTTP 401 from "
              f"{BASE}/api/apps/installed)")
    assert state(vf, "extensions.installed") == ("unknown", None, reason)
    # The full version falls back to the anonymous one (the admin request was refused).
    assert state(vf, "platform.version") == ("observed", "7.2", None)


# -- switched off or hidden --------------------------------------------------------------------------
@pytest.mark.parametrize("answer,why", [
    ({"status": 404, "body": "Cannot GET /api/info", "content_type": "text/html"},
     "no Rocket.Chat API at this address (or a proxy hides /api)"),
    ({"status": 200, "body": "<!DOCTYPE html><html><title>Login</title></html>",
      "content_type": "text/html"}, "was an HTML page"),
    ({"status": 403, "json": {"message": "Forbidden by the proxy"}},
     '"Forbidden by the proxy"'),
])
def test_api_hidden_gives_unknowns_with_reasons_never_absences(answer, why):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for path in ("api/info", "api/v1/settings.public", "api/v1/settings.oauth",
                     "api/apps/installed", "api/v1/integrations.list"):
            rs.add(responses.GET, f"{BASE}/{path}", **answer)
        v = Vendor(name="Hidden", platform="rocketchat", url=BASE, credentials=CREDS,
                   timeout=2.0, deadline=10.0)
        vf = probe_vendor(v, rocketchat(), load_catalog(), environ=ENV)
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert why in state(vf, "platform.version")[2]
    for fact in ("sso.protocols", "upload.max_size_mb", "signup.open", "extensions.count"):
        assert state(vf, fact)[0] == "unknown" and state(vf, fact)[2]
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------------
VENDORS = [  # what the committed recordings hold
    Vendor(name="Rocket.Chat (anonymous)", platform="rocketchat", url=BASE),
    Vendor(name="Rocket.Chat (admin)", platform="rocketchat", url=BASE, credentials=CREDS),
]


def test_recording_is_current_and_free_of_credentials(tmp_path):
    folder = tmp_path / "rec"
    facts = record_probe(VENDORS, folder, routes=rocketchat_server, env=ENV)
    update_recordings(folder, RECORDINGS)
    assert recorded_exchanges(folder) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (ADMIN_TOKEN, ADMIN_ID, "chat.acme.example",
                                   "XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk"))
    assert [v.complete for v in facts.vendors.values()] == [True, True]


def test_replay_gives_the_live_facts():
    live, _ = run(creds=CREDS, env=ENV, name="Rocket.Chat (admin)")
    v = Vendor(name="Rocket.Chat (admin)", platform="rocketchat", url="https://elsewhere.example",
               credentials=CREDS)
    again = replay_vendor(v, RECORDINGS, rocketchat())
    assert fact_values(again) == fact_values(live)


def test_conformance_kit_passes(zahnrad_conformance):
    report = zahnrad_conformance("rocketchat", RECORDINGS)
    report.assert_ok()
    assert set(report.runs) == {"Rocket.Chat (anonymous)", "Rocket.Chat (admin)"}
