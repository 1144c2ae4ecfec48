"""BookStack: what an instance allows, read through its REST API with an API token.

Why Python and not a probe pack: the public (guest) role's permissions are only in
``GET /api/roles/{id}``, and its id comes from the role list (``system_name == "public"``) — one
answer decides the next request, which a pack cannot express; the page list (for the editors in
use) is paged with ``count``/``offset``.

Every API route needs a token (``Authorization: Token <token_id>:<token_secret>``) whose user has
a role with "Access system API"; BookStack answers errors as ``{"error": {"code", "message"}}``,
which the reasons quote. An anonymous call is still useful: BookStack's own 401 envelope shows
that the API is there.

=================================  =================================  ==========================
``GET /api/docs.json``             (any API user)                     API groups of this release
``GET /api/system``                (any API user; newer releases)     version, instance name
``GET /api/pages?count=500``       (any API user; what they may see)  editors in use, page count
``GET /api/roles``, ``/roles/{id}``  "Manage roles & role permissions"  roles, public role, MFA
``GET /api/users?count=1``         "Manage users"                     number of accounts
``GET /api/audit-log?count=1``     "Manage app settings" + users      audit log readable
=================================  =================================  ==========================

Whether guests can read at all ("Allow public viewing") and whether sign-up is open are app
settings the API does not show; the facts stay unknown, with that reason.

Options: ``max_pages`` (default 4): pages of 500 read from ``/api/pages``.
"""

from __future__ import annotations

from typing import Any

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import AuthFailed, ProbeContext, ProbeError, Refused, Reply
from zahnrad.redact import scrub_text

DOCS = "https://www.bookstackapp.com/docs"
REPO = "https://github.com/BookStackApp/BookStack/blob/development"
PAGE_SIZE = 500  # the API's largest "count"

API_FACTS = ("api.rest",)
DOCS_FACTS = ("api.openapi_spec", "x-bookstack.api_groups", "roles.api_configurable")
SYSTEM_FACTS = ("platform.version", "site.title")
PAGE_FACTS = ("x-bookstack.page_editors", "x-bookstack.pages_visible")
ROLE_FACTS = ("roles.count", "x-bookstack.roles", "admin.count", "auth.mfa_enforceable",
              "x-bookstack.mfa_enforced_roles", "x-bookstack.public_role_permissions",
              "x-bookstack.role_sync")
FACTS = (*API_FACTS, *DOCS_FACTS, *SYSTEM_FACTS, *PAGE_FACTS, *ROLE_FACTS,
         "activity.users_total", "audit.log", "access.anonymous_read", "signup.open")

NOT_IN_API = ("an app setting BookStack's API does not show (Settings > {}); the public role's "
              "permissions are in x-bookstack.public_role_permissions")


class BookStack:
    """API calls with the token header and BookStack's error envelope turned into reasons."""

    def __init__(self, ctx: ProbeContext):
        self.ctx = ctx
        tid, secret = ctx.credential("token_id"), ctx.credential("token_secret")
        self.auth = {"Authorization": f"Token {tid}:{secret}"} if tid and secret else None

    def get(self, path: str, params: dict[str, Any] | None = None) -> tuple[Reply, Any]:
        if self.auth is None:
            raise ProbeError(self.missing())
        reply = self.ctx.request("GET", path, params=params, headers=self.auth, ok=None)
        if reply.status == 401:
            # "No matching API token …", "The secret … is incorrect", "… has expired"
            raise AuthFailed(f"BookStack rejected the API token ({self.reason(reply)})")
        if reply.status in (403, 404):
            raise Refused(self.reason(reply), reply.status)
        if reply.status != 200:
            raise ProbeError(self.reason(reply))
        return reply, reply.json()

    def missing(self) -> str:
        keys = [k for k in ("token_id", "token_secret") if not self.ctx.credential(k)]
        parts = []
        for key in keys:
            var = self.ctx.vendor.credentials.get(key)
            parts.append(f"needs the {key!r} credential: environment variable {var} is not set"
                         if var else
                         f"needs the {key!r} credential, which the strategy does not give for this vendor")
        return "; ".join(parts)

    def reason(self, reply: Reply) -> str:
        """HTTP status plus BookStack's own message ("No matching API token was found …")."""
        message = _message(reply, self.ctx.secrets)
        text = f"HTTP {reply.status} from {reply.short_url}"
        if message:
            text += f': "{message}"'
        elif reply.status == 404:
            text += " (not found: not a BookStack API, or an older release without this endpoint)"
        if reply.status == 403:
            text += " (the token's user lacks the role permission for this)"
        return text


def _message(reply: Reply, secrets: tuple[str, ...]) -> str | None:
    try:
        data = reply.json()
    except ProbeError:
        return None
    err = data.get("error") if isinstance(data, dict) else None
    msg = err.get("message") if isinstance(err, dict) else None
    if not isinstance(msg, str) or not msg.strip():
        return None
    return scrub_text(msg.strip(), secrets)[:200]


