"""MediaWiki: what a wiki lets people do, read from its Action API (``api.php``).

One anonymous ``meta=siteinfo|userinfo`` query tells most of the story: the rights of anonymous
visitors (``*``) and of every user group, the installed extensions and skins, statistics, the
content licence. Extensions stand for features (VisualEditor -> visual editing, Thanks ->
reactions, Echo -> mentions, OAuth -> OAuth provider, ...); the list is complete, so a missing
extension is a clear observation.

Rights are judged the way MediaWiki combines them, not by single flags: editing needs ``read``
and ``edit``; creating a page needs ``createpage`` *and* ``edit`` (groups keep ``createpage``
when ``edit`` is taken away, and ``prop=info&intestactions=create`` then still says yes);
self-registration is ``createaccount`` of ``*`` (``meta=authmanagerinfo`` keeps saying
``cancreateaccounts: true`` after it is gone, so it is not used).

With member credentials the plugin logs in (a bot password through ``action=login`` with
``Name@App``, preferred because it is the least privilege; else the main account through
``action=clientlogin``) and reads what that member's groups may do. A private wiki answers
``readapidenied`` to anonymous visitors: that is an observation (no anonymous reading); the rest
comes from the member session, or stays unknown with that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import ProbeContext, ProbeError, Reply
from zahnrad.redact import scrub_text

DOCS = "https://www.mediawiki.org/wiki"

SIPROP = "general|usergroups|extensions|skins|rightsinfo|statistics|namespaces"
# Groups every registered account is in by itself; "autoconfirmed" follows automatically after
# $wgAutoConfirmAge/$wgAutoConfirmCount (both 0 on a fresh install), so it is ordinary too.
ORDINARY_GROUPS = ("*", "user", "autoconfirmed")
NEW_MEMBER_GROUPS = ("*", "user")

# Extension names as siteinfo reports them, compared after _norm() (case, spaces, _ and -
# removed: "OpenID Connect" and "OpenIDConnect" are one extension).
VISUAL_EDITORS = ("VisualEditor", "WYSIWYG", "TinyMCE")
MARKDOWN = ("WikiMarkdown", "Markdown")
COMMENT_EXTENSIONS = ("DiscussionTools", "CommentStreams", "Flow", "StructuredDiscussions",
                      "Comments")
THREAD_EXTENSIONS = ("DiscussionTools", "CommentStreams", "Flow", "StructuredDiscussions")
REACTION_EXTENSIONS = ("Thanks", "VoteNY")
NOTIFICATION_EXTENSIONS = ("Echo",)
STRUCTURED_DATA = ("SemanticMediaWiki", "Cargo", "PageForms", "WikibaseRepository")
DRAFTS = ("Drafts",)
PER_SPACE_PERMISSIONS = ("Lockdown", "AccessControl")
EVENT_EXTENSIONS = ("EventBus", "EventStreamConfig")
GRAPHQL = ("GraphQL", "WikibaseGraphQL")  # core has no GraphQL API; only an extension adds one
TWO_FACTOR = ("OATHAuth", "WebAuthn")
OAUTH_PROVIDER = ("OAuth",)
SSO_EXTENSIONS = {  # protocol -> extensions that log people in with it
    "oidc": ("OpenIDConnect",),
    "saml": ("SimpleSAMLphp", "SAMLAuth"),
    "ldap": ("LDAPAuthentication2", "LDAPAuthentication"),
    "oauth2": ("WSOAuth",),
}

SITE_FACTS = (
    "platform.product", "platform.version", "site.title", "api.rest", "api.write",
    "api.openapi_spec", "access.anonymous_read", "edit.anonymous", "signup.open",
    "extensions.installed", "extensions.count", "editor.visual", "editor.markdown",
    "editor.syntaxes", "social.threads", "social.reactions", "social.mentions",
    "theming.custom", "theming.themes", "data.structured", "content.drafts",
    "permissions.per_space", "roles.count", "bots.enabled", "oauth.provider", "sso.protocols",
    "api.events", "upload.max_size_mb", "activity.users_total", "activity.users_active",
    "content.pages_total", "admin.count", "feeds.rss", "search.api",
    "x-mediawiki.create_pages_anonymous", "x-mediawiki.notifications", "x-mediawiki.talk_pages",
    "x-mediawiki.rest_api", "x-mediawiki.content_licence", "x-mediawiki.readonly",
    "x-mediawiki.two_factor", "api.graphql",
)
MEMBER_FACTS = (
    "edit.member", "edit.create_pages", "upload.files", "social.comments", "content.tags",
    "api.tokens_personal", "x-mediawiki.member_groups", "x-mediawiki.member_login",
    "edit.own_posts", "edit.window_minutes",
)
FACTS = SITE_FACTS + MEMBER_FACTS

UNLIMITED_MINUTES = 525600  # the catalog's "no limit" for edit.window_minutes

PRIVATE_REASON = ("the wiki is private: api.php refused anonymous reading (readapidenied); "
                  "give member credentials to see more")


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


def _has(installed: set[str], wanted: tuple[str, ...]) -> list[str]:
    """The wanted extensions that are installed (as normalised names)."""
    return [w for w in wanted if _norm(w) in installed]


def can_edit(rights: set[str]) -> bool:
    """Editing an existing page needs both ``read`` and ``edit`` (PermissionManager)."""
    return {"read", "edit"} <= rights


def can_create(rights: set[str]) -> bool:
    """Creating a page needs ``createpage`` on top of ``edit`` (and ``read``)."""
    return {"read", "edit", "createpage"} <= rights


def _str_list(value: Any, where: str) -> list[str]:
    """A list of names as MediaWiki sends it; anything else is a wrong shape, never "none".

    A string would otherwise be read as a set of characters and ``null`` as an empty list, both
    turning "could not read" into "absent". The ProbeError makes the facts of the block that
    needed the list unknown, with this reason; the rest of the probe goes on.
    """
    if not isinstance(value, list):
        raise ProbeError(f"siteinfo {where} is {type(value).__name__}, expected a list")
    return [x for x in value if isinstance(x, str)]


def _str_list_of_dicts(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ProbeError(f"siteinfo {where} is {type(value).__name__}, expected a list")
    return [x for x in value if isinstance(x, dict)]


@dataclass
class Site:
    """A siteinfo answer and the reply it came from."""

    reply: Reply
    query: dict[str, Any]

    @property
    def general(self) -> dict[str, Any]:
        return self.query.get("general") or {}

    @property
    def groups(self) -> dict[str, set[str] | None]:
        """Group -> its rights; None for a group whose rights are not a list (unclear)."""
        return {g.get("name", ""): (set(x for x in g["rights"] if isinstance(x, str))
                                    if isinstance(g.get("rights"), list) else None)
                for g in self.query.get("usergroups") or [] if isinstance(g, dict)}

    def group_rights(self, names: tuple[str, ...] | list[str]) -> set[str]:
        """The combined rights of some groups; an unclear group makes them unknown (ProbeError)."""
        groups = self.groups
        out: set[str] = set()
        for n in names:
            rights = groups.get(n, set())
            if rights is None:
                raise ProbeError(f"siteinfo usergroups[name={n!r}].rights is not a list")
            out |= rights
        return out

    @property
    def extensions(self) -> list[str]:
        items = self.query.get("extensions", [])
        return [e.get("name", "") for e in _str_list_of_dicts(items, "query.extensions")
                if e.get("type") != "skin" and e.get("name")]

    @property
    def namespaces(self) -> set[int]:
        ns = self.query.get("namespaces") or {}
        items = ns.values() if isinstance(ns, dict) else ns
        return {n["id"] for n in items if isinstance(n, dict) and isinstance(n.get("id"), int)}


@dataclass
class Member:
    """What an ordinary member may do, and how that was learnt."""

    rights: set[str]
    groups: list[str]
    reply: Reply
    path: str
    login: str  # "bot_password" | "main_account" | "none"
    extra_groups: list[str] = field(default_factory=list)

    def excerpt(self, *rights: str) -> dict[str, Any]:
        return {"groups": self.groups, "rights": sorted(r for r in rights if r in self.rights)}


class _EditURI(HTMLParser):
    """Finds ``<link rel="EditURI" href=".../api.php?action=rsd">`` in a wiki page."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "").lower() == "edituri" and a.get("href"):
            self.href = self.href or a["href"]


