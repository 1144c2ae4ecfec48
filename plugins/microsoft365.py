"""Microsoft 365 (SharePoint Online, Teams, Entra ID): tenant settings read through Microsoft Graph.

Nothing about a tenant is visible anonymously, so the probe needs an Entra ID app registration
with read-only *application* permissions (client-credentials flow) or a ready bearer token. Each
area needs its own permission; a 403 makes exactly the facts of that area unknown and names the
permission to grant ("Graph permission Policy.Read.All not granted"), so a partial consent still
gives a partial, honest picture:

==========================================  ==========================================
``GET /organization``                       Organization.Read.All
``GET /admin/sharepoint/settings``          SharePointTenantSettings.Read.All
``GET /policies/authorizationPolicy``       Policy.Read.All
``GET /policies/crossTenantAccessPolicy/*`` Policy.Read.All
``GET /teams``, ``GET /teams/{id}``         Team.ReadBasic.All
``GET /teams/{id}/allChannels``             Channel.ReadBasic.All
``GET /appCatalogs/teamsApps``              AppCatalog.Read.All
==========================================  ==========================================

Settings that exist per team (message editing, who may add apps or channels) are read from a
sample of teams (option ``team_sample``, default 5): a capability is reported as available when
at least one sampled team allows it, and as unavailable only when the sample covers every team.

A tenant setting that switches off one of several ways to do something (SharePoint page
creation, site creation) is reported in a ``x-microsoft365.*`` fact; the catalog fact stays
unknown in that case, because members may still do it another way (documents, Teams posts).

Options: ``graph_url`` (national clouds; default the vendor URL if it is a Graph root such as
``https://graph.microsoft.com/v1.0``, else the global Graph), ``login_url`` (default
``https://login.microsoftonline.com``), ``team_sample``, ``max_pages`` (default 20 per list).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import AuthFailed, ProbeContext, ProbeError, Reply
from zahnrad.redact import scrub_text

GRAPH = "https://graph.microsoft.com/v1.0"
LOGIN = "https://login.microsoftonline.com"
SCOPE = "https://graph.microsoft.com/.default"
DOCS = "https://learn.microsoft.com/graph/api"

# Least-privileged application permission per Graph area (from the Graph API reference pages).
PERM_ORGANIZATION = "Organization.Read.All"
PERM_SHAREPOINT = "SharePointTenantSettings.Read.All"
PERM_POLICY = "Policy.Read.All"
PERM_TEAMS = "Team.ReadBasic.All"
PERM_CHANNELS = "Channel.ReadBasic.All"
PERM_APPS = "AppCatalog.Read.All"

SHARING = {  # sharepointSettings.sharingCapability -> sharing.external
    "disabled": "none",
    "existingExternalUserSharingOnly": "existing_guests",
    "externalUserSharingOnly": "guests",
    "externalUserAndGuestSharing": "anyone",
}
DOMAIN_MODE = {"none": "none", "allowList": "allow_list", "blockList": "block_list"}
INVITES = {  # authorizationPolicy.allowInvitesFrom -> guests.invite_policy
    "none": "none",
    "adminsAndGuestInviters": "admins",
    "adminsGuestInvitersAndAllMembers": "members",
    "everyone": "everyone",
}

ORG_FACTS = ("site.title",)
SHAREPOINT_FACTS = (
    "sharing.external", "sharing.public_links", "sharing.domain_restriction",
    "spaces.member_create", "edit.create_pages", "x-microsoft365.site_creation",
    "x-microsoft365.page_creation", "x-microsoft365.page_comments",
    "x-microsoft365.sharepoint_newsfeed", "x-microsoft365.loop", "x-microsoft365.guest_resharing",
    "x-microsoft365.sharing_domains",
)
POLICY_FACTS = ("guests.allowed", "guests.invite_policy", "signup.open")
TEAMS_FACTS = ("spaces.public_count", "spaces.join_open", "x-microsoft365.teams_total")
TEAM_SAMPLE_FACTS = (
    "edit.own_posts", "edit.delete_own", "apps.member_install",
    "x-microsoft365.members_create_channels", "x-microsoft365.guests_create_channels",
)
FEDERATION_FACTS = ("federation.enabled", "federation.protocol", "x-microsoft365.shared_channels")
APP_FACTS = ("extensions.installed", "extensions.count", "apps.catalogue")
FACTS = (
    "platform.api_version", "api.rest", *ORG_FACTS, *SHAREPOINT_FACTS, *POLICY_FACTS,
    *TEAMS_FACTS, *TEAM_SAMPLE_FACTS, *FEDERATION_FACTS, *APP_FACTS,
)

_VERSION_IN_CONTEXT = re.compile(r"/(v\d+\.\d+|beta)/\$metadata")




def _graph_error(reply: Reply) -> tuple[str, str]:
    """(code, message) of a Graph error body; empty strings when the body is not one."""
    try:
        err = reply.json().get("error") or {}
    except (ProbeError, AttributeError):
        return "", ""
    if not isinstance(err, dict):
        return "", ""
    return str(err.get("code") or ""), str(err.get("message") or "")


class Graph:
    """Microsoft Graph for one probe: the token, the API root, errors that name permissions."""

    def __init__(self, ctx: ProbeContext, root: str, token: str):
        self.ctx = ctx
        self.root = root.rstrip("/")
        self.origin = urlsplit(self.root)[:2]
        self._auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.first_reply: tuple[Reply, Any] | None = None

    def _scrub(self, text: str) -> str:
        return scrub_text(text, self.ctx.secrets)

    def get(self, path: str, permission: str, params: dict[str, str] | None = None
            ) -> tuple[Reply, Any]:
        url = path if path.startswith(("https://", "http://")) else self.root + path
        if urlsplit(url)[:2] != self.origin:
            # Never send the token to another host (a nextLink is data from the server).
            raise ProbeError(f"Graph pointed to another host ({urlsplit(url).netloc}); not followed")
        reply = self.ctx.request("GET", url, params=params, headers=self._auth, ok=None)
        shown = "GET " + urlsplit(url).path.removeprefix(urlsplit(self.root).path)
        if reply.status == 200:
            data = reply.json()
            if not isinstance(data, dict):
                raise ProbeError(f"{shown} did not return a JSON object")
            if self.first_reply is None:
                self.first_reply = (reply, data)
            return reply, data
        code, message = _graph_error(reply)
        detail = self._scrub(f"{code}: {message}".strip(": ")[:200])
        if reply.status == 401:
            raise AuthFailed(f"Microsoft Graph rejected the token (HTTP 401 {detail} from {shown}); "
                             "the client secret or token may be expired or revoked")
        if reply.status == 403:
            raise ProbeError(f"Graph permission {permission} not granted "
                             f"(HTTP 403 {code or 'Forbidden'} from {shown})")
        if reply.status == 429:
            raise ProbeError(f"Microsoft Graph kept throttling {shown} (HTTP 429 after retries)")
        raise ProbeError(f"HTTP {reply.status} from {shown}" + (f" ({detail})" if detail else ""))

    def pages(self, path: str, permission: str, params: dict[str, str] | None = None
              ) -> tuple[list[Any], list[Reply], bool]:
        """All items of a collection, following ``@odata.nextLink``: (items, replies, complete)."""
        max_pages = int(self.ctx.options.get("max_pages", 20))
        items: list[Any] = []
        replies: list[Reply] = []
        url: str | None = path
        while url and len(replies) < max_pages:
            reply, data = self.get(url, permission, params if url == path else None)
            replies.append(reply)
            value = data.get("value")
            if not isinstance(value, list):
                raise ProbeError(f"{path} returned no 'value' list")
            items.extend(v for v in value if isinstance(v, dict))
            url = data.get("@odata.nextLink") if isinstance(data.get("@odata.nextLink"), str) else None
        return items, replies, url is None


def _token(ctx: ProbeContext) -> str:
    """A Graph access token: the configured bearer token, or one from the client-credentials flow.

    The token is obtained once per run and registered as a secret, so it never reaches facts,
    evidence or recordings. Error texts from Entra ID are scrubbed of the credential values
    (they quote the tenant).
    """
    bearer = ctx.credential("bearer_token")
    if bearer:
        return bearer
    if not ctx.has_credentials("tenant_id", "client_id", "client_secret"):
        raise ProbeError("no credentials: Microsoft Graph needs tenant_id, client_id and "
                         "client_secret of an Entra ID app registration, or a bearer_token")
    login = str(ctx.options.get("login_url", LOGIN)).rstrip("/")
    tenant = ctx.credential("tenant_id") or ""
    root = str(ctx.options.get("graph_url") or "")
    scope = (urlsplit(root).scheme + "://" + urlsplit(root).netloc + "/.default") if root else SCOPE
    reply = ctx.request(
        "POST", f"{login}/{quote(tenant, safe='')}/oauth2/v2.0/token", ok=None,
        data={"client_id": ctx.credential("client_id"), "client_secret": ctx.credential("client_secret"),
              "scope": scope, "grant_type": "client_credentials"},
    )
    try:
        body = reply.json()
    except ProbeError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if reply.status == 200 and isinstance(body.get("access_token"), str):
        token = body["access_token"]
        ctx.add_secret(token)
        return token
    if reply.status == 429:
        raise AuthFailed("Entra ID kept throttling the token request (HTTP 429 after retries)")
    error = str(body.get("error") or f"HTTP {reply.status}")
    description = str(body.get("error_description") or "").split("\r\n")[0].split("\n")[0]
    raise AuthFailed(scrub_text(
        f"Entra ID refused the client-credentials token (HTTP {reply.status} {error}"
        + (f": {description[:200]}" if description else "") + ")", ctx.secrets))


def _graph_root(ctx: ProbeContext) -> str:
    """The Graph root: option graph_url, the vendor URL when it is a Graph root, else global."""
    if ctx.options.get("graph_url"):
        return str(ctx.options["graph_url"]).rstrip("/")
    path = urlsplit(ctx.base_url).path.rstrip("/")
    if ctx.base_url and re.search(r"/(v\d+\.\d+|beta)$", path):
        return ctx.base_url
    return GRAPH


def probe(ctx: ProbeContext) -> None:
    graph = Graph(ctx, _graph_root(ctx), _token(ctx))
    home_tenants: set[str] = set()  # the tenant's own id, to tell other organisations' channels
    with ctx.establishing(*ORG_FACTS):
        _organization(ctx, graph, home_tenants)
    with ctx.establishing(*SHAREPOINT_FACTS):
        _sharepoint(ctx, graph)
    with ctx.establishing(*POLICY_FACTS):
        _authorization_policy(ctx, graph)
    teams: list[dict[str, Any]] = []
    complete = False
    with ctx.establishing(*TEAMS_FACTS, *TEAM_SAMPLE_FACTS, *FEDERATION_FACTS):
        teams, complete = _teams(ctx, graph)
    if teams:
        with ctx.establishing(*TEAM_SAMPLE_FACTS):
            _team_settings(ctx, graph, teams, complete, home_tenants)
    cross = None
    if teams:
        with ctx.establishing("x-microsoft365.shared_channels"):
            cross = _shared_channels(ctx, graph, teams, home_tenants)
    with ctx.establishing("federation.enabled", "federation.protocol"):
        _federation(ctx, graph, cross)
    with ctx.establishing(*APP_FACTS):
        _apps(ctx, graph)
    if graph.first_reply is not None:
        reply, data = graph.first_reply
        ctx.observe("api.rest", True, reply, "(HTTP 200 with a JSON document)", reply.status)
        m = _VERSION_IN_CONTEXT.search(str(data.get("@odata.context", "")))
        version = m.group(1) if m else urlsplit(graph.root).path.rstrip("/").rsplit("/", 1)[-1]
        ctx.observe("platform.api_version", version, reply, "@odata.context",
                    data.get("@odata.context", reply.short_url))


def _organization(ctx: ProbeContext, graph: Graph, home_tenants: set[str]) -> None:
    reply, data = graph.get("/organization", PERM_ORGANIZATION,
                            {"$select": "id,displayName,verifiedDomains"})
    orgs = data.get("value") or []
    if orgs and isinstance(orgs[0], dict) and isinstance(orgs[0].get("id"), str):
        home_tenants.add(orgs[0]["id"])  # the organization id is the tenant id
    if orgs and isinstance(orgs[0], dict) and orgs[0].get("displayName"):
        ctx.observe("site.title", str(orgs[0]["displayName"]), reply, "value[0].displayName",
                    orgs[0]["displayName"])


def _sharepoint(ctx: ProbeContext, graph: Graph) -> None:
    reply, data = graph.get("/admin/sharepoint/settings", PERM_SHAREPOINT)
    # The reference page's example wraps the object in "value"; the live API does not.
    s = data["value"] if isinstance(data.get("value"), dict) else data

    def obs(fact: str, field: str, value: Any = None) -> None:
        if field in s:
            ctx.observe(fact, s[field] if value is None else value, reply, field, {field: s[field]})

    capability = s.get("sharingCapability")
    if capability in SHARING:
        obs("sharing.external", "sharingCapability", SHARING[capability])
        obs("sharing.public_links", "sharingCapability", capability == "externalUserAndGuestSharing")
    elif capability is not None:
        ctx.unknown("sharing.external", f"unknown sharingCapability {str(capability)[:40]!r}")
    mode = s.get("sharingDomainRestrictionMode")
    if mode in DOMAIN_MODE:
        obs("sharing.domain_restriction", "sharingDomainRestrictionMode", DOMAIN_MODE[mode])
        listed = {"allowList": "sharingAllowedDomainList", "blockList": "sharingBlockedDomainList"}
        if mode in listed and isinstance(s.get(listed[mode]), list):
            obs("x-microsoft365.sharing_domains", listed[mode], [str(d) for d in s[listed[mode]]])
        elif mode == "none":
            obs("x-microsoft365.sharing_domains", "sharingDomainRestrictionMode", [])
    for fact, field in (("x-microsoft365.site_creation", "isSiteCreationEnabled"),
                        ("x-microsoft365.page_creation", "isSitePagesCreationEnabled"),
                        ("x-microsoft365.page_comments", "isCommentingOnSitePagesEnabled"),
                        ("x-microsoft365.sharepoint_newsfeed", "isSharePointNewsfeedEnabled"),
                        ("x-microsoft365.loop", "isLoopEnabled"),
                        ("x-microsoft365.guest_resharing", "isResharingByExternalUsersEnabled")):
        if isinstance(s.get(field), bool):
            obs(fact, field)
    # Site and page creation are one way among several to create spaces and content: "on" is a
    # clear yes, "off" leaves teams, documents and posts open, so the catalog fact stays unknown.
    for fact, field, other in (
        ("spaces.member_create", "isSiteCreationEnabled",
         "creating teams (Microsoft 365 groups) is governed by Entra group settings"),
        ("edit.create_pages", "isSitePagesCreationEnabled",
         "members may still create documents and Teams posts"),
    ):
        if s.get(field) is True:
            obs(fact, field, True)
        elif s.get(field) is False:
            ctx.unknown(fact, f"SharePoint {field} is off tenant-wide; {other}, which this "
                              "probe does not read")


def _authorization_policy(ctx: ProbeContext, graph: Graph) -> None:
    reply, data = graph.get("/policies/authorizationPolicy", PERM_POLICY)
    # v1.0 returns the singleton; older tenants answered with a one-element collection.
    p = data["value"][0] if isinstance(data.get("value"), list) and data["value"] else data
    invites = p.get("allowInvitesFrom")
    if invites in INVITES:
        ctx.observe("guests.invite_policy", INVITES[invites], reply, "allowInvitesFrom",
                    {"allowInvitesFrom": invites})
        ctx.observe("guests.allowed", invites != "none", reply, "allowInvitesFrom",
                    {"allowInvitesFrom": invites})
    if isinstance(p.get("allowEmailVerifiedUsersToJoinOrganization"), bool):
        v = p["allowEmailVerifiedUsersToJoinOrganization"]
        ctx.observe("signup.open", v, reply, "allowEmailVerifiedUsersToJoinOrganization",
                    {"allowEmailVerifiedUsersToJoinOrganization": v})


def _teams(ctx: ProbeContext, graph: Graph) -> tuple[list[dict[str, Any]], bool]:
    teams, replies, complete = graph.pages("/teams", PERM_TEAMS,
                                           {"$select": "id,displayName,visibility"})
    last = replies[-1]
    if not complete:
        reason = (f"more than {len(teams)} teams ({len(replies)} pages); raise the option "
                  "max_pages to count them all")
        for f in TEAMS_FACTS:
            ctx.unknown(f, reason)
        return teams, False
    ctx.observe("x-microsoft365.teams_total", len(teams), last, "count(value[]) over all pages",
                {"teams": len(teams), "pages": len(replies)})
    if teams and all("visibility" in t for t in teams):
        public = [t for t in teams if str(t.get("visibility", "")).lower() == "public"]
        excerpt = {"teams": len(teams), "public": len(public)}
        ctx.observe("spaces.public_count", len(public), last,
                    "count(value[visibility='public']) over all pages", excerpt)
        if public:
            # Public teams can be joined by any member of the organisation without approval.
            ctx.observe("spaces.join_open", True, last, "value[visibility='public']", excerpt)
        else:
            ctx.unknown("spaces.join_open", "no public team exists; joining is by invitation now")
    elif teams:
        reason = "GET /teams did not return the visibility of every team"
        ctx.unknown("spaces.public_count", reason)
        ctx.unknown("spaces.join_open", reason)
    else:
        ctx.observe("spaces.public_count", 0, last, "value[] (empty)", [])
    return teams, True


def _sample(ctx: ProbeContext, teams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    n = max(1, int(ctx.options.get("team_sample", 5)))
    return [t for t in teams if isinstance(t.get("id"), str)][:n]


def _team_settings(ctx: ProbeContext, graph: Graph, teams: list[dict[str, Any]],
                   all_teams_listed: bool, home_tenants: set[str]) -> None:
    sample = _sample(ctx, teams)
    checks = {
        "edit.own_posts": ("messagingSettings", "allowUserEditMessages"),
        "edit.delete_own": ("messagingSettings", "allowUserDeleteMessages"),
        "apps.member_install": ("memberSettings", "allowAddRemoveApps"),
        "x-microsoft365.members_create_channels": ("memberSettings", "allowCreateUpdateChannels"),
        "x-microsoft365.guests_create_channels": ("guestSettings", "allowCreateUpdateChannels"),
    }
    seen: dict[str, list[tuple[Reply, str, bool]]] = {f: [] for f in checks}
    for team in sample:
        reply, data = graph.get(f"/teams/{quote(team['id'], safe='')}", PERM_TEAMS)
        if isinstance(data.get("tenantId"), str):
            home_tenants.add(data["tenantId"])
        for fact, (group, field) in checks.items():
            value = (data.get(group) or {}).get(field) if isinstance(data.get(group), dict) else None
            if isinstance(value, bool):
                seen[fact].append((reply, str(team.get("displayName", team["id"])), value))
    covers_all = all_teams_listed and len(sample) == len(teams)
    for fact, (group, field) in checks.items():
        _any_of_sample(ctx, fact, f"{group}.{field}", seen[fact], covers_all, len(teams))


def _any_of_sample(ctx: ProbeContext, fact: str, path: str,
                   seen: list[tuple[Reply, str, bool]], covers_all: bool, total: int) -> None:
    """True when a sampled team allows it; False only when the sample is every team."""
    if not seen:
        ctx.unknown(fact, f"{path} was not in the team settings Graph returned")
        return
    allowing = [(r, name) for r, name, v in seen if v]
    excerpt = {"sampled": len(seen), "allowing": len(allowing),
               "teams": [name for _, name in allowing][:5]}
    if allowing:
        ctx.observe(fact, True, allowing[0][0], f"{path} (true in {len(allowing)} of "
                    f"{len(seen)} sampled teams)", excerpt)
    elif covers_all:
        ctx.observe(fact, False, seen[-1][0], f"{path} (false in all {len(seen)} teams)", excerpt)
    else:
        ctx.unknown(fact, f"{path} is false in all {len(seen)} sampled teams of {total}; other "
                          "teams may allow it (raise the option team_sample)")


def _shared_channels(ctx: ProbeContext, graph: Graph, teams: list[dict[str, Any]],
                     home_tenants: set[str]) -> tuple[Reply, dict[str, Any]] | None:
    """Shared channels of the sampled teams; the first one hosted by another tenant, if any."""
    shared = 0
    cross: tuple[Reply, dict[str, Any]] | None = None
    last: Reply | None = None
    for team in _sample(ctx, teams):
        reply, data = graph.get(
            f"/teams/{quote(team['id'], safe='')}/allChannels", PERM_CHANNELS,
            {"$filter": "membershipType eq 'shared'",
             "$select": "id,displayName,membershipType,tenantId"})
        last = reply
        for ch in data.get("value") or []:
            if isinstance(ch, dict) and ch.get("membershipType") == "shared":
                shared += 1
                tenant = ch.get("tenantId")
                if cross is None and tenant and home_tenants and tenant not in home_tenants:
                    cross = (reply, ch)
    if last is not None:
        ctx.observe("x-microsoft365.shared_channels", shared, last,
                    "count(value[membershipType='shared']) in the sampled teams", shared)
    return cross


def _federation(ctx: ProbeContext, graph: Graph, cross: tuple[Reply, dict[str, Any]] | None) -> None:
    """Cross-organisation shared channels: one seen in the sample, else the direct-connect policy."""
    if cross is not None:
        reply, ch = cross
        excerpt = {"displayName": ch.get("displayName"), "membershipType": "shared",
                   "tenant": "another organisation"}
        ctx.observe("federation.enabled", True, reply, "value[membershipType='shared'].tenantId",
                    excerpt)
        ctx.observe("federation.protocol", "shared_channels", reply,
                    "value[membershipType='shared']", excerpt)
        return
    _direct_connect_policy(ctx, graph)


def _direct_connect_policy(ctx: ProbeContext, graph: Graph) -> None:
    """B2B direct connect (what shared channels with other organisations need), default + partners."""
    reply, data = graph.get("/policies/crossTenantAccessPolicy/default", PERM_POLICY)

    def access(cfg: Any) -> str | None:
        ug = (cfg or {}).get("usersAndGroups") if isinstance(cfg, dict) else None
        return ug.get("accessType") if isinstance(ug, dict) else None

    default = {d: access(data.get(f"b2bDirectConnect{d}")) for d in ("Inbound", "Outbound")}
    if "allowed" in default.values():
        _federated(ctx, reply, "b2bDirectConnect*.usersAndGroups.accessType (default)", default)
        return
    preply, pdata = graph.get("/policies/crossTenantAccessPolicy/partners", PERM_POLICY)
    for partner in pdata.get("value") or []:
        if not isinstance(partner, dict):
            continue
        allowed = {d: access(partner.get(f"b2bDirectConnect{d}")) for d in ("Inbound", "Outbound")}
        if "allowed" in allowed.values():
            _federated(ctx, preply, "value[].b2bDirectConnect*.usersAndGroups.accessType", allowed)
            return
    if default == {"Inbound": "blocked", "Outbound": "blocked"}:
        excerpt = {"default": default, "partners_allowing": 0}
        ctx.observe("federation.enabled", False, preply,
                    "b2bDirectConnect blocked by default and for every partner", excerpt)
        ctx.observe("federation.protocol", "none", preply,
                    "b2bDirectConnect blocked by default and for every partner", excerpt)
    else:
        ctx.unknown("federation.enabled", "the cross-tenant access policy did not state whether "
                                          "B2B direct connect is allowed")


def _federated(ctx: ProbeContext, reply: Reply, path: str, excerpt: Any) -> None:
    ctx.observe("federation.enabled", True, reply, path, excerpt)
    ctx.observe("federation.protocol", "shared_channels", reply, path, excerpt)


def _apps(ctx: ProbeContext, graph: Graph) -> None:
    apps, replies, complete = graph.pages(
        "/appCatalogs/teamsApps", PERM_APPS,
        {"$filter": "distributionMethod eq 'organization'", "$select": "id,displayName,distributionMethod"})
    last = replies[-1]
    ctx.observe("apps.catalogue", True, last, "(the tenant app catalogue answered)",
                {"organisationApps": len(apps)})
    if not complete:
        reason = f"more than {len(apps)} organisation apps; raise the option max_pages"
        ctx.unknown("extensions.installed", reason)
        ctx.unknown("extensions.count", reason)
        return
    names = sorted({str(a.get("displayName")) for a in apps if a.get("displayName")})
    ctx.observe("extensions.installed", names, last,
                "value[distributionMethod='organization'].displayName", names[:10])
    ctx.observe("extensions.count", len(apps), last, "count(value[]) over all pages", len(apps))


LEARN = "https://learn.microsoft.com"
SUPPORT = "https://support.microsoft.com/en-us/office"
DECLARED = (
    Declared("platform.product", "Microsoft 365", "https://www.microsoft.com/microsoft-365",
             "SharePoint Online, Teams and OneDrive as one subscription"),
    Declared("hosting.saas", True, "https://www.microsoft.com/microsoft-365",
             "Microsoft runs the service"),
    Declared("hosting.self_hosted", False, f"{LEARN}/microsoft-365/enterprise/microsoft-365-overview",
             "Microsoft 365 is cloud-only; SharePoint Server is a separate on-premises product"),
    Declared("licence.open_source", False, "https://www.microsoft.com/licensing/", "closed source"),
    Declared("licence.model", "proprietary", "https://www.microsoft.com/licensing/",
             "licensed per user by subscription"),
    Declared("licence.spdx", "proprietary", "https://www.microsoft.com/licensing/",
             "no open-source licence"),
    Declared("api.events", True, f"{LEARN}/graph/change-notifications-overview",
             "Graph change notifications (webhooks, Event Hubs, Event Grid) and delta queries"),
    Declared("webhooks.outgoing", True, f"{LEARN}/graph/change-notifications-delivery-webhooks",
             "Graph change notifications call an HTTPS endpoint the organisation registers"),
    Declared("webhooks.incoming", True, f"{LEARN}/microsoftteams/platform/webhooks-and-connectors/"
             "what-are-webhooks-and-connectors", "Teams incoming webhooks (Workflows)"),
    Declared("api.openapi_spec", True, "https://github.com/microsoftgraph/msgraph-metadata",
             "OpenAPI descriptions of Microsoft Graph"),
    Declared("social.activity_feed", True,
             "https://support.microsoft.com/office/explore-the-activity-feed-in-microsoft-teams-"
             "91c635a1-2d8d-4e6d-8be6-c3e0c06a2b42", "the Teams activity feed is always on"),
    # Product properties the same for every tenant (coverage pass).
    Declared("office.coauthoring", True, f"{SUPPORT}/collaborate-on-word-documents-with-real-time-"
             "co-authoring-7dd3040c-3f30-4fdd-bab0-8586492a1f1d",
             "documents in SharePoint and OneDrive are co-authored in real time in Word, Excel "
             "and PowerPoint for the web"),
    Declared("editor.visual", True, f"{SUPPORT}/collaborate-on-word-documents-with-real-time-"
             "co-authoring-7dd3040c-3f30-4fdd-bab0-8586492a1f1d",
             "documents are written in Word for the web, a visual editor in the browser"),
    Declared("editor.markdown", True, f"{SUPPORT}/use-markdown-formatting-in-microsoft-teams-"
             "4d10bd65-55e2-4b2d-a1f3-2bebdcd2c772", "Teams messages accept Markdown formatting"),
    Declared("editor.syntaxes", ["wysiwyg", "markdown"], f"{SUPPORT}/use-markdown-formatting-in-"
             "microsoft-teams-4d10bd65-55e2-4b2d-a1f3-2bebdcd2c772",
             "visual editors (Word, SharePoint pages, the Teams compose box) and Markdown in Teams"),
    Declared("templates.pages", True, f"{SUPPORT}/page-templates-in-sharepoint-"
             "faa92408-0c84-4e3d-8460-3c28065e7873",
             "SharePoint pages can be started from page templates, and saved as templates"),
    Declared("content.drafts", True, f"{LEARN}/graph/api/sitepage-publish",
             "a SharePoint page stays a draft until it is published"),
    Declared("history.versions", True, f"{LEARN}/graph/api/driveitem-list-versions",
             "SharePoint and OneDrive keep earlier versions of every file"),
    Declared("history.restore", True, f"{LEARN}/graph/api/driveitemversion-restore",
             "an earlier version of a file can be restored as the current one"),
    Declared("social.comments", True, f"{LEARN}/graph/api/chatmessage-list-replies",
             "Teams channel posts take replies"),
    Declared("social.threads", True, f"{LEARN}/graph/api/chatmessage-list-replies",
             "replies attach to the channel post they answer"),
    Declared("social.reactions", True, f"{LEARN}/graph/api/resources/chatmessagereaction",
             "reactions on Teams messages"),
    Declared("social.mentions", True, f"{LEARN}/graph/api/resources/chatmessagemention",
             "@mentions of people, teams and channels in Teams messages"),
    Declared("data.structured", True, f"{LEARN}/graph/api/resources/list",
             "SharePoint lists (Microsoft Lists) with typed columns"),
    Declared("upload.max_size_mb", 256000.0, f"{LEARN}/office365/servicedescriptions/"
             "sharepoint-online-service-description/sharepoint-online-limits",
             "files up to 250 GB in SharePoint and OneDrive"),
    Declared("theming.custom", True, f"{LEARN}/sharepoint/dev/declarative-customization/"
             "site-theming/sharepoint-site-theming-overview",
             "SharePoint sites take default or custom colour themes"),
    Declared("branding.custom", True, f"{LEARN}/microsoft-365/admin/setup/"
             "customize-your-organization-theme",
             "an organisation theme with logo and colours for the Microsoft 365 header"),
    Declared("permissions.per_space", True, f"{LEARN}/sharepoint/understanding-permission-levels",
             "site owners manage the permissions of their own site"),
    Declared("roles.api_configurable", True, f"{LEARN}/graph/api/group-post-groups",
             "groups (and their members and owners) are created and changed through Graph"),
    Declared("extensions.marketplace", True, f"{LEARN}/microsoftteams/manage-apps",
             "administrators find, allow and deploy apps from the Teams app store in the Teams "
             "admin center"),
    Declared("mobile.apps", True, f"{LEARN}/microsoftteams/get-clients",
             "Teams (and the Office apps) for iOS and Android"),
    Declared("api.write", True, f"{LEARN}/graph/api/driveitem-put-content",
             "Graph uploads and changes content (files, list items, pages, messages)"),
    Declared("api.graphql", False, f"{LEARN}/graph/overview",
             "Microsoft Graph is a REST (OData) API; Microsoft 365 offers no GraphQL API"),
    Declared("search.api", True, f"{LEARN}/graph/search-concept-overview",
             "the Microsoft Search API in Graph searches files, sites, list items and messages"),
    Declared("sso.protocols", ["saml", "oidc", "oauth2", "ws-federation"],
             f"{LEARN}/entra/identity/enterprise-apps/what-is-single-sign-on",
             "Microsoft Entra ID, which signs users in to Microsoft 365, offers SAML, OpenID "
             "Connect/OAuth 2.0 and WS-Federation single sign-on"),
    Declared("oauth.provider", True, f"{LEARN}/entra/identity-platform/v2-protocols-oidc",
             "Entra ID is an OpenID Connect provider: other applications log users in with it"),
    Declared("audit.log", True, f"{LEARN}/purview/audit-solutions-overview",
             "Audit (Standard) records user and admin activity and is on by default"),
    Declared("x-microsoft365.data_residency_eu", True,
             f"{LEARN}/privacy/eudb/eu-data-boundary-learn",
             "EU Data Boundary for the Microsoft Cloud; Advanced Data Residency and Multi-Geo "
             "as add-ons"),
)


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="microsoft365", display_name="Microsoft 365", kind="intranet suite", version="0.1.0",
        probe=probe, facts=FACTS, declared=DECLARED, docs_url=f"{LEARN}/graph/overview",
        credentials={
            "tenant_id": "Entra ID tenant (directory) ID or its primary domain",
            "client_id": "application (client) ID of an app registration with read-only "
                         "application permissions (see docs/platforms/microsoft365.md)",
            "client_secret": "a client secret of that app registration",
            "bearer_token": "instead of the three above: a ready Graph access token",
        },
        needs_url=False, default_url=GRAPH,
    ))
