"""Demo recordings for the SaaS plugins (Microsoft 365, Confluence, Slack), made from fixtures.

There is no trial tenant to record against, so the HTTP side is modelled on the vendors'
published API references: every fixture in ``tests/fixtures/saas/<platform>/`` is one documented
response (field names and shapes as in the reference pages, tenant names replaced by
``*.example`` ones). This module maps them to the endpoints the plugins call (the *routes*), and
serves them through ``responses`` while ``zahnrad probe --record`` runs over the demo strategy's
three SaaS vendors. The plugin tests use the same routes, so the recordings and the tests cannot
drift apart.

Run from the repository root::

    .venv/bin/python tests/make_saas_recordings.py            # writes evaluator/demo/recordings/
    .venv/bin/python tests/make_saas_recordings.py --check    # fails if they would change

The demo scenarios are deliberately not "everything granted": the Microsoft 365 app lacks
AppCatalog.Read.All, the Slack bot token cannot call admin.* methods (no Enterprise Grid) and the
Confluence account is an ordinary member (no access to the plugin manager), so the demo shows
how unknown facts name the missing permission.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "saas"
DEMO = ROOT / "evaluator" / "demo"

GRAPH = "https://graph.microsoft.com/v1.0"
LOGIN = "https://login.microsoftonline.com"
SLACK = "https://slack.com/api"
CLOUD_SITE = "https://muster.atlassian.example"  # the site the Confluence Cloud fixtures name
DC_SITE = "https://wiki.muster.example"            # the Data Center instance of the fixtures

# Fake credential values. The recordings must not contain them (checked after recording).
TENANT = "2f6a9c1e-5b7d-4e3a-9c8f-1a2b3c4d5e6f"
CREDENTIALS = {
    "microsoft365": {"tenant_id": TENANT, "client_id": "0a1b2c3d-1111-4222-8333-444455556666",
                     "client_secret": "Zq8~demo.Secret-Value_0123456789abcdefXYZ"},
    "confluence": {"email": "probe@muster.example", "api_token": "ATATT3xFfGF0demoApiToken0123456789"},
    "slack": {"token": "xoxb-1111111111-2222222222-demoBotTokenValue01"},
}
TEAM_IDS = [f"9b3e5c1a-0d6f-4b7e-8a2c-1f3d5e7a9b0{i}" for i in range(1, 6)]
SKIPTOKEN = "RFNwdAIAAQAAACU6bXVzdGVyQG11c3Rlci5leGFtcGxlKUxpbWl0PTM"
SPACES_CURSOR = "eyJpZCI6OTgzMDcsInNwYWNlU29ydE9yZGVyIjp7ImZpZWxkIjoiSUQifX0="
SLACK_USERS_CURSOR = "dXNlcjpVMEFETUlOMDAy"
SLACK_CHANNELS_CURSOR = "dGVhbTpDMFNFUlZJQ0Ux"


@dataclass
class Route:
    """One canned HTTP answer: method, absolute URL, exact query, status, JSON (or text) body."""

    method: str
    url: str
    params: dict[str, str] | None = None
    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.body if isinstance(self.body, str) else json.dumps(self.body, ensure_ascii=False)


Routes = dict[str, list[Route]]  # name -> answers in order (the last one repeats)


def fixture(platform: str, name: str, replace: dict[str, str] | None = None) -> Any:
    """A fixture document, with URLs of the fixture site replaced by the ones in use."""
    text = (FIXTURES / platform / f"{name}.json").read_text("utf-8")
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    return json.loads(text)


# ---------------------------------------------------------------------------------- routes
def microsoft365_routes(graph: str = GRAPH, login: str = LOGIN, tenant: str = TENANT) -> Routes:
    """Every Graph call of a full run (all permissions granted), by name."""
    rep = {GRAPH: graph}

    def f(name: str) -> Any:
        return fixture("microsoft365", name, rep)

    teams_select = {"$select": "id,displayName,visibility"}
    routes: Routes = {
        "token": [Route("POST", f"{login}/{tenant}/oauth2/v2.0/token", None, f("token"))],
        "organization": [Route("GET", f"{graph}/organization",
                               {"$select": "id,displayName,verifiedDomains"}, f("organization"))],
        "sharepoint": [Route("GET", f"{graph}/admin/sharepoint/settings", None,
                             f("sharepoint_settings"))],
        "authorization": [Route("GET", f"{graph}/policies/authorizationPolicy", None,
                                f("authorization_policy"))],
        "teams": [Route("GET", f"{graph}/teams", teams_select, f("teams_page1")),
                  Route("GET", f"{graph}/teams", {**teams_select, "$skiptoken": SKIPTOKEN},
                        f("teams_page2"))],
        "crosstenant_default": [Route("GET", f"{graph}/policies/crossTenantAccessPolicy/default",
                                      None, f("crosstenant_default"))],
        "crosstenant_partners": [Route("GET", f"{graph}/policies/crossTenantAccessPolicy/partners",
                                       None, f("crosstenant_partners"))],
        "apps": [Route("GET", f"{graph}/appCatalogs/teamsApps",
                       {"$filter": "distributionMethod eq 'organization'",
                        "$select": "id,displayName,distributionMethod"}, f("teams_apps"))],
    }
    for i, team in enumerate(TEAM_IDS, start=1):
        routes[f"team_{i:02d}"] = [Route("GET", f"{graph}/teams/{team}", None, f(f"team_{i:02d}"))]
        routes[f"channels_{i:02d}"] = [Route(
            "GET", f"{graph}/teams/{team}/allChannels",
            {"$filter": "membershipType eq 'shared'",
             "$select": "id,displayName,membershipType,tenantId"}, f(f"allchannels_{i:02d}"))]
    return routes


def graph_403() -> Any:
    return fixture("microsoft365", "error_403")


def slack_routes(api: str = SLACK) -> Routes:
    """Every Web API call of a full run (all scopes, Enterprise Grid admin token), by name."""

    def f(name: str) -> Any:
        return fixture("slack", name)

    channels = {"types": "public_channel,private_channel", "exclude_archived": "true", "limit": "200"}
    return {
        "auth.test": [Route("GET", f"{api}/auth.test", None, f("auth_test"))],
        "team.info": [Route("GET", f"{api}/team.info", None, f("team_info"))],
        "team.preferences.list": [Route("GET", f"{api}/team.preferences.list", None,
                                        f("team_preferences"))],
        "users.list": [Route("GET", f"{api}/users.list", {"limit": "200"}, f("users_page1")),
                       Route("GET", f"{api}/users.list", {"limit": "200", "cursor": SLACK_USERS_CURSOR},
                             f("users_page2"))],
        "conversations.list": [
            Route("GET", f"{api}/conversations.list", channels, f("conversations_page1")),
            Route("GET", f"{api}/conversations.list", {**channels, "cursor": SLACK_CHANNELS_CURSOR},
                  f("conversations_page2"))],
        "team.profile.get": [Route("GET", f"{api}/team.profile.get", None, f("team_profile"))],
        "admin.apps.approved.list": [Route("GET", f"{api}/admin.apps.approved.list",
                                           {"limit": "100"}, f("admin_apps_approved"))],
    }


def confluence_cloud_routes(site: str = CLOUD_SITE) -> Routes:
    """Every call of a Cloud run with a member's API token (anonymous access off), by name."""
    rep = {CLOUD_SITE: site}
    wiki = f"{site}/wiki"

    def f(name: str) -> Any:
        return fixture("confluence-cloud", name, rep)

    spaces = {"type": "global", "status": "current", "limit": "250"}
    routes: Routes = {
        "tenant_info": [Route("GET", f"{site}/_edge/tenant_info", None, f("tenant_info"))],
        "anonymous": [Route("GET", f"{wiki}/api/v2/spaces", {"limit": "1"}, f("anonymous_401"),
                            status=401)],
        "system_info": [Route("GET", f"{wiki}/rest/api/settings/systemInfo", None, f("system_info"))],
        "spaces": [Route("GET", f"{wiki}/api/v2/spaces", spaces, f("spaces_page1")),
                   Route("GET", f"{wiki}/api/v2/spaces", {**spaces, "cursor": SPACES_CURSOR},
                         f("spaces_page2"))],
        "personal": [Route("GET", f"{wiki}/api/v2/spaces", {"type": "personal", "limit": "1"},
                           f("personal_spaces"))],
        "operations": [Route("GET", f"{wiki}/rest/api/user/current", {"expand": "operations"},
                             f("user_current"))],
        "likes": [Route("GET", f"{wiki}/api/v2/pages/1933313/likes/count", None, f("likes_count"))],
        "upm": [Route("GET", f"{wiki}/rest/plugins/1.0/", None, f("upm_plugins"))],
    }
    for space in ("98306", "98307", "98310"):
        routes[f"permissions_{space}"] = [Route("GET", f"{wiki}/api/v2/spaces/{space}/permissions",
                                                {"limit": "250"}, f(f"permissions_{space}"))]
    for name in ("confluence-users", "confluence-administrators", "betriebsrat"):
        gid = fixture("confluence-cloud", f"group_{name}")["id"]
        routes[f"group_{name}"] = [Route("GET", f"{wiki}/rest/api/group/by-id", {"id": gid},
                                         f(f"group_{name}"))]
    return routes