# ------------------------------------------------------------------------------------ API calls


def _params(**kw: str) -> dict[str, str]:
    return {**kw, "format": "json", "formatversion": "2"}


def _siteinfo_params() -> dict[str, str]:
    return _params(action="query", meta="siteinfo|userinfo", siprop=SIPROP, uiprop="rights|groups")


def _api_answer(reply: Reply) -> dict[str, Any] | None:
    """The parsed body if this is an Action API answer (query or error), else None."""
    if reply.status != 200:
        return None
    try:
        data = reply.json()
    except ProbeError:
        return None
    if isinstance(data, dict) and (isinstance(data.get("query"), dict)
                                   or isinstance(data.get("error"), dict)):
        return data
    return None


def discover(ctx: ProbeContext) -> tuple[str, Reply, dict[str, Any]]:
    """Find api.php: an explicit option, the URL itself, ``api.php``, ``w/api.php``, EditURI.

    Returns the absolute API URL, the anonymous siteinfo reply and its parsed body.
    """
    tried: list[str] = []
    option = ctx.options.get("api_path")
    if option:
        candidates = [str(option)]
    elif urlsplit(ctx.base_url).path.endswith("api.php"):
        candidates = [ctx.base_url]
    else:
        candidates = ["api.php", "w/api.php"]
    for c in candidates:
        url = ctx.url(c)
        reply = ctx.request("GET", url, params=_siteinfo_params(), ok=None)
        data = _api_answer(reply)
        if data is not None:
            return url, reply, data
        tried.append(f"{reply.short_url}: HTTP {reply.status}"
                     + ("" if reply.status != 200 else " but no API answer"))
    if option:
        raise ProbeError("no MediaWiki API at the configured api_path (" + "; ".join(tried) + ")")
    # The wiki's pages name their API: <link rel="EditURI" href="//host/w/api.php?action=rsd">.
    page = ctx.request("GET", ctx.base_url + "/", ok=None)
    finder = _EditURI()
    if page.status == 200:
        finder.feed(page.text[:500_000])
    if not finder.href:
        tried.append(f"no EditURI link in {page.short_url} (HTTP {page.status})")
        raise ProbeError("no MediaWiki API found (" + "; ".join(tried) + ")")
    api = urljoin(page.url, finder.href).split("?")[0]
    if urlsplit(api).hostname != urlsplit(ctx.base_url).hostname:
        raise ProbeError(f"the wiki's EditURI points to another host ({urlsplit(api).hostname}); "
                         "give that wiki's URL as the vendor url")
    reply = ctx.request("GET", api, params=_siteinfo_params(), ok=None)
    data = _api_answer(reply)
    if data is None:
        raise ProbeError(f"the EditURI API {reply.short_url} gave no API answer "
                         f"(HTTP {reply.status})")
    return api, reply, data


