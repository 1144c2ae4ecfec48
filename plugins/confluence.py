"""Confluence Cloud and Data Center: who may read, create and comment, read from the REST APIs.

**Cloud or Data Center?** The plugin tells them apart itself, from two answers that need no
login and cannot be mistaken for each other: a Cloud site answers ``GET /_edge/tenant_info`` with
its ``cloudId`` (Atlassian's documented way to find a site's cloud ID); a Data Center (or Server)
instance answers ``GET /rest/applinks/1.0/manifest`` with ``typeId: "confluence"``, its version
and build number. Host names are not used (custom domains and ``*.atlassian.net`` both exist), and
the option ``deployment = "cloud" | "datacenter"`` skips the check.

**Authentication.** Cloud: e-mail + API token (HTTP Basic against the site) or an OAuth 2.0
bearer token (credential ``token``; requests then go through ``api.atlassian.com/ex/confluence/
{cloudId}``, as do scoped API tokens with the option ``gateway = true``). Data Center: a personal
access token (credential ``token``, bearer) or user name + password in ``email``/``api_token``.
The credentials are checked once (Cloud ``settings/systemInfo``, Data Center ``user/current``); a
401 there stops the probe of this vendor with that reason. Later 401/403 answers only make the
facts of that call unknown, naming the permission needed.

**What is read.** An anonymous space listing (can visitors read anything?); the global spaces
(paginated through ``_links.next``); the space permissions of a sample of them (option
``space_sample``, default 20: Cloud v2 ``/spaces/{id}/permissions``, Data Center
``/rest/api/space/{key}/permissions``) for anonymous access and the rights of the default member
groups (option ``member_groups``, shell patterns, default ``confluence-users``,
``confluence-users-*``, ``users``); the probing account's global operations (space creation, so
use an ordinary member's account); personal spaces; likes; installed apps through UPM
(``/rest/plugins/1.0/``, administrators only); webhooks (Data Center, administrators only).
A right is reported as missing only when the sample covers every global space.
"""

from __future__ import annotations

import fnmatch
from typing import Any
from urllib.parse import quote, urlsplit

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import AuthFailed, ProbeContext, ProbeError, Reply
from zahnrad.redact import scrub_text

GATEWAY = "https://api.atlassian.com/ex/confluence"
MEMBER_GROUPS = ("confluence-users", "confluence-users-*", "users")
MEMBER_ROLES = ("*licensed*",)  # Cloud role principals that stand for every licensed user
CLOUD_DOCS = "https://developer.atlassian.com/cloud/confluence"
CLOUD_HELP = "https://support.atlassian.com/confluence-cloud/docs"
GRAPHQL_DOCS = "https://developer.atlassian.com/platform/atlassian-graphql-api/graphql/"
DC_DOCS = "https://developer.atlassian.com/server/confluence"
DC_WEBHOOKS_SINCE = (7, 7)

SITE_FACTS = ("platform.product", "platform.version", "platform.api_version", "site.title",
              "signup.open", "x-confluence.deployment", "x-confluence.edition")
ANON_FACTS = ("access.anonymous_read",)
SPACE_FACTS = ("x-confluence.spaces_visible", "spaces.public_count", "spaces.join_open",
               "permissions.per_space", "edit.member", "edit.create_pages", "social.comments",
               "edit.anonymous")
FACTS = ("api.rest", *SITE_FACTS, *ANON_FACTS, *SPACE_FACTS, "x-confluence.personal_spaces",
         "spaces.member_create", "social.reactions", "extensions.installed", "extensions.count",
         "webhooks.outgoing", "api.graphql")




