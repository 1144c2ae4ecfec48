"""Zulip: the pack (server settings, profile fields) and the register probe (realm policies).

HTTP is mocked with ``responses``; the answers are modelled on the documented ones
(zulip/zulip zerver/openapi/zulip.yaml: GET /server_settings, GET /realm/profile_fields,
POST /register with fetch_event_types, DELETE /events; group-setting values as described at
zulip.com/api/group-setting-values). The recording in tests/recordings/zulip/ is made from the
same fixtures by ``zahnrad probe --record`` (``ZAHNRAD_UPDATE_RECORDINGS=1`` rewrites it).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import parse_qs

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
RECORDINGS = ROOT / "tests" / "recordings" / "zulip"
BASE = "https://zulip.acme.example"
EMAIL = "probe-member@acme.example"
API_KEY = "q7Wd2Lp9Zk4Xm8Rt3Yb6Nc1Hv5Jf0Gs"  # shaped like a Zulip API key (32 characters)
CREDS = {"email": "ZAHNRAD_ZULIP_EMAIL", "api_key": "ZAHNRAD_ZULIP_API_KEY"}
ENV = {"ZAHNRAD_ZULIP_EMAIL": EMAIL, "ZAHNRAD_ZULIP_API_KEY": API_KEY}
QUEUE_ID = "fb67bf8a-c031-47cc-84cf-ed80accacda8"
FETCH = ["realm", "realm_user_groups", "realm_incoming_webhook_bots", "realm_embedded_bots"]

SERVER_SETTINGS = {
    "result": "success", "msg": "",
    "authentication_methods": {
        "password": True, "dev": False, "email": True, "ldap": False, "remoteuser": False,
        "github": False, "azuread": False, "gitlab": False, "apple": False, "google": False,
        "saml": True, "openid connect": True,
    },
    "external_authentication_methods": [
        {"name": "saml:keycloak", "display_name": "Keycloak", "display_icon": None,
         "login_url": "/accounts/login/social/saml/keycloak",
         "signup_url": "/accounts/register/social/saml/keycloak"},
        {"name": "oidc", "display_name": "Acme <b>SSO</b>", "display_icon": None,
         "login_url": "/accounts/login/social/oidc", "signup_url": "/accounts/register/social/oidc"},
    ],
    "zulip_feature_level": 351, "zulip_version": "10.4", "zulip_merge_base": "10.4",
    "push_notifications_enabled": True, "is_incompatible": False, "email_auth_enabled": True,
    "require_email_format_usernames": True, "realm_url": BASE, "realm_uri": BASE,
    "realm_name": "Acme GmbH", "realm_icon": f"{BASE}/user_avatars/2/realm/icon.png?version=3",
    "realm_description": "<p>Der Chat der Acme GmbH.</p>",
    "realm_web_public_access_enabled": False,
}
PROFILE_FIELDS = {
    "result": "success", "msg": "",
    "custom_fields": [
        {"id": 1, "name": "Abteilung", "type": 1, "hint": "z. B. Einkauf", "field_data": "",
         "order": 1, "required": False, "editable_by_user": True,
         "display_in_profile_summary": True},
        {"id": 2, "name": "Standort", "type": 3, "hint": "",
         "field_data": "{\"0\":{\"text\":\"Berlin\",\"order\":\"1\"},"
                       "\"1\":{\"text\":\"Leipzig\",\"order\":\"2\"}}",
         "order": 2, "required": False, "editable_by_user": True,
         "display_in_profile_summary": False},
        {"id": 3, "name": "GitHub", "type": 7, "hint": "", "field_data": "{\"subtype\":\"github\"}",
         "order": 3, "required": False, "editable_by_user": True,
         "display_in_profile_summary": False},
    ],
}
# Role-based system groups (zerver/models/groups.py SystemGroups) as realm_user_groups lists
# them: each role group has the next narrower one as its subgroup.
GROUPS = [
    {"id": 11, "name": "role:internet", "description": "Everyone on the internet", "members": [],
     "direct_subgroup_ids": [12], "is_system_group": True, "date_created": None, "creator_id": None,
     "can_mention_group": 18, "deactivated": False},
    {"id": 12, "name": "role:everyone", "description": "Everyone including guests", "members": [31],
     "direct_subgroup_ids": [13], "is_system_group": True, "date_created": None, "creator_id": None,
     "can_mention_group": 18, "deactivated": False},
    {"id": 13, "name": "role:members", "description": "All members", "members": [5, 6, 7],
     "direct_subgroup_ids": [14], "is_system_group": True, "date_created": None,
     "creator_id": None, "can_mention_group": 18, "deactivated": False},
    {"id": 14, "name": "role:fullmembers", "description": "Members of this organization, not "
     "including new accounts and guests", "members": [5, 6], "direct_subgroup_ids": [15],
     "is_system_group": True, "date_created": None, "creator_id": None, "can_mention_group": 18,
     "deactivated": False},
    {"id": 15, "name": "role:moderators", "description": "Moderators", "members": [],
     "direct_subgroup_ids": [16], "is_system_group": True, "date_created": None,
     "creator_id": None, "can_mention_group": 18, "deactivated": False},
    {"id": 16, "name": "role:administrators", "description": "Administrators", "members": [2],
     "direct_subgroup_ids": [17], "is_system_group": True, "date_created": None,
     "creator_id": None, "can_mention_group": 18, "deactivated": False},
    {"id": 17, "name": "role:owners", "description": "Owners", "members": [1],
     "direct_subgroup_ids": [], "is_system_group": True, "date_created": None, "creator_id": None,
     "can_mention_group": 18, "deactivated": False},
    {"id": 18, "name": "role:nobody", "description": "Nobody", "members": [],
     "direct_subgroup_ids": [], "is_system_group": True, "date_created": None, "creator_id": None,
     "can_mention_group": 18, "deactivated": False},
    {"id": 25, "name": "Kanalverwaltung", "description": "Dürfen öffentliche Kanäle anlegen",
     "members": [5], "direct_subgroup_ids": [16], "is_system_group": False,
     "date_created": 1730000000, "creator_id": 2, "can_mention_group": 13, "deactivated": False},
]
WEBHOOK_BOTS = [
    {"name": "github", "display_name": "GitHub", "all_event_types": ["push", "pull_request"],
     "config_options": [{"key": "branches", "label": "Branches", "validator": "check_string"}]},
    {"name": "gitlab", "display_name": "GitLab", "all_event_types": ["push hook", "issue hook"]},
    {"name": "jira", "display_name": "Jira", "all_event_types": ["issue_created"]},
    {"name": "grafana", "display_name": "Grafana", "all_event_types": None},
    {"name": "slack_incoming", "display_name": "Slack-compatible webhook", "all_event_types": None},
]
REGISTER = {
    "result": "success", "msg": "", "queue_id": QUEUE_ID, "last_event_id": -1,
    "zulip_version": "10.4", "zulip_feature_level": 351, "zulip_merge_base": "10.4",
    "realm_name": "Acme GmbH", "realm_waiting_period_threshold": 3,
    "realm_allow_message_editing": True, "realm_message_content_edit_limit_seconds": 600,
    "realm_message_content_delete_limit_seconds": None,
    # Members may create public channels (the deprecated integer says the same here).
    "realm_can_create_public_channel_group": 13, "realm_create_public_stream_policy": 1,
    "realm_can_create_private_channel_group": 14, "realm_create_private_stream_policy": 3,
    # Deleting one's own messages: moderators (and above) plus one named user.
    "realm_can_delete_own_message_group": {"direct_members": [7], "direct_subgroups": [15]},
    "realm_delete_own_message_policy": 4,
    "realm_can_create_bots_group": 16, "realm_can_create_write_only_bots_group": 13,
    "realm_bot_creation_policy": 2,
    "realm_can_invite_users_group": 13, "realm_invite_required": True,
    "realm_emails_restricted_to_domains": True, "realm_enable_spectator_access": False,
    "realm_enable_read_receipts": True,
    "realm_video_chat_provider": 1,
    "realm_available_video_chat_providers": {
        "disabled": {"name": "None", "id": 0}, "jitsi_meet": {"name": "Jitsi Meet", "id": 1},
        "big_blue_button": {"name": "BigBlueButton", "id": 4}},
    "realm_jitsi_server_url": None, "server_jitsi_server_url": "https://meet.jit.si",
    "max_file_upload_size_mib": 25, "max_avatar_file_size_mib": 5, "max_message_length": 10000,
    "realm_upload_quota_mib": None, "realm_plan_type": 1, "realm_org_type": 10,
    "realm_user_groups": GROUPS,
    "realm_incoming_webhook_bots": WEBHOOK_BOTS,
    "realm_embedded_bots": [{"name": "converter", "config": {}}, {"name": "xkcd", "config": {}}],
}
# A Zulip 8.4 server (feature level 237): the integer policies are the ones in force.
OLD_REGISTER = {
    "result": "success", "msg": "", "queue_id": QUEUE_ID, "last_event_id": -1,
    "zulip_version": "8.4", "zulip_feature_level": 237, "zulip_merge_base": "8.4",
    "realm_allow_message_editing": True, "realm_message_content_edit_limit_seconds": None,
    "realm_create_public_stream_policy": 2, "realm_create_private_stream_policy": 1,
    "realm_delete_own_message_policy": 5, "realm_bot_creation_policy": 3,
    "realm_invite_required": False, "realm_emails_restricted_to_domains": True,
    "realm_enable_read_receipts": False, "realm_video_chat_provider": 0,
    "realm_available_video_chat_providers": {
        "disabled": {"name": "None", "id": 0}, "jitsi_meet": {"name": "Jitsi Meet", "id": 1}},
    "max_file_upload_size_mib": 0,
    "realm_user_groups": GROUPS[:8], "realm_incoming_webhook_bots": WEBHOOK_BOTS[:2],
    "realm_embedded_bots": [],
}
INVALID_KEY = {"result": "error", "msg": "Invalid API key", "code": "INVALID_API_KEY"}


def zulip_server(rs: responses.RequestsMock, *, register: dict | None = None,
                 settings: dict | None = None, key: str = API_KEY) -> None:
    """A Zulip server as the documented API answers, registered on ``rs``."""
    expected = "Basic " + base64.b64encode(f"{EMAIL}:{key}".encode()).decode()

    def authed(answer):
        def callback(request):
            if request.headers.get("Authorization") != expected:
                return 401, {}, json.dumps(INVALID_KEY)
            return 200, {}, json.dumps(answer(request))
        return callback

    def register_answer(request):
        form = parse_qs(request.body)
        assert json.loads(form["fetch_event_types"][0]) == FETCH
        return register or REGISTER

    rs.get(f"{BASE}/api/v1/server_settings", json=settings or SERVER_SETTINGS)
    rs.add_callback("GET", f"{BASE}/api/v1/realm/profile_fields",
                    callback=authed(lambda r: PROFILE_FIELDS), content_type="application/json")
    rs.add_callback("POST", f"{BASE}/api/v1/register", callback=authed(register_answer),
                    content_type="application/json")
    rs.add_callback("DELETE", f"{BASE}/api/v1/events",
                    callback=authed(lambda r: {"result": "success", "msg": ""}),
                    content_type="application/json")


def zulip():
    return registry()["zulip"]


def run(*, creds: dict | None = None, env: dict | None = None, name: str = "Zulip", **server):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        zulip_server(rs, **server)
        v = Vendor(name=name, platform="zulip", url=BASE, credentials=creds or {}, timeout=2.0,
                   deadline=10.0)
        vf = probe_vendor(v, zulip(), load_catalog(), environ=env or {})
        calls = [(c.request.method, c.request.url, c.request.body) for c in rs.calls]
    return vf, calls


# -- the platform ----------------------------------------------------------------------------------
def test_zulip_is_a_builtin_plugin_built_on_its_pack():
    p = zulip()
    assert (p.plugin, p.kind, p.display_name) == ("zulip", "team chat", "Zulip")
    assert p.credentials.keys() == {"email", "api_key"}
    assert {"platform.version", "profile.custom_fields", "spaces.member_create",
            "integrations.available"} <= set(p.facts)
    assert {d.fact for d in p.declared} >= {"licence.open_source", "hosting.self_hosted"}


# -- anonymous ---------------------------------------------------------------------------------------
def test_anonymous_reads_the_server_settings_only():
    vf, calls = run(name="Zulip (anonymous)")
    assert [m for m, _, _ in calls] == ["GET"]  # neither profile fields nor register
    assert vf.complete and vf.problems == []
    assert state(vf, "platform.product") == ("observed", "Zulip", None)
    assert state(vf, "platform.version") == ("observed", "10.4", None)
    assert state(vf, "platform.api_version") == ("observed", "351", None)
    assert state(vf, "x-zulip.feature_level") == ("observed", 351, None)
    assert state(vf, "site.title") == ("observed", "Acme GmbH", None)
    assert state(vf, "x-zulip.authentication_methods") == (
        "observed", ["password", "email", "saml", "openid connect"], None)
    assert state(vf, "sso.protocols") == ("observed", ["saml", "oidc"], None)
    assert state(vf, "sso.identity_providers") == ("observed", ["saml:keycloak", "oidc"], None)
    assert state(vf, "access.anonymous_read") == ("observed", False, None)
    assert state(vf, "mobile.push") == ("observed", True, None)
    ev = vf.facts["sso.protocols"].evidence
    assert (ev.url, ev.status, ev.excerpt) == (f"{BASE}/api/v1/server_settings", 200,
                                               '["saml","oidc"]')
    need = "needs the 'email' credential, which the strategy does not give for this vendor"
    for fact in ("profile.custom_fields", "spaces.member_create", "edit.window_minutes",
                 "integrations.available"):
        assert state(vf, fact)[0] == "unknown" and state(vf, fact)[2].startswith(need)
    assert vf.facts["licence.spdx"].value == "Apache-2.0"


def test_an_older_server_without_feature_level_or_web_public_flag():
    old = {k: v for k, v in SERVER_SETTINGS.items()
           if k not in ("zulip_feature_level", "realm_web_public_access_enabled",
                        "external_authentication_methods")}
    old["zulip_version"] = "2.0.8"
    vf, _ = run(settings=old)
    assert state(vf, "platform.version") == ("observed", "2.0.8", None)
    for fact, path in (("platform.api_version", "zulip_feature_level && "),
                       ("access.anonymous_read", "realm_web_public_access_enabled"),
                       ("sso.identity_providers", "external_authentication_methods[].name")):
        source, _, reason = state(vf, fact)
        assert source == "unknown" and reason.startswith(path), reason
        assert reason.endswith(f"is not in the answer of {BASE}/api/v1/server_settings")


# -- member --------------------------------------------------------------------------------------------
def test_member_reads_profile_fields_and_the_realm_policies_and_deletes_the_queue():
    vf, calls = run(creds=CREDS, env=ENV, name="Zulip (member)")
    assert vf.complete and vf.problems == []
    assert [(m, u.split("?")[0].removeprefix(BASE)) for m, u, _ in calls] == [
        ("GET", "/api/v1/server_settings"), ("GET", "/api/v1/realm/profile_fields"),
        ("POST", "/api/v1/register"), ("DELETE", "/api/v1/events")]
    assert calls[3][2] == f"queue_id={QUEUE_ID}"  # the event queue is not left behind
    assert state(vf, "profile.custom_fields") == ("observed", 3, None)
    assert state(vf, "x-zulip.profile_fields") == ("observed", ["Abteilung", "Standort", "GitHub"],
                                                   None)
    assert state(vf, "edit.own_posts") == ("observed", True, None)
    assert state(vf, "edit.window_minutes") == ("observed", 10, None)
    assert state(vf, "spaces.member_create") == ("observed", True, None)
    assert state(vf, "x-zulip.create_public_channel") == ("observed", ["role:members"], None)
    # Moderators plus one user: ordinary members may not delete what they wrote.
    assert state(vf, "edit.delete_own") == ("observed", False, None)
    assert state(vf, "x-zulip.delete_own_message") == (
        "observed", ["role:moderators", "1 individual user"], None)
    assert state(vf, "apps.member_install") == ("observed", True, None)  # incoming webhooks
    assert state(vf, "x-zulip.create_bots") == ("observed", ["role:administrators",
                                                             "role:members"], None)
    assert state(vf, "signup.open") == ("observed", False, None)
    assert state(vf, "x-zulip.signup_domains_restricted") == ("observed", True, None)
    assert state(vf, "privacy.read_receipts") == ("observed", True, None)
    assert state(vf, "calls.video") == ("observed", True, None)
    assert state(vf, "x-zulip.video_chat_provider") == ("observed", "Jitsi Meet", None)
    assert state(vf, "upload.files") == ("observed", True, None)
    assert state(vf, "upload.max_size_mb") == ("observed", 26.2, None)
    assert state(vf, "x-zulip.max_file_upload_size_mib") == ("observed", 25, None)
    assert state(vf, "integrations.available") == ("observed", 5, None)
    assert state(vf, "x-zulip.integrations")[1][:2] == ["github", "gitlab"]
    assert state(vf, "x-zulip.embedded_bots") == ("observed", ["converter", "xkcd"], None)
    ev = vf.facts["spaces.member_create"].evidence
    assert (ev.method, ev.url, ev.status) == ("POST", f"{BASE}/api/v1/register", 200)
    assert ev.path == "realm_can_create_public_channel_group (feature level 351)"
    dumped = json.dumps(vf.as_dict())
    assert API_KEY not in dumped and EMAIL not in dumped


def test_the_feature_level_decides_which_field_is_authoritative():
    # Feature level 351: a named group of administrators plus one member may create public
    # channels. The deprecated integer, "a superset", says members: it is not read.
    reg = dict(REGISTER, realm_can_create_public_channel_group=25,
               realm_create_public_stream_policy=1)
    vf, _ = run(creds=CREDS, env=ENV, register=reg)
    assert state(vf, "spaces.member_create") == ("observed", False, None)
    assert state(vf, "x-zulip.create_public_channel") == ("observed", ["Kanalverwaltung"], None)
    # Zulip 8.4: the integer policies are the ones in force.
    vf, _ = run(creds=CREDS, env=ENV, register=OLD_REGISTER)
    assert state(vf, "spaces.member_create") == ("observed", False, None)  # 2 = administrators
    assert vf.facts["spaces.member_create"].evidence.path == (
        "realm_create_public_stream_policy (feature level 237)")
    assert state(vf, "edit.delete_own") == ("observed", True, None)  # 5 = everyone
    assert state(vf, "apps.member_install") == ("observed", False, None)  # 3 = admins only
    assert state(vf, "edit.window_minutes") == ("observed", 525600, None)  # null = no limit
    assert state(vf, "signup.open") == ("observed", True, None)
    assert state(vf, "calls.video") == ("observed", False, None)
    assert state(vf, "upload.files") == ("observed", False, None)  # 0 MiB: uploads are off
    assert state(vf, "integrations.available") == ("observed", 2, None)
    assert state(vf, "x-zulip.embedded_bots") == ("observed", [], None)


@pytest.mark.parametrize("value,members,who", [
    ({"direct_members": [], "direct_subgroups": [12]}, True, ["role:everyone"]),
    (11, True, ["role:internet"]),
    (14, True, ["role:fullmembers"]),  # full members: no administrator, only the waiting period
    (18, False, ["role:nobody"]),
    ({"direct_members": [5, 6], "direct_subgroups": []}, False, ["2 individual users"]),
])
def test_group_setting_values_resolve_through_subgroups(value, members, who):
    vf, _ = run(creds=CREDS, env=ENV, register=dict(REGISTER, realm_can_delete_own_message_group=value))
    assert state(vf, "edit.delete_own") == ("observed", members, None)
    assert state(vf, "x-zulip.delete_own_message") == ("observed", who, None)


def test_unclear_register_answers_stay_unknown():
    reg = dict(REGISTER, realm_can_create_public_channel_group=99, realm_video_chat_provider="x")
    del reg["realm_allow_message_editing"]
    del reg["max_file_upload_size_mib"]
    reg["realm_message_content_edit_limit_seconds"] = 0
    vf, _ = run(creds=CREDS, env=ENV, register=reg)
    assert state(vf, "spaces.member_create") == (
        "unknown", None, "user group 99 is not among the realm's user groups")
    reason = (f"realm_allow_message_editing is not in the answer of {BASE}/api/v1/register "
              "(feature level 351)")
    assert state(vf, "edit.own_posts") == ("unknown", None, reason)
    assert state(vf, "edit.window_minutes") == ("unknown", None, reason)
    assert state(vf, "calls.video")[0] == "unknown"
    assert state(vf, "upload.max_size_mb")[2].startswith("max_file_upload_size_mib is not in")
    assert state(vf, "edit.delete_own")[0] == "observed"  # the rest is still read


def test_rejected_api_key_leaves_member_facts_unknown_and_the_rest_observed():
    vf, calls = run(creds=CREDS, env=ENV, key="another-key-entirely-0000000000")
    assert vf.complete  # an expected answer, not a failure
    assert state(vf, "platform.version")[0] == "observed"
    assert state(vf, "profile.custom_fields") == (
        "unknown", None, "the member's e-mail and API key were not accepted "
                         f"(HTTP 401 from {BASE}/api/v1/realm/profile_fields)")
    assert state(vf, "spaces.member_create") == (
        "unknown", None, f"the member's e-mail and API key were not accepted (HTTP 401 from "
                         f"{BASE}/api/v1/register)")
    assert "DELETE" not in [m for m, _, _ in calls]


@pytest.mark.parametrize("answer,why", [
    ({"status": 404, "body": "<html><body><h1>404 Not Found</h1></body></html>",
      "content_type": "text/html"}, "no Zulip API at this address (or a proxy hides /api/v1)"),
    ({"status": 200, "body": "<!DOCTYPE html><html><title>Anmelden</title></html>",
      "content_type": "text/html"}, "was an HTML page"),
    ({"status": 403, "json": {"error": "blocked by the reverse proxy"}}, "HTTP 403 from"),
    ({"status": 502, "body": "Bad Gateway", "content_type": "text/plain"}, "HTTP 502 from"),
])
def test_api_switched_off_or_hidden_gives_unknowns_with_reasons_never_absences(answer, why):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for method, path in (("GET", "server_settings"), ("GET", "realm/profile_fields"),
                              ("POST", "register"), ("DELETE", "events")):
            rs.add(method, f"{BASE}/api/v1/{path}", **answer)
        v = Vendor(name="Hidden", platform="zulip", url=BASE, credentials=CREDS, timeout=2.0,
                   deadline=10.0)
        vf = probe_vendor(v, zulip(), load_catalog(), environ=ENV)
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert why in state(vf, "platform.version")[2]
    assert state(vf, "spaces.member_create")[0] == "unknown"
    assert state(vf, "spaces.member_create")[2]
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------------
VENDORS = [  # what the committed recordings hold
    Vendor(name="Zulip (anonymous)", platform="zulip", url=BASE),
    Vendor(name="Zulip (member)", platform="zulip", url=BASE, credentials=CREDS),
]


def test_recording_is_current_and_free_of_credentials(tmp_path):
    folder = tmp_path / "rec"
    facts = record_probe(VENDORS, folder, routes=zulip_server, env=ENV)
    update_recordings(folder, RECORDINGS)
    assert recorded_exchanges(folder) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (API_KEY, EMAIL, "zulip.acme.example"))
    member = json.loads((RECORDINGS / "Zulip-member.json").read_text())
    assert member["credentials"] == ["email", "api_key"]
    assert [v.complete for v in facts.vendors.values()] == [True, True]


def test_replay_gives_the_live_facts(tmp_path):
    live, _ = run(creds=CREDS, env=ENV, name="Zulip (member)")
    v = Vendor(name="Zulip (member)", platform="zulip", url="https://elsewhere.example/chat",
               credentials=CREDS)
    again = replay_vendor(v, RECORDINGS, zulip())
    assert fact_values(again) == fact_values(live)


def test_conformance_kit_passes(zahnrad_conformance):
    report = zahnrad_conformance("zulip", RECORDINGS)
    report.assert_ok()
    assert set(report.runs) == {"Zulip (anonymous)", "Zulip (member)"}
