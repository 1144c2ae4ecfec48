"""Slack: what a workspace allows, read through the Web API with a bot or user token.

Every Web API method answers HTTP 200; success is ``"ok": true``. A token that lacks a scope gets
``{"ok": false, "error": "missing_scope", "needed": "team:read"}``: the facts of that method
become unknown and the reason names the scope to add. A rejected token (``invalid_auth``,
``token_expired``, ``token_revoked``, ``account_inactive``, ``not_authed``) stops the probe of this
vendor with that reason; other vendors of the run carry on. ``admin.*`` methods need a user token
of an Enterprise Grid org admin; anything else answers ``not_allowed_token_type`` (unknown, named).

Methods and scopes (bot token scopes; user tokens use the same names):

=============================  ====================  =========================================
``auth.test``                  (any)                 token check, bot account
``team.info``                  team:read             name, Enterprise Grid, sign-up domains
``team.preferences.list``      team.preferences:read edit window, message deletion, uploads
``conversations.list``         channels:read         public channels, Slack Connect
                               (+ groups:read)       (private channels the bot is in)
``users.list``                 users:read            guests, admins, member count
``team.profile.get``           users.profile:read    custom profile fields
``admin.apps.approved.list``   admin.apps:read       approved apps (Enterprise Grid only)
=============================  ====================  =========================================

Who may create channels is an admin setting the Web API does not show; the plugin reports
``spaces.member_create`` true when a current channel was created by a member who is neither
admin nor owner (a clear trace that members could create channels), and unknown otherwise.

Options: ``max_pages`` (default 20 per list). The vendor URL may be the workspace URL
(``https://example.slack.com``): calls go to ``https://slack.com/api`` unless the URL itself ends
in ``/api``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import AuthFailed, ProbeContext, ProbeError, Reply
from zahnrad.redact import scrub_text

API = "https://slack.com/api"
UNLIMITED_MINUTES = 525600  # the catalog's "no limit" for edit.window_minutes

AUTH_ERRORS = {
    "invalid_auth": "the token is not valid",
    "not_authed": "no token was sent",
    "token_expired": "the token has expired",
    "token_revoked": "the token has been revoked",
    "account_inactive": "the token's user or bot has been deactivated",
    "no_permission": "the workspace does not allow this token",
    "org_login_required": "the workspace requires an org-level login",
    "ekm_access_denied": "administrators suspended access (EKM)",
}

TEAM_FACTS = ("site.title", "signup.open", "x-slack.enterprise_grid", "x-slack.signup_domains")
PREF_FACTS = ("edit.window_minutes", "edit.own_posts", "edit.delete_own", "upload.files")
CHANNEL_FACTS = ("spaces.public_count", "spaces.join_open", "federation.enabled",
                 "federation.protocol", "x-slack.connect_channels", "spaces.member_create")
USER_FACTS = ("guests.allowed", "x-slack.guest_count", "activity.users_total", "admin.count")
APP_FACTS = ("extensions.installed", "extensions.count")
FACTS = ("api.rest", "bots.enabled", *TEAM_FACTS, *PREF_FACTS, *CHANNEL_FACTS, *USER_FACTS,
         "profile.custom_fields", *APP_FACTS)




class Slack:
    """Web API calls with the token in the Authorization header and Slack's error conventions."""

    def __init__(self, ctx: ProbeContext, token: str):
        self.ctx = ctx
        path = urlsplit(ctx.base_url).path.rstrip("/")
        self.root = ctx.base_url if ctx.base_url and path.endswith("/api") else API
        self._auth = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, params: dict[str, Any] | None = None) -> tuple[Reply, dict[str, Any]]:
        reply = self.ctx.request("GET", f"{self.root}/{method}", params=params, headers=self._auth,
                                 ok=None)
        if reply.status == 429:
            raise ProbeError(f"Slack kept rate-limiting {method} (HTTP 429 after retries)")
        if reply.status != 200:
            raise ProbeError(f"HTTP {reply.status} from {method}")
        data = reply.json()
        if not isinstance(data, dict):
            raise ProbeError(f"{method} did not return a JSON object")
        if data.get("ok") is True:
            return reply, data
        error = scrub_text(str(data.get("error") or "unknown_error"), self.ctx.secrets)[:80]
        if error in AUTH_ERRORS:
            raise AuthFailed(f"Slack rejected the token ({error}: {AUTH_ERRORS[error]})")
        if error == "missing_scope":
            needed = scrub_text(str(data.get("needed") or "?"), self.ctx.secrets)[:80]
            raise ProbeError(f"Slack token lacks the scope {needed} ({method}: missing_scope)")
        if error == "not_allowed_token_type":
            raise ProbeError(f"{method} needs a user token of an Enterprise Grid org admin "
                             "(not_allowed_token_type)")
        if error in ("feature_not_enabled", "team_not_on_enterprise", "not_an_enterprise"):
            raise ProbeError(f"{method} is only available on Enterprise Grid ({error})")
        raise ProbeError(f"Slack answered {method} with error {error}")

    def pages(self, method: str, key: str, params: dict[str, Any]
              ) -> tuple[list[dict[str, Any]], list[Reply], bool]:
        """All items under ``key``, following ``response_metadata.next_cursor``."""
        max_pages = int(self.ctx.options.get("max_pages", 20))
        items: list[dict[str, Any]] = []
        replies: list[Reply] = []
        cursor = ""
        while len(replies) < max_pages:
            reply, data = self.call(method, {**params, **({"cursor": cursor} if cursor else {})})
            replies.append(reply)
            page = data.get(key)
            if not isinstance(page, list):
                raise ProbeError(f"{method} returned no '{key}' list")
            items.extend(i for i in page if isinstance(i, dict))
            meta = data.get("response_metadata")
            cursor = str(meta.get("next_cursor") or "") if isinstance(meta, dict) else ""
            if not cursor:
                return items, replies, True
        return items, replies, False