def _error(data: dict[str, Any]) -> tuple[str, str] | None:
    err = data.get("error")
    if isinstance(err, dict):
        return str(err.get("code", "")), str(err.get("info", ""))
    return None


def _query(ctx: ProbeContext, api: str, params: dict[str, str]) -> tuple[Reply, dict[str, Any]]:
    """An Action API GET whose API-level error becomes a ProbeError with MediaWiki's words."""
    reply, data = ctx.get_json(api, params=params)
    err = _error(data) if isinstance(data, dict) else ("", "not a JSON object")
    if err:
        raise ProbeError(f"{reply.short_url} answered error {err[0]!r}: {err[1][:160]}")
    return reply, data


# ------------------------------------------------------------------------------------ login


def login(ctx: ProbeContext, api: str) -> tuple[str, Reply, dict[str, Any]]:
    """Log in as the member; returns (login kind, userinfo reply, userinfo).

    Raises ProbeError with a reason a person understands when the login fails.
    """
    bot = ctx.has_credentials("bot_username", "bot_password")
    main = ctx.has_credentials("username", "password")
    _, tokens = _query(ctx, api, _params(action="query", meta="tokens", type="login"))
    token = ((tokens.get("query") or {}).get("tokens") or {}).get("logintoken")
    if not isinstance(token, str) or not token:
        raise ProbeError("login: api.php gave no login token")
    ctx.add_secret(token)
    if bot:
        # The account name in front of "@App" is the user name half of the credential.
        ctx.add_secret((ctx.credential("bot_username") or "").rpartition("@")[0])
        reply = ctx.request("POST", api, data=_params(
            action="login", lgname=ctx.credential("bot_username") or "",
            lgpassword=ctx.credential("bot_password") or "", lgtoken=token))
        result = (reply.json().get("login") or {}) if isinstance(reply.json(), dict) else {}
        if result.get("result") != "Success":
            why = result.get("reason") or result.get("result") or "no result"
            if isinstance(why, dict):
                why = why.get("text") or why.get("code") or str(why)
            raise ProbeError(_clean(ctx, f"bot-password login (action=login) failed: {why}"))
        kind = "bot_password"
    elif main:
        reply = ctx.request("POST", api, data=_params(
            action="clientlogin", username=ctx.credential("username") or "",
            password=ctx.credential("password") or "", logintoken=token,
            loginreturnurl=ctx.base_url + "/"))
        result = (reply.json().get("clientlogin") or {}) if isinstance(reply.json(), dict) else {}
        status = result.get("status")
        if status != "PASS":
            if status in ("UI", "REDIRECT"):
                why = ("the account needs another login step (two-factor or an external "
                       "provider); use a bot password (bot_username/bot_password) instead")
            else:
                why = result.get("message") or result.get("messagecode") or status or "no status"
            raise ProbeError(_clean(ctx, f"main-account login (action=clientlogin) failed: {why}"))
        kind = "main_account"
    else:  # pragma: no cover - callers check first
        raise ProbeError("no member credentials")
    for cookie in ctx.session.cookies:
        if cookie.value:
            ctx.add_secret(cookie.value)
    reply, data = _query(ctx, api, _params(action="query", meta="userinfo", uiprop="rights|groups"))
    info = (data.get("query") or {}).get("userinfo") or {}
    if info.get("anon") or not info.get("id"):
        raise ProbeError("login reported success but the next request was anonymous "
                         "(the session cookie was not accepted)")
    return kind, reply, info


