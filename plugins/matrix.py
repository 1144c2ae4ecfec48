"""Matrix homeservers (Synapse and others): registration, federation, login and what members get.

Most of what matters is public in Matrix: the spec versions a server speaks, its login flows and
SSO identity providers, whether registration and guest access are open (``POST /register`` with
an empty body is answered with the steps a sign-up would need, or a refusal, and creates no
account), whether it serves the federation API, and its ``.well-known`` documents. A member's
access token (or a username and password, logged in and out again) adds the capabilities, the
bridges (third-party protocols) and the public room directory.

Federation is judged at the vendor's address: the federation API answering there (or at the
server its ``/.well-known/matrix/server`` delegates to, or at ``options.federation_url``) makes it
true; Synapse itself answering ``M_UNRECOGNIZED`` for the federation API, with no delegation, makes
it false. Anything else (a proxy's HTML page, a timeout) leaves it unknown.

Guest access is checked by asking for a guest account (``POST /register?kind=guest``): where
guests are allowed this creates one, which is logged out at once.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import ProbeContext, ProbeError, Refused, Reply

SPEC = "https://spec.matrix.org/latest/client-server-api/"
TOKEN_STAGES = ("m.login.registration_token", "org.matrix.msc3231.login.registration_token")
HOSTPORT = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")

FACTS = (
    "platform.product",
    "platform.version",
    "platform.api_version",
    "api.rest",
    "signup.open",
    "guests.allowed",
    "federation.enabled",
    "federation.protocol",
    "sso.protocols",
    "sso.identity_providers",
    "edit.own_posts",
    "edit.delete_own",
    "social.threads",
    "social.reactions",
    "social.mentions",
    "bridges.protocols",
    "spaces.public_count",
    "sharing.domain_restriction",
    "x-matrix.spec_versions",
    "x-matrix.login_flows",
    "x-matrix.registration_stages",
    "x-matrix.well_known",
    "x-matrix.homeserver_base_url",
    "x-matrix.server_delegation",
    "x-matrix.oidc_issuer",
    "x-matrix.public_directory_anonymous",
    "x-matrix.change_password",
    "x-matrix.set_displayname",
    "x-matrix.room_version_default",
    "x-matrix.room_versions",
    "search.api",
)
MEMBER_FACTS = ("bridges.protocols", "sharing.domain_restriction", "x-matrix.change_password",
                "x-matrix.set_displayname", "x-matrix.room_version_default",
                "x-matrix.room_versions")
# A reserved name that never resolves (RFC 2606): asking for its room directory shows whether a
# federation allow-list is configured, without contacting anyone.
NO_SUCH_SERVER = "zahnrad.invalid"
ALLOW_LIST_WAIT = 2.0  # seconds: an allow-list refuses in milliseconds


def _errcode(reply: Reply) -> str | None:
    try:
        data = reply.json()
    except ProbeError:
        return None
    return data.get("errcode") if isinstance(data, dict) else None


def _path(reply: Reply) -> str:
    """The reply's path (reasons name the endpoint, not the host, so replays read the same)."""
    return urlsplit(reply.url).path or "/"


def _status(reply: Reply) -> str:
    code = _errcode(reply)
    return f"HTTP {reply.status}" + (f" {code}" if code else "") + f" from {_path(reply)}"


# --------------------------------------------------------------------------- spec versions


def _version_key(v: str) -> tuple[int, ...]:
    """'v1.12' -> (1, 1, 12); 'r0.6.1' -> (0, 0, 6, 1): every v-version sorts above r-versions."""
    m = re.fullmatch(r"([rv])(\d+(?:\.\d+)*)", v)
    if not m:
        return (-1,)
    nums = tuple(int(x) for x in m.group(2).split("."))
    return (1 if m.group(1) == "v" else 0, *nums)


FEATURES = (  # fact, first spec version with it, what it is
    ("edit.delete_own", "r0.0.1", "redactions"),
    ("edit.own_posts", "v1.4", "event replacements (edits)"),
    ("social.threads", "v1.4", "threads"),
    ("social.reactions", "v1.7", "reactions (annotations)"),
    ("social.mentions", "v1.7", "user and room mentions"),
)