def probe(ctx: ProbeContext) -> None:
    bs = BookStack(ctx)
    for fact, setting in (("access.anonymous_read", "Features & Security > Allow public viewing"),
                          ("signup.open", "Registration > Enable registration")):
        ctx.unknown(fact, NOT_IN_API.format(setting))
    with ctx.establishing(*API_FACTS):
        _api_presence(ctx)
    if bs.auth is None:
        reason = bs.missing()
        for fact in (*DOCS_FACTS, *SYSTEM_FACTS, *PAGE_FACTS, *ROLE_FACTS, "activity.users_total",
                     "audit.log"):
            ctx.unknown(fact, reason)
        return
    with ctx.establishing(*DOCS_FACTS):
        try:
            _docs(ctx, bs)
        except Refused as exc:
            if exc.status != 403:
                raise ProbeError(str(exc)) from None
            # "The owner of the used API token does not have permission to make API calls"
            raise AuthFailed(f"BookStack refused the API token ({exc})") from None
    with ctx.establishing(*SYSTEM_FACTS):
        reply, data = bs.get("api/system")
        if isinstance(data, dict) and isinstance(data.get("version"), str):
            ctx.observe("platform.version", data["version"], reply, "version", data["version"])
        if isinstance(data, dict) and isinstance(data.get("app_name"), str):
            ctx.observe("site.title", data["app_name"], reply, "app_name", data["app_name"])
    with ctx.establishing(*PAGE_FACTS):
        _pages(ctx, bs)
    with ctx.establishing(*ROLE_FACTS):
        _roles(ctx, bs)
    with ctx.establishing("activity.users_total"):
        reply, data = bs.get("api/users", {"count": 1})
        if isinstance(data, dict) and isinstance(data.get("total"), int):
            ctx.observe("activity.users_total", data["total"], reply, "total", data["total"])
    with ctx.establishing("audit.log"):
        reply, data = bs.get("api/audit-log", {"count": 1})
        if isinstance(data, dict) and isinstance(data.get("data"), list):
            ctx.observe("audit.log", True, reply, "data (the audit log answers)",
                        {"total": data.get("total")})


def _api_presence(ctx: ProbeContext) -> None:
    """An anonymous call: BookStack's own 401 envelope shows the API is there."""
    reply = ctx.request("GET", "api/docs.json", ok=None)
    if reply.status == 401:
        try:
            data = reply.json()
        except ProbeError as exc:
            raise ProbeError(f"{exc}: no BookStack API error answer") from None
        err = data.get("error") if isinstance(data, dict) else None
        if isinstance(err, dict) and err.get("code") == 401:
            ctx.observe("api.rest", True, reply, "error.code (the API asks for a token)",
                        {"error": {"code": 401, "message": err.get("message")}})
            return
        raise ProbeError(f"HTTP 401 from {reply.short_url} without BookStack's error answer "
                         "(a proxy in front of it?)")
    if reply.status == 200:
        data = reply.json()  # a session cookie or an open proxy: the API answered all the same
        if isinstance(data, dict) and data:
            ctx.observe("api.rest", True, reply, "(the API description answers)", sorted(data)[:10])
            return
    hint = " (not a BookStack, or a proxy hides /api)" if reply.status in (403, 404) else ""
    raise ProbeError(f"HTTP {reply.status} from {reply.short_url}{hint}")


def _docs(ctx: ProbeContext, bs: BookStack) -> None:
    reply, data = bs.get("api/docs.json")
    if not isinstance(data, dict) or not data:
        raise ProbeError(f"{reply.short_url} is not BookStack's API description (no endpoint groups)")
    groups = sorted(str(k) for k in data)
    ctx.observe("api.openapi_spec", True, reply, "(endpoint groups with methods, URIs, examples)",
                groups)
    ctx.observe("x-bookstack.api_groups", groups, reply, "keys(@)", groups)
    ctx.observe("roles.api_configurable", "roles" in data, reply, "keys(@) contains 'roles'",
                groups)


def _pages(ctx: ProbeContext, bs: BookStack) -> None:
    max_pages = max(1, int(ctx.options.get("max_pages", 4)))
    editors: dict[str, None] = {}
    seen = 0
    total = None
    first: Reply | None = None
    missing_editor = False
    for i in range(max_pages):
        reply, data = bs.get("api/pages", {"count": PAGE_SIZE, "offset": i * PAGE_SIZE})
        first = first or reply
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise ProbeError(f"{reply.short_url} did not answer a page list")
        if isinstance(data.get("total"), int):
            total = data["total"]
        for page in data["data"]:
            if not isinstance(page, dict):
                continue
            seen += 1
            if isinstance(page.get("editor"), str) and page["editor"]:
                editors[page["editor"]] = None
            elif "editor" not in page:
                missing_editor = True
        if not data["data"] or total is None or seen >= total:
            break
    assert first is not None
    if total is not None:
        ctx.observe("x-bookstack.pages_visible", total, first, "total", total)
    if missing_editor and not editors:
        ctx.unknown("x-bookstack.page_editors", "this BookStack's page list has no editor field "
                                                "(a release before the list showed it)")
        return
    scope = f"data[].editor ({seen} of {total} pages)" if total is not None else "data[].editor"
    ctx.observe("x-bookstack.page_editors", sorted(editors), first, scope, sorted(editors))