def _clean(ctx: ProbeContext, text: str) -> str:
    """A reason without credential values (MediaWiki may echo the user name)."""
    return " ".join(scrub_text(text, ctx.secrets).split())[:300]


def member_from_login(kind: str, reply: Reply, info: dict[str, Any], site: Site) -> Member:
    """An ordinary member's rights from the logged-in account.

    A bot-password session only shows the rights of its grants (no ``upload`` unless granted),
    so its rights come from the account's groups as siteinfo lists them. An account in extra
    groups (sysop, bot, ...) is no ordinary member: only its ordinary groups count.
    """
    groups = [g for g in info.get("groups") or [] if isinstance(g, str)]
    ordinary = [g for g in groups if g in ORDINARY_GROUPS]
    extra = [g for g in groups if g not in ORDINARY_GROUPS]
    if kind == "main_account" and not extra:
        rights = set(_str_list(info.get("rights", []), "query.userinfo.rights"))
        path = "query.userinfo.rights"
    else:
        rights = site.group_rights(ordinary)
        path = ("query.userinfo.groups; rights of these groups from siteinfo "
                "query.usergroups[name in groups].rights")
        if extra:
            path += f" (ignored non-ordinary groups: {', '.join(extra)})"
    return Member(rights, ordinary, reply, path, kind, extra)


# ------------------------------------------------------------------------------------ the probe


def probe(ctx: ProbeContext) -> None:
    """Establish what MediaWiki's API shows; see the module docstring for the rules."""
    api, reply, data = discover(ctx)
    err = _error(data)
    if err and err[0] != "readapidenied":
        raise ProbeError(f"api.php answered error {err[0]!r}: {err[1][:160]}")
    private = err is not None
    ctx.observe("api.rest", True, reply, "error.code" if private else "query.general.generator",
                data["error"]["code"] if private else
                {"generator": (data["query"].get("general") or {}).get("generator")})
    site: Site | None = None
    anon_rights: tuple[set[str], Reply, str] | None = None
    if private:
        ctx.observe("access.anonymous_read", False, reply, "error.code", data["error"])
    else:
        site = Site(reply, data["query"])
        info = data["query"].get("userinfo") or {}
        if info.get("anon"):
            anon_rights = (set(_str_list(info.get("rights", []), "query.userinfo.rights")), reply,
                           "query.userinfo.rights (anonymous caller)")

    # ---- member session (also the way into a private wiki)
    member: Member | None = None
    member_reason: str | None = None
    member_info: tuple[str, Reply, dict[str, Any]] | None = None
    if ctx.has_credentials("bot_username", "bot_password") or ctx.has_credentials(
            "username", "password"):
        # A failed login makes the probing incomplete (establishing records it): the
        # strategy asked for the member's view and did not get it.
        with ctx.establishing(*MEMBER_FACTS):
            try:
                member_info = login(ctx, api)
            except ProbeError as exc:
                member_reason = f"member login failed, so member rights are unknown: {exc}"
                raise ProbeError(member_reason) from None
    if private and member_info is not None:
        with ctx.establishing(*FACTS):
            try:
                r, d = _query(ctx, api, _siteinfo_params())
                site = Site(r, d["query"])
            except ProbeError as exc:
                member_reason = f"siteinfo as a member failed: {exc}"
                raise ProbeError(member_reason) from None
    if site is not None and member_info is not None:
        try:
            member = member_from_login(*member_info, site)
        except ProbeError as exc:
            member_reason = str(exc)
    elif site is not None and member_reason is None:
        # No credentials: a newly registered member has the rights of "*" and "user".
        try:
            rights = site.group_rights(NEW_MEMBER_GROUPS)
            member = Member(rights, list(NEW_MEMBER_GROUPS), site.reply,
                            "query.usergroups[name in ('*','user')].rights (a new member; no login)",
                            "none")
        except ProbeError as exc:
            member_reason = str(exc)
    if site is None:
        member_reason = member_reason or PRIVATE_REASON

    if site is not None:
        if anon_rights is None:  # private wiki seen by a member: "*" as siteinfo lists it
            anon_rights = (site.group_rights(("*",)), site.reply,
                           "query.usergroups[name='*'].rights")
        _site_facts(ctx, site, anon_rights)
        _extras(ctx, api, site)
    if site is not None:
        _member_facts(ctx, site, member)
    # Whatever is still open gets the most specific reason there is.
    for f in FACTS:
        if f not in ctx.facts:
            if f in MEMBER_FACTS and member_reason:
                ctx.unknown(f, member_reason)
            elif site is None:
                ctx.unknown(f, PRIVATE_REASON)