def probe_versions(ctx: ProbeContext) -> list[str]:
    """/_matrix/client/versions: the spec versions, and the features they guarantee."""
    facts = ("api.rest", "platform.api_version", "x-matrix.spec_versions",
             *(f for f, _, _ in FEATURES))
    with ctx.establishing(*facts):
        reply, data = ctx.get_json("_matrix/client/versions")
        versions = data.get("versions") if isinstance(data, dict) else None
        if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
            raise ProbeError(f"{_path(reply)} answered JSON without a versions list "
                             "(not a Matrix homeserver?)")
        ordered = sorted(set(versions), key=_version_key)
        ctx.observe("api.rest", True, reply, "versions (the client-server API answers)",
                    ordered[-3:])
        ctx.observe("x-matrix.spec_versions", ordered, reply, "versions", ordered)
        if ordered:
            ctx.observe("platform.api_version", ordered[-1], reply, "max(versions)", ordered[-1])
        newest = _version_key(ordered[-1]) if ordered else (-1,)
        for fact, since, what in FEATURES:
            if newest >= _version_key(since):
                ctx.observe(fact, True, reply, f"versions includes {since} or later ({what} are "
                            f"part of the spec since {since})", ordered[-1])
            else:
                ctx.unknown(fact, f"the server supports spec versions up to "
                                  f"{ordered[-1] if ordered else 'none'}; {what} are guaranteed "
                                  f"from {since} on")
        return ordered
    return []


# --------------------------------------------------------------------------- identity, federation


def probe_well_known(ctx: ProbeContext) -> str | None:
    """/.well-known/matrix/{client,server,support} on the vendor's host. Returns m.server."""
    served: list[str] = []
    last: Reply | None = None
    delegation = None
    with ctx.establishing("x-matrix.well_known", "x-matrix.homeserver_base_url",
                          "x-matrix.server_delegation"):
        for doc in ("client", "server", "support"):
            reply = ctx.request("GET", f".well-known/matrix/{doc}", ok=None)
            last = reply
            if reply.status == 404:
                if doc == "client":
                    ctx.unknown("x-matrix.homeserver_base_url",
                                f"no /.well-known/matrix/client document ({_status(reply)})")
                elif doc == "server":
                    ctx.unknown("x-matrix.server_delegation",
                                f"no /.well-known/matrix/server delegation ({_status(reply)})")
                continue
            if reply.status != 200:
                raise ProbeError(_status(reply))
            data = reply.json()
            if not isinstance(data, dict):
                raise ProbeError(f"{_path(reply)} was JSON but not an object")
            served.append(doc)
            if doc == "client":
                base = data.get("m.homeserver", {})
                url = base.get("base_url") if isinstance(base, dict) else None
                if isinstance(url, str) and url:
                    ctx.observe("x-matrix.homeserver_base_url", url, reply,
                                '"m.homeserver".base_url', url)
                else:
                    ctx.unknown("x-matrix.homeserver_base_url",
                                f"{_path(reply)} has no m.homeserver.base_url")
            elif doc == "server":
                server = data.get("m.server")
                if isinstance(server, str) and HOSTPORT.match(server):
                    delegation = server
                    ctx.observe("x-matrix.server_delegation", server, reply, '"m.server"', server)
                else:
                    ctx.unknown("x-matrix.server_delegation",
                                f"{_path(reply)} has no usable m.server")
        assert last is not None
        ctx.observe("x-matrix.well_known", served, last,
                    "/.well-known/matrix/{client,server,support}: documents that answered 200",
                    served)
    return delegation


def probe_federation(ctx: ProbeContext, delegation: str | None) -> tuple[dict, Reply] | None:
    """Federation at the vendor's address, its delegation or options.federation_url.

    Returns the federation version document ({"name", "version"}) and its reply when it answered.
    """
    option = str(ctx.options.get("federation_url", "") or "").rstrip("/")
    with ctx.establishing("federation.enabled", "federation.protocol"):
        where = option or ctx.base_url
        reply = ctx.request("GET", f"{where}/_matrix/federation/v1/version", ok=None)
        server = _federation_server(reply)
        if server is None and not option and delegation:
            reply = ctx.request("GET", f"https://{delegation}/_matrix/federation/v1/version",
                                ok=None)
            server = _federation_server(reply)
        if server is not None:
            ctx.observe("federation.enabled", True, reply,
                        "federation/v1/version answered (server.name)", server)
            ctx.observe("federation.protocol", "matrix", reply,
                        "federation/v1/version answered", server)
            return server, reply
        if reply.status == 404 and _errcode(reply) == "M_UNRECOGNIZED" and not delegation:
            # The homeserver itself says the federation API is not served at its address,
            # and its host names no other federation server.
            path = ("federation/v1/version: M_UNRECOGNIZED (federation API not served here) and "
                    "no /.well-known/matrix/server delegation")
            ctx.observe("federation.enabled", False, reply, path, reply.json())
            ctx.observe("federation.protocol", "none", reply, path, reply.json())
            return None
        raise ProbeError(f"the federation API did not answer ({_status(reply)}); "
                         "if it is served elsewhere, name it in options.federation_url")
    return None


