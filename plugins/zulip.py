"""Zulip: a probe pack (``zulip.pack.toml``) plus Python for the organisation's policies.

The pack reads what needs no login (``GET /api/v1/server_settings``: version, feature level,
authentication methods, SSO buttons, web-public reading) and the custom profile fields a member
sees. The organisation's policies come from ``POST /api/v1/register`` (``fetch_event_types``
realm, realm_user_groups, realm_incoming_webhook_bots, realm_embedded_bots), read here in Python
because the pack format cannot express them:

- **Group-setting values.** Since Zulip 9.0/10.0 a permission such as "who may create public
  channels" is a *group-setting value*: a user-group id, or an anonymous group
  ``{"direct_members": [...], "direct_subgroups": [...]}``. Whether ordinary members hold it means
  resolving ids against ``realm_user_groups`` and following their subgroups to the role-based
  system groups (``role:members``, ``role:everyone`` ...): a cross-reference JMESPath cannot make.
- **The feature level decides which field is true.** The older integer policies
  (``realm_create_public_stream_policy``...) are still sent after the switch but are documented
  as inaccurate, so the field to trust is chosen by the server's ``zulip_feature_level``
  (e.g. 264 for public channels, 291 for deleting one's own messages, 344 for bots).
- **Arithmetic and clean-up.** Seconds become minutes, MiB become MB, and the event queue that
  ``register`` opens is deleted again (``DELETE /api/v1/events``) so the probe leaves nothing
  behind; a pack sends neither form bodies nor DELETE.

Facts a member's account cannot see are not read: nothing here needs an administrator.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from zahnrad.hookspecs import hookimpl
from zahnrad.packs import load_pack
from zahnrad.platforms import Platform
from zahnrad.probe import ProbeContext, ProbeError, Reply

PACK = Path(__file__).with_name("zulip.pack.toml")
REGISTER = "api/v1/register"
FETCH = ["realm", "realm_user_groups", "realm_incoming_webhook_bots", "realm_embedded_bots"]
UNLIMITED_MINUTES = 525600  # the fact catalog's "unlimited" edit window (one year)
MIB_IN_MB = 1.048576

# Role-based system groups whose members are ordinary members (full members are members past the
# organisation's waiting period: they need no administrator, only time).
ORDINARY = frozenset({"role:internet", "role:everyone", "role:members", "role:fullmembers"})
# The older integer policies, as the system groups they stood for (zulip.yaml, register response).
ROLE_POLICY = {1: "role:members", 2: "role:administrators", 3: "role:fullmembers",
               4: "role:moderators", 5: "role:everyone", 6: "role:nobody", 7: "role:owners"}

REALM_FACTS = (
    "edit.own_posts",
    "edit.window_minutes",
    "edit.delete_own",
    "spaces.member_create",
    "signup.open",
    "apps.member_install",
    "privacy.read_receipts",
    "calls.video",
    "upload.files",
    "upload.max_size_mb",
    "integrations.available",
    "x-zulip.create_public_channel",
    "x-zulip.delete_own_message",
    "x-zulip.create_bots",
    "x-zulip.signup_domains_restricted",
    "x-zulip.video_chat_provider",
    "x-zulip.max_file_upload_size_mib",
    "x-zulip.integrations",
    "x-zulip.embedded_bots",
)


class Unclear(Exception):
    """The register answer does not say it clearly; the message is the reason."""


# -- group-setting values --------------------------------------------------------------------------
class Groups:
    """The realm's user groups by id, to resolve group-setting values."""

    def __init__(self, raw: Any):
        self.by_id: dict[int, dict[str, Any]] = {}
        if isinstance(raw, list):
            for g in raw:
                if isinstance(g, dict) and isinstance(g.get("id"), int):
                    self.by_id[g["id"]] = g

    def name(self, gid: Any) -> str:
        g = self.by_id.get(gid) if isinstance(gid, int) else None
        if g is None or not isinstance(g.get("name"), str):
            raise Unclear(f"user group {gid!r} is not among the realm's user groups")
        return g["name"]

    def reach(self, gid: int) -> set[str]:
        """Names of the group and of every group below it (subgroups' members are members)."""
        seen: set[int] = set()
        names: set[str] = set()
        todo = [gid]
        while todo:
            cur = todo.pop()
            if cur in seen:
                continue
            seen.add(cur)
            names.add(self.name(cur))
            g = self.by_id[cur]
            subs = g.get("direct_subgroup_ids", g.get("subgroups", []))  # "subgroups" before FL 131
            if isinstance(subs, list):
                todo.extend(s for s in subs if isinstance(s, int))
        return names


