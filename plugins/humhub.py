"""HumHub: spaces, module APIs and activity, read through the REST API module (humhub/rest).

Why Python and not a probe pack: the space list is paged (100 per page), the open-space count
needs every page, and the list of module APIs present is assembled from several answers (one
request per module) — a pack reads each fact from one answer.

The REST module must be installed and enabled by an administrator; it serves ``/api/v1/`` and
answers JSON. Tokens: ``Authorization: Bearer <token>`` — a JWT from ``POST /api/v1/auth/login``
or a bearer token an administrator configured for the user; the REST settings decide which users
may use the API at all ("enabled for all users" or a list).

==================================  =================  =======================================
``GET /api/v1/auth/current``        none / member      API present (anonymous 401 JSON); token
``GET /api/v1/space?limit=100``     member             spaces the member may see, visibility,
                                                       join policy (paged)
``GET /api/v1/post?limit=20``       member             latest posts with comment/like totals
``GET /api/v1/{module}?limit=1``    member             200/403: the module's API is there;
                                                       404 (JSON): it is not
``GET /api/v1/user?limit=1``        admin              number of accounts
``GET /api/v1/user/group``          admin              groups
==================================  =================  =======================================

HumHub's constants (protected/humhub/modules/space/models/Space.php): visibility 0 = members
only, 1 = registered users, 2 = everyone (guests too, when guest access is on); join policy
0 = invitation only, 1 = invitation and application, 2 = anyone may join.

Options: ``max_pages`` (default 10): pages of 100 spaces read.
"""

from __future__ import annotations

from typing import Any

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import AuthFailed, ProbeContext, ProbeError, Refused, Reply
from zahnrad.redact import scrub_text

API = "api/v1"
SPACE_PAGE = 100  # the REST module's largest page
MODULES = ("calendar", "tasks", "wiki", "polls", "mail")  # module APIs with a plain list route
JOIN_FREE, VISIBLE_REGISTERED, VISIBLE_ALL = 2, 1, 2

SPACE_FACTS = ("spaces.public_count", "spaces.join_open", "x-humhub.spaces_visible",
               "x-humhub.spaces_guest_visible")
POST_FACTS = ("social.comments", "social.reactions", "x-humhub.recent_posts",
              "x-humhub.recent_comments", "x-humhub.recent_likes")
MODULE_FACTS = ("x-humhub.module_apis",)
ADMIN_FACTS = ("activity.users_total", "roles.count", "x-humhub.groups")
FACTS = ("api.rest", *SPACE_FACTS, *POST_FACTS, *MODULE_FACTS, *ADMIN_FACTS)


def _message(reply: Reply, secrets: tuple[str, ...]) -> str | None:
    """HumHub's error text: ``{"code", "message"}`` (REST module) or Yii's ``{"name", "message"}``."""
    try:
        data = reply.json()
    except ProbeError:
        return None
    msg = data.get("message") if isinstance(data, dict) else None
    if not isinstance(msg, str) or not msg.strip():
        return None
    return scrub_text(msg.strip(), secrets)[:200]


class HumHub:
    def __init__(self, ctx: ProbeContext):
        self.ctx = ctx
        token = ctx.credential("token")
        self.auth = {"Authorization": f"Bearer {token}"} if token else None

    def reason(self, reply: Reply) -> str:
        said = _message(reply, self.ctx.secrets)
        return f"HTTP {reply.status} from {reply.short_url}" + (f': "{said}"' if said else "")

    def get(self, path: str, params: dict[str, Any] | None = None, *,
            ok: tuple[int, ...] = (200,)) -> Reply:
        reply = self.ctx.request("GET", f"{API}/{path}", params=params, headers=self.auth, ok=None)
        if reply.status in ok:
            return reply
        if reply.status == 401:
            raise AuthFailed(f"HumHub rejected the token ({self.reason(reply)})")
        if reply.status == 403:
            raise Refused(self.reason(reply) + " (the token's user may not do this)")
        raise ProbeError(self.reason(reply))


