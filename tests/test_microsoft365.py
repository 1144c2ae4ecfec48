"""Microsoft 365 plugin: Graph answers modelled on the Graph API reference pages
(tests/fixtures/saas/microsoft365)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import responses
from make_saas_recordings import (
    CREDENTIALS,
    GRAPH,
    LOGIN,
    TENANT,
    Route,
    fixture,
    graph_403,
    local_server,
    microsoft365_routes,
    probe_one,
    register,
    slack_routes,
)

from zahnrad.recording import recording_file
from zahnrad.runner import probe_strategy
from zahnrad.strategy import parse_strategy
from zahnrad.testing import assert_declarations_documented, assert_no_secrets, replay_vendor

DEMO_RECORDINGS = Path(__file__).resolve().parent.parent / "evaluator" / "demo" / "recordings"
SECRET_EXPIRED = "token_secret_expired"


def value(vf, name):
    f = vf.facts[name]
    assert f.source == "observed", (name, f.source, f.reason)
    return f.value


def forbidden(routes, *names):
    for name in names:
        routes[name] = [Route(r.method, r.url, r.params, graph_403(), 403) for r in routes[name]]
    return routes


def test_full_permissions_establish_every_fact():
    vf = probe_one("microsoft365", microsoft365_routes())
    assert vf.complete, vf.problems
    assert value(vf, "platform.api_version") == "v1.0"
    assert value(vf, "site.title") == "Muster Maschinenbau GmbH"
    # SharePoint tenant settings
    assert value(vf, "sharing.external") == "guests"  # externalUserSharingOnly
    assert value(vf, "sharing.public_links") is False
    assert value(vf, "sharing.domain_restriction") == "allow_list"
    assert value(vf, "x-microsoft365.sharing_domains") == ["lieferant.example", "kunde.example"]
    assert value(vf, "spaces.member_create") is True
    assert value(vf, "edit.create_pages") is True
    assert value(vf, "x-microsoft365.page_comments") is True
    assert value(vf, "x-microsoft365.sharepoint_newsfeed") is False
    assert value(vf, "x-microsoft365.loop") is True
    assert value(vf, "x-microsoft365.guest_resharing") is False
    # Guest invitation policy
    assert value(vf, "guests.invite_policy") == "members"
    assert value(vf, "guests.allowed") is True
    assert value(vf, "signup.open") is False
    # Teams sample (5 of 5 teams)
    assert value(vf, "edit.own_posts") is True
    assert value(vf, "apps.member_install") is True
    assert "2 of 5" in vf.facts["apps.member_install"].evidence.path
    assert value(vf, "x-microsoft365.guests_create_channels") is True
    # A channel shared by another tenant is cross-organisation federation.
    assert value(vf, "x-microsoft365.shared_channels") == 2
    assert value(vf, "federation.enabled") is True
    assert value(vf, "federation.protocol") == "shared_channels"
    # App catalogue
    assert value(vf, "extensions.installed") == ["Ersatzteilsuche", "Schichtplan"]
    assert value(vf, "extensions.count") == 2
    assert value(vf, "apps.catalogue") is True
    events = vf.facts["api.events"]
    assert events.source == "declared" and "change-notifications" in events.evidence.url


def test_token_is_requested_once_and_never_in_facts():
    routes = microsoft365_routes()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps, routes)
        vf = _probe_in(rsps)
        token_calls = [c for c in rsps.calls if "/oauth2/v2.0/token" in c.request.url]
        graph_calls = [c for c in rsps.calls if c.request.url.startswith(GRAPH)]
    assert len(token_calls) == 1
    body = token_calls[0].request.body
    assert "grant_type=client_credentials" in body
    assert "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default" in body
    token = fixture("microsoft365", "token")["access_token"]
    assert all(c.request.headers["Authorization"] == f"Bearer {token}" for c in graph_calls)
    dumped = json.dumps(vf.as_dict() if hasattr(vf, "as_dict") else
                        {k: f.as_dict() for k, f in vf.facts.items()})
    for secret in (token, *CREDENTIALS["microsoft365"].values()):
        assert secret not in dumped


def _probe_in(rsps, credentials=None, **kw):
    from zahnrad.catalog import load_catalog
    from zahnrad.registry import registry
    from zahnrad.runner import probe_vendor
    from zahnrad.strategy import Vendor

    creds = CREDENTIALS["microsoft365"] if credentials is None else credentials
    vendor = Vendor(name="Microsoft 365", platform="microsoft365",
                    credentials={k: f"ZT_{k}" for k in creds}, **kw)
    return probe_vendor(vendor, registry()["microsoft365"], load_catalog(),
                        environ={f"ZT_{k}": v for k, v in creds.items()})


def test_pagination_follows_odata_next_link():
    routes = microsoft365_routes()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps, routes)
        vf = _probe_in(rsps)
        pages = [c.request.url for c in rsps.calls if c.request.url.startswith(f"{GRAPH}/teams?")]
    assert len(pages) == 2 and "skiptoken" in pages[1]
    assert value(vf, "x-microsoft365.teams_total") == 5  # 3 on page 1, 2 on page 2
    assert value(vf, "spaces.public_count") == 2
    assert value(vf, "spaces.join_open") is True
    assert "over all pages" in vf.facts["spaces.public_count"].evidence.path


def test_missing_permissions_name_the_permission_to_grant():
    routes = forbidden(microsoft365_routes(), "sharepoint", "authorization", "apps",
                       *(f"channels_{i:02d}" for i in range(1, 6)), "crosstenant_default")
    vf = probe_one("microsoft365", routes)
    facts = vf.facts
    for name in ("sharing.external", "sharing.public_links", "sharing.domain_restriction",
                 "spaces.member_create", "edit.create_pages", "x-microsoft365.loop"):
        assert facts[name].source == "unknown"
        assert facts[name].reason.startswith(
            "Graph permission SharePointTenantSettings.Read.All not granted (HTTP 403 "
            "Authorization_RequestDenied from GET /admin/sharepoint/settings)"), facts[name].reason
    for name in ("guests.allowed", "guests.invite_policy", "signup.open"):
        assert "Graph permission Policy.Read.All not granted" in facts[name].reason
    for name in ("extensions.installed", "extensions.count", "apps.catalogue"):
        assert "Graph permission AppCatalog.Read.All not granted" in facts[name].reason
    assert "Graph permission Channel.ReadBasic.All" in facts["x-microsoft365.shared_channels"].reason
    # Without channels and the cross-tenant policy nothing tells about federation.
    assert "Policy.Read.All" in facts["federation.enabled"].reason
    # What was granted is still there.
    assert value(vf, "site.title") == "Muster Maschinenbau GmbH"
    assert value(vf, "edit.own_posts") is True
    assert not vf.complete
    assert any("SharePointTenantSettings.Read.All" in p for p in vf.problems)


def test_direct_connect_policy_decides_federation_when_no_shared_channel_is_seen():
    routes = microsoft365_routes()
    for i in range(1, 6):
        routes[f"channels_{i:02d}"][0].body = {"value": []}
    vf = probe_one("microsoft365", routes)
    # B2B direct connect is blocked by default and the only partner inherits the default.
    assert value(vf, "federation.enabled") is False
    assert value(vf, "federation.protocol") == "none"
    assert value(vf, "x-microsoft365.shared_channels") == 0


def test_team_settings_false_in_a_partial_sample_stay_unknown():
    routes = microsoft365_routes()
    vf = probe_one("microsoft365", routes, options={"team_sample": 1})
    # Team 1 does not let members add apps; four other teams were not looked at.
    f = vf.facts["apps.member_install"]
    assert f.source == "unknown" and "1 sampled teams of 5" in f.reason
    assert value(vf, "edit.own_posts") is True


def test_expired_client_secret_fails_this_vendor_only():
    m = microsoft365_routes()
    m["token"] = [Route("POST", m["token"][0].url, None, fixture("microsoft365", SECRET_EXPIRED), 401)]
    strategy = parse_strategy({
        "organisation": {"name": "T"},
        "goals": {g: 3 for g in ("participation", "self_organisation", "knowledge_sharing",
                                 "external_reach", "adaptability")},
        "vendors": [
            {"name": "Microsoft 365", "platform": "microsoft365",
             "credentials": {"tenant_id": "ZT_T", "client_id": "ZT_C", "client_secret": "ZT_S"}},
            {"name": "Slack", "platform": "slack", "credentials": {"token": "ZT_SLACK"}},
        ]}, Path("strategy.toml"))
    creds = CREDENTIALS["microsoft365"]
    env = {"ZT_T": creds["tenant_id"], "ZT_C": creds["client_id"], "ZT_S": creds["client_secret"],
           "ZT_SLACK": CREDENTIALS["slack"]["token"]}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            register(rsps, {**m, **{f"s:{k}": v for k, v in slack_routes().items()}})
            result = probe_strategy(strategy, quiet=True)
    m365 = result.vendors["Microsoft 365"]
    assert not m365.complete
    reason = m365.facts["sharing.external"].reason
    assert reason.startswith("Entra ID refused the client-credentials token (HTTP 401 "
                             "invalid_client: AADSTS7000222: The provided client secret keys for app")
    # Credential values quoted by Entra ID (the client id here) are scrubbed from the reason.
    assert creds["client_id"] not in reason and "REDACTED" in reason
    assert m365.facts["licence.open_source"].source == "declared"
    assert result.vendors["Slack"].facts["site.title"].value == "Muster Maschinenbau"


def test_expired_bearer_token_is_a_clear_failure():
    routes = microsoft365_routes()
    routes["organization"] = [Route("GET", f"{GRAPH}/organization",
                                    {"$select": "id,displayName,verifiedDomains"},
                                    fixture("microsoft365", "error_401_expired"), 401)]
    vf = probe_one("microsoft365", routes, credentials={"bearer_token": "eyJexpired.token.value"})
    assert not vf.complete
    reason = vf.facts["sharing.external"].reason
    assert reason.startswith("Microsoft Graph rejected the token (HTTP 401 InvalidAuthenticationToken: "
                             "Lifetime validation failed, the token is expired.")
    assert vf.facts["site.title"].reason == reason  # the probe stopped there


def test_throttling_is_retried():
    routes = microsoft365_routes()
    routes["sharepoint"].insert(0, Route("GET", f"{GRAPH}/admin/sharepoint/settings", None,
                                         fixture("microsoft365", "error_429"), 429,
                                         {"Retry-After": "3"}))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps, routes)
        vf = _probe_in(rsps)
        statuses = [c.response.status_code for c in rsps.calls
                    if c.request.url == f"{GRAPH}/admin/sharepoint/settings"]
    assert statuses == [429, 200]
    assert value(vf, "sharing.external") == "guests"


@pytest.mark.slow
def test_retry_after_is_honoured_over_a_real_socket():
    routes = microsoft365_routes()
    routes["authorization"].insert(0, Route("GET", f"{GRAPH}/policies/authorizationPolicy", None,
                                            fixture("microsoft365", "error_429"), 429,
                                            {"Retry-After": "1"}))
    with local_server(routes, {GRAPH: "{server}/v1.0", LOGIN: "{server}/login"}) as server:
        started = time.monotonic()
        vf = probe_one("microsoft365", None, url=f"{server}/v1.0",
                       options={"login_url": f"{server}/login"})
        elapsed = time.monotonic() - started
    assert vf.complete, vf.problems
    assert value(vf, "guests.invite_policy") == "members"
    assert value(vf, "x-microsoft365.teams_total") == 5  # nextLink on the local server followed
    assert elapsed >= 1.0


def test_next_link_to_another_host_is_not_followed():
    routes = microsoft365_routes()
    routes["teams"][0].body["@odata.nextLink"] = "https://attacker.example/v1.0/teams?$skiptoken=x"
    vf = probe_one("microsoft365", routes)
    assert "another host" in vf.facts["x-microsoft365.teams_total"].reason


def test_no_credentials_is_a_clear_vendor_failure():
    vf = probe_one("microsoft365", microsoft365_routes(), credentials={})
    assert "needs tenant_id, client_id and client_secret" in vf.facts["site.title"].reason


def test_demo_recording_has_no_tenant_or_secret_and_replays():
    path = recording_file(DEMO_RECORDINGS, "Microsoft 365")
    assert_no_secrets(path, (*CREDENTIALS["microsoft365"].values(),
                             fixture("microsoft365", "token")["access_token"], TENANT))
    from zahnrad.strategy import Vendor

    vendor = Vendor(name="Microsoft 365", platform="microsoft365",
                    credentials={"tenant_id": "A", "client_id": "B", "client_secret": "C"})
    vf = replay_vendor(vendor, DEMO_RECORDINGS)  # at the platform's address, GRAPH
    assert vf.facts["sharing.external"].value == "guests"
    assert vf.facts["federation.enabled"].value is True
    assert "AppCatalog.Read.All" in vf.facts["extensions.installed"].reason


def test_demo_recordings_match_the_fixtures():
    """The committed SaaS recordings are what tests/make_saas_recordings.py makes today."""
    from make_saas_recordings import main_cli

    assert main_cli(["--check", "-o", str(DEMO_RECORDINGS)]) == 0


def test_declared_facts_name_their_documentation():
    """Every declaration is a catalog fact of the right type, with an https source and a note;
    observed or declared, not both."""
    assert_declarations_documented("microsoft365")


def test_declared_product_properties_reach_the_facts():
    vf = probe_one("microsoft365", microsoft365_routes())
    for name, want in (("office.coauthoring", True), ("history.restore", True),
                       ("api.graphql", False), ("upload.max_size_mb", 256000.0),
                       ("sso.protocols", ["saml", "oidc", "oauth2", "ws-federation"])):
        f = vf.facts[name]
        assert (f.source, f.value) == ("declared", want), name
        assert f.evidence.url.startswith("https://") and f.evidence.note