def group_setting(value: Any, groups: Groups) -> tuple[list[str], bool]:
    """(who, ordinary members included) for a group-setting value: an id or an anonymous group."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [groups.name(value)], bool(groups.reach(value) & ORDINARY)
    if isinstance(value, dict):
        subs = value.get("direct_subgroups", [])
        users = value.get("direct_members", [])
        if not isinstance(subs, list) or not isinstance(users, list):
            raise Unclear(f"{json.dumps(value)[:80]} is not a group-setting value")
        who = [groups.name(s) for s in subs]
        reached: set[str] = set()
        for s in subs:
            reached |= groups.reach(s)
        if users:
            who.append(f"{len(users)} individual user{'s' if len(users) != 1 else ''}")
        return who, bool(reached & ORDINARY)
    raise Unclear(f"{json.dumps(value)[:80]} is not a group-setting value")


def policy(value: Any, field: str) -> tuple[list[str], bool]:
    """(who, ordinary members included) for one of the older integer policies."""
    if not isinstance(value, int) or value not in ROLE_POLICY:
        raise Unclear(f"{field} is {json.dumps(value)}, which is not a documented policy value")
    name = ROLE_POLICY[value]
    return [name], name in ORDINARY


# -- reading the register answer -------------------------------------------------------------------
class Realm:
    """One register answer and how to report what it says."""

    def __init__(self, ctx: ProbeContext, reply: Reply, data: dict[str, Any]):
        self.ctx, self.reply, self.data = ctx, reply, data
        level = data.get("zulip_feature_level")
        self.level = level if isinstance(level, int) and not isinstance(level, bool) else 0
        self.groups = Groups(data.get("realm_user_groups"))

    def missing(self, field: str) -> str:
        return (f"{field} is not in the answer of {self.reply.short_url} "
                f"(feature level {self.level})")

    def observe(self, fact: str, value: Any, path: str, excerpt: Any = None) -> None:
        self.ctx.observe(fact, value, self.reply, path, excerpt)

    def who(self, facts: tuple[str, str], steps: list[tuple[int, str, str]]) -> None:
        """Report (bool fact, x-fact) from the first of ``steps`` the feature level allows.

        ``steps``: (minimum feature level, field, "group" | "policy" | "bool-everyone"), newest
        first; the field the server's level calls authoritative is read, no other.
        """
        bool_fact, who_fact = facts
        for minimum, field, kind in steps:
            if self.level < minimum:
                continue
            if field not in self.data:
                raise Unclear(self.missing(field))
            value = self.data[field]
            if kind == "group":
                who, members = group_setting(value, self.groups)
            elif kind == "policy":
                who, members = policy(value, field)
            else:  # a bool that meant "everyone" (true) or "administrators" (false)
                if not isinstance(value, bool):
                    raise Unclear(f"{field} is {json.dumps(value)}, not a boolean")
                who, members = (["role:everyone"] if value else ["role:administrators"]), value
            path = f"{field} (feature level {self.level})"
            self.observe(bool_fact, members, path, value)
            self.observe(who_fact, who, path, value)
            return
        raise Unclear(f"no policy field is documented for feature level {self.level}")


def _read_realm(realm: Realm) -> None:
    data, ctx = realm.data, realm.ctx

    def attempt(facts: tuple[str, ...], step: Any) -> None:
        try:
            step()
        except Unclear as exc:
            for f in facts:
                ctx.unknown(f, str(exc))

    def editing() -> None:
        allow = data.get("realm_allow_message_editing")
        if not isinstance(allow, bool):
            raise Unclear(realm.missing("realm_allow_message_editing"))
        realm.observe("edit.own_posts", allow, "realm_allow_message_editing", allow)
        if not allow:
            realm.observe("edit.window_minutes", 0, "realm_allow_message_editing", allow)
            return
        field = "realm_message_content_edit_limit_seconds"
        if field not in data:
            ctx.unknown("edit.window_minutes", realm.missing(field))
            return
        limit = data[field]
        # No limit is null since feature level 138, 0 before it.
        if limit is None or (limit == 0 and realm.level < 138):
            realm.observe("edit.window_minutes", UNLIMITED_MINUTES, f"{field} (no limit)", limit)
        elif isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            realm.observe("edit.window_minutes", math.ceil(limit / 60), f"{field} / 60", limit)
        else:
            ctx.unknown("edit.window_minutes", f"{field} is {json.dumps(limit)}, not a number "
                                               "of seconds")

    attempt(("edit.own_posts", "edit.window_minutes"), editing)
    attempt(("edit.delete_own", "x-zulip.delete_own_message"), lambda: realm.who(
        ("edit.delete_own", "x-zulip.delete_own_message"),
        [(291, "realm_can_delete_own_message_group", "group"),
         (101, "realm_delete_own_message_policy", "policy"),
         (0, "realm_allow_message_deleting", "bool-everyone")]))
    attempt(("spaces.member_create", "x-zulip.create_public_channel"), lambda: realm.who(
        ("spaces.member_create", "x-zulip.create_public_channel"),
        [(264, "realm_can_create_public_channel_group", "group"),
         (102, "realm_create_public_stream_policy", "policy"),
         (0, "realm_create_stream_policy", "policy")]))
    attempt(("apps.member_install", "x-zulip.create_bots"), lambda: _bots(realm))

    def signup() -> None:
        required = data.get("realm_invite_required")
        if not isinstance(required, bool):
            raise Unclear(realm.missing("realm_invite_required"))
        realm.observe("signup.open", not required, "not realm_invite_required", required)
        restricted = data.get("realm_emails_restricted_to_domains")
        if isinstance(restricted, bool):
            realm.observe("x-zulip.signup_domains_restricted", restricted,
                          "realm_emails_restricted_to_domains", restricted)
        else:
            ctx.unknown("x-zulip.signup_domains_restricted",
                        realm.missing("realm_emails_restricted_to_domains"))

    attempt(("signup.open", "x-zulip.signup_domains_restricted"), signup)

    def receipts() -> None:
        value = data.get("realm_enable_read_receipts")
        if isinstance(value, bool):
            realm.observe("privacy.read_receipts", value, "realm_enable_read_receipts", value)
        elif realm.level < 137:
            # Read receipts arrived in Zulip 6.0 (feature level 137): older servers have none.
            realm.observe("privacy.read_receipts", False,
                          f"zulip_feature_level {realm.level} < 137 (no read receipts)", realm.level)
        else:
            raise Unclear(realm.missing("realm_enable_read_receipts"))

    attempt(("privacy.read_receipts",), receipts)
    attempt(("calls.video", "x-zulip.video_chat_provider"), lambda: _video(realm))
    attempt(("upload.files", "upload.max_size_mb", "x-zulip.max_file_upload_size_mib"),
            lambda: _uploads(realm))
    attempt(("integrations.available", "x-zulip.integrations", "x-zulip.embedded_bots"),
            lambda: _catalogue(realm))


def _bots(realm: Realm) -> None:
    """Members may add integrations themselves: they may create bots (incoming webhooks at least)."""
    data = realm.data
    if realm.level >= 344:
        names: list[str] = []
        members = False
        for field in ("realm_can_create_bots_group", "realm_can_create_write_only_bots_group"):
            if field not in data:
                raise Unclear(realm.missing(field))
            who, ok = group_setting(data[field], realm.groups)
            names += [n for n in who if n not in names]
            members = members or ok
        path = ("realm_can_create_bots_group + realm_can_create_write_only_bots_group "
                f"(feature level {realm.level})")
        excerpt = {k: data[k] for k in ("realm_can_create_bots_group",
                                        "realm_can_create_write_only_bots_group")}
        realm.observe("apps.member_install", members, path, excerpt)
        realm.observe("x-zulip.create_bots", names, path, excerpt)
        return
    value = data.get("realm_bot_creation_policy")
    # 1 = everyone, 2 = generic bots limited to administrators (members may still create
    # incoming-webhook bots), 3 = administrators only.
    meaning = {1: (["role:members"], True), 2: (["role:members (incoming webhooks only)"], True),
               3: (["role:administrators"], False)}
    if value not in meaning:
        raise Unclear(realm.missing("realm_bot_creation_policy") if value is None else
                      f"realm_bot_creation_policy is {json.dumps(value)}, not a documented value")
    who, members = meaning[value]
    path = f"realm_bot_creation_policy (feature level {realm.level})"
    realm.observe("apps.member_install", members, path, value)
    realm.observe("x-zulip.create_bots", who, path, value)


def _video(realm: Realm) -> None:
    data = realm.data
    provider = data.get("realm_video_chat_provider")
    if not isinstance(provider, int) or isinstance(provider, bool):
        raise Unclear(realm.missing("realm_video_chat_provider"))
    available = data.get("realm_available_video_chat_providers")
    entries = available if isinstance(available, dict) else {}
    names = {v.get("id"): v.get("name") for v in entries.values() if isinstance(v, dict)}
    disabled = entries.get("disabled")
    off = disabled.get("id", 0) if isinstance(disabled, dict) else 0  # "None": id 0
    realm.observe("calls.video", provider != off, "realm_video_chat_provider", provider)
    name = names.get(provider)
    if isinstance(name, str):
        realm.observe("x-zulip.video_chat_provider", name,
                      "realm_available_video_chat_providers[id == realm_video_chat_provider].name",
                      name)
    else:
        realm.ctx.unknown("x-zulip.video_chat_provider",
                          f"provider {provider} is not in realm_available_video_chat_providers")


def _uploads(realm: Realm) -> None:
    mib = realm.data.get("max_file_upload_size_mib")
    if not isinstance(mib, (int, float)) or isinstance(mib, bool):
        raise Unclear(realm.missing("max_file_upload_size_mib"))
    # A server with MAX_FILE_UPLOAD_SIZE = 0 accepts no uploads at all.
    realm.observe("upload.files", mib > 0, "max_file_upload_size_mib > 0", mib)
    realm.observe("upload.max_size_mb", round(mib * MIB_IN_MB, 1),
                  "max_file_upload_size_mib * 1.048576", mib)
    realm.observe("x-zulip.max_file_upload_size_mib", mib, "max_file_upload_size_mib", mib)


def _catalogue(realm: Realm) -> None:
    data = realm.data
    bots = data.get("realm_incoming_webhook_bots")
    if not isinstance(bots, list):
        raise Unclear(realm.missing("realm_incoming_webhook_bots"))
    names = [b["name"] for b in bots if isinstance(b, dict) and isinstance(b.get("name"), str)]
    realm.observe("integrations.available", len(bots), "length(realm_incoming_webhook_bots)",
                  len(bots))
    realm.observe("x-zulip.integrations", names, "realm_incoming_webhook_bots[].name", names)
    embedded = data.get("realm_embedded_bots")
    if isinstance(embedded, list):
        e = [b["name"] for b in embedded if isinstance(b, dict) and isinstance(b.get("name"), str)]
        realm.observe("x-zulip.embedded_bots", e, "realm_embedded_bots[].name", e)
    else:
        realm.ctx.unknown("x-zulip.embedded_bots", realm.missing("realm_embedded_bots"))


# -- the probe -------------------------------------------------------------------------------------
def _missing_reason(ctx: ProbeContext, keys: list[str]) -> str:
    parts = []
    for key in keys:
        var = ctx.vendor.credentials.get(key)
        if var is None:
            parts.append(f"needs the {key!r} credential, which the strategy does not give for "
                         "this vendor")
        else:
            parts.append(f"needs the {key!r} credential: environment variable {var} is not set")
    return "; ".join(parts)


def _zulip_message(reply: Reply) -> str:
    """Zulip's own error message (``{"result": "error", "msg": ...}``), quoted, or ""."""
    try:
        data = reply.json()
    except ProbeError:
        return ""
    msg = data.get("msg") if isinstance(data, dict) and data.get("result") == "error" else None
    return f': "{str(msg)[:200]}"' if isinstance(msg, str) and msg.strip() else ""