def _federation_server(reply: Reply) -> dict | None:
    if reply.status != 200:
        return None
    data = reply.json()
    server = data.get("server") if isinstance(data, dict) else None
    if isinstance(server, dict) and isinstance(server.get("name"), str):
        return {"name": server["name"], "version": str(server.get("version", ""))}
    return None


def probe_implementation(ctx: ProbeContext, federation: tuple[dict, Reply] | None) -> None:
    """Implementation and version: the federation version document, else Synapse's own endpoint."""
    with ctx.establishing("platform.product", "platform.version"):
        if federation is not None:
            server, reply = federation
            ctx.observe("platform.product", server["name"], reply, "server.name", server["name"])
            if server["version"]:
                ctx.observe("platform.version", server["version"], reply, "server.version",
                            server["version"])
                declare_synapse(ctx, server["name"], server["version"])
                return
        reply = ctx.request("GET", "_synapse/admin/v1/server_version", ok=None)
        if reply.status != 200:
            raise ProbeError("the homeserver does not name its implementation: the federation "
                             f"version document is not served and {_status(reply)}")
        data = reply.json()
        version = data.get("server_version") if isinstance(data, dict) else None
        if not isinstance(version, str) or not version:
            raise ProbeError(f"{_path(reply)} answered without server_version")
        if not ctx.is_set("platform.product"):
            ctx.observe("platform.product", "Synapse", reply,
                        "/_synapse/admin/v1/server_version answered (a Synapse-only endpoint)",
                        version)
        ctx.observe("platform.version", version, reply, "server_version", version)
        declare_synapse(ctx, "Synapse", version)


def declare_synapse(ctx: ProbeContext, name: str, version: str) -> None:
    """Synapse's licence: Apache-2.0 up to 1.98 (matrix-org), AGPL-3.0 from 1.99 (element-hq)."""
    if name.lower() != "synapse":
        return
    m = re.match(r"(\d+)\.(\d+)", version)
    if not m:
        return
    agpl = (int(m.group(1)), int(m.group(2))) >= (1, 99)
    url = ("https://github.com/element-hq/synapse/blob/develop/LICENSE" if agpl else
           "https://github.com/matrix-org/synapse/blob/develop/LICENSE")
    ctx.declare("licence.open_source", True, url, "Synapse is open source")
    ctx.declare("search.api", True, SPEC + "#server-side-search",
                "Synapse implements server-side search (POST /search) over the rooms a user is "
                "in; end-to-end encrypted rooms are searched by the client only")
    ctx.declare("licence.spdx", "AGPL-3.0-only" if agpl else "Apache-2.0", url,
                "AGPL-3.0 (or a commercial licence) since 1.99" if agpl else
                "Apache-2.0 up to 1.98")


# --------------------------------------------------------------------------- login, registration


