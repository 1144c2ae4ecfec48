"""Nextcloud: the probe pack, anonymous, as a member and as an administrator.

HTTP is mocked with ``responses``; the answers are modelled on the documented ones
(nextcloud/server status.php, core/Controller/OCSController.php getCapabilities,
apps/files_sharing/lib/Capabilities.php, the provisioning API's GET /cloud/apps and the OCS error
envelope). The recording in tests/recordings/nextcloud/ is made from the same fixtures by
``zahnrad probe --record`` (``ZAHNRAD_UPDATE_RECORDINGS=1`` rewrites it).
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

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
RECORDINGS = ROOT / "tests" / "recordings" / "nextcloud"
BASE = "https://cloud.acme.example"
MEMBER, MEMBER_PW = "probe.mitglied", "Xk4Rt-9PqLm-Zw2Vn-7HsJd-3GbCy"  # app-password shape
ADMIN, ADMIN_PW = "probe.admin", "Lp8Wq-2NvKr-6TzXm-4YhBs-9DcFj"
MEMBER_CREDS = {"username": "ZAHNRAD_NEXTCLOUD_USERNAME",
                "app_password": "ZAHNRAD_NEXTCLOUD_APP_PASSWORD"}
ADMIN_CREDS = {**MEMBER_CREDS, "admin_username": "ZAHNRAD_NEXTCLOUD_ADMIN_USERNAME",
               "admin_app_password": "ZAHNRAD_NEXTCLOUD_ADMIN_APP_PASSWORD"}
ENV = {"ZAHNRAD_NEXTCLOUD_USERNAME": MEMBER, "ZAHNRAD_NEXTCLOUD_APP_PASSWORD": MEMBER_PW,
       "ZAHNRAD_NEXTCLOUD_ADMIN_USERNAME": ADMIN, "ZAHNRAD_NEXTCLOUD_ADMIN_APP_PASSWORD": ADMIN_PW}
CAPS_URL = f"{BASE}/ocs/v2.php/cloud/capabilities"
APPS_URL = f"{BASE}/ocs/v2.php/cloud/apps"

STATUS = {"installed": True, "maintenance": False, "needsDbUpgrade": False,
          "version": "30.0.4.1", "versionstring": "30.0.4", "edition": "",
          "productname": "Nextcloud", "extendedSupport": False}
VERSION = {"major": 30, "minor": 0, "micro": 4, "string": "30.0.4", "edition": "",
           "extendedSupport": False}
THEMING = {"name": "Acme Cloud", "url": "https://www.acme.example", "slogan": "Dateien sicher teilen",
           "color": "#00679e", "color-text": "#ffffff", "color-element": "#00679e",
           "color-element-bright": "#00679e", "color-element-dark": "#00679e",
           "logo": f"{BASE}/apps/theming/image/logo?useSvg=1&v=4", "background": "#00679e",
           "background-text": "#ffffff", "background-plain": True, "background-default": False,
           "logoheader": f"{BASE}/apps/theming/image/logoheader?v=4",
           "favicon": f"{BASE}/apps/theming/image/favicon?v=4"}
SPREED = {"features": ["audio", "video", "chat-v2", "conversation-v4", "guest-signaling",
                       "breakout-rooms-v1", "federation-v1"],
          "config": {"attachments": {"allowed": True}, "call": {"enabled": True,
                                                                "recording": False},
                     "chat": {"max-length": 32000, "read-privacy": 0}},
          "version": "20.1.3"}
PUBLIC_CAPS = {"bruteforce": {"delay": 0, "allow-listed": False}, "theming": THEMING,
               "spreed": SPREED}
FILES_SHARING = {
    "api_enabled": True,
    "public": {"enabled": True, "password": {"enforced": True, "askForOptionalPassword": False},
               "expire_date": {"enabled": True, "days": 30, "default_days": 7, "enforced": False},
               "multiple_links": True, "expire_date_internal": {"enabled": False},
               "expire_date_remote": {"enabled": False}, "send_mail": False, "upload": True,
               "upload_files_drop": True, "custom_tokens": False},
    "resharing": True, "user": {"send_mail": False, "expire_date": {"enabled": True}},
    "group_sharing": True, "group": {"enabled": True, "expire_date": {"enabled": True}},
    "default_permissions": 31, "exclude_reshare_from_edit": False,
    "federation": {"outgoing": True, "incoming": True, "expire_date": {"enabled": True},
                   "expire_date_supported": {"enabled": True}},
    "sharee": {"minSearchStringLength": 0, "query_lookup_default": False,
               "always_show_unique": True},
}
MEMBER_CAPS = {
    **PUBLIC_CAPS,
    "core": {"pollinterval": 60, "webdav-root": "remote.php/webdav", "reference-api": True,
             "reference-regex": "(\\s|\\n|^)(https?:\\/\\/)((?:[-A-Z0-9+_]+\\.)+[-A-Z]+"
                                "(?:\\/[-A-Z0-9+&@#%?=~_|!:,.;()]*)*)(\\s|\\n|$)",
             "mod-rewrite-working": True},
    "files": {"bigfilechunking": True, "blacklisted_files": [".htaccess"], "undelete": True,
              "versioning": True, "version_labeling": True, "version_deletion": True},
    "activity": {"apiv2": ["filters", "filters-api", "previews", "rich-strings"]},
    "files_sharing": FILES_SHARING,
    "notifications": {"ocs-endpoints": ["list", "get", "delete", "delete-all", "icons",
                                        "rich-strings", "action-web", "user-status", "exists"],
                      "push": ["devices", "object-data", "delete"],
                      "admin-notifications": ["ocs", "cli"]},
    "richdocuments": {"version": "8.5.3", "mimetypes": ["application/vnd.oasis.opendocument.text"],
                      "direct_editing": True, "templates": True, "productName": "Nextcloud Office",
                      "config": {"wopi_url": "https://office.acme.example/",
                                 "public_wopi_url": "https://office.acme.example"}},
    "user_status": {"enabled": True, "restore": True, "supports_emoji": True},
    "dav": {"chunking": "1.0", "bulkupload": "1.0"},
}
APPS = ["activity", "circles", "cloud_federation_api", "comments", "dashboard", "dav",
        "federatedfilesharing", "federation", "files", "files_sharing", "files_trashbin",
        "files_versions", "lookup_server_connector", "notifications", "oauth2", "password_policy",
        "provisioning_api", "richdocuments", "settings", "sharebymail", "spreed", "text",
        "theming", "twofactor_backupcodes", "user_ldap", "user_oidc", "viewer",
        "webhook_listeners", "workflowengine"]


def ocs(data, *, status: str = "ok", code: int = 200, message: str = "OK") -> dict:
    return {"ocs": {"meta": {"status": status, "statuscode": code, "message": message,
                             "totalitems": "", "itemsperpage": ""}, "data": data}}


NOT_LOGGED_IN = ocs([], status="failure", code=997, message="Current user is not logged in")
NOT_ADMIN = ocs([], status="failure", code=403, message="Logged in account must be an admin")


def nextcloud_server(rs: responses.RequestsMock, *, member_caps: dict | None = None,
                     public_caps: dict | None = None, status: dict | None = None) -> None:
    """A Nextcloud 30 server as the documented API answers, registered on ``rs``."""
    def basic(user: str, pw: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()

    def who(request) -> str | None:
        if request.headers.get("OCS-APIRequest") != "true":
            return "no-ocs-header"
        auth = request.headers.get("Authorization")
        if auth is None:
            return "anon"
        return {basic(MEMBER, MEMBER_PW): "member", basic(ADMIN, ADMIN_PW): "admin"}.get(auth)

    def capabilities(request):
        w = who(request)
        if w is None or w == "no-ocs-header":
            return 401, {}, json.dumps(NOT_LOGGED_IN)
        caps = (public_caps or PUBLIC_CAPS) if w == "anon" else (member_caps or MEMBER_CAPS)
        return 200, {}, json.dumps(ocs({"version": VERSION, "capabilities": caps}))

    def apps(request):
        w = who(request)
        if w in (None, "anon", "no-ocs-header"):
            return 401, {}, json.dumps(NOT_LOGGED_IN)
        if w != "admin":
            return 403, {}, json.dumps(NOT_ADMIN)
        return 200, {}, json.dumps(ocs({"apps": APPS}))

    rs.get(f"{BASE}/status.php", json=status or STATUS)
    rs.add_callback("GET", CAPS_URL, callback=capabilities,
                    match=[responses.matchers.query_param_matcher({"format": "json"})],
                    content_type="application/json; charset=utf-8")
    rs.add_callback("GET", APPS_URL, callback=apps,
                    match=[responses.matchers.query_param_matcher({"filter": "enabled",
                                                                   "format": "json"})],
                    content_type="application/json; charset=utf-8")


def nextcloud():
    return registry()["nextcloud"]


def run(*, creds: dict | None = None, env: dict | None = None, name: str = "Nextcloud",
        **server):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        nextcloud_server(rs, **server)
        v = Vendor(name=name, platform="nextcloud", url=BASE, credentials=creds or {},
                   timeout=2.0, deadline=10.0)
        vf = probe_vendor(v, nextcloud(), load_catalog(), environ=env or {})
        calls = [(c.request.url.removeprefix(BASE).split("?")[0],
                  c.request.headers.get("OCS-APIRequest"),
                  c.request.headers.get("Authorization") is not None) for c in rs.calls]
    return vf, calls


def test_nextcloud_is_a_builtin_pack_plugin():
    p = nextcloud()
    assert (p.plugin, p.kind, p.display_name) == ("nextcloud", "file sharing", "Nextcloud")
    assert p.credentials.keys() == {"username", "app_password", "admin_username",
                                    "admin_app_password"}


# -- anonymous ---------------------------------------------------------------------------------------
def test_anonymous_reads_status_and_public_capabilities():
    vf, calls = run(name="Nextcloud (anonymous)")
    assert calls == [("/status.php", None, False),
                     ("/ocs/v2.php/cloud/capabilities", "true", False)]
    assert vf.complete and vf.problems == []
    assert state(vf, "platform.product") == ("observed", "Nextcloud", None)
    assert state(vf, "platform.version") == ("observed", "30.0.4", None)
    assert state(vf, "x-nextcloud.maintenance") == ("observed", False, None)
    assert state(vf, "x-nextcloud.extended_support") == ("observed", False, None)
    assert state(vf, "site.title") == ("observed", "Acme Cloud", None)
    assert state(vf, "branding.custom") == ("observed", True, None)
    assert state(vf, "x-nextcloud.talk_version") == ("observed", "20.1.3", None)
    ev = vf.facts["site.title"].evidence
    assert ev.url == f"{CAPS_URL}?format=json" and ev.status == 200
    need = "needs the 'username' credential, which the strategy does not give for this vendor"
    for fact in ("sharing.public_links", "federation.enabled", "calls.video"):
        assert state(vf, fact)[2].startswith(need)
    assert state(vf, "extensions.installed")[2].startswith(
        "needs the 'admin_username' credential")
    assert vf.facts["licence.spdx"].value == "AGPL-3.0-or-later"


# -- member --------------------------------------------------------------------------------------------
def test_member_reads_sharing_federation_and_apps_it_has():
    vf, calls = run(creds=MEMBER_CREDS, env=ENV, name="Nextcloud (member)")
    assert ("/ocs/v2.php/cloud/capabilities", "true", True) in calls
    assert ("/ocs/v2.php/cloud/apps", "true", True) not in calls
    assert vf.complete and vf.problems == []
    assert state(vf, "sharing.public_links") == ("observed", True, None)
    assert state(vf, "x-nextcloud.public_link_password_enforced") == ("observed", True, None)
    assert state(vf, "x-nextcloud.resharing") == ("observed", True, None)
    assert state(vf, "federation.enabled") == ("observed", True, None)
    assert state(vf, "federation.protocol") == ("observed", "federated_cloud", None)
    assert state(vf, "calls.video") == ("observed", True, None)
    assert state(vf, "social.activity_feed") == ("observed", True, None)
    assert state(vf, "office.coauthoring") == ("observed", True, None)
    ev = vf.facts["federation.protocol"].evidence
    assert ev.url == f"{CAPS_URL}?format=json" and ev.excerpt == '"federated_cloud"'
    dumped = json.dumps(vf.as_dict())
    assert MEMBER_PW not in dumped and MEMBER not in dumped


def test_a_plain_member_without_talk_office_links_or_federation():
    caps = copy.deepcopy(MEMBER_CAPS)
    for app in ("spreed", "richdocuments", "activity", "theming"):
        del caps[app]
    caps["files_sharing"]["public"] = {"enabled": False}
    caps["files_sharing"]["federation"] = {"outgoing": False, "incoming": False,
                                           "expire_date": {"enabled": False},
                                           "expire_date_supported": {"enabled": False}}
    vf, _ = run(creds=MEMBER_CREDS, env=ENV, member_caps=caps,
                public_caps={"bruteforce": {"delay": 0, "allow-listed": False}})
    assert state(vf, "calls.video") == ("observed", False, None)
    assert state(vf, "social.activity_feed") == ("observed", False, None)
    assert state(vf, "office.coauthoring") == ("observed", False, None)
    assert state(vf, "sharing.public_links") == ("observed", False, None)
    assert state(vf, "federation.enabled") == ("observed", False, None)
    assert state(vf, "federation.protocol") == ("observed", "none", None)
    assert state(vf, "branding.custom") == ("observed", False, None)  # theming app disabled
    # Not "not enforced": with public links off there is nothing to enforce.
    assert state(vf, "x-nextcloud.public_link_password_enforced")[0] == "unknown"
    assert state(vf, "x-nextcloud.talk_version")[0] == "unknown"


def test_anonymous_capabilities_never_decide_member_facts():
    # A public capability list lacks files_sharing by design: nothing is concluded from it.
    vf, _ = run()
    for fact in ("calls.video", "office.coauthoring", "social.activity_feed"):
        assert state(vf, fact)[0] == "unknown"


def test_rejected_app_password():
    env = dict(ENV, ZAHNRAD_NEXTCLOUD_APP_PASSWORD="wrong-wrong-wrong-wrong")
    vf, _ = run(creds=MEMBER_CREDS, env=env)
    assert vf.complete
    assert state(vf, "sharing.public_links") == (
        "unknown", None, "the member's login name and app password were not accepted "
                         f"(HTTP 401 from {CAPS_URL})")
    assert state(vf, "site.title") == ("observed", "Acme Cloud", None)  # the public answer


# -- administrator -----------------------------------------------------------------------------------
def test_administrator_reads_enabled_apps():
    vf, calls = run(creds=ADMIN_CREDS, env=ENV, name="Nextcloud (admin)")
    assert ("/ocs/v2.php/cloud/apps", "true", True) in calls
    assert vf.complete and vf.problems == []
    assert state(vf, "extensions.installed") == ("observed", APPS, None)
    assert state(vf, "extensions.count") == ("observed", len(APPS), None)
    assert state(vf, "sso.protocols") == ("observed", ["oidc", "ldap"], None)
    assert state(vf, "guests.allowed") == ("observed", False, None)
    assert state(vf, "automation.workflows") == ("observed", True, None)
    assert state(vf, "webhooks.outgoing") == ("observed", True, None)
    assert vf.facts["extensions.installed"].evidence.url == f"{APPS_URL}?filter=enabled&format=json"
    dumped = json.dumps(vf.as_dict())
    assert ADMIN_PW not in dumped and ADMIN not in dumped


def test_enabled_apps_with_a_members_account_are_unknown_not_absent():
    env = dict(ENV, ZAHNRAD_NEXTCLOUD_ADMIN_USERNAME=MEMBER,
               ZAHNRAD_NEXTCLOUD_ADMIN_APP_PASSWORD=MEMBER_PW)
    vf, _ = run(creds=ADMIN_CREDS, env=env)
    assert vf.complete
    reason = ("only administrators see the enabled apps (the account given is not one) "
              f"(HTTP 403 from {APPS_URL})")
    for fact in ("extensions.installed", "sso.protocols", "guests.allowed", "webhooks.outgoing"):
        assert state(vf, fact) == ("unknown", None, reason)


# -- switched off or hidden --------------------------------------------------------------------------
def test_maintenance_mode():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        rs.get(f"{BASE}/status.php", json=dict(STATUS, maintenance=True))
        unavailable = ocs([], status="failure", code=503,
                          message="Service unavailable: the instance is in maintenance mode")
        rs.get(CAPS_URL, json=unavailable, status=503)
        rs.get(APPS_URL, json=unavailable, status=503)
        v = Vendor(name="NC", platform="nextcloud", url=BASE, credentials=ADMIN_CREDS,
                   timeout=2.0, deadline=20.0)
        vf = probe_vendor(v, nextcloud(), load_catalog(), environ=ENV)
    assert state(vf, "x-nextcloud.maintenance") == ("observed", True, None)
    assert state(vf, "platform.version") == ("observed", "30.0.4", None)
    assert state(vf, "sharing.public_links")[0] == "unknown"
    assert "maintenance" in state(vf, "sharing.public_links")[2]
    assert state(vf, "extensions.installed")[0] == "unknown"


@pytest.mark.parametrize("answer,why", [
    ({"status": 404, "body": "<html><body>404 Not Found</body></html>",
      "content_type": "text/html"},
     "no Nextcloud at this address (status.php not found; is the URL the Nextcloud root?)"),
    ({"status": 200, "body": "<!DOCTYPE html><html><title>Anmelden – Acme</title></html>",
      "content_type": "text/html"}, "was an HTML page"),
    ({"status": 403, "json": {"error": "blocked by the web application firewall"}},
     "HTTP 403 from"),
])
def test_api_hidden_gives_unknowns_with_reasons_never_absences(answer, why):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for url in (f"{BASE}/status.php", CAPS_URL, APPS_URL):
            rs.add(responses.GET, url, **answer)
        v = Vendor(name="Hidden", platform="nextcloud", url=BASE, credentials=ADMIN_CREDS,
                   timeout=2.0, deadline=10.0)
        vf = probe_vendor(v, nextcloud(), load_catalog(), environ=ENV)
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert why in state(vf, "platform.product")[2]
    for fact in ("federation.enabled", "calls.video", "extensions.count", "branding.custom"):
        assert state(vf, fact)[0] == "unknown" and state(vf, fact)[2]
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------------
VENDORS = [  # what the committed recordings hold
    Vendor(name="Nextcloud (anonymous)", platform="nextcloud", url=BASE),
    Vendor(name="Nextcloud (member)", platform="nextcloud", url=BASE, credentials=MEMBER_CREDS),
    Vendor(name="Nextcloud (admin)", platform="nextcloud", url=BASE, credentials=ADMIN_CREDS),
]


def test_recording_is_current_and_free_of_credentials(tmp_path):
    folder = tmp_path / "rec"
    facts = record_probe(VENDORS, folder, routes=nextcloud_server, env=ENV)
    update_recordings(folder, RECORDINGS)
    assert recorded_exchanges(folder) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (MEMBER_PW, ADMIN_PW, MEMBER, ADMIN, "cloud.acme.example"))
    assert [v.complete for v in facts.vendors.values()] == [True, True, True]


def test_replay_gives_the_live_facts():
    live, _ = run(creds=ADMIN_CREDS, env=ENV, name="Nextcloud (admin)")
    v = Vendor(name="Nextcloud (admin)", platform="nextcloud", url="https://elsewhere.example/nc",
               credentials=ADMIN_CREDS)
    again = replay_vendor(v, RECORDINGS, nextcloud())
    assert fact_values(again) == fact_values(live)


def test_conformance_kit_passes(zahnrad_conformance):
    report = zahnrad_conformance("nextcloud", RECORDINGS)
    report.assert_ok()
    assert set(report.runs) == {"Nextcloud (anonymous)", "Nextcloud (member)",
                                "Nextcloud (admin)"}