class Site:
    """One Confluence: where its APIs are, how to authenticate, Cloud or Data Center."""

    def __init__(self, ctx: ProbeContext, deployment: str, root: str, api: str, auth: dict[str, str]):
        self.ctx = ctx
        self.cloud = deployment == "cloud"
        self.root = root.rstrip("/")  # where anonymous visitors go (site URL; Cloud: .../wiki)
        self.api = api.rstrip("/")    # where authenticated calls go (Cloud: maybe the gateway)
        self.auth = auth

    def get(self, url: str, need: str, params: dict[str, Any] | None = None, *,
            anonymous: bool = False, accept: str = "application/json") -> tuple[Reply, Any]:
        headers = {"Accept": accept, **({} if anonymous else self.auth)}
        reply = self.ctx.request("GET", url, params=params, headers=headers, ok=None)
        shown = "GET " + urlsplit(url).path
        if reply.status == 200:
            return reply, reply.json()
        message = _error_message(reply, self.ctx.secrets)
        if reply.status in (401, 403):
            raise ProbeError(f"HTTP {reply.status} from {shown}: {need} required"
                             + (f" ({message})" if message else ""))
        if reply.status == 429:
            raise ProbeError(f"Confluence kept rate-limiting {shown} (HTTP 429 after retries)")
        raise ProbeError(f"HTTP {reply.status} from {shown}" + (f" ({message})" if message else ""))

    def pages(self, url: str, need: str, params: dict[str, Any], key: str = "results"
              ) -> tuple[list[dict[str, Any]], list[Reply], bool]:
        """Every item, following ``_links.next`` (v1 and v2 alike): (items, replies, complete)."""
        max_pages = int(self.ctx.options.get("max_pages", 20))
        items: list[dict[str, Any]] = []
        replies: list[Reply] = []
        next_url: str | None = url
        while next_url and len(replies) < max_pages:
            reply, data = self.get(next_url, need, params if next_url == url else None)
            replies.append(reply)
            if isinstance(data, list):  # Data Center space permissions: a bare array
                items.extend(d for d in data if isinstance(d, dict))
                return items, replies, True
            if not isinstance(data, dict) or not isinstance(data.get(key), list):
                raise ProbeError(f"GET {urlsplit(url).path} returned no '{key}' list")
            items.extend(d for d in data[key] if isinstance(d, dict))
            next_url = self._next(data.get("_links"), next_url)
        return items, replies, next_url is None

    def _next(self, links: Any, current: str) -> str | None:
        """``_links.next`` is relative: to the site origin in v2 (``/wiki/api/v2/...``), to
        ``_links.base`` in v1 (``/rest/api/...``). The link must stay on the same host."""
        if not isinstance(links, dict) or not isinstance(links.get("next"), str):
            return None
        nxt = links["next"]
        cur = urlsplit(current)
        origin = f"{cur.scheme}://{cur.netloc}"
        if nxt.startswith(("http://", "https://")):
            target = nxt
        else:
            base = links.get("base") if isinstance(links.get("base"), str) else self.api
            base_path = urlsplit(base).path.rstrip("/")
            # Through the gateway, paths are under /ex/confluence/{cloudId}; keep that prefix.
            api_path = urlsplit(self.api).path
            prefix = api_path[: -len("/wiki")] if api_path.endswith("/wiki") else ""
            if base_path and nxt.startswith(base_path + "/"):
                target = origin + prefix + nxt
            else:
                target = origin + (prefix + base_path if prefix else urlsplit(self.api).path) + nxt
        if urlsplit(target)[:2] != cur[:2]:
            raise ProbeError(f"pagination pointed to another host ({urlsplit(target).netloc})")
        return target


def _error_message(reply: Reply, secrets: tuple[str, ...]) -> str:
    try:
        data = reply.json()
    except ProbeError:
        return ""
    msg = ""
    if isinstance(data, dict):
        msg = str(data.get("message") or data.get("errorMessage") or "")
        errors = data.get("errors")
        if not msg and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            msg = str(errors[0].get("title") or errors[0].get("message") or "")
    return scrub_text(msg, secrets)[:160]


def _auth(ctx: ProbeContext) -> tuple[dict[str, str], str]:
    """Authorization header and its kind: basic, bearer or none."""
    token = ctx.credential("token")
    if token:
        return {"Authorization": f"Bearer {token}"}, "bearer"
    if ctx.has_credentials("email", "api_token"):
        return {"Authorization": ctx.basic_auth(ctx.credential("email") or "",
                                                ctx.credential("api_token") or "")}, "basic"
    return {}, "none"