def _site_facts(ctx: ProbeContext, site: Site, anon: tuple[set[str], Reply, str]) -> None:
    g, r = site.general, site.reply
    gen = g.get("generator")
    if isinstance(gen, str) and gen.strip():
        product, _, version = gen.strip().rpartition(" ")
        if product:
            ctx.observe("platform.product", product, r, "query.general.generator", gen)
            ctx.observe("platform.version", version, r, "query.general.generator", gen)
    if isinstance(g.get("sitename"), str):
        ctx.observe("site.title", g["sitename"], r, "query.general.sitename", g["sitename"])
    if isinstance(g.get("writeapi"), bool):
        ctx.observe("api.write", g["writeapi"], r, "query.general.writeapi",
                    {"writeapi": g["writeapi"]})
    else:
        ctx.unknown("api.write", "siteinfo general has no writeapi flag")
    if isinstance(g.get("readonly"), bool):
        ctx.observe("x-mediawiki.readonly", g["readonly"], r, "query.general.readonly",
                    {"readonly": g["readonly"], "readonlyreason": g.get("readonlyreason")})

    # ---- anonymous visitors, rights combined as MediaWiki does
    rights, ar, path = anon
    watch = ("read", "edit", "createpage", "createaccount")
    ex = {"rights": sorted(x for x in watch if x in rights)}
    if not ctx.is_set("access.anonymous_read"):  # a private wiki's readapidenied says it already
        ctx.observe("access.anonymous_read", "read" in rights, ar, path, ex)
    ctx.observe("edit.anonymous", can_edit(rights), ar, path + ": needs read and edit", ex)
    ctx.observe("x-mediawiki.create_pages_anonymous", can_create(rights), ar,
                path + ": needs read, edit and createpage", ex)
    ctx.observe("signup.open", "createaccount" in rights, ar, path + ": createaccount", ex)

    # ---- groups
    groups = site.groups
    if groups:
        names = [n for n in groups if n != "*"]
        ctx.observe("roles.count", len(names), r, "query.usergroups[].name (without '*')", names)
        ctx.observe("bots.enabled", "bot" in groups, r, "query.usergroups[name='bot']",
                    {"bot": sorted(groups.get("bot") or set())[:8]})

    # ---- extensions and what they stand for
    if "extensions" in site.query:
        names = site.extensions
        installed = {_norm(n) for n in names}
        ctx.observe("extensions.installed", names, r, "query.extensions[type!='skin'].name", names)
        ctx.observe("extensions.count", len(names), r, "query.extensions[type!='skin'] (count)",
                    names)

        def by_ext(fact: str, wanted: tuple[str, ...], what: str) -> bool:
            found = _has(installed, wanted)
            ctx.observe(fact, bool(found), r, f"query.extensions[].name: {what}",
                        {"installed": found, "looked for": list(wanted)})
            return bool(found)

        visual = by_ext("editor.visual", VISUAL_EDITORS, "a visual editor")
        markdown = by_ext("editor.markdown", MARKDOWN, "a Markdown extension")
        ctx.observe("editor.syntaxes",
                    ["wikitext"] + (["wysiwyg"] if visual else []) + (["markdown"] if markdown else []),
                    r, "wikitext (core) + query.extensions[].name",
                    {"visual editor": visual, "markdown": markdown})
        by_ext("social.threads", THREAD_EXTENSIONS, "threaded discussions")
        by_ext("social.reactions", REACTION_EXTENSIONS, "Thanks or votes")
        by_ext("social.mentions", NOTIFICATION_EXTENSIONS, "Echo (mention notifications)")
        by_ext("x-mediawiki.notifications", NOTIFICATION_EXTENSIONS, "Echo")
        by_ext("data.structured", STRUCTURED_DATA, "structured data")
        by_ext("content.drafts", DRAFTS, "Drafts")
        by_ext("permissions.per_space", PER_SPACE_PERMISSIONS, "per-namespace rights")
        by_ext("oauth.provider", OAUTH_PROVIDER, "OAuth (the wiki as OAuth provider)")
        by_ext("x-mediawiki.two_factor", TWO_FACTOR, "two-factor login")
        by_ext("api.graphql", GRAPHQL, "a GraphQL extension (core has none)")
        protocols = [p for p, exts in SSO_EXTENSIONS.items() if _has(installed, exts)]
        ctx.observe("sso.protocols", protocols, r, "query.extensions[].name: login extensions",
                    {p: list(e) for p, e in SSO_EXTENSIONS.items()} | {"found": protocols})
        events = _has(installed, EVENT_EXTENSIONS)
        if events:
            ctx.observe("api.events", True, r, "query.extensions[].name: EventBus", events)
        else:
            ctx.unknown("api.events", "no EventBus extension; core can push recent changes via "
                        "$wgRCFeeds, which the API does not show")

    # ---- skins
    skins = [s for s in site.query.get("skins") or [] if isinstance(s, dict)]
    if skins:
        usable = [s.get("code") for s in skins if not s.get("unusable") and s.get("code")]
        ctx.observe("theming.themes", usable, r, "query.skins[unusable!=true].code", usable)
        ctx.observe("theming.custom", len(usable) >= 2, r,
                    "query.skins[unusable!=true] (two or more to choose from)", usable)

    # ---- uploads, statistics, licence, namespaces
    if isinstance(g.get("uploadsenabled"), bool):
        size = g.get("maxuploadsize") if g["uploadsenabled"] else 0
        if isinstance(size, int | float):
            ctx.observe("upload.max_size_mb", round(size / 1048576, 1), r,
                        "query.general.maxuploadsize (0 when uploadsenabled is false)",
                        {"uploadsenabled": g["uploadsenabled"], "maxuploadsize": g.get("maxuploadsize")})
    stats = site.query.get("statistics") or {}
    for fact, key in (("activity.users_total", "users"), ("activity.users_active", "activeusers"),
                      ("content.pages_total", "articles"), ("admin.count", "admins")):
        if isinstance(stats.get(key), int) and not isinstance(stats.get(key), bool):
            ctx.observe(fact, stats[key], r, f"query.statistics.{key}", {key: stats[key]})
    rights_info = site.query.get("rightsinfo")
    if isinstance(rights_info, dict):
        licence = (rights_info.get("text") or rights_info.get("url") or "").strip() or "none"
        ctx.observe("x-mediawiki.content_licence", licence, r, "query.rightsinfo", rights_info)
    if "namespaces" in site.query:
        talk = sorted(n for n in site.namespaces if n > 0 and n % 2 == 1)
        ctx.observe("x-mediawiki.talk_pages", 1 in talk, r, "query.namespaces[id=1] (Talk)",
                    {"talk namespaces": talk[:12]})