def probe_login(ctx: ProbeContext, prefix: str) -> None:
    """Login flows and SSO identity providers; OIDC-native servers publish auth_metadata."""
    issuer: str | None = None
    with ctx.establishing("x-matrix.oidc_issuer"):
        reply = ctx.request("GET", "_matrix/client/v1/auth_metadata", ok=None)
        if reply.status == 200:
            data = reply.json()
            value = data.get("issuer") if isinstance(data, dict) else None
            if isinstance(value, str) and value:
                issuer = value
                ctx.observe("x-matrix.oidc_issuer", issuer, reply, "issuer", issuer)
        if issuer is None:
            ctx.unknown("x-matrix.oidc_issuer", "no OAuth 2.0 / OIDC-native login "
                        f"(auth_metadata: {_status(reply)})")

    facts = ("x-matrix.login_flows", "sso.protocols", "sso.identity_providers")
    with ctx.establishing(*facts):
        reply, data = ctx.get_json(f"_matrix/client/{prefix}/login")
        flows = data.get("flows") if isinstance(data, dict) else None
        if not isinstance(flows, list):
            raise ProbeError(f"{_path(reply)} answered JSON without login flows")
        flows = [f for f in flows if isinstance(f, dict) and isinstance(f.get("type"), str)]
        types = sorted({f["type"] for f in flows})
        ctx.observe("x-matrix.login_flows", types, reply, "flows[].type", types)
        sso_flows = [f for f in flows if f["type"] == "m.login.sso"]
        if any(not isinstance(f.get("identity_providers", []), list) for f in sso_flows):
            raise ProbeError(f"{_path(reply)}: identity_providers is not a list")
        idps = [i for f in sso_flows for i in f.get("identity_providers", [])
                if isinstance(i, dict)]
        has_sso = "m.login.sso" in types
        names = sorted({str(i.get("name") or i.get("id") or "").strip().lower() for i in idps}
                       - {""})
        if has_sso and not idps and issuer is None:
            ctx.unknown("sso.identity_providers", "SSO login is offered, but the server does not "
                        "list its identity providers")
        elif issuer is not None and not idps:
            ctx.unknown("sso.identity_providers", f"login is delegated to an OIDC provider "
                        f"({issuer}); its upstream identity providers are not visible")
        else:
            ctx.observe("sso.identity_providers", names, reply,
                        'flows[type="m.login.sso"].identity_providers[].name', idps or types)
        protocols = set()
        for idp in idps:
            ident = str(idp.get("id", "")).lower()
            if ident == "oidc" or ident.startswith("oidc-"):
                protocols.add("oidc")
            elif ident == "saml" or ident.startswith("saml"):
                protocols.add("saml")
        if issuer is not None:
            protocols.add("oidc")
        if protocols:
            ctx.observe("sso.protocols", sorted(protocols), reply,
                        "identity_providers[].id (Synapse: oidc-*, saml) / auth_metadata",
                        idps or types)
        elif has_sso:
            ctx.unknown("sso.protocols", "SSO login is offered, but the protocol behind its "
                        "identity providers is not shown")
        else:
            ctx.unknown("sso.protocols", "no SSO login flow; password logins may still be "
                        "checked against LDAP by a password provider module, which is not "
                        "visible from outside")


def probe_registration(ctx: ProbeContext, prefix: str) -> None:
    """POST /register {} (no account is created) and ?kind=guest (creates a guest, logged out)."""
    with ctx.establishing("signup.open", "x-matrix.registration_stages"):
        reply = ctx.request("POST", f"_matrix/client/{prefix}/register", json={}, ok=None)
        code = _errcode(reply)
        if reply.status == 401:
            data = reply.json()
            flows = data.get("flows") if isinstance(data, dict) else None
            if not isinstance(flows, list):
                raise ProbeError(f"HTTP 401 from {_path(reply)} without registration flows")
            stage_lists = [f["stages"] for f in flows
                           if isinstance(f, dict) and isinstance(f.get("stages"), list)
                           and all(isinstance(s, str) for s in f["stages"])]
            if not stage_lists or len(stage_lists) != len(flows):
                raise ProbeError(f"HTTP 401 from {_path(reply)} with flows that are not lists "
                                 "of stages")
            stages = sorted({s for st in stage_lists for s in st})
            open_flows = [st for st in stage_lists if not set(st) & set(TOKEN_STAGES)]
            excerpt = [{"stages": st} for st in stage_lists]
            ctx.observe("x-matrix.registration_stages", stages, reply, "flows[].stages", excerpt)
            ctx.observe("signup.open", bool(open_flows), reply,
                        "HTTP 401 with flows[].stages: a flow without a registration token"
                        if open_flows else "every flow needs m.login.registration_token",
                        excerpt)
        elif reply.status == 403 and code == "M_FORBIDDEN":
            body = reply.json()
            ctx.observe("signup.open", False, reply, "HTTP 403 errcode M_FORBIDDEN", body)
            ctx.observe("x-matrix.registration_stages", [], reply,
                        "HTTP 403 M_FORBIDDEN (registration disabled)", body)
        elif reply.status == 200:
            _forget_account(ctx, reply, prefix)
            ctx.observe("signup.open", True, reply, "HTTP 200: registered without any step",
                        {"status": 200})
            ctx.observe("x-matrix.registration_stages", [], reply, "HTTP 200 (no stages)",
                        {"status": 200})
        elif code == "M_UNRECOGNIZED" or reply.status == 404:
            raise ProbeError(f"the client API offers no registration here ({_status(reply)}); "
                             "with delegated (OIDC) authentication sign-up happens at the provider")
        else:
            raise ProbeError(_status(reply))

    with ctx.establishing("guests.allowed"):
        reply = ctx.request("POST", f"_matrix/client/{prefix}/register",
                            params={"kind": "guest"}, json={}, ok=None)
        if reply.status == 200:
            _forget_account(ctx, reply, prefix)
            ctx.observe("guests.allowed", True, reply,
                        "register?kind=guest: HTTP 200 (guest account created, then logged out)",
                        {"status": 200})
        elif reply.status == 403:
            ctx.observe("guests.allowed", False, reply, "register?kind=guest: HTTP 403",
                        reply.json())
        else:
            raise ProbeError(_status(reply))


