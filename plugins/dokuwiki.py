"""DokuWiki: who may read, edit, create and upload, asked through the wiki's own remote API.

DokuWiki answers permission questions exactly: ``aclCheck(page)`` returns the caller's ACL level
(0 none, 1 read, 2 edit, 4 create, 8 upload, 16 delete, 255 admin; each level includes the ones
below it). The plugin asks it for an anonymous caller and, with credentials, for a member: on the
start page (existing content) and on a page that does not exist yet (creating, uploading).

Two protocols carry the same API. Releases since 2024-02 speak JSON-RPC (``lib/exe/jsonrpc.php``,
``core.*`` methods); older ones only XML-RPC (``lib/exe/xmlrpc.php``, ``wiki.*``/``dokuwiki.*``).
The plugin tries JSON-RPC first and falls back to XML-RPC. XML-RPC is encoded and decoded with
the standard library (``xmlrpc.client``) but sent through ``ctx.request``, so timeouts, evidence
and recording apply as for every other probe.

Pitfalls this module is built around (seen on a live 2022-07-31b "Igor"):

- The remote API is off by default (``remote = 0``). Then every call answers HTTP 200 with fault
  -32605 "XML-RPC server not enabled." (JSON-RPC: HTTP 404 with error -32605). That is reported
  as ``api.rest`` = false; what the public pages show (feed, edit button, register form) is still
  established without the API.
- Refusals (the caller is not in ``remoteuser``) are HTTP 401 with an XML-RPC body holding an
  empty struct, not faults.
- A wrong Basic-auth password does not fail: the call silently runs as anonymous. Credentials are
  therefore verified with ``dokuwiki.login`` / ``core.login`` first; a refused login makes every
  member fact unknown instead of reporting anonymous rights as the member's.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import xmlrpc.client
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit
from xml.parsers.expat import ExpatError

from zahnrad.hookspecs import hookimpl
from zahnrad.platforms import Declared, Platform
from zahnrad.probe import ProbeContext, ProbeError, Reply

JSONRPC = "lib/exe/jsonrpc.php"
XMLRPC = "lib/exe/xmlrpc.php"
DOCS = "https://www.dokuwiki.org/devel:jsonrpc"
XMLRPC_DOCS = "https://www.dokuwiki.org/devel:xmlrpc"

# ACL levels (DokuWiki inc/defines.php AUTH_*): each includes the lower ones.
AUTH_READ, AUTH_EDIT, AUTH_CREATE, AUTH_UPLOAD, AUTH_DELETE, AUTH_ADMIN = 1, 2, 4, 8, 16, 255
LEVEL_NAMES = {0: "none", 1: "read", 2: "edit", 4: "create", 8: "upload", 16: "delete",
               255: "admin"}
NOT_ENABLED = -32605  # "XML-RPC server not enabled." / "JSON-RPC server not enabled."
PROBE_PAGE = "zahnrad_acl_probe"  # a page that does not exist: its level is the namespace's

FACTS = (
    "platform.product",
    "platform.version",
    "platform.api_version",
    "site.title",
    "api.rest",
    "api.write",
    "search.api",
    "api.openapi_spec",
    "feeds.rss",
    "access.anonymous_read",
    "edit.anonymous",
    "edit.member",
    "edit.create_pages",
    "upload.files",
    "signup.open",
    "x-dokuwiki.remote_protocol",
    "x-dokuwiki.remote_plugins",
    "x-dokuwiki.acl_anonymous_start",
    "x-dokuwiki.acl_anonymous_new_page",
    "x-dokuwiki.acl_member_start",
    "x-dokuwiki.acl_member_new_page",
)
ANON_ACL_FACTS = ("x-dokuwiki.acl_anonymous_start", "x-dokuwiki.acl_anonymous_new_page")
MEMBER_FACTS = ("edit.member", "edit.create_pages", "upload.files",
                "x-dokuwiki.acl_member_start", "x-dokuwiki.acl_member_new_page")


# --------------------------------------------------------------------------- remote API


@dataclass
class Answer:
    """One remote call's outcome: ``ok`` (value), ``refused`` (401/403), ``off`` or ``fault``."""

    reply: Reply
    kind: str
    value: Any = None
    message: str = ""

    def reason(self, what: str) -> str:
        if self.kind == "refused":
            return (f"{what} was refused with HTTP {self.reply.status} "
                    f"(the caller is not allowed to use the remote API: remoteuser setting)")
        if self.kind == "off":
            return f"the remote API is switched off (remote = 0): {what} answered {self.message!r}"
        return f"{what} failed: {self.message}"