def _extras(ctx: ProbeContext, api: str, site: Site) -> None:
    """Feeds, search, the machine-readable API description and the REST API."""
    with ctx.establishing("feeds.rss"):
        reply = ctx.request("GET", api, params={"action": "feedrecentchanges",
                                                "feedformat": "atom"}, ok=None)
        head = reply.text[:2000]
        if reply.status == 200 and ("<feed" in head or "<rss" in head):
            title = re.search(r"<title>(.*?)</title>", head, re.S)
            ctx.observe("feeds.rss", True, reply, "Atom <feed> of recent changes",
                        title.group(1).strip() if title else head[:120])
        elif "feed-unavailable" in head:
            ctx.observe("feeds.rss", False, reply, "error.code feed-unavailable ($wgFeed off)",
                        head[:200])
        else:
            ctx.unknown("feeds.rss", f"HTTP {reply.status} from {reply.short_url} "
                        "(action=feedrecentchanges) was no feed")
    with ctx.establishing("search.api"):
        reply, data = _query(ctx, api, _params(action="query", list="search", srsearch="wiki",
                                                srlimit="1", srinfo="totalhits"))
        hits = (data.get("query") or {}).get("searchinfo")
        ctx.observe("search.api", True, reply, "query.searchinfo (list=search)", hits or {})
    with ctx.establishing("api.openapi_spec"):
        reply, data = _query(ctx, api, _params(action="paraminfo", modules="query"))
        mods = (data.get("paraminfo") or {}).get("modules") or []
        names = [m.get("name") for m in mods if isinstance(m, dict)]
        ctx.observe("api.openapi_spec", bool(mods), reply,
                    "paraminfo.modules (machine-readable description of every module)", names)
    with ctx.establishing("x-mediawiki.rest_api"):
        main = str(site.general.get("mainpage") or "Main Page").replace(" ", "_")
        rest = api.rsplit("/", 1)[0] + "/rest.php/v1/page/" + quote(main, safe="") + "/bare"
        reply = ctx.request("GET", rest, ok=None)
        if reply.status == 200:
            body = reply.json()
            ok = isinstance(body, dict) and "latest" in body
            ctx.observe("x-mediawiki.rest_api", ok, reply, "rest.php/v1/page/{title}/bare",
                        {k: body.get(k) for k in ("key", "latest")} if isinstance(body, dict)
                        else body)
        elif reply.status == 404 and reply.text.lstrip().startswith("{"):
            # rest.php answered in its own JSON format: the REST API is there, the page is not.
            body = reply.json()
            ctx.observe("x-mediawiki.rest_api", isinstance(body, dict) and "httpCode" in body,
                        reply, "rest.php/v1/page/{title}/bare (JSON 404: page missing)", body)
        elif reply.status == 404:
            ctx.observe("x-mediawiki.rest_api", False, reply, "rest.php (HTTP 404, not served)",
                        reply.text[:120])
        else:
            ctx.unknown("x-mediawiki.rest_api", f"HTTP {reply.status} from {reply.short_url}")