def _detect(ctx: ProbeContext) -> tuple[str, Reply | None, dict[str, Any]]:
    """("cloud" | "datacenter", the reply that showed it, its JSON)."""
    forced = str(ctx.options.get("deployment", "")).lower().replace(" ", "")
    base = ctx.base_url
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    if forced in ("cloud", "datacenter", "server"):
        return ("cloud" if forced == "cloud" else "datacenter"), None, {}
    reply = ctx.request("GET", f"{origin}/_edge/tenant_info", headers={"Accept": "application/json"},
                        ok=None)
    if reply.status == 200:
        try:
            data = reply.json()
        except ProbeError:
            data = None
        if isinstance(data, dict) and data.get("cloudId"):
            return "cloud", reply, data
    for root in [base] + ([base[: -len("/wiki")]] if parts.path.endswith("/wiki") else []):
        reply = ctx.request("GET", f"{root}/rest/applinks/1.0/manifest",
                            headers={"Accept": "application/json"}, ok=None)
        if reply.status == 200:
            try:
                data = reply.json()
            except ProbeError:
                continue
            if isinstance(data, dict) and str(data.get("typeId", "")).lower() == "confluence":
                return "datacenter", reply, data
    raise ProbeError(f"{base} was not recognised as Confluence: neither /_edge/tenant_info "
                     "(Cloud) nor /rest/applinks/1.0/manifest (Data Center) answered")


def probe(ctx: ProbeContext) -> None:
    deployment, shown, detected = _detect(ctx)
    auth, kind = _auth(ctx)
    base = ctx.base_url
    if deployment == "cloud":
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        root = origin + "/wiki"
        api = root
        if kind == "bearer" or (kind == "basic" and ctx.options.get("gateway")):
            cloud_id = detected.get("cloudId")
            if not cloud_id:
                raise ProbeError("the cloudId is needed for OAuth/scoped tokens; remove the "
                                 "option deployment so the plugin can read /_edge/tenant_info")
            api = f"{GATEWAY}/{quote(str(cloud_id), safe='')}/wiki"
    else:
        root = api = base
    site = Site(ctx, deployment, root, api, auth)
    _declare_graphql(ctx, site)
    if shown is not None:
        ex = {"cloudId": "(present)"} if site.cloud else {
            k: detected.get(k) for k in ("typeId", "version", "buildNumber")}
        ctx.observe("x-confluence.deployment", deployment, shown,
                    "cloudId" if site.cloud else "typeId", ex)
        ctx.observe("platform.product", "Confluence Cloud" if site.cloud else "Confluence Data Center",
                    shown, "cloudId" if site.cloud else "typeId", ex)
    else:
        ctx.unknown("x-confluence.deployment", "set by the option deployment, not observed")
    ctx.session.cookies.clear()
    anonymous: tuple[bool, Reply] | None = None
    with ctx.establishing(*ANON_FACTS):
        anonymous = _anonymous(ctx, site)
    if anonymous is not None and anonymous[0] is False:
        # Nothing is readable without login, so nothing is editable without login either.
        ctx.observe("edit.anonymous", False, anonymous[1], "(no anonymous read access)",
                    anonymous[1].status)
    if kind == "none":
        raise ProbeError("no credentials: give email + api_token (Cloud), or token (Cloud OAuth "
                         "or Data Center personal access token) for more than anonymous access")
    with ctx.establishing(*SITE_FACTS):
        _site_info(ctx, site, shown, detected)
    spaces: list[dict[str, Any]] = []
    complete = False
    with ctx.establishing(*SPACE_FACTS):
        spaces, complete = _spaces(ctx, site)
        _space_permissions(ctx, site, spaces, complete)
    with ctx.establishing("x-confluence.personal_spaces"):
        _personal_spaces(ctx, site)
    with ctx.establishing("spaces.member_create"):
        _operations(ctx, site)
    if site.cloud:
        with ctx.establishing("social.reactions"):
            _likes(ctx, site, spaces)
    with ctx.establishing("extensions.installed", "extensions.count"):
        _apps(ctx, site)
    with ctx.establishing("webhooks.outgoing"):
        _webhooks(ctx, site, detected)


