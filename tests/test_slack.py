"""Slack plugin: Web API answers modelled on the method reference pages (tests/fixtures/saas/slack)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import responses
from make_saas_recordings import (
    CREDENTIALS,
    SLACK,
    Route,
    confluence_cloud_routes,
    fixture,
    local_server,
    probe_one,
    register,
    slack_routes,
)

from zahnrad.recording import recording_file
from zahnrad.runner import probe_strategy
from zahnrad.strategy import parse_strategy
from zahnrad.testing import assert_declarations_documented, assert_no_secrets, replay_vendor

DEMO_RECORDINGS = Path(__file__).resolve().parent.parent / "evaluator" / "demo" / "recordings"


def value(vf, name):
    f = vf.facts[name]
    assert f.source == "observed", (name, f.source, f.reason)
    return f.value


def test_full_scopes_establish_every_fact():
    vf = probe_one("slack", slack_routes())
    assert vf.complete, vf.problems
    assert value(vf, "site.title") == "Muster Maschinenbau"
    assert value(vf, "x-slack.enterprise_grid") is False
    assert value(vf, "signup.open") is True
    assert value(vf, "x-slack.signup_domains") == ["muster.example"]
    assert value(vf, "edit.window_minutes") == 525600  # msg_edit_window_mins -1
    assert value(vf, "edit.own_posts") is True
    assert value(vf, "upload.files") is True
    # allow_message_deletion is gone from team.preferences.list since 2025: unknown, said why.
    assert vf.facts["edit.delete_own"].source == "unknown"
    assert "allow_message_deletion" in vf.facts["edit.delete_own"].reason
    assert value(vf, "bots.enabled") is True
    assert value(vf, "profile.custom_fields") == 3
    assert sorted(value(vf, "extensions.installed")) == ["Jira Cloud", "Schichtplan-Bot"]
    assert value(vf, "extensions.count") == 2
    declared = vf.facts["api.events"]
    assert declared.source == "declared" and declared.value is True
    assert declared.evidence.url.startswith("https://api.slack.com/")
    assert vf.facts["hosting.self_hosted"].source == "declared"


def test_pagination_follows_next_cursor_across_pages():
    routes = slack_routes()
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        register(rsps, routes)
        vf = _probe_in(rsps)  # every route answered, page 2 of both lists included
    # Users: page 2 holds the second admin, both guests and a deactivated account.
    assert value(vf, "x-slack.guest_count") == 2
    assert value(vf, "guests.allowed") is True
    assert value(vf, "admin.count") == 2
    assert value(vf, "activity.users_total") == 7  # 3 + 4 people, without slackbot, bot, deleted
    # Channels: the Slack Connect channel and the private one are on page 2.
    assert value(vf, "spaces.public_count") == 4
    assert value(vf, "x-slack.connect_channels") == 1
    assert value(vf, "federation.enabled") is True
    assert value(vf, "federation.protocol") == "shared_channels"
    # Created by ben.becker, an ordinary member: members may create channels.
    assert value(vf, "spaces.member_create") is True
    assert vf.facts["spaces.member_create"].evidence.excerpt


def _probe_in(rsps):
    """probe_one without installing a second mock (the caller's mock is active)."""
    from zahnrad.catalog import load_catalog
    from zahnrad.registry import registry
    from zahnrad.runner import probe_vendor
    from zahnrad.strategy import Vendor

    vendor = Vendor(name="Slack", platform="slack", credentials={"token": "T"})
    return probe_vendor(vendor, registry()["slack"], load_catalog(),
                        environ={"T": CREDENTIALS["slack"]["token"]})


def test_missing_scopes_make_facts_unknown_naming_the_scope():
    routes = slack_routes()
    routes["team.info"] = [Route("GET", f"{SLACK}/team.info", None, fixture("slack", "missing_scope_team"))]
    routes["team.preferences.list"] = [Route("GET", f"{SLACK}/team.preferences.list", None,
                                             fixture("slack", "missing_scope_prefs"))]
    routes["team.profile.get"] = [Route("GET", f"{SLACK}/team.profile.get", None,
                                        fixture("slack", "missing_scope_profile"))]
    routes["admin.apps.approved.list"] = [Route("GET", f"{SLACK}/admin.apps.approved.list",
                                                {"limit": "100"},
                                                fixture("slack", "not_allowed_token_type"))]
    # No groups:read: private channels cannot be listed, public ones still are.
    pub = {"types": "public_channel", "exclude_archived": "true", "limit": "200"}
    page1 = fixture("slack", "conversations_page1")
    page1["response_metadata"]["next_cursor"] = ""
    routes["conversations.list"] = [
        Route("GET", f"{SLACK}/conversations.list",
              {"types": "public_channel,private_channel", "exclude_archived": "true", "limit": "200"},
              fixture("slack", "missing_scope_groups")),
        Route("GET", f"{SLACK}/conversations.list", pub, page1)]
    vf = probe_one("slack", routes)
    facts = vf.facts
    for name in ("site.title", "signup.open", "x-slack.enterprise_grid"):
        assert facts[name].source == "unknown"
        assert "scope team:read" in facts[name].reason
    for name in ("edit.window_minutes", "upload.files"):
        assert "scope team.preferences:read" in facts[name].reason
    assert "scope users.profile:read" in facts["profile.custom_fields"].reason
    assert "Enterprise Grid" in facts["extensions.installed"].reason
    assert value(vf, "spaces.public_count") == 3  # public channels of page 1 only
    assert not vf.complete  # partial: the problems say which scopes are missing
    assert any("groups:read" in p for p in vf.problems)


def test_expired_token_fails_this_vendor_only():
    s = slack_routes()
    s["auth.test"] = [Route("GET", f"{SLACK}/auth.test", None, fixture("slack", "token_expired"))]
    strategy = parse_strategy({
        "organisation": {"name": "T"},
        "goals": {g: 3 for g in ("participation", "self_organisation", "knowledge_sharing",
                                 "external_reach", "adaptability")},
        "vendors": [
            {"name": "Slack", "platform": "slack", "credentials": {"token": "ZT_SLACK"}},
            {"name": "Confluence", "platform": "confluence", "url": "https://muster.atlassian.example",
             "credentials": {"email": "ZT_MAIL", "api_token": "ZT_TOKEN"}},
        ]}, Path("strategy.toml"))
    env = {"ZT_SLACK": "xoxb-expired-0000", "ZT_MAIL": "probe@muster.example", "ZT_TOKEN": "tok-1234"}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            register(rsps, {**s, **{f"c:{k}": v for k, v in confluence_cloud_routes().items()}})
            result = probe_strategy(strategy, quiet=True)
    slack = result.vendors["Slack"]
    assert not slack.complete
    reason = slack.facts["site.title"].reason
    assert reason == "Slack rejected the token (token_expired: the token has expired)"
    assert slack.facts["extensions.installed"].reason == reason
    assert slack.facts["licence.open_source"].source == "declared"  # declarations stand
    other = result.vendors["Confluence"]
    assert other.facts["site.title"].value == "Muster Confluence"
    assert other.facts["edit.member"].value is True


def test_throttling_is_retried_after_retry_after():
    routes = slack_routes()
    limited = Route("GET", f"{SLACK}/team.info", None, fixture("slack", "ratelimited"), 429,
                    {"Retry-After": "2"})
    routes["team.info"] = [limited, *routes["team.info"]]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps, routes)
        vf = _probe_in(rsps)
        calls = [c for c in rsps.calls if c.request.url.startswith(f"{SLACK}/team.info")]
    assert [c.response.status_code for c in calls] == [429, 200]
    assert value(vf, "site.title") == "Muster Maschinenbau"