def _member_facts(ctx: ProbeContext, site: Site, m: Member | None) -> None:
    """What an ordinary member may do; without a member view only extension-based facts."""
    installed = {_norm(n) for n in site.extensions}
    found = _has(installed, COMMENT_EXTENSIONS)
    if found:
        ctx.observe("social.comments", True, site.reply, "query.extensions[].name: comments",
                    found)
    if m is None:
        return
    rights = m.rights
    edit = can_edit(rights)
    ctx.observe("edit.member", edit, m.reply, m.path + ": needs read and edit",
                m.excerpt("read", "edit"))
    ctx.observe("edit.create_pages", can_create(rights), m.reply,
                m.path + ": needs read, edit and createpage",
                m.excerpt("read", "edit", "createpage"))
    # A member's own contributions (talk-page comments, pages) are edited like any page, with no
    # time limit: whoever may edit may edit them for ever, whoever may not, never.
    ctx.observe("edit.own_posts", edit, m.reply,
                m.path + ": needs read and edit (own comments are edited like any page)",
                m.excerpt("read", "edit"))
    ctx.observe("edit.window_minutes", UNLIMITED_MINUTES if edit else 0, m.reply,
                m.path + ": needs read and edit; MediaWiki sets no time limit on editing "
                "(525600 = no limit, 0 = no editing)", m.excerpt("read", "edit"))
    ctx.observe("x-mediawiki.member_groups", m.groups, m.reply, m.path.split(";")[0], m.groups)
    ctx.observe("x-mediawiki.member_login", m.login, m.reply, m.path.split(";")[0],
                {"login": m.login, "groups": m.groups})
    g = site.general
    if isinstance(g.get("uploadsenabled"), bool):
        ok = g["uploadsenabled"] and "upload" in rights
        ctx.observe("upload.files", ok, m.reply,
                    m.path + ": upload, and query.general.uploadsenabled",
                    m.excerpt("upload") | {"uploadsenabled": g["uploadsenabled"]})
    if not found and "namespaces" in site.query:
        # Talk pages are MediaWiki's discussion page per article: usable by whoever may edit.
        talk = 1 in site.namespaces
        ctx.observe("social.comments", talk and edit, m.reply,
                    m.path + ": talk pages (namespace 1) need read and edit",
                    m.excerpt("read", "edit", "createtalk") | {"talk namespace": talk})
    if "namespaces" in site.query:
        cats = 14 in site.namespaces
        ctx.observe("content.tags", cats and edit, m.reply,
                    m.path + ": categories (namespace 14) are set by editing",
                    m.excerpt("read", "edit") | {"category namespace": cats})
    if m.login == "bot_password":
        ctx.observe("api.tokens_personal", True, m.reply,
                    "action=login with a bot password succeeded (Special:BotPasswords)",
                    {"login": "bot_password", "groups": m.groups})
    elif _has(installed, OAUTH_PROVIDER) and "mwoauthproposeconsumer" in rights:
        ctx.observe("api.tokens_personal", True, m.reply,
                    m.path + ": mwoauthproposeconsumer (owner-only OAuth consumers)",
                    m.excerpt("mwoauthproposeconsumer"))
    else:
        ctx.unknown("api.tokens_personal", "whether bot passwords are enabled "
                    "($wgEnableBotPasswords) shows only by logging in with one "
                    "(give bot_username/bot_password)")