def probe(ctx: ProbeContext) -> None:
    hh = HumHub(ctx)
    with ctx.establishing("api.rest"):
        _presence(ctx)
    if hh.auth is None:
        var = ctx.vendor.credentials.get("token")
        reason = (f"needs the 'token' credential: environment variable {var} is not set" if var
                  else "needs the 'token' credential, which the strategy does not give for this vendor")
        for fact in FACTS[1:]:
            ctx.unknown(fact, reason)
        return
    try:
        hh.get("auth/current")  # a rejected token stops here (AuthFailed), with HumHub's reason
    except AuthFailed:
        raise
    except ProbeError as exc:  # no REST module, a proxy: nothing else will answer either
        ctx.errors.append(str(exc))
        for fact in FACTS[1:]:
            ctx.unknown(fact, str(exc))
        return
    with ctx.establishing(*SPACE_FACTS):
        _spaces(ctx, hh)
    with ctx.establishing(*POST_FACTS):
        _posts(ctx, hh)
    with ctx.establishing(*MODULE_FACTS):
        _modules(ctx, hh)
    with ctx.establishing("activity.users_total"):
        reply = hh.get("user", {"limit": 1})
        data = reply.json()
        if isinstance(data, dict) and isinstance(data.get("total"), int):
            ctx.observe("activity.users_total", data["total"], reply, "total", data["total"])
    with ctx.establishing("roles.count", "x-humhub.groups"):
        reply = hh.get("user/group", {"limit": 100})
        data = reply.json()
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise ProbeError(f"{reply.short_url} did not answer a group list")
        names = [str(g.get("name", "")) for g in results if isinstance(g, dict)]
        total = data["total"] if isinstance(data.get("total"), int) else len(names)
        ctx.observe("roles.count", total, reply, "total", total)
        ctx.observe("x-humhub.groups", names, reply, "results[].name", names)


def _presence(ctx: ProbeContext) -> None:
    """Anonymous: the REST module answers 401 with JSON; without it HumHub serves an HTML 404."""
    reply = ctx.request("GET", f"{API}/auth/current", ok=None)
    if reply.status in (200, 401, 403):
        data = reply.json()  # an HTML page here is a proxy or SSO gateway: unknown, with that reason
        if isinstance(data, dict) and ("message" in data or "id" in data):
            ctx.observe("api.rest", True, reply, f"(HTTP {reply.status} JSON from the REST module)",
                        {k: data.get(k) for k in ("code", "status", "message") if k in data})
            return
        raise ProbeError(f"HTTP {reply.status} from {reply.short_url} is not the REST module's answer")
    if reply.status == 404:
        raise ProbeError(f"HTTP 404 from {reply.short_url}: no HumHub REST API here (the REST module "
                         "is not installed or not enabled, or a proxy hides /api/v1)")
    raise ProbeError(f"HTTP {reply.status} from {reply.short_url}")


def _spaces(ctx: ProbeContext, hh: HumHub) -> None:
    max_pages = max(1, int(ctx.options.get("max_pages", 10)))
    spaces: list[dict[str, Any]] = []
    first: Reply | None = None
    total: int | None = None
    for page in range(1, max_pages + 1):
        reply = hh.get("space", {"limit": SPACE_PAGE, "page": page})
        first = first or reply
        data = reply.json()
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise ProbeError(f"{reply.short_url} did not answer a space list")
        if isinstance(data.get("total"), int):
            total = data["total"]
        spaces.extend(s for s in results if isinstance(s, dict))
        if not results or total is None or len(spaces) >= total:
            break
    assert first is not None
    if total is not None:
        ctx.observe("x-humhub.spaces_visible", total, first, "total", total)
    open_spaces = [s for s in spaces if s.get("join_policy") == JOIN_FREE
                   and s.get("visibility") in (VISIBLE_REGISTERED, VISIBLE_ALL)]
    names = [str(s.get("name", "")) for s in open_spaces][:10]
    guest = [s for s in spaces if s.get("visibility") == VISIBLE_ALL]
    complete = total is not None and len(spaces) >= total
    if open_spaces:
        ctx.observe("spaces.join_open", True, first,
                    "results[?join_policy==2 && visibility>=1] (anyone may join)", names)
    elif complete:
        ctx.observe("spaces.join_open", False, first,
                    "results[].join_policy (no visible space lets members join freely)",
                    {"spaces": len(spaces)})
    else:
        ctx.unknown("spaces.join_open", f"none of the first {len(spaces)} of {total} spaces lets "
                                        "members join freely; the rest were not read (max_pages)")
    if complete:
        ctx.observe("spaces.public_count", len(open_spaces), first,
                    "count(results[?join_policy==2 && visibility>=1]) over all pages", names)
        ctx.observe("x-humhub.spaces_guest_visible", len(guest), first,
                    "count(results[?visibility==2]) over all pages",
                    [str(s.get("name", "")) for s in guest][:10])
    else:
        why = (f"read {len(spaces)} of {total} spaces (raise options.max_pages to read them all)"
               if total is not None else "the space list gave no total")
        ctx.unknown("spaces.public_count", why)
        ctx.unknown("x-humhub.spaces_guest_visible", why)