def confluence_dc_routes(base: str = DC_SITE) -> Routes:
    """Every call of a Data Center run with an administrator's personal access token, by name."""
    rep = {DC_SITE: base}
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))

    def f(name: str) -> Any:
        return fixture("confluence-dc", name, rep)

    spaces = {"type": "global", "status": "current", "limit": "100"}
    routes: Routes = {
        "tenant_info": [Route("GET", f"{origin}/_edge/tenant_info", None,
                              "<!DOCTYPE html><html><title>Page not found</title></html>", 404,
                              {"Content-Type": "text/html"})],
        "manifest": [Route("GET", f"{base}/rest/applinks/1.0/manifest", None, f("manifest"))],
        "anonymous": [Route("GET", f"{base}/rest/api/space", {"limit": "1"}, f("anonymous_space"))],
        "user_current": [Route("GET", f"{base}/rest/api/user/current", None, f("user_current"))],
        "spaces": [Route("GET", f"{base}/rest/api/space", spaces, f("spaces_page1")),
                   Route("GET", f"{base}/rest/api/space",
                         {"next": "true", "limit": "2", "start": "2", "type": "global",
                          "status": "current"}, f("spaces_page2"))],
        "personal": [Route("GET", f"{base}/rest/api/space", {"type": "personal", "limit": "1"},
                           f("personal_spaces"))],
        "operations": [Route("GET", f"{base}/rest/api/user/current", {"expand": "operations"},
                             f("user_current"))],
        "upm": [Route("GET", f"{base}/rest/plugins/1.0/", None, f("upm_plugins"))],
        "webhooks": [Route("GET", f"{base}/rest/api/webhooks", {"limit": "1"}, f("webhooks"))],
    }
    for key in ("OEFF", "KON", "QS"):
        routes[f"permissions_{key}"] = [Route("GET", f"{base}/rest/api/space/{key}/permissions",
                                              None, f(f"permissions_{key}"))]
    return routes