def probe(ctx: ProbeContext) -> None:
    token = ctx.credential("token")
    if not token:
        raise ProbeError("no credentials: Slack needs a bot or user token (credential 'token')")
    slack = Slack(ctx, token)
    reply, data = slack.call("auth.test")
    ctx.observe("api.rest", True, reply, "ok", {"ok": True})
    if data.get("bot_id"):
        ctx.observe("bots.enabled", True, reply, "bot_id (the probe itself runs as a bot)",
                    {"bot_id": data["bot_id"]})
    with ctx.establishing(*TEAM_FACTS):
        _team(ctx, slack)
    with ctx.establishing(*PREF_FACTS):
        _preferences(ctx, slack)
    users: list[dict[str, Any]] | None = None
    with ctx.establishing(*USER_FACTS):
        users = _users(ctx, slack)
    with ctx.establishing(*CHANNEL_FACTS):
        _channels(ctx, slack, users)
    with ctx.establishing("profile.custom_fields"):
        reply, data = slack.call("team.profile.get")
        fields = (data.get("profile") or {}).get("fields")
        if isinstance(fields, list):
            ctx.observe("profile.custom_fields", len(fields), reply, "count(profile.fields[])",
                        [f.get("label") for f in fields if isinstance(f, dict)][:10])
    with ctx.establishing(*APP_FACTS):
        _approved_apps(ctx, slack)


def _team(ctx: ProbeContext, slack: Slack) -> None:
    reply, data = slack.call("team.info")
    team = data.get("team")
    if not isinstance(team, dict):
        raise ProbeError("team.info returned no team object")
    if team.get("name"):
        ctx.observe("site.title", str(team["name"]), reply, "team.name", team["name"])
    grid = bool(team.get("enterprise_id"))
    ctx.observe("x-slack.enterprise_grid", grid, reply, "team.enterprise_id",
                {"enterprise_id": team.get("enterprise_id"), "enterprise_name": team.get("enterprise_name")}
                if grid else {"enterprise_id": None})
    if "email_domain" in team:
        # "Joining this workspace": anyone with an address at these domains may sign up alone.
        domains = [d.strip() for d in str(team.get("email_domain") or "").split(",") if d.strip()]
        ctx.observe("x-slack.signup_domains", domains, reply, "team.email_domain",
                    {"email_domain": team.get("email_domain")})
        ctx.observe("signup.open", bool(domains), reply, "team.email_domain (sign-up domains)",
                    {"email_domain": team.get("email_domain")})