def _posts(ctx: ProbeContext, hh: HumHub) -> None:
    reply = hh.get("post", {"limit": 20})
    data = reply.json()
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ProbeError(f"{reply.short_url} did not answer a post list")
    comments = likes = 0
    for post in results:
        content = post.get("content") if isinstance(post, dict) else None
        if not isinstance(content, dict):
            continue
        c = content.get("comments")
        lk = content.get("likes")
        comments += c.get("total", 0) if isinstance(c, dict) and isinstance(c.get("total"), int) else 0
        likes += lk.get("total", 0) if isinstance(lk, dict) and isinstance(lk.get("total"), int) else 0
    posts = len(results)
    summary = {"posts": posts, "comments": comments, "likes": likes}
    ctx.observe("x-humhub.recent_posts", posts, reply, "length(results)", summary)
    ctx.observe("x-humhub.recent_comments", comments, reply, "sum(results[].content.comments.total)",
                summary)
    ctx.observe("x-humhub.recent_likes", likes, reply, "sum(results[].content.likes.total)", summary)
    # Only a trace of use proves the feature; none on the latest posts is not "switched off".
    for fact, count, what in (("social.comments", comments, "comments"),
                              ("social.reactions", likes, "likes")):
        if count:
            ctx.observe(fact, True, reply, f"results[].content.{what}.total > 0", summary)
        else:
            ctx.unknown(fact, f"no {what} on the {posts} latest posts the member can see "
                              "(no trace either way)")


def _modules(ctx: ProbeContext, hh: HumHub) -> None:
    present: list[str] = []
    replies: list[Reply] = []
    unclear: list[str] = []
    for module in MODULES:
        reply = hh.get(module, {"limit": 1}, ok=(200, 403, 404))
        replies.append(reply)
        if reply.status in (200, 403):  # the route exists (403: the member may not list it)
            present.append(module)
            continue
        try:
            data = reply.json()
        except ProbeError:
            unclear.append(f"{module} (HTTP 404 was not JSON)")
            continue
        if not isinstance(data, dict):
            unclear.append(f"{module} (HTTP 404 without HumHub's error answer)")
    if unclear:
        raise ProbeError("unclear answers for module APIs: " + ", ".join(unclear))
    statuses = {m: r.status for m, r in zip(MODULES, replies, strict=True)}
    ctx.observe("x-humhub.module_apis", present, replies[0],
                "GET /api/v1/{module}: 200/403 = the module's API is there, 404 = not", statuses)


DECLARED = (
    Declared("licence.open_source", True, "https://github.com/humhub/humhub/blob/master/LICENSE",
             "AGPL-3.0-only, or a proprietary licence (dual licensing)"),
    Declared("licence.spdx", "AGPL-3.0-only", "https://github.com/humhub/humhub/blob/master/LICENSE"),
    Declared("licence.model", "open_core", "https://docs.humhub.org/",
             "Community edition open source; the Professional Edition adds licensed features."),
    Declared("hosting.self_hosted", True, "https://docs.humhub.org/",
             "Installation and administration on the organisation's own server."),
    Declared("extensions.marketplace", True, "https://github.com/humhub/humhub#readme",
             "Extendable with modules from the marketplace, installed from the admin area."),
)


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="humhub", display_name="HumHub", kind="enterprise social network", version="0.1.0",
        probe=probe, facts=FACTS, declared=DECLARED,
        docs_url="https://marketplace.humhub.com/module/rest/docs/html/space.html",
        credentials={
            "token": "a bearer token of a user the REST module admits: a JWT from POST "
                     "/api/v1/auth/login or a token an administrator configured; an ordinary "
                     "member sees spaces, posts and module APIs, an administrator also users "
                     "and groups",
        },
    ))