def _anonymous(ctx: ProbeContext, site: Site) -> tuple[bool, Reply]:
    """List one space without credentials: can a visitor read anything at all?"""
    url = f"{site.root}/api/v2/spaces" if site.cloud else f"{site.root}/rest/api/space"
    reply = ctx.request("GET", url, params={"limit": 1}, headers={"Accept": "application/json"},
                        ok=None)
    if reply.status in (401, 403):
        ctx.observe("access.anonymous_read", False, reply, f"(HTTP {reply.status} without login)",
                    reply.status)
        return False, reply
    if reply.status != 200:
        raise ProbeError(f"HTTP {reply.status} from the anonymous space listing")
    data = reply.json()
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ProbeError("the anonymous space listing returned no 'results' list")
    readable = bool(results)
    ctx.observe("access.anonymous_read", readable, reply, "results[] without login",
                {"spaces_visible_anonymously": len(results)})
    return readable, reply


def _site_info(ctx: ProbeContext, site: Site, manifest_reply: Reply | None,
               manifest: dict[str, Any]) -> None:
    """Check the credentials once; read name, version and edition."""
    if site.cloud:
        reply = ctx.request("GET", f"{site.api}/rest/api/settings/systemInfo",
                            headers={"Accept": "application/json", **site.auth}, ok=None)
        if reply.status == 401:
            raise AuthFailed("Confluence Cloud rejected the credentials (HTTP 401 from "
                             "settings/systemInfo): the API token may be expired or revoked, or "
                             "the e-mail address does not match it")
        if reply.status != 200:
            raise ProbeError(f"HTTP {reply.status} from GET /wiki/rest/api/settings/systemInfo")
        info = reply.json()
        ctx.observe("api.rest", True, reply, "(HTTP 200 with a JSON document)", reply.status)
        if isinstance(info, dict):
            if info.get("siteTitle"):
                ctx.observe("site.title", str(info["siteTitle"]), reply, "siteTitle", info["siteTitle"])
            if info.get("edition"):
                ctx.observe("x-confluence.edition", str(info["edition"]), reply, "edition",
                            info["edition"])
        ctx.unknown("platform.version", "Confluence Cloud is continuously deployed and reports "
                                        "no product version")
        ctx.unknown("signup.open", "who may join a Cloud site is set in admin.atlassian.com, "
                                   "not visible through the Confluence API")
        return
    reply = ctx.request("GET", f"{site.api}/rest/api/user/current",
                        headers={"Accept": "application/json", **site.auth}, ok=None)
    if reply.status in (401, 403):
        raise AuthFailed(f"Confluence Data Center rejected the credentials (HTTP {reply.status} "
                         "from user/current): the personal access token may be expired or revoked")
    if reply.status != 200:
        raise ProbeError(f"HTTP {reply.status} from GET /rest/api/user/current")
    me = reply.json()
    if isinstance(me, dict) and str(me.get("type", "")).lower() == "anonymous":
        raise AuthFailed("Confluence Data Center ignored the credentials (user/current answered "
                         "as the anonymous user)")
    ctx.observe("api.rest", True, reply, "(HTTP 200 with a JSON document)", reply.status)
    ctx.unknown("platform.api_version", "the Data Center REST API (/rest/api) is not versioned")
    ctx.unknown("x-confluence.edition", "editions (Free, Standard, Premium, Enterprise) are Cloud "
                                        "plans; Data Center has none")
    if manifest_reply is None:  # deployment set by option: read the manifest now
        manifest_reply = ctx.request("GET", f"{site.root}/rest/applinks/1.0/manifest",
                                     headers={"Accept": "application/json"}, ok=None)
        if manifest_reply.status != 200:
            raise ProbeError(f"HTTP {manifest_reply.status} from the application manifest "
                             "(/rest/applinks/1.0/manifest)")
        manifest = manifest_reply.json() if isinstance(manifest_reply.json(), dict) else {}
    if manifest.get("version"):
        ctx.observe("platform.version", str(manifest["version"]), manifest_reply, "version",
                    {"version": manifest["version"], "buildNumber": manifest.get("buildNumber")})
    if manifest.get("name"):
        ctx.observe("site.title", str(manifest["name"]), manifest_reply, "name", manifest["name"])
    if isinstance(manifest.get("publicSignup"), bool):
        ctx.observe("signup.open", manifest["publicSignup"], manifest_reply, "publicSignup",
                    {"publicSignup": manifest["publicSignup"]})