def _forget_account(ctx: ProbeContext, reply: Reply, prefix: str) -> None:
    """An account the probe had to create (a guest): scrub its token and log it out."""
    try:
        data = reply.json()
    except ProbeError:
        return
    token = data.get("access_token") if isinstance(data, dict) else None
    if isinstance(token, str) and token:
        ctx.add_secret(token)
        try:
            ctx.request("POST", f"_matrix/client/{prefix}/logout", json={}, ok=None,
                        headers={"Authorization": f"Bearer {token}"})
        except ProbeError:
            pass


# --------------------------------------------------------------------------- directory, member


def probe_directory(ctx: ProbeContext, prefix: str, token: str | None) -> bool:
    """The public room directory; returns True once spaces.public_count is known."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    who = "member" if token else "anonymous"
    reply = ctx.request("GET", f"_matrix/client/{prefix}/publicRooms", params={"limit": "50"},
                        headers=headers, ok=None)
    if not token:
        if reply.status == 200:
            ctx.observe("x-matrix.public_directory_anonymous", True, reply,
                        "publicRooms without a token: HTTP 200", {"status": 200})
        elif reply.status == 401 and _errcode(reply) == "M_MISSING_TOKEN":
            ctx.observe("x-matrix.public_directory_anonymous", False, reply,
                        "publicRooms without a token: HTTP 401 M_MISSING_TOKEN", reply.json())
            return False
        else:
            raise ProbeError(_status(reply))
    elif reply.status != 200:
        raise ProbeError(_status(reply))
    data = reply.json()
    total = data.get("total_room_count_estimate") if isinstance(data, dict) else None
    chunk = data.get("chunk") if isinstance(data, dict) else None
    if isinstance(total, int) and not isinstance(total, bool):
        ctx.observe("spaces.public_count", total, reply,
                    f"total_room_count_estimate [{who}]", total)
        return True
    if isinstance(chunk, list) and not data.get("next_batch"):
        ctx.observe("spaces.public_count", len(chunk), reply, f"len(chunk) [{who}]", len(chunk))
        return True
    raise ProbeError(f"{_path(reply)} gave no room count")


def member_token(ctx: ProbeContext, prefix: str) -> tuple[str, bool]:
    """The member's access token: the credential, or a password login. (token, logged_in_here)."""
    token = ctx.credential("access_token")
    if token:
        return token, False
    if not ctx.has_credentials("username", "password"):
        raise ProbeError("no member credentials configured (access_token, or username and "
                         "password)")
    reply = ctx.request("POST", f"_matrix/client/{prefix}/login", ok=None, json={
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": ctx.credential("username")},
        "password": ctx.credential("password"),
        "initial_device_display_name": "zahnrad probe",
    })
    if reply.status == 403:
        raise ProbeError(f"the member login was refused ({_status(reply)}): check the username "
                         "and password")
    if reply.status == 429:
        raise ProbeError(f"the member login was rate limited ({_status(reply)}); use an "
                         "access_token credential instead of logging in on every run")
    if reply.status != 200:
        raise ProbeError(f"the member login failed ({_status(reply)})")
    data = reply.json()
    token = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise ProbeError(f"{_path(reply)} answered without an access token")
    ctx.add_secret(token)
    return token, True