def _preferences(ctx: ProbeContext, slack: Slack) -> None:
    reply, data = slack.call("team.preferences.list")
    window = data.get("msg_edit_window_mins")
    if isinstance(window, int) and not isinstance(window, bool):
        minutes = UNLIMITED_MINUTES if window < 0 else window
        ex = {"msg_edit_window_mins": window}
        ctx.observe("edit.window_minutes", minutes, reply, "msg_edit_window_mins (-1 = no limit)", ex)
        ctx.observe("edit.own_posts", window != 0, reply, "msg_edit_window_mins", ex)
    if isinstance(data.get("allow_message_deletion"), bool):
        ctx.observe("edit.delete_own", data["allow_message_deletion"], reply,
                    "allow_message_deletion", {"allow_message_deletion": data["allow_message_deletion"]})
    else:
        ctx.unknown("edit.delete_own", "team.preferences.list no longer reports "
                                       "allow_message_deletion (deprecated by Slack in 2025)")
    uploads = data.get("disable_file_uploads")
    if isinstance(uploads, str):
        ex = {"disable_file_uploads": uploads}
        if uploads == "allow_all":
            ctx.observe("upload.files", True, reply, "disable_file_uploads", ex)
        elif uploads in ("disable_all", "disallow_all"):
            ctx.observe("upload.files", False, reply, "disable_file_uploads", ex)
        elif "type:" in uploads:
            # Restricted to some account types: members may upload when "regular" is among them.
            ctx.observe("upload.files", "type:regular" in uploads, reply, "disable_file_uploads", ex)
        else:
            ctx.unknown("upload.files", f"unknown disable_file_uploads value {uploads[:40]!r}")


def _users(ctx: ProbeContext, slack: Slack) -> list[dict[str, Any]] | None:
    members, replies, complete = slack.pages("users.list", "members", {"limit": 200})
    last = replies[-1]
    if not complete:
        reason = (f"more than {len(members)} accounts ({len(replies)} pages); raise the option "
                  "max_pages")
        for f in USER_FACTS:
            ctx.unknown(f, reason)
        return None
    active = [m for m in members if not m.get("deleted")]
    guests = [m for m in active if m.get("is_restricted") or m.get("is_ultra_restricted")]
    people = [m for m in active if not m.get("is_bot") and m.get("id") != "USLACKBOT"]
    admins = [m for m in people if m.get("is_admin") or m.get("is_owner")]
    excerpt = {"accounts": len(active), "people": len(people), "guests": len(guests),
               "admins": len(admins), "pages": len(replies)}
    ctx.observe("x-slack.guest_count", len(guests), last,
                "members[is_restricted or is_ultra_restricted] over all pages", excerpt)
    if guests:
        ctx.observe("guests.allowed", True, last,
                    "members[is_restricted or is_ultra_restricted] (guest accounts exist)", excerpt)
    else:
        ctx.unknown("guests.allowed", "no guest account exists; whether guests may be invited is "
                                      "a plan and admin setting the Web API does not show")
    ctx.observe("activity.users_total", len(people), last,
                "members[not deleted, not bot] over all pages", excerpt)
    ctx.observe("admin.count", len(admins), last, "members[is_admin or is_owner]", excerpt)
    if not ctx.is_set("bots.enabled") and any(m.get("is_bot") and m.get("id") != "USLACKBOT"
                                               for m in active):
        ctx.observe("bots.enabled", True, last, "members[is_bot]", excerpt)
    return active


