"""Rocket.Chat: a probe pack (``rocketchat.pack.toml``) plus two facts the pack cannot express.

Everything is read by the pack except:

- ``sso.protocols``, which combines two answers: the login services of
  ``GET /api/v1/settings.oauth`` (OAuth, custom OAuth, SAML) and the ``LDAP_Enable`` public
  setting of ``GET /api/v1/settings.public``. A JMESPath expression reads one answer at a time.
- ``upload.max_size_mb``, which is ``FileUpload_MaxFileSize`` (bytes) divided by 10^6: JMESPath
  has no arithmetic (the byte count itself is ``x-rocketchat.max_file_size_bytes``).

Both are computed from the replies the pack already has (the pack probe returns them), so no
request is sent twice.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from zahnrad.hookspecs import hookimpl
from zahnrad.packs import load_pack
from zahnrad.platforms import Platform
from zahnrad.probe import ProbeContext, ProbeError, Reply

PACK = Path(__file__).with_name("rocketchat.pack.toml")
EXTRA_FACTS = ("sso.protocols", "upload.max_size_mb")
SETTINGS = ("settings", "settings_legacy")  # the pack's requests for public settings, in order
# Login services that are not OAuth 2 logins; anything else in settings.oauth is one (built-in
# providers by name, custom OAuth by its service id). CAS is not a protocol the catalog names.
NOT_OAUTH2 = {"saml": "saml", "cas": None}


def _json(reply: Reply | None) -> tuple[Any, str | None]:
    """(parsed body, None) for a 200 JSON reply, else (None, why not)."""
    if reply is None:
        return None, "the request was not answered"
    if reply.status != 200:
        return None, f"HTTP {reply.status} from {reply.short_url}"
    try:
        return reply.json(), None
    except ProbeError as exc:
        return None, str(exc)


def _setting(replies: dict[str, Any], name: str) -> tuple[Any, Reply | None, str]:
    """A public setting from the first settings answer that has it: (value, reply, reason)."""
    reasons = []
    for rid in SETTINGS:
        data, why = _json(replies.get(rid))
        if why:
            reasons.append(why)
            continue
        items = data.get("settings") if isinstance(data, dict) else None
        found = [s for s in items or [] if isinstance(s, dict) and s.get("_id") == name]
        if found and "value" in found[0]:
            return found[0]["value"], replies[rid], ""
        reasons.append(f"{name} is not in the answer of {replies[rid].short_url}")
    return None, None, "; ".join(dict.fromkeys(reasons))


def supplement(ctx: ProbeContext, replies: dict[str, Any]) -> None:
    """sso.protocols and upload.max_size_mb from the pack's replies."""
    ldap, _, why_ldap = _setting(replies, "LDAP_Enable")
    oauth = replies.get("oauth")
    data, why_oauth = _json(oauth)
    services = data.get("services") if isinstance(data, dict) else None
    if oauth is None or why_oauth or not isinstance(services, list):
        ctx.unknown("sso.protocols", why_oauth or f"services is not in the answer of "
                                                  f"{oauth.short_url if oauth else 'settings.oauth'}")
    elif not isinstance(ldap, bool):
        ctx.unknown("sso.protocols", why_ldap or f"LDAP_Enable is {ldap!r}, not a boolean")
    else:
        protocols: list[str] = []
        for s in services:
            sid = (s.get("name") or s.get("service")) if isinstance(s, dict) else None
            if not isinstance(sid, str):
                continue
            proto = NOT_OAUTH2.get(sid.lower(), "oauth2")
            if proto and proto not in protocols:
                protocols.append(proto)
        if ldap:
            protocols.append("ldap")
        ctx.observe("sso.protocols", protocols, oauth,
                    "services[].name|service + LDAP_Enable (settings.public)",
                    {"services": [s.get("name") or s.get("service") for s in services
                                  if isinstance(s, dict)], "LDAP_Enable": ldap})

    size, reply, why = _setting(replies, "FileUpload_MaxFileSize")
    if reply is None:
        ctx.unknown("upload.max_size_mb", why)
    elif isinstance(size, bool) or not isinstance(size, (int, float)):
        ctx.unknown("upload.max_size_mb", f"FileUpload_MaxFileSize is {size!r}, not a number")
    elif size < 0:
        ctx.unknown("upload.max_size_mb", f"FileUpload_MaxFileSize is {size}: no limit, which "
                                          "is no number of megabytes")
    else:
        ctx.observe("upload.max_size_mb", round(size / 1_000_000, 1), reply,
                    "FileUpload_MaxFileSize / 1000000", size)


def platform() -> Platform:
    """The pack's platform, with the supplement run on the pack's replies."""
    base = load_pack(PACK)
    pack_probe = base.probe

    def probe(ctx: ProbeContext) -> None:
        replies = pack_probe(ctx) if pack_probe is not None else {}
        supplement(ctx, replies or {})

    return replace(base, probe=probe, facts=tuple(dict.fromkeys(base.facts + EXTRA_FACTS)))


@hookimpl
def zahnrad_register_platforms(register):
    register(platform())