def probe_member(ctx: ProbeContext, prefix: str, need_directory: bool) -> None:
    facts = MEMBER_FACTS + (("spaces.public_count",) if need_directory else ())
    with ctx.establishing(*facts):
        token, logged_in = member_token(ctx, prefix)
        auth = {"Authorization": f"Bearer {token}"}
        try:
            reply = ctx.request("GET", f"_matrix/client/{prefix}/account/whoami", headers=auth,
                                ok=None)
            if reply.status == 401:
                raise ProbeError(f"the member's access token was refused ({_status(reply)})")
            if reply.status != 200:
                raise ProbeError(f"whoami failed ({_status(reply)})")
            probe_capabilities(ctx, prefix, auth)
            with ctx.establishing("bridges.protocols"):
                reply, data = ctx.get_json(f"_matrix/client/{prefix}/thirdparty/protocols",
                                           headers=auth)
                if not isinstance(data, dict):
                    raise ProbeError(f"{_path(reply)} was not a JSON object")
                protocols = sorted(str(k).lower() for k in data)
                ctx.observe("bridges.protocols", protocols, reply,
                            "keys of thirdparty/protocols", protocols)
            if need_directory:
                with ctx.establishing("spaces.public_count"):
                    probe_directory(ctx, prefix, token)
            with ctx.establishing("sharing.domain_restriction"):
                probe_allow_list(ctx, prefix, auth)
        finally:
            if logged_in:
                try:
                    ctx.request("POST", f"_matrix/client/{prefix}/logout", json={}, headers=auth,
                                ok=None)
                except ProbeError:
                    pass


def probe_allow_list(ctx: ProbeContext, prefix: str, auth: dict[str, str]) -> None:
    """A federation domain allow-list (Synapse federation_domain_whitelist) refuses at once.

    The room directory of a server that cannot exist is asked for: a homeserver with an
    allow-list answers 403 "Federation denied"; without one it tries to reach the name (which
    fails, as .invalid never resolves), so only the refusal is a clear observation.
    """
    try:
        # An allow-list refuses at once; a federating server tries to reach the name for as
        # long as its federation client retries, so a short wait is enough to tell them apart.
        reply = ctx.request("GET", f"_matrix/client/{prefix}/publicRooms", headers=auth, ok=None,
                            params={"server": NO_SUCH_SERVER, "limit": "1"},
                            timeout=ALLOW_LIST_WAIT)
    except ProbeError as exc:
        raise Refused(f"no federation allow-list refused {NO_SUCH_SERVER} within "
                      f"{ALLOW_LIST_WAIT:g} s ({exc}); the server tries to federate with it") from None
    text = reply.text.lower()
    if reply.status == 403 and "federation denied" in text:
        ctx.observe("sharing.domain_restriction", "allow_list", reply,
                    f"publicRooms?server={NO_SUCH_SERVER}: 403 Federation denied (the "
                    "homeserver federates only with listed domains)", reply.json())
        return
    # An answer, not a failed request: the probe stays complete, the fact unknown.
    raise Refused(f"no federation allow-list refused {NO_SUCH_SERVER} ({_status(reply)}); "
                  "other restrictions (firewalls, room ACLs) are not visible", reply.status)


def probe_capabilities(ctx: ProbeContext, prefix: str, auth: dict[str, str]) -> None:
    facts = ("x-matrix.change_password", "x-matrix.set_displayname",
             "x-matrix.room_version_default", "x-matrix.room_versions")
    with ctx.establishing(*facts):
        reply, data = ctx.get_json(f"_matrix/client/{prefix}/capabilities", headers=auth)
        caps = data.get("capabilities") if isinstance(data, dict) else None
        if not isinstance(caps, dict):
            raise ProbeError(f"{_path(reply)} answered JSON without capabilities")
        for fact, key in (("x-matrix.change_password", "m.change_password"),
                          ("x-matrix.set_displayname", "m.set_displayname")):
            cap = caps.get(key)
            if isinstance(cap, dict) and isinstance(cap.get("enabled"), bool):
                ctx.observe(fact, cap["enabled"], reply, f'capabilities["{key}"].enabled', cap)
            elif key not in caps:
                # The spec: an absent capability means the default, which is enabled.
                ctx.observe(fact, True, reply, f'capabilities["{key}"] absent (default: '
                            'enabled)', sorted(caps)[:8])
            else:
                ctx.unknown(fact, f'capabilities["{key}"] is not {{"enabled": true|false}}')
        rooms = caps.get("m.room_versions")
        if isinstance(rooms, dict):
            default = rooms.get("default")
            available = rooms.get("available") if isinstance(rooms.get("available"), dict) else {}
            stable = sorted((k for k, v in available.items() if v == "stable"),
                            key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))
            if isinstance(default, str):
                ctx.observe("x-matrix.room_version_default", default, reply,
                            'capabilities["m.room_versions"].default', default)
            ctx.observe("x-matrix.room_versions", stable, reply,
                        'capabilities["m.room_versions"].available (stable)', stable)