def _spaces(ctx: ProbeContext, site: Site) -> tuple[list[dict[str, Any]], bool]:
    if site.cloud:
        url, params = f"{site.api}/api/v2/spaces", {"type": "global", "status": "current",
                                                    "limit": 250}
    else:
        url, params = f"{site.api}/rest/api/space", {"type": "global", "status": "current",
                                                    "limit": 100}
    spaces, replies, complete = site.pages(url, "permission to use Confluence", params)
    last = replies[-1]
    if site.cloud:
        ctx.observe("platform.api_version", "v2", last, "(path /wiki/api/v2 answered)", "v2")
    if complete:
        ctx.observe("x-confluence.spaces_visible", len(spaces), last,
                    "count(results[]) over all pages (global spaces this account sees)",
                    {"spaces": len(spaces), "pages": len(replies)})
    else:
        ctx.unknown("x-confluence.spaces_visible", f"more than {len(spaces)} spaces; raise the "
                                                   "option max_pages")
    return spaces, complete


def _grants(entry: dict[str, Any], names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(who, operation, target) of one permission entry, Cloud v2 or v1/Data Center shape.

    who: "anonymous", "group:<name>", "role:<id>" or "user:<id>".
    """
    op = entry.get("operation") if isinstance(entry.get("operation"), dict) else {}
    key = str(op.get("key") or op.get("operation") or "").lower()
    target = str(op.get("targetType") or op.get("target") or "").lower()
    out: list[tuple[str, str, str]] = []
    principal = entry.get("principal")
    if isinstance(principal, dict):  # Cloud v2
        ptype = str(principal.get("type", "")).lower()
        pid = str(principal.get("id", ""))
        if ptype == "group":
            out.append((f"group:{names.get(pid, pid)}", key, target))
        elif ptype == "role" and "anonymous" in pid.lower():
            out.append(("anonymous", key, target))
        else:
            out.append((f"{ptype}:{pid}", key, target))
        return out
    if entry.get("anonymousAccess") is True:
        out.append(("anonymous", key, target))
    subjects = entry.get("subjects") if isinstance(entry.get("subjects"), dict) else {}
    groups = (subjects.get("group") or {}).get("results") if isinstance(subjects.get("group"), dict) else None
    for g in groups or []:
        if isinstance(g, dict) and g.get("name"):
            out.append((f"group:{g['name']}", key, target))
    if isinstance(entry.get("groupName"), str):  # some Data Center builds flatten the subject
        out.append((f"group:{entry['groupName']}", key, target))
    return out


def _is_member(who: str, groups: tuple[str, ...], roles: tuple[str, ...]) -> bool:
    kind, _, name = who.partition(":")
    patterns = groups if kind == "group" else roles if kind == "role" else ()
    return any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


def _group_names(ctx: ProbeContext, site: Site, entries: list[dict[str, Any]],
                 names: dict[str, str]) -> None:
    """Cloud v2 names groups by id; look the names up once (v1 group/by-id)."""
    for e in entries:
        p = e.get("principal")
        if not (isinstance(p, dict) and str(p.get("type", "")).lower() == "group"):
            continue
        gid = str(p.get("id", ""))
        if not gid or gid in names:
            continue
        names[gid] = gid
        try:
            _, data = site.get(f"{site.api}/rest/api/group/by-id", "permission to view groups",
                               {"id": gid})
        except ProbeError:
            continue
        if isinstance(data, dict) and data.get("name"):
            names[gid] = str(data["name"])


def _space_permissions(ctx: ProbeContext, site: Site, spaces: list[dict[str, Any]],
                       listed_all: bool) -> None:
    n = max(1, int(ctx.options.get("space_sample", 20)))
    groups = tuple(ctx.options.get("member_groups") or MEMBER_GROUPS)
    roles = tuple(ctx.options.get("member_roles") or MEMBER_ROLES)
    sample = spaces[:n]
    covers_all = listed_all and len(sample) == len(spaces)
    names: dict[str, str] = {}
    per_space: list[tuple[dict[str, Any], Reply, set[tuple[str, str, str]]]] = []
    for space in sample:
        if site.cloud:
            url = f"{site.api}/api/v2/spaces/{quote(str(space.get('id')), safe='')}/permissions"
            need = "permission to view the space"
        else:
            url = f"{site.api}/rest/api/space/{quote(str(space.get('key')), safe='')}/permissions"
            need = "space administrator permission"
        try:
            entries, replies, _ = site.pages(url, need, {"limit": 250} if site.cloud else {})
        except ProbeError as exc:
            if site.cloud or "HTTP 404" not in str(exc):
                raise
            # Before the space-permissions resource (Data Center 8.x): the permissions expansion.
            reply, data = site.get(f"{site.api}/rest/api/space/{quote(str(space.get('key')), safe='')}",
                                   need, {"expand": "permissions"})
            entries = [e for e in (data.get("permissions") or []) if isinstance(e, dict)] \
                if isinstance(data, dict) else []
            replies = [reply]
        if site.cloud:
            _group_names(ctx, site, entries, names)
        grants = {g for e in entries for g in _grants(e, names)}
        per_space.append((space, replies[-1], grants))
    if not per_space:
        for f in ("spaces.public_count", "edit.member", "edit.create_pages", "social.comments",
                  "edit.anonymous"):
            ctx.unknown(f, "no global space is visible to this account")
        return
    first = per_space[0][1]
    ctx.observe("permissions.per_space", True, first, "space permissions, set per space",
                {"space": per_space[0][0].get("key"), "entries": len(per_space[0][2])})

    def holders(op: str, target: str, who_ok) -> list[tuple[dict[str, Any], Reply]]:
        return [(s, r) for s, r, g in per_space if any(
            o == op and t == target and who_ok(w) for w, o, t in g)]

    def member(w: str) -> bool:
        return _is_member(w, groups, roles)

    scope = f"{len(per_space)} sampled of {len(spaces)} global spaces"
    for facts, op, target in ((("edit.member", "edit.create_pages"), "create", "page"),
                              (("social.comments",), "create", "comment")):
        found = holders(op, target, member)
        for fact in facts:
            _report(ctx, fact, found, per_space, covers_all, scope,
                    f"{op} {target} for the default member groups")
    readable = holders("read", "space", lambda w: member(w) or w == "anonymous")
    if covers_all:
        ctx.observe("spaces.public_count", len(readable), per_space[-1][1],
                    "spaces whose read permission includes the default member groups",
                    {"spaces": len(per_space), "open_to_members": len(readable)})
    else:
        ctx.unknown("spaces.public_count", f"{len(readable)} of the {scope} are open to every "
                                           "member; raise the option space_sample to count all")
    if readable:
        ctx.observe("spaces.join_open", True, readable[0][1],
                    "read permission for the default member groups (no approval needed)",
                    {"space": readable[0][0].get("key")})
    elif covers_all:
        ctx.observe("spaces.join_open", False, per_space[-1][1],
                    "no space grants read to the default member groups", {"spaces": len(per_space)})
    if not ctx.is_set("edit.anonymous"):
        _report(ctx, "edit.anonymous", holders("create", "page", lambda w: w == "anonymous"),
                per_space, covers_all, scope, "create page for anonymous users")


def _report(ctx: ProbeContext, fact: str, found: list[tuple[dict[str, Any], Reply]],
            per_space: list[tuple[dict[str, Any], Reply, set[tuple[str, str, str]]]],
            covers_all: bool, scope: str, what: str) -> None:
    """True when a sampled space grants it; False only when every global space was checked."""
    if found:
        space, reply = found[0]
        ctx.observe(fact, True, reply, f"permissions: {what}",
                    {"space": space.get("key"), "spaces_granting": len(found)})
    elif covers_all:
        ctx.observe(fact, False, per_space[-1][1], f"permissions: no {what} in any space",
                    {"spaces_checked": len(per_space)})
    else:
        ctx.unknown(fact, f"no {what} in the {scope}; raise the option space_sample")


def _personal_spaces(ctx: ProbeContext, site: Site) -> None:
    url = f"{site.api}/api/v2/spaces" if site.cloud else f"{site.api}/rest/api/space"
    reply, data = site.get(url, "permission to use Confluence", {"type": "personal", "limit": 1})
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ProbeError("the personal space listing returned no 'results' list")
    if results:
        ctx.observe("x-confluence.personal_spaces", True, reply, "results[type='personal']",
                    {"personal_spaces": "present"})
    else:
        ctx.unknown("x-confluence.personal_spaces", "no personal space is visible to this account")


def _operations(ctx: ProbeContext, site: Site) -> None:
    """Global operations of the probing account: may it create spaces?"""
    reply, data = site.get(f"{site.api}/rest/api/user/current", "permission to use Confluence",
                           {"expand": "operations"})
    ops = data.get("operations") if isinstance(data, dict) else None
    if not isinstance(ops, list):
        # Not a failed request: this Confluence does not expand operations on user/current.
        ctx.unknown("spaces.member_create", "this Confluence does not report the account's global "
                                            "operations (user/current?expand=operations); the "
                                            "space-creation permission is shown to administrators "
                                            "only")
        return
    can = any(isinstance(o, dict) and o.get("operation") == "create"
              and o.get("targetType") == "space" for o in ops)
    ctx.observe("spaces.member_create", can, reply,
                "operations[operation='create', targetType='space'] of the probing account",
                [o for o in ops if isinstance(o, dict) and o.get("targetType") == "space"][:5])


def _likes(ctx: ProbeContext, site: Site, spaces: list[dict[str, Any]]) -> None:
    page = next((s.get("homepageId") for s in spaces if s.get("homepageId")), None)
    if not page:
        return  # the declared fact stands
    reply, data = site.get(f"{site.api}/api/v2/pages/{quote(str(page), safe='')}/likes/count",
                           "permission to view the page")
    if isinstance(data, dict) and isinstance(data.get("count"), int):
        ctx.observe("social.reactions", True, reply, "likes/count (the like feature answered)",
                    {"count": data["count"]})


def _apps(ctx: ProbeContext, site: Site) -> None:
    if site.cloud and site.api != site.root:
        raise ProbeError("the Universal Plugin Manager is not reachable through the OAuth "
                         "gateway; use e-mail + API token of a site administrator")
    reply, data = site.get(f"{site.root}/rest/plugins/1.0/", "Confluence administrator "
                           "(Universal Plugin Manager)", accept="application/vnd.atl.plugins+json")
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if not isinstance(plugins, list):
        raise ProbeError("the Universal Plugin Manager returned no 'plugins' list")
    apps = [p for p in plugins if isinstance(p, dict) and p.get("userInstalled")]
    names = sorted({str(p.get("name") or p.get("key")) for p in apps})
    ctx.observe("extensions.installed", names, reply, "plugins[userInstalled=true].name", names[:10])
    ctx.observe("extensions.count", len(apps), reply, "count(plugins[userInstalled=true])", len(apps))


def _webhooks(ctx: ProbeContext, site: Site, detected: dict[str, Any]) -> None:
    if site.cloud:
        ctx.declare("webhooks.outgoing", True, f"{CLOUD_DOCS}/modules/webhook/",
                    "Cloud webhooks are registered by apps (Connect/Forge) or sent by Automation")
        return
    try:
        reply, _ = site.get(f"{site.api}/rest/api/webhooks", "Confluence administrator",
                            {"limit": 1})
    except ProbeError as exc:
        version = _version_tuple(str(detected.get("version", "")))
        if version and version >= DC_WEBHOOKS_SINCE:
            ctx.declare("webhooks.outgoing", True, f"{DC_DOCS}/webhooks/",
                        f"webhooks exist since Confluence 7.7 (this is {detected.get('version')}); "
                        f"the list itself was not readable: {exc}")
            return
        raise
    ctx.observe("webhooks.outgoing", True, reply, "(the webhooks resource answered)", reply.status)


def _declare_graphql(ctx: ProbeContext, site: Site) -> None:
    """The Atlassian GraphQL API serves Cloud sites; Data Center has REST APIs only."""
    if site.cloud:
        ctx.declare("api.graphql", True, GRAPHQL_DOCS,
                    "the Atlassian platform GraphQL API (api.atlassian.com/graphql) covers "
                    "Confluence Cloud")
    else:
        ctx.declare("api.graphql", False, f"{DC_DOCS}/rest/",
                    "Confluence Data Center offers REST APIs; the Atlassian GraphQL API is for "
                    "Cloud sites only")


def _version_tuple(version: str) -> tuple[int, ...]:
    out = []
    for part in version.split(".")[:2]:
        if not part.isdigit():
            break
        out.append(int(part))
    return tuple(out)


ATLASSIAN = "https://www.atlassian.com"
DECLARED = (
    Declared("hosting.saas", True, f"{ATLASSIAN}/software/confluence", "Confluence Cloud"),
    Declared("hosting.self_hosted", True, f"{ATLASSIAN}/enterprise/data-center/confluence",
             "Confluence Data Center (self-managed); check Atlassian's current Data Center "
             "lifecycle announcements"),
    Declared("licence.open_source", False, f"{ATLASSIAN}/legal/software-license-agreement",
             "closed source"),
    Declared("licence.model", "proprietary", f"{ATLASSIAN}/legal/software-license-agreement",
             "licensed by subscription under Atlassian's customer agreement"),
    Declared("licence.spdx", "proprietary", f"{ATLASSIAN}/legal/software-license-agreement",
             "no open-source licence"),
    Declared("social.reactions", True,
             "https://support.atlassian.com/confluence-cloud/docs/like-pages-blog-posts-and-comments/",
             "likes on pages, blog posts and comments are built in"),
    Declared("history.versions", True,
             "https://support.atlassian.com/confluence-cloud/docs/view-and-restore-page-history/",
             "page history is kept for every page"),
    Declared("content.tags", True,
             "https://support.atlassian.com/confluence-cloud/docs/use-labels-to-organize-your-content/",
             "labels on pages and blog posts"),
    Declared("editor.visual", True,
             "https://support.atlassian.com/confluence-cloud/docs/use-the-editor/",
             "pages are written in a visual editor"),
    Declared("api.openapi_spec", True, f"{CLOUD_DOCS}/rest/v2/intro/",
             "OpenAPI documents of the Cloud REST API v1 and v2; Data Center publishes one per "
             "version"),
    # Product properties of Cloud and Data Center alike (coverage pass).
    Declared("history.restore", True, f"{CLOUD_HELP}/view-and-restore-page-history/",
             "anyone who may edit a page can restore an earlier version from its page history"),
    Declared("templates.pages", True, f"{CLOUD_HELP}/create-a-page-from-a-template/",
             "new pages can start from built-in or space templates"),
    Declared("social.threads", True, f"{CLOUD_HELP}/comment-on-pages-and-blog-posts/",
             "page and inline comments take replies attached to the comment they answer"),
    Declared("edit.own_posts", True, f"{CLOUD_HELP}/comment-on-pages-and-blog-posts/",
             "authors edit their own comments after posting them"),
    Declared("social.mentions", True, f"{CLOUD_HELP}/mention-a-person-or-team/",
             "an @mention notifies the mentioned person"),
    Declared("extensions.marketplace", True, "https://marketplace.atlassian.com/",
             "administrators find and install apps from the Atlassian Marketplace from inside "
             "Confluence (Cloud: Apps; Data Center: the Universal Plugin Manager)"),
    Declared("api.write", True, f"{CLOUD_DOCS}/rest/v2/api-group-page/",
             "the REST API creates and updates pages (POST /pages, PUT /pages/{id})"),
    Declared("search.api", True, f"{CLOUD_DOCS}/advanced-searching-using-cql/",
             "CQL full-text search through the REST API (/rest/api/search)"),
    Declared("export.content_api", True, f"{CLOUD_DOCS}/rest/v2/api-group-page/",
             "every page a member can read is returned by the REST API in the storage format "
             "(XHTML)"),
    Declared("x-confluence.data_residency_eu", True,
             "https://support.atlassian.com/security-and-access-policies/docs/understand-data-residency/",
             "Cloud data residency with an EU location on paid plans; Data Center runs where the "
             "organisation hosts it"),
)


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="confluence", display_name="Confluence", kind="wiki", version="0.1.0",
        probe=probe, facts=FACTS, declared=DECLARED, docs_url=f"{CLOUD_DOCS}/rest/v2/intro/",
        credentials={
            "email": "Cloud: the Atlassian account's e-mail address (Data Center: the user name)",
            "api_token": "Cloud: an API token of that account (Data Center: its password)",
            "token": "Cloud: an OAuth 2.0 access token; Data Center: a personal access token",
        },
        needs_url=True, default_url=None,
    ))