@pytest.mark.slow
def test_retry_after_is_honoured_over_a_real_socket():
    """urllib3's Retry (the runner's session) waits as long as Retry-After says, then retries."""
    routes = slack_routes()
    routes["team.info"] = [Route("GET", f"{SLACK}/team.info", None, fixture("slack", "ratelimited"),
                                 429, {"Retry-After": "1"}), *routes["team.info"]]
    with local_server(routes, {SLACK: "{server}/api"}) as server:
        started = time.monotonic()
        vf = probe_one("slack", None, url=f"{server}/api")
        elapsed = time.monotonic() - started
    assert value(vf, "site.title") == "Muster Maschinenbau"
    assert vf.complete, vf.problems
    assert elapsed >= 1.0


def test_exhausted_retries_leave_the_method_unknown():
    routes = slack_routes()
    routes["team.profile.get"] = [Route("GET", f"{SLACK}/team.profile.get", None,
                                        fixture("slack", "ratelimited"), 429, {"Retry-After": "0"})]
    vf = probe_one("slack", routes)
    assert "HTTP 429" in vf.facts["profile.custom_fields"].reason
    assert value(vf, "site.title") == "Muster Maschinenbau"


def test_no_token_is_a_clear_vendor_failure():
    vf = probe_one("slack", slack_routes(), credentials={})
    assert not vf.complete
    assert "Slack needs a bot or user token" in vf.facts["site.title"].reason


def test_demo_recording_replays_without_credentials():
    path = recording_file(DEMO_RECORDINGS, "Slack")
    assert_no_secrets(path, CREDENTIALS["slack"].values())
    data = json.loads(path.read_text("utf-8"))
    assert data["vendor"] == "Slack" and data["platform"] == "slack"
    from zahnrad.strategy import Vendor

    vendor = Vendor(name="Slack", platform="slack", credentials={"token": "UNSET_IN_REPLAY"})
    vf = replay_vendor(vendor, DEMO_RECORDINGS)  # at the platform's address, SLACK
    assert vf.facts["site.title"].value == "Muster Maschinenbau"
    assert vf.facts["federation.enabled"].value is True
    assert "not_allowed_token_type" in vf.facts["extensions.installed"].reason


def test_declared_facts_name_their_documentation():
    """Every declaration is a catalog fact of the right type, with an https source and a note;
    observed or declared, not both."""
    assert_declarations_documented("slack")


def test_declared_product_properties_reach_the_facts():
    vf = probe_one("slack", slack_routes())
    for name, value in (("chatops.slash_commands", True), ("mobile.apps", True),
                        ("social.threads", True), ("edit.member", False),
                        ("api.graphql", False), ("upload.max_size_mb", 1024.0)):
        f = vf.facts[name]
        assert (f.source, f.value) == ("declared", value), name
        assert f.evidence.url.startswith("https://") and f.evidence.note