PLATFORM = Platform(
    name="mediawiki",
    display_name="MediaWiki",
    kind="wiki",
    version="0.1.0",
    probe=probe,
    facts=FACTS,
    declared=(
        Declared("licence.open_source", True, f"{DOCS}/Copyright", "GPL-2.0-or-later"),
        Declared("licence.spdx", "GPL-2.0-or-later", f"{DOCS}/Copyright",
                 "MediaWiki is licensed under the GNU GPL, version 2 or later"),
        Declared("licence.model", "open_source", f"{DOCS}/Copyright",
                 "all of MediaWiki and its bundled extensions are free software"),
        Declared("hosting.self_hosted", True, f"{DOCS}/Manual:Installation_guide",
                 "installed on the organisation's own web server"),
        Declared("history.versions", True, f"{DOCS}/Help:Page_history",
                 "every edit is kept as a revision"),
        Declared("history.restore", True, f"{DOCS}/Help:Reverting",
                 "anyone who may edit can save an old revision again or undo an edit"),
        Declared("social.activity_feed", True, f"{DOCS}/Help:Recent_changes",
                 "Special:RecentChanges and the watchlist are part of core"),
        Declared("export.content_api", True, f"{DOCS}/Help:Export",
                 "Special:Export and the API export pages as XML"),
        Declared("audit.log", True, f"{DOCS}/Help:Log",
                 "Special:Log records rights changes, blocks, deletions and protections"),
        Declared("branding.custom", True, f"{DOCS}/Manual:$wgLogos",
                 "logo, name and site CSS are configurable"),
        Declared("extensions.marketplace", False, f"{DOCS}/Manual:Extensions",
                 "extensions are installed on the server and enabled in LocalSettings.php"),
        Declared("roles.api_configurable", False, f"{DOCS}/Manual:User_rights",
                 "groups and their rights are defined in LocalSettings.php; the API only "
                 "assigns users to groups"),
        # Coverage pass: core properties, the same for every MediaWiki.
        Declared("templates.pages", True, f"{DOCS}/Help:Templates",
                 "templates are part of core; a new page starts from one by substituting it "
                 "({{subst:Template}})"),
        Declared("spaces.member_create", False, f"{DOCS}/Manual:Using_custom_namespaces",
                 "namespaces are defined by administrators in LocalSettings.php; members cannot "
                 "create them"),
        Declared("apps.member_install", False, f"{DOCS}/Manual:Extensions",
                 "extensions are installed on the server and enabled in LocalSettings.php by "
                 "administrators"),
    ),
    docs_url=f"{DOCS}/API:Main_page",
    credentials={
        "bot_username": "a member's bot-password user name, Name@App (Special:BotPasswords); "
                        "preferred: least privilege",
        "bot_password": "that bot password",
        "username": "a member account's name (main-account login via action=clientlogin)",
        "password": "its password",
    },
    needs_url=True,
    default_url=None,
)


@hookimpl
def zahnrad_register_platforms(register):
    register(PLATFORM)