def demo_routes(confluence_site: str = CLOUD_SITE) -> Routes:
    """The three demo vendors as recorded: realistic, not everything granted."""
    m = microsoft365_routes()
    m["apps"] = [Route("GET", r.url, r.params, graph_403(), 403) for r in m["apps"]]
    s = slack_routes()
    s["admin.apps.approved.list"] = [Route("GET", r.url, r.params,
                                           fixture("slack", "not_allowed_token_type"))
                                     for r in s["admin.apps.approved.list"]]
    c = confluence_cloud_routes(confluence_site)
    c["upm"] = [Route("GET", r.url, r.params, fixture("confluence-cloud", "upm_forbidden"), 403)
                for r in c["upm"]]
    return {**{f"m365:{k}": v for k, v in m.items()}, **{f"slack:{k}": v for k, v in s.items()},
            **{f"confluence:{k}": v for k, v in c.items()}}


# ------------------------------------------------------------------------- serving them
def register(rsps: Any, routes: Routes) -> None:
    """Add the routes to a ``responses.RequestsMock`` (exact query match, answers in order)."""
    from responses import matchers

    for answers in routes.values():
        for r in answers:
            headers = dict(r.headers)
            ctype = headers.pop("Content-Type", "application/json; charset=utf-8")
            rsps.add(r.method, r.url, body=r.text(), status=r.status, headers=headers,
                     content_type=ctype, match=[matchers.query_param_matcher(r.params or {})])


@contextmanager
def local_server(routes: Routes, rebase: dict[str, str]) -> Iterator[str]:
    """Serve the routes over a real socket on 127.0.0.1 (for urllib3's own retry handling).

    ``rebase`` maps URL prefixes of the routes to a placeholder "{server}" prefix, e.g.
    ``{"https://slack.com/api": "{server}/api"}``; bodies are rewritten the same way. Yields the
    server's base URL (``http://127.0.0.1:PORT``).
    """
    table: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[Route]] = {}
    lock = threading.Lock()
    holder: dict[str, str] = {}

    def moved(text: str) -> str:
        for old, new in rebase.items():
            text = text.replace(old, new.replace("{server}", holder["base"]))
        return text

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            parts = urlsplit(self.path)
            key = (self.command, parts.path, tuple(sorted(parse_qsl(parts.query))))
            with lock:
                queue = table.get(key)
                route = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else None
            if route is None:
                self.send_response(599)
                self.end_headers()
                return
            payload = moved(route.text()).encode()
            self.send_response(route.status)
            headers = {"Content-Type": "application/json; charset=utf-8", **route.headers}
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    for answers in routes.values():
        for r in answers:
            url = moved(r.url)
            key = (r.method, urlsplit(url).path, tuple(sorted((r.params or {}).items())))
            table.setdefault(key, []).append(r)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["base"]
    finally:
        server.shutdown()
        server.server_close()