# --------------------------------------------------------------------------- declared

# Properties of Matrix itself, the same for every homeserver (coverage pass). What depends on a
# server's configuration (guests, uploads, federation, SSO) is observed above or stays unknown.
DECLARED = (
    Declared("history.versions", True, SPEC + "#event-replacements",
             "an edit is a new event that replaces the content; the original event is kept, so "
             "clients can show a message's edit history"),
    Declared("edit.member", False, SPEC + "#validity-of-replacement-events",
             "a replacement must come from the sender of the original event: members edit "
             "only their own messages"),
    Declared("edit.window_minutes", 525600, SPEC + "#event-replacements",
             "the specification sets no time limit on replacing one's own events (525600 = no "
             "limit)"),
    Declared("social.comments", True, SPEC + "#rich-replies",
             "replies to any message (rich replies), besides threads"),
    Declared("permissions.per_space", True, SPEC + "#mroompower_levels",
             "each room's power levels say who may post, invite, kick, ban and change settings, "
             "set by the room's own admins"),
    Declared("roles.api_configurable", True, SPEC + "#mroompower_levels",
             "power levels are changed by sending a new m.room.power_levels state event "
             "through the client-server API"),
    Declared("bots.enabled", True, "https://spec.matrix.org/latest/application-service-api/",
             "application services run bot users; any account can also be driven by a program "
             "through the client-server API"),
    Declared("export.content_api", True,
             SPEC + "#get_matrixclientv3roomsroomidmessages",
             "GET /rooms/{roomId}/messages returns a room's events as JSON to its members "
             "(end-to-end encrypted ones as ciphertext for the client to decrypt)"),
    Declared("api.graphql", False, SPEC,
             "the client-server API is HTTP with JSON bodies; Matrix has no GraphQL API"),
    Declared("mobile.apps", True, "https://matrix.org/ecosystem/clients/",
             "native clients for iOS and Android (Element among them) work with any homeserver"),
    Declared("mobile.push", True, "https://spec.matrix.org/latest/push-gateway-api/",
             "homeservers send notifications through the push gateway an app registers, which "
             "delivers them to the phone"),
)


# --------------------------------------------------------------------------- probe


def probe(ctx: ProbeContext) -> None:
    """Public endpoints first, then (with a token or password) what a member sees."""
    versions = probe_versions(ctx)
    if not versions:
        reason = ctx.facts["api.rest"].reason if "api.rest" in ctx.facts else "no versions"
        raise ProbeError(f"not a Matrix client API: {reason}")
    # r0 paths for servers that predate spec v1.1 (which introduced the v3 paths).
    prefix = "v3" if _version_key(versions[-1]) >= _version_key("v1.1") else "r0"
    delegation = probe_well_known(ctx)
    federation = probe_federation(ctx, delegation)
    probe_implementation(ctx, federation)
    probe_login(ctx, prefix)
    probe_registration(ctx, prefix)
    need_directory = True
    with ctx.establishing("x-matrix.public_directory_anonymous", "spaces.public_count"):
        need_directory = not probe_directory(ctx, prefix, None)
    probe_member(ctx, prefix, need_directory)


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="matrix", display_name="Matrix homeserver", kind="team chat", version="0.1.0",
        probe=probe, facts=FACTS,
        declared=(
            Declared("hosting.self_hosted", True, "https://matrix.org/ecosystem/servers/",
                     "Matrix homeservers (Synapse, Dendrite, Conduit …) are run by their owners"),
            Declared("api.write", True, SPEC + "#sending-events-to-a-room",
                     "the client-server API sends, edits and redacts events"),
            Declared("api.events", True, SPEC + "#syncing",
                     "/sync streams every event a user can see"),
            Declared("api.openapi_spec", True,
                     "https://github.com/matrix-org/matrix-spec/tree/main/data/api",
                     "the Matrix spec publishes its APIs as OpenAPI definitions"),
            *DECLARED,
        ),
        docs_url=SPEC,
        credentials={
            "access_token": "a member's access token (capabilities, bridges, room directory)",
            "username": "or a member's user name (logged in and out again; mind the login "
                        "rate limit)",
            "password": "its password",
        },
        needs_url=True, default_url=None,
    ))