# Logical method -> (JSON-RPC name, XML-RPC name). Parameters are positional in both.
METHODS = {
    "api_version": ("core.getAPIVersion", "dokuwiki.getXMLRPCAPIVersion"),
    "title": ("core.getWikiTitle", "dokuwiki.getTitle"),
    "version": ("core.getWikiVersion", "dokuwiki.getVersion"),
    "login": ("core.login", "dokuwiki.login"),
    "acl": ("core.aclCheck", "wiki.aclCheck"),
    "whoami": ("core.whoAmI", None),
}


class RemoteApi:
    """The wiki's remote API over JSON-RPC or XML-RPC, with one way to read answers."""

    def __init__(self, ctx: ProbeContext, protocol: str):
        self.ctx = ctx
        self.protocol = protocol  # "json-rpc" | "xml-rpc"

    def method(self, logical: str) -> str | None:
        return METHODS[logical][0 if self.protocol == "json-rpc" else 1]

    def call(self, logical: str, *params: Any, auth: str | None = None) -> Answer:
        name = self.method(logical)
        if name is None:
            raise ProbeError(f"{logical} is not available over {self.protocol}")
        if self.protocol == "json-rpc":
            return jsonrpc_call(self.ctx, name, list(params), auth)
        return xmlrpc_call(self.ctx, name, params, auth)


def _path(reply: Reply) -> str:
    """The reply's path (reasons name the endpoint, not the host, so replays read the same)."""
    return urlsplit(reply.url).path or "/"


def _headers(auth: str | None, content_type: str | None = None) -> dict[str, str]:
    headers = {"Authorization": auth} if auth else {}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