def probe_one(platform: str, routes: Routes | None, credentials: dict[str, str] | None = None,
              *, url: str | None = None, options: dict[str, Any] | None = None,
              name: str = "Vendor") -> Any:
    """Probe one vendor of ``platform`` with the runner, its HTTP answered by ``routes``.

    ``credentials`` maps the plugin's credential keys to values (default: the fake ones); they
    reach the probe through the runner's environment, as in a real run. With ``routes=None`` no
    mock is installed (for a real local server). Returns the ``VendorFacts``.
    """
    import responses

    from zahnrad.catalog import load_catalog
    from zahnrad.registry import registry
    from zahnrad.runner import probe_vendor
    from zahnrad.strategy import Vendor

    creds = CREDENTIALS.get(platform, {}) if credentials is None else credentials
    env = {f"ZAHNRAD_TEST_{k.upper()}": v for k, v in creds.items()}
    vendor = Vendor(name=name, platform=platform, url=url,
                    credentials={k: f"ZAHNRAD_TEST_{k.upper()}" for k in creds},
                    options=dict(options or {}))
    if routes is None:
        return probe_vendor(vendor, registry()[platform], load_catalog(), environ=env)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps, routes)
        return probe_vendor(vendor, registry()[platform], load_catalog(), environ=env)


# ---------------------------------------------------------------------------- recording
def demo_vendors(strategy: Path = DEMO / "strategy.toml") -> list[dict[str, Any]]:
    """The demo strategy's Microsoft 365, Confluence and Slack vendors (name, url, credentials)."""
    data = tomllib.loads(strategy.read_text("utf-8"))
    wanted = {"microsoft365", "confluence", "slack"}
    return [v for v in data.get("vendors", []) if v.get("platform") in wanted]


def record(outdir: Path, strategy: Path = DEMO / "strategy.toml") -> list[Path]:
    """Run ``zahnrad probe --record`` over the SaaS demo vendors under ``responses``."""
    import os

    import responses

    from zahnrad.cli import main
    from zahnrad.recording import recording_file

    vendors = demo_vendors(strategy)
    env: dict[str, str] = {}
    lines = ['[organisation]\nname = "zahnrad demo recordings"\n', "[goals]",
             "participation = 3\nself_organisation = 3\nknowledge_sharing = 3\n"
             "external_reach = 3\nadaptability = 3\n"]
    confluence_site = CLOUD_SITE
    for v in vendors:
        creds = v.get("credentials", {})
        for key, var in creds.items():
            env[var] = CREDENTIALS[v["platform"]][key]
        if v["platform"] == "confluence" and v.get("url"):
            u = urlsplit(v["url"])
            confluence_site = f"{u.scheme}://{u.netloc}"
        lines.append("[[vendors]]")
        lines.append(f"name = {json.dumps(v['name'])}\nplatform = {json.dumps(v['platform'])}")
        if v.get("url"):
            lines.append(f"url = {json.dumps(v['url'])}")
        lines.append("credentials = { " + ", ".join(f"{k} = {json.dumps(var)}"
                                                     for k, var in creds.items()) + " }\n")
    outdir.mkdir(parents=True, exist_ok=True)
    old_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sfile = Path(tmp) / "strategy.toml"
            sfile.write_text("\n".join(lines), "utf-8")
            with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
                register(rsps, demo_routes(confluence_site))
                code = main(["probe", str(sfile), "-o", tmp, "--record", str(outdir), "-q"])
                if code:
                    raise SystemExit(f"zahnrad probe failed (exit code {code})")
                facts = json.loads((Path(tmp) / "facts.json").read_text("utf-8"))
    finally:
        for k, old in old_env.items():
            if old is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = old
    paths = [recording_file(outdir, v["name"]) for v in vendors]
    for v in facts["vendors"]:
        bugs = [p for p in v.get("problems", []) if "failed:" in p or "rejected" in p]
        if bugs:
            raise SystemExit(f"{v['name']}: {bugs[0]}")
    secrets = [s for c in CREDENTIALS.values() for s in c.values()]
    secrets.append(fixture("microsoft365", "token")["access_token"])
    for p in paths:
        text = p.read_text("utf-8")
        leaked = [s for s in secrets if s in text]
        if leaked:
            raise SystemExit(f"{p}: a credential value leaked into the recording")
    return paths


def _stable(path: Path) -> Any:
    """A recording without its timestamps, for --check."""
    data = json.loads(path.read_text("utf-8"))
    data = copy.deepcopy(data)
    for ex in data.get("exchanges", []):
        ex.pop("time", None)
    return data


def main_cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEMO / "recordings")
    parser.add_argument("--check", action="store_true",
                        help="only compare with the recordings in --output (timestamps aside)")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = record(Path(tmp))
            stale = [p.name for p in fresh
                     if not (args.output / p.name).exists()
                     or _stable(p) != _stable(args.output / p.name)]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("recordings are up to date")
        return 0
    for p in record(args.output):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main_cli())