def probe_realm(ctx: ProbeContext) -> None:
    """Read the organisation's policies from ``POST /register``, then delete the event queue."""

    def all_unknown(reason: str) -> None:
        for fact in REALM_FACTS:
            ctx.unknown(fact, reason)

    missing = [k for k in ("email", "api_key") if not ctx.credential(k)]
    if missing:
        all_unknown(_missing_reason(ctx, missing))
        return
    auth = {"Authorization": ctx.basic_auth(ctx.credential("email") or "",
                                            ctx.credential("api_key") or "")}
    form = {"fetch_event_types": json.dumps(FETCH), "event_types": json.dumps(["realm"])}
    try:
        reply = ctx.request("POST", REGISTER, data=form, headers=auth, ok=None)
    except ProbeError as exc:
        ctx.errors.append(str(exc))
        all_unknown(str(exc))
        return
    where = f"HTTP {reply.status} from {reply.short_url}"
    if reply.status == 401:
        all_unknown(f"the member's e-mail and API key were not accepted ({where})")
        return
    if reply.status != 200:
        reason = where + (_zulip_message(reply) or " (the register call failed)")
        ctx.errors.append(reason)
        all_unknown(reason)
        return
    try:
        data = reply.json()
    except ProbeError as exc:
        ctx.errors.append(str(exc))
        all_unknown(str(exc))
        return
    if not isinstance(data, dict) or data.get("result") != "success":
        all_unknown(f"the answer of {reply.short_url} is not a Zulip register result")
        return
    queue_id = data.get("queue_id")
    try:
        _read_realm(Realm(ctx, reply, data))
    finally:
        if isinstance(queue_id, str) and queue_id:
            # Leave nothing behind: the queue would otherwise live until Zulip expires it.
            try:
                ctx.request("DELETE", "api/v1/events", data={"queue_id": queue_id},
                            headers=auth, ok=None)
            except ProbeError:
                pass


def platform() -> Platform:
    """The pack's platform, with the register probe after the pack's own requests."""
    base = load_pack(PACK)
    pack_probe = base.probe

    def probe(ctx: ProbeContext) -> None:
        if pack_probe is not None:
            pack_probe(ctx)
        probe_realm(ctx)

    return replace(base, probe=probe, facts=tuple(dict.fromkeys(base.facts + REALM_FACTS)))


@hookimpl
def zahnrad_register_platforms(register):
    register(platform())