def _channels(ctx: ProbeContext, slack: Slack, users: list[dict[str, Any]] | None) -> None:
    params = {"types": "public_channel,private_channel", "exclude_archived": "true", "limit": 200}
    try:
        channels, replies, complete = slack.pages("conversations.list", "channels", params)
    except AuthFailed:
        raise
    except ProbeError as exc:
        if "groups:read" not in str(exc):
            raise
        # Without groups:read private channels cannot be listed; public ones still tell most.
        ctx.errors.append(f"private channels not listed: {exc}")
        params["types"] = "public_channel"
        channels, replies, complete = slack.pages("conversations.list", "channels", params)
    last = replies[-1]
    if not complete:
        reason = (f"more than {len(channels)} channels ({len(replies)} pages); raise the option "
                  "max_pages")
        for f in CHANNEL_FACTS:
            ctx.unknown(f, reason)
        return
    public = [c for c in channels if c.get("is_channel") and not c.get("is_private")
              and not c.get("is_archived")]
    connect = [c for c in channels if c.get("is_ext_shared") or c.get("is_pending_ext_shared")]
    excerpt = {"channels": len(channels), "public": len(public), "slack_connect": len(connect),
               "pages": len(replies)}
    ctx.observe("spaces.public_count", len(public), last,
                "channels[is_channel, not is_private, not is_archived] over all pages", excerpt)
    if public:
        # Members join public channels themselves, without approval.
        ctx.observe("spaces.join_open", True, last, "channels[not is_private]", excerpt)
    else:
        ctx.unknown("spaces.join_open", "no public channel exists")
    ctx.observe("x-slack.connect_channels", len(connect), last,
                "channels[is_ext_shared or is_pending_ext_shared]", excerpt)
    if connect:
        ex = {"name": connect[0].get("name"), "is_ext_shared": connect[0].get("is_ext_shared")}
        ctx.observe("federation.enabled", True, last, "channels[is_ext_shared]", ex)
        ctx.observe("federation.protocol", "shared_channels", last, "channels[is_ext_shared]", ex)
    else:
        reason = ("no Slack Connect channel among the channels the token can see; whether Slack "
                  "Connect is allowed is an admin setting the Web API does not show")
        ctx.unknown("federation.enabled", reason)
        ctx.unknown("federation.protocol", reason)
    if users is None:
        ctx.unknown("spaces.member_create", "users.list was not readable, so channel creators "
                                            "cannot be told from admins")
        return
    ordinary = {u.get("id") for u in users if not (u.get("is_admin") or u.get("is_owner")
                                                    or u.get("is_bot") or u.get("is_restricted")
                                                    or u.get("is_ultra_restricted"))}
    by_member = [c for c in channels if c.get("creator") in ordinary and not c.get("is_general")]
    if by_member:
        ctx.observe("spaces.member_create", True, last,
                    "channels[].creator is a member who is neither admin nor owner",
                    {"channel": by_member[0].get("name"), "created_by": "ordinary member",
                     "channels_by_members": len(by_member)})
    else:
        ctx.unknown("spaces.member_create", "every channel the token can see was created by an "
                                            "admin or owner; the channel-management setting is "
                                            "not exposed by the Web API")


def _approved_apps(ctx: ProbeContext, slack: Slack) -> None:
    apps, replies, complete = slack.pages("admin.apps.approved.list", "approved_apps", {"limit": 100})
    last = replies[-1]
    if not complete:
        reason = f"more than {len(apps)} approved apps; raise the option max_pages"
        for f in APP_FACTS:
            ctx.unknown(f, reason)
        return
    names = sorted({str(a["app"]["name"]) for a in apps
                    if isinstance(a.get("app"), dict) and a["app"].get("name")})
    ctx.observe("extensions.installed", names, last, "approved_apps[].app.name", names[:10])
    ctx.observe("extensions.count", len(apps), last, "count(approved_apps[]) over all pages", len(apps))