def _roles(ctx: ProbeContext, bs: BookStack) -> None:
    reply, data = bs.get("api/roles", {"count": PAGE_SIZE})
    roles = data.get("data") if isinstance(data, dict) else None
    if not isinstance(roles, list):
        raise ProbeError(f"{reply.short_url} did not answer a role list")
    roles = [r for r in roles if isinstance(r, dict)]
    total = data.get("total") if isinstance(data.get("total"), int) else len(roles)
    names = [str(r.get("display_name", "")) for r in roles]
    ctx.observe("roles.count", total, reply, "total", total)
    ctx.observe("x-bookstack.roles", names, reply, "data[].display_name", names)
    admin = next((r for r in roles if r.get("system_name") == "admin"), None)
    if admin is not None and isinstance(admin.get("users_count"), int):
        ctx.observe("admin.count", admin["users_count"], reply,
                    "data[?system_name=='admin'].users_count", admin["users_count"])
    if roles and all("mfa_enforced" in r for r in roles):
        enforced = [str(r.get("display_name", "")) for r in roles if r.get("mfa_enforced") is True]
        # The per-role setting exists (whether on or not): MFA can be enforced.
        ctx.observe("auth.mfa_enforceable", True, reply, "data[].mfa_enforced (per-role setting)",
                    {"mfa_enforced": enforced})
        ctx.observe("x-bookstack.mfa_enforced_roles", enforced, reply,
                    "data[?mfa_enforced].display_name", enforced)
    if roles and all("external_auth_id" in r for r in roles):
        synced = [str(r.get("display_name", "")) for r in roles if r.get("external_auth_id")]
        ctx.observe("x-bookstack.role_sync", synced, reply,
                    "data[?external_auth_id].display_name (LDAP/SAML/OIDC group sync)", synced)
    public = next((r for r in roles if r.get("system_name") == "public"), None)
    if public is None or not isinstance(public.get("id"), int):
        ctx.unknown("x-bookstack.public_role_permissions",
                    "the role list has no role with system_name 'public'")
        return
    reply, role = bs.get(f"api/roles/{public['id']}")
    perms = role.get("permissions") if isinstance(role, dict) else None
    if not isinstance(perms, list):
        raise ProbeError(f"{reply.short_url} has no permissions list")
    perms = sorted(str(p) for p in perms)
    ctx.observe("x-bookstack.public_role_permissions", perms, reply, "permissions", perms)


DECLARED = (
    Declared("licence.open_source", True, f"{REPO}/LICENSE", "MIT"),
    Declared("licence.spdx", "MIT", f"{REPO}/LICENSE"),
    Declared("licence.model", "open_source", f"{REPO}/LICENSE",
             "No paid edition: every feature is in the MIT-licensed release."),
    Declared("hosting.self_hosted", True, f"{DOCS}/admin/installation"),
    Declared("permissions.per_space", True, f"{DOCS}/user/roles-and-permissions",
             "Permissions can be overridden per shelf, book, chapter or page."),
    Declared("api.write", True, f"{REPO}/dev/api/responses/pages-create.json",
             "Books, chapters, pages, shelves, attachments can be created and updated through "
             "the API."),
    Declared("editor.visual", True, f"{REPO}/dev/api/responses/pages-list.json",
             "Pages are written in the WYSIWYG editor (editor: \"wysiwyg\") or in Markdown."),
    Declared("editor.markdown", True, f"{REPO}/dev/api/responses/pages-read.json",
             "A page written in Markdown keeps its markdown source."),
    Declared("editor.syntaxes", ["wysiwyg", "markdown"], f"{REPO}/dev/api/responses/pages-list.json"),
)


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="bookstack", display_name="BookStack", kind="wiki", version="0.1.0",
        probe=probe, facts=FACTS, declared=DECLARED, docs_url="https://demo.bookstackapp.com/api/docs",
        credentials={
            "token_id": "the ID of an API token (My Account > Access & Security > API Tokens) of "
                        "a user whose role has 'Access system API'; a member sees API groups, "
                        "version, editors in use; a user with 'Manage roles' also the roles and "
                        "the public role's permissions",
            "token_secret": "the token's secret",
        },
    ))