def jsonrpc_call(ctx: ProbeContext, method: str, params: list, auth: str | None) -> Answer:
    """A JSON-RPC 2.0 call; HTML instead of JSON raises ProbeError with a clear reason."""
    reply = ctx.request("POST", JSONRPC, ok=None, headers=_headers(auth),
                        json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
    if reply.status >= 500:
        raise ProbeError(f"HTTP {reply.status} from {_path(reply)} (server error)")
    data = reply.json()
    if not isinstance(data, dict):
        raise ProbeError(f"{method}: {_path(reply)} did not answer a JSON-RPC object")
    if "result" in data and not data.get("error"):
        return Answer(reply, "ok", data["result"])
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    code, message = error.get("code"), str(error.get("message", ""))
    if code == NOT_ENABLED:
        return Answer(reply, "off", message=message)
    if reply.status in (401, 403):
        return Answer(reply, "refused", message=message)
    return Answer(reply, "fault", message=f"error {code}: {message}" if error else
                  f"HTTP {reply.status} without a JSON-RPC result")


def xmlrpc_call(ctx: ProbeContext, method: str, params: tuple, auth: str | None) -> Answer:
    """An XML-RPC call encoded with ``xmlrpc.client``; refusals are HTTP 401/403, not faults."""
    body = xmlrpc.client.dumps(params, method, encoding="utf-8").encode("utf-8")
    reply = ctx.request("POST", XMLRPC, ok=None, data=body,
                        headers=_headers(auth, "text/xml; charset=utf-8"))
    if reply.status in (401, 403):
        return Answer(reply, "refused")
    if reply.status != 200:
        raise ProbeError(f"HTTP {reply.status} from {_path(reply)}"
                         + (" (not found: no XML-RPC endpoint)" if reply.status == 404 else ""))
    try:
        (value,), _ = xmlrpc.client.loads(reply.body)
    except xmlrpc.client.Fault as fault:
        kind = "off" if fault.faultCode == NOT_ENABLED else "fault"
        return Answer(reply, kind, message=str(fault.faultString))
    except (ExpatError, ValueError, TypeError, xmlrpc.client.Error):
        start = reply.text.lstrip()[:20]
        kind = "an HTML page" if start.lower().startswith(("<!doctype", "<html")) else "not XML-RPC"
        raise ProbeError(f"HTTP {reply.status} from {_path(reply)} was {kind} "
                         f"(starts {start!r})") from None
    return Answer(reply, "ok", value)


def detect_api(ctx: ProbeContext) -> tuple[RemoteApi | None, Answer | None, str]:
    """Find the protocol: JSON-RPC (2024+) first, then XML-RPC.

    Returns (api, the getAPIVersion answer, reason). ``api`` is None when no protocol answered;
    the answer is then the "off" answer if the API is switched off, else None (reason says why).
    """
    reasons = []
    try:
        answer = jsonrpc_call(ctx, METHODS["api_version"][0], [], None)
        if answer.kind == "ok":
            return RemoteApi(ctx, "json-rpc"), answer, ""
        if answer.kind == "off":
            return None, answer, answer.reason("core.getAPIVersion")
        reasons.append(f"JSON-RPC: {answer.message}")
    except ProbeError as exc:  # an older release: no jsonrpc.php, or an HTML 404 page
        reasons.append(f"JSON-RPC: {exc}")
    try:
        answer = xmlrpc_call(ctx, METHODS["api_version"][1], (), None)
    except ProbeError as exc:
        return None, None, f"no remote API answered ({'; '.join([*reasons, f'XML-RPC: {exc}'])})"
    if answer.kind == "ok":
        return RemoteApi(ctx, "xml-rpc"), answer, ""
    return None, answer, answer.reason("dokuwiki.getXMLRPCAPIVersion")


# --------------------------------------------------------------------------- public pages


class PageScan(HTMLParser):
    """What a DokuWiki page shows a visitor: generator, page-tool buttons, register form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.generator: str | None = None
        self.edit_buttons: list[tuple[str, str]] = []  # (kind, visible label) for do=edit links
        self.register_form = False
        self.errors: list[str] = []
        self._li_classes: list[str] = []
        self._anchor: str | None = None
        self._label: list[str] = []
        self._error_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "meta" and a.get("name", "").lower() == "generator":
            self.generator = a.get("content", "")
        elif tag == "li":
            self._li_classes = classes
        elif tag == "a" and "do=edit" in a.get("href", ""):
            kinds = [c for c in (*self._li_classes, *classes) if c in ("edit", "create", "source")]
            self._anchor = kinds[0] if kinds else "unknown"
            self._label = []
        elif tag == "form" and a.get("id") == "dw__register":
            self.register_form = True
        elif tag == "div" and "error" in classes:
            self._error_depth = 1
            self.errors.append("")
        elif tag == "div" and self._error_depth:
            self._error_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            self.edit_buttons.append((self._anchor, " ".join("".join(self._label).split())))
            self._anchor = None
        elif tag == "div" and self._error_depth:
            self._error_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._label.append(data)
        if self._error_depth:
            self.errors[-1] += data


def scan_page(ctx: ProbeContext, params: dict[str, str] | None = None) -> tuple[Reply, PageScan]:
    """GET doku.php; a page that is not DokuWiki's (no generator tag) raises ProbeError."""
    reply = ctx.request("GET", "doku.php", params=params, ok=None)
    if reply.status >= 500 or reply.status in (401, 404):
        raise ProbeError(f"HTTP {reply.status} from {_path(reply)}")
    scan = PageScan()
    scan.feed(reply.text)
    scan.close()
    if not (scan.generator or "").lower().startswith("dokuwiki"):
        raise ProbeError(f"{_path(reply)} did not show a DokuWiki page (no generator meta tag)")
    return reply, scan


def probe_start_page(ctx: ProbeContext) -> None:
    """The start page as an anonymous visitor sees it: product, reading, the edit button."""
    with ctx.establishing("platform.product", "access.anonymous_read", "edit.anonymous"):
        reply, scan = scan_page(ctx)
        ctx.observe("platform.product", "DokuWiki", reply, 'meta[name="generator"]@content',
                    scan.generator)
        if reply.status == 403:
            ctx.observe("access.anonymous_read", False, reply, "HTTP status of the start page",
                        "403 Permission Denied")
            ctx.observe("edit.anonymous", False, reply, "HTTP status of the start page",
                        "403 Permission Denied")
            return
        kinds = {kind for kind, _ in scan.edit_buttons}
        label = "; ".join(f"{k}: {text}" for k, text in scan.edit_buttons)
        if kinds & {"edit", "create", "source"}:
            # Every page-tool button needs at least read access to the page.
            ctx.observe("access.anonymous_read", True, reply,
                        "page tools of the start page (do=edit link shown)", label)
        if kinds & {"edit", "create"}:
            ctx.observe("edit.anonymous", True, reply,
                        "page tools: li.edit/li.create do=edit link (edit or create button)", label)
        elif kinds == {"source"}:
            ctx.observe("edit.anonymous", False, reply,
                        "page tools: only li.source (Show pagesource), no edit button", label)
        else:
            raise ProbeError("the start page shows no recognisable edit or source button "
                             "(a template without DokuWiki's page tools?)")


def probe_registration(ctx: ProbeContext) -> None:
    """Self-registration: DokuWiki shows the register form (do=register) only when allowed."""
    with ctx.establishing("signup.open"):
        reply, scan = scan_page(ctx, {"do": "register"})
        if scan.register_form:
            ctx.observe("signup.open", True, reply, 'form#dw__register on doku.php?do=register',
                        "form id=dw__register")
        elif reply.status == 200:
            note = next((e.strip() for e in scan.errors if e.strip()), "no registration form")
            ctx.observe("signup.open", False, reply,
                        "doku.php?do=register shows no form#dw__register", note)
        else:
            raise ProbeError(f"HTTP {reply.status} from {_path(reply)}?do=register")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def probe_feed(ctx: ProbeContext) -> tuple[Reply, str] | None:
    """feed.php: RSS/Atom of recent changes. Returns (reply, channel title = the wiki title)."""
    with ctx.establishing("feeds.rss"):
        reply = ctx.request("GET", "feed.php", ok=None)
        if reply.status == 404 and "feed is disabled" in reply.text.lower():
            ctx.observe("feeds.rss", False, reply, "feed.php", reply.text.strip()[:80])
            return None
        if reply.status != 200:
            raise ProbeError(f"HTTP {reply.status} from {_path(reply)}")
        try:
            root = ET.fromstring(reply.body)
        except ET.ParseError:
            start = reply.text.lstrip()[:20]
            raise ProbeError(f"{_path(reply)} was not an RSS or Atom feed "
                             f"(starts {start!r})") from None
        if _local(root.tag) not in ("RDF", "rss", "feed"):
            raise ProbeError(f"{_path(reply)} was not an RSS or Atom feed "
                             f"(root element {_local(root.tag)!r})")
        ctx.observe("feeds.rss", True, reply, f"feed.php root element <{_local(root.tag)}>",
                    _local(root.tag))
        for el in root.iter():
            if _local(el.tag) in ("channel", "feed"):
                for child in el:
                    if _local(child.tag) == "title" and (child.text or "").strip():
                        return reply, child.text.strip()
        return None


# --------------------------------------------------------------------------- ACL checks


def _probe_page(ctx: ProbeContext) -> str:
    ns = str(ctx.options.get("namespace", "") or "").strip(":")
    return f"{ns}:{PROBE_PAGE}" if ns else PROBE_PAGE


def _start_page(ctx: ProbeContext) -> str:
    return str(ctx.options.get("start_page", "start") or "start")


@dataclass
class Level:
    page: str
    value: int
    reply: Reply
    call: str  # e.g. "wiki.aclCheck('start')"


def check_acl(ctx: ProbeContext, api: RemoteApi, who: str, auth: str | None
              ) -> tuple[dict[str, Level], dict[str, str]]:
    """aclCheck on the start page and on a page that does not exist yet.

    Returns ({"start"|"new_page": Level}, {"start"|"new_page": reason it is unknown}).
    """
    levels: dict[str, Level] = {}
    failed: dict[str, str] = {}
    for key, page in (("start", _start_page(ctx)), ("new_page", _probe_page(ctx))):
        call = f"{api.method('acl')}({page!r})"
        try:
            answer = api.call("acl", page, auth=auth)
        except ProbeError as exc:
            failed[key] = str(exc)
            continue
        value = answer.value
        if answer.kind != "ok":
            failed[key] = answer.reason(f"{call} as {who}")
        elif isinstance(value, bool) or not isinstance(value, int):
            failed[key] = f"{call} answered {value!r:.40}, not an ACL level"
        else:
            levels[key] = Level(page, value, answer.reply, call)
    return levels, failed


def _names(level: int) -> str:
    return f"{level} ({LEVEL_NAMES.get(level, 'custom')})"


def observe_levels(ctx: ProbeContext, who: str, levels: dict[str, Level],
                   failed: dict[str, str]) -> None:
    for key in ("start", "new_page"):
        fact = f"x-dokuwiki.acl_{who}_{key}"
        if key in levels:
            lv = levels[key]
            ctx.observe(fact, lv.value, lv.reply, f"{lv.call} [{who}]", _names(lv.value))
        else:
            ctx.unknown(fact, failed[key])


# --------------------------------------------------------------------------- probe


def probe(ctx: ProbeContext) -> None:
    """Public pages first, then the remote API anonymously, then (last) as the member.

    The member's login sets session cookies, so everything anonymous is asked before it.
    """
    probe_start_page(ctx)
    probe_registration(ctx)
    feed = probe_feed(ctx)

    api, first, reason = detect_api(ctx)
    if api is None:
        off = first is not None and first.kind == "off"
        if off:
            assert first is not None
            endpoint = JSONRPC if _path(first.reply).endswith(JSONRPC) else XMLRPC
            for fact in ("api.rest", "api.write", "search.api"):
                ctx.observe(fact, False, first.reply,
                            f"{endpoint}: error {NOT_ENABLED} (remote API switched off)",
                            first.message)
        if feed is not None:
            ctx.observe("site.title", feed[1], feed[0], "feed.php channel/title", feed[1])
        for fact in FACTS:
            if fact in ctx.facts:
                continue
            if fact == "platform.version":
                ctx.unknown(fact, f"DokuWiki shows its version only through the remote API; "
                                  f"{reason}")
            elif fact in MEMBER_FACTS or fact in ANON_ACL_FACTS:
                ctx.unknown(fact, f"rights are checked through the remote API (aclCheck); "
                                  f"{reason}")
            else:
                ctx.unknown(fact, reason)
        return

    assert first is not None
    vcall = api.method("api_version")
    ctx.observe("x-dokuwiki.remote_protocol", api.protocol, first.reply,
                f"{vcall} answered over {api.protocol}", api.protocol)
    ctx.observe("platform.api_version", str(first.value), first.reply, vcall, first.value)
    ctx.observe("api.rest", True, first.reply, f"{vcall} answered (remote API on)", first.value)
    # The remote API always includes the write methods (core.savePage / wiki.putPage).
    write = "core.savePage" if api.protocol == "json-rpc" else "wiki.putPage"
    ctx.observe("api.write", True, first.reply,
                f"{vcall} answered (remote API on; it includes {write})", first.value)
    # Full-text search is a core method of the same API (dokuwiki.search since 2012).
    search = "core.searchPages" if api.protocol == "json-rpc" else "dokuwiki.search"
    ctx.observe("search.api", True, first.reply,
                f"{vcall} answered (remote API on; it includes {search})", first.value)

    if api.protocol == "json-rpc":
        probe_openapi(ctx)
    else:
        for fact in ("api.openapi_spec", "x-dokuwiki.remote_plugins"):
            ctx.unknown(fact, "this release speaks XML-RPC only; DokuWiki describes its API in "
                              "OpenAPI (lib/exe/openapi.php) from the 2024-02 release on")

    with ctx.establishing("site.title"):
        answer = api.call("title")
        if answer.kind == "ok" and isinstance(answer.value, str):
            ctx.observe("site.title", answer.value, answer.reply, api.method("title"),
                        answer.value)
        elif feed is not None:
            ctx.observe("site.title", feed[1], feed[0], "feed.php channel/title", feed[1])
        else:
            raise ProbeError(answer.reason(api.method("title") or "title"))

    with ctx.establishing("platform.version"):
        observe_version(ctx, api, api.call("version"))

    levels, failed = check_acl(ctx, api, "anonymous", None)
    observe_levels(ctx, "anonymous", levels, failed)
    if "start" in levels:
        # aclCheck is exact; it replaces what the page tools suggested.
        lv = levels["start"]
        ctx.observe("access.anonymous_read", lv.value >= AUTH_READ, lv.reply,
                    f"{lv.call} [anonymous] >= 1 (read)", _names(lv.value))
        ctx.observe("edit.anonymous", lv.value >= AUTH_EDIT, lv.reply,
                    f"{lv.call} [anonymous] >= 2 (edit)", _names(lv.value))

    probe_member(ctx, api)


def probe_openapi(ctx: ProbeContext) -> None:
    """The OpenAPI description DokuWiki generates for its JSON-RPC API (2024-02 and later)."""
    with ctx.establishing("api.openapi_spec", "x-dokuwiki.remote_plugins"):
        reply, spec = ctx.get_json("lib/exe/openapi.php", params={"spec": "1"})
        if not isinstance(spec, dict) or "openapi" not in spec:
            raise ProbeError(f"{_path(reply)}?spec=1 answered JSON without an 'openapi' field")
        ctx.observe("api.openapi_spec", True, reply, "openapi", spec.get("openapi"))
        paths = spec.get("paths") if isinstance(spec.get("paths"), dict) else {}
        plugins = sorted({p.split(".")[1] for p in paths
                          if isinstance(p, str) and p.startswith("/plugin.") and p.count(".") >= 2})
        ctx.observe("x-dokuwiki.remote_plugins", plugins, reply,
                    "paths keys /plugin.<name>.<method>", plugins)


def observe_version(ctx: ProbeContext, api: RemoteApi, answer: Answer) -> None:
    name = api.method("version") or "version"
    if answer.kind != "ok":
        raise ProbeError(answer.reason(name))
    if not isinstance(answer.value, str) or not answer.value.strip():
        raise ProbeError(f"{name} answered {answer.value!r:.40}, not a version")
    ctx.observe("platform.version", answer.value, answer.reply, name, answer.value)


def probe_member(ctx: ProbeContext, api: RemoteApi) -> None:
    """Member rights, after verifying the credentials (a wrong password silently = anonymous)."""
    if not ctx.has_credentials("username", "password"):
        for fact in MEMBER_FACTS:
            ctx.unknown(fact, "no member credentials configured (username and password)")
        return
    user, password = ctx.credential("username"), ctx.credential("password")
    assert user is not None and password is not None
    login_name = api.method("login")
    with ctx.establishing(*MEMBER_FACTS):
        login = api.call("login", user, password)
        if login.kind != "ok":
            raise ProbeError(login.reason(f"{login_name}"))
        if login.value is not True and login.value != 1:
            raise ProbeError(f"the member login was refused ({login_name} returned "
                             f"{login.value!r:.20}): check the username and password; with a "
                             f"wrong password every call would silently run as anonymous")
        auth = ctx.basic_auth(user, password)
        if api.protocol == "json-rpc":
            who = api.call("whoami", auth=auth)
            if who.kind != "ok":
                raise ProbeError(who.reason("core.whoAmI"))
            if isinstance(who.value, dict) and who.value.get("isadmin"):
                raise ProbeError(ADMIN_REASON + " (core.whoAmI: isadmin)")
        if not ctx.is_set("platform.version"):
            with ctx.establishing("platform.version"):
                observe_version(ctx, api, api.call("version", auth=auth))
        levels, failed = check_acl(ctx, api, "member", auth)
        if any(lv.value == AUTH_ADMIN for lv in levels.values()):
            raise ProbeError(ADMIN_REASON + " (ACL level 255)")
        observe_levels(ctx, "member", levels, failed)
        if "start" in levels:
            lv = levels["start"]
            ctx.observe("edit.member", lv.value >= AUTH_EDIT, lv.reply,
                        f"{lv.call} [member] >= 2 (edit)", _names(lv.value))
        if "new_page" in levels:
            lv = levels["new_page"]
            ctx.observe("edit.create_pages", lv.value >= AUTH_CREATE, lv.reply,
                        f"{lv.call} [member] >= 4 (create)", _names(lv.value))
            ctx.observe("upload.files", lv.value >= AUTH_UPLOAD, lv.reply,
                        f"{lv.call} [member] >= 8 (upload to that namespace)", _names(lv.value))
        for fact in ("edit.member",):
            if "start" not in levels:
                ctx.unknown(fact, failed["start"])
        for fact in ("edit.create_pages", "upload.files"):
            if "new_page" not in levels:
                ctx.unknown(fact, failed["new_page"])


# Product properties the same for every DokuWiki (coverage pass). Features that need a plugin
# (comments, tags, a visual editor, structured data, SSO) are not declared: the API of the
# releases probed here does not list installed plugins, so they stay unknown.
DECLARED = (
    Declared("licence.model", "open_source", "https://www.dokuwiki.org/faq:license",
             "DokuWiki and its bundled plugins are free software under the GPL 2"),
    Declared("extensions.marketplace", True, "https://www.dokuwiki.org/plugin:extension",
             "the bundled Extension Manager lets administrators search, install and update "
             "plugins and templates from inside the wiki"),
    Declared("social.activity_feed", True, "https://www.dokuwiki.org/recent_changes",
             "the Recent Changes page lists what was recently created or changed"),
    Declared("export.content_api", True, "https://www.dokuwiki.org/export",
             "every page can be exported as raw wiki text or XHTML (do=export_raw, "
             "do=export_xhtml)"),
    Declared("templates.pages", True, "https://www.dokuwiki.org/namespace_templates",
             "core namespace templates: a _template.txt (placed by an administrator) pre-fills "
             "every new page of its namespace"),
    Declared("theming.custom", True, "https://www.dokuwiki.org/template",
             "the look is set by templates (skins), installable through the Extension Manager"),
    Declared("branding.custom", True,
             "https://www.dokuwiki.org/template:dokuwiki#changing_the_logo",
             "the default template takes the wiki's own logo, favicon and title; colours are set "
             "in its style settings"),
    Declared("roles.api_configurable", True, XMLRPC_DOCS,
             "the bundled ACL plugin adds and removes ACL rules through the remote API "
             "(plugin.acl.addAcl, plugin.acl.delAcl; administrators only)"),
    Declared("api.graphql", False, DOCS,
             "the remote API is a set of remote procedure calls over HTTP; DokuWiki has no "
             "GraphQL API"),
)


ADMIN_REASON = ("the member account is a wiki administrator: its rights are not those of an "
                "ordinary member (use an ordinary account)")


@hookimpl
def zahnrad_register_platforms(register):
    register(Platform(
        name="dokuwiki", display_name="DokuWiki", kind="wiki", version="0.1.0",
        probe=probe, facts=FACTS,
        declared=(
            Declared("licence.open_source", True, "https://www.dokuwiki.org/faq:license",
                     "GPL-2.0"),
            Declared("licence.spdx", "GPL-2.0-only", "https://www.dokuwiki.org/faq:license",
                     "DokuWiki is licensed under GPL 2"),
            Declared("hosting.self_hosted", True, "https://www.dokuwiki.org/install",
                     "runs on any PHP web server, no database"),
            Declared("history.versions", True, "https://www.dokuwiki.org/page:revisions",
                     "every edit creates a revision; old revisions can be viewed and compared"),
            Declared("history.restore", True, "https://www.dokuwiki.org/page:revisions",
                     "users with edit rights can restore an old revision"),
            Declared("permissions.per_space", True, "https://www.dokuwiki.org/acl",
                     "ACL rules per namespace and page"),
            *DECLARED,
        ),
        docs_url=DOCS,
        credentials={"username": "a member account (unlocks member rights; verified with "
                                 "core.login / dokuwiki.login)",
                     "password": "its password"},
        needs_url=True, default_url=None,
    ))