API_DOCS = "https://api.slack.com"
HELP = "https://slack.com/help/articles"
DECLARED = (
    Declared("platform.product", "Slack", "https://slack.com/", "Slack, by Slack Technologies"),
    Declared("hosting.saas", True, "https://slack.com/pricing", "Slack runs the service"),
    Declared("hosting.self_hosted", False, "https://slack.com/pricing",
             "SaaS only; no on-premises edition"),
    Declared("licence.open_source", False, "https://slack.com/terms-of-service", "closed source"),
    Declared("licence.model", "proprietary", "https://slack.com/terms-of-service",
             "a subscription service under Slack's terms"),
    Declared("licence.spdx", "proprietary", "https://slack.com/terms-of-service",
             "no open-source licence"),
    Declared("api.events", True, f"{API_DOCS}/apis/events-api", "Events API (HTTP or Socket Mode)"),
    Declared("webhooks.incoming", True, f"{API_DOCS}/messaging/webhooks", "incoming webhooks per app"),
    Declared("webhooks.outgoing", True, f"{API_DOCS}/apis/events-api",
             "the Events API posts events to a URL the app registers"),
    Declared("editor.markdown", True, f"{API_DOCS}/reference/surfaces/formatting", "mrkdwn"),
    Declared("x-slack.data_residency_eu", True, "https://slack.com/trust/data-residency",
             "data residency regions include the EU (Frankfurt) on paid plans"),
    # Product properties the same for every workspace and plan (coverage pass).
    Declared("editor.visual", True, f"{HELP}/202288908-Format-your-messages",
             "the message field has a formatting toolbar (bold, lists, links, code) besides "
             "markup typed by hand"),
    Declared("editor.syntaxes", ["wysiwyg", "mrkdwn"], f"{HELP}/202288908-Format-your-messages",
             "formatting toolbar, or markup such as *bold* and `code` typed in the message field"),
    Declared("content.drafts", True, f"{HELP}/201457107-Send-and-read-messages",
             "an unsent message is kept as a draft (Drafts & sent)"),
    Declared("social.comments", True, f"{HELP}/115000769927-Use-threads-to-organize-discussions",
             "members reply to any message in its thread"),
    Declared("social.threads", True, f"{HELP}/115000769927-Use-threads-to-organize-discussions",
             "replies attach to the message they answer (threads)"),
    Declared("social.reactions", True, f"{HELP}/202931348-Use-emoji-and-reactions",
             "emoji reactions on messages"),
    Declared("social.mentions", True, f"{HELP}/201355156-Configure-your-Slack-notifications",
             "an @mention notifies the mentioned member"),
    Declared("edit.member", False, f"{HELP}/202395258-Edit-or-delete-messages",
             "members edit their own messages only; deleting others' messages is for owners and "
             "admins"),
    Declared("upload.max_size_mb", 1024.0, f"{HELP}/201330736-Add-files-to-Slack",
             "files up to 1 GB each, on every plan"),
    Declared("chatops.slash_commands", True, f"{API_DOCS}/interactivity/slash-commands",
             "built-in and app slash commands send the command to the app's URL"),
    Declared("mobile.apps", True, "https://slack.com/downloads",
             "native apps for iOS and Android (and desktop)"),
    Declared("mobile.push", True, f"{HELP}/360025446073-Guide-to-Slack-notifications",
             "desktop and mobile push notifications for mentions, DMs and keywords"),
    Declared("extensions.marketplace", True, f"{HELP}/202035138-Add-apps-to-your-Slack-workspace",
             "apps are found and added from the Slack Marketplace inside Slack"),
    Declared("api.write", True, f"{API_DOCS}/methods/chat.postMessage",
             "the Web API posts and updates messages (chat.postMessage, chat.update)"),
    Declared("search.api", True, f"{API_DOCS}/methods/search.messages",
             "search.messages searches messages; it needs a user token with search:read"),
    Declared("api.graphql", False, "https://docs.slack.dev/apis/",
             "Slack's APIs are the Web API (HTTP methods with JSON), the Events API, Socket Mode "
             "and incoming webhooks; there is no GraphQL API"),
    Declared("oauth.provider", True, f"{API_DOCS}/authentication/sign-in-with-slack",
             "Sign in with Slack is an OpenID Connect flow: other services log people in with "
             "their Slack account"),
    Declared("export.content_api", True, f"{API_DOCS}/methods/conversations.history",
             "conversations.history returns, as JSON, the messages of every conversation the "
             "token's user or bot is a member of"),
)


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="slack", display_name="Slack", kind="team chat", version="0.1.0",
        probe=probe, facts=FACTS, declared=DECLARED, docs_url=f"{API_DOCS}/web",
        credentials={"token": "a bot (xoxb-) or user (xoxp-) token with the read scopes listed in "
                              "docs/platforms/slack.md"},
        needs_url=False, default_url=API,
    ))
