"""BookStack plugin: anonymous, member token, admin token, rejected token, API hidden.

HTTP is mocked with ``responses``; the answers are modelled on BookStackApp/BookStack
``dev/api/responses/*.json`` (system-read, pages-list with ``editor``, roles-list, roles-read,
users-list, audit-log-list), ``routes/api.php`` (the endpoint groups of ``/api/docs.json``) and
``lang/en/errors.php`` (the ``{"error": {"code", "message"}}`` envelope and its messages).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import responses
from responses import matchers

from zahnrad.catalog import load_catalog
from zahnrad.registry import registry
from zahnrad.runner import probe_strategy, probe_vendor
from zahnrad.strategy import Strategy, Vendor
from zahnrad.testing import (
    assert_no_secrets,
    fact_values,
    record_probe,
    recorded_exchanges,
    strategy_for,
    update_recordings,
)
from zahnrad.testing import fact_state as state

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "tests" / "recordings" / "bookstack"
BASE = "https://docs.acme.example"
MEMBER = ("b7cZq2JxT4mN8pRv", "Xq9wE3rT5yU7iO1pA2sD4fG6hJ8kL0zx")
ADMIN = ("a1dM1nT0k3nIdXyz", "Zx8cV6bN4mQ2wE0rT9yU7iO5pA3sD1fG")
JSON_CT = "application/json"


def _err(code: int, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _endpoint(group: str, name: str, method: str, uri: str) -> dict:
    return {"name": name, "uri": uri, "method": method, "controller": f"BookStack\\{group}ApiController",
            "controller_method": name, "controller_method_kebab": name, "description": f"{name} {group}",
            "body_params": None, "example_request": None, "example_response": None}


GROUPS = ("attachments", "audit-log", "books", "chapters", "comments", "content-permissions",
          "image-gallery", "imports", "pages", "recycle-bin", "roles", "search", "shelves",
          "system", "users")
DOCS_JSON = {g: [_endpoint(g, "list", "GET", f"api/{g}"), _endpoint(g, "read", "GET", f"api/{g}/{{id}}")]
             for g in GROUPS}
SYSTEM = {"version": "v25.07.1", "instance_id": "1234abcd-cc12-7808-af0a-264cb0cbd611",
          "app_name": "Acme <Docs>", "app_logo": f"{BASE}/uploads/images/system/2025-05/logo.png",
          "base_url": BASE}


def _page(pid: int, editor: str) -> dict:
    return {"id": pid, "book_id": 1, "chapter_id": 0, "name": f"Page {pid}", "slug": f"page-{pid}",
            "priority": pid, "draft": False, "template": False,
            "created_at": "2024-05-05T21:49:58.000000Z", "updated_at": "2025-07-04T15:50:58.000000Z",
            "created_by": 1, "updated_by": 1, "owned_by": 1, "editor": editor,
            "book_slug": "handbook"}


PAGES = [_page(i, "markdown" if i % 3 == 0 else "wysiwyg") for i in range(1, 8)]
ROLES = {"data": [
    {"id": 1, "display_name": "Admin", "description": "Administrator of the whole application",
     "created_at": "2021-09-29T16:29:19.000000Z", "updated_at": "2022-11-03T13:26:18.000000Z",
     "system_name": "admin", "external_auth_id": "wiki-admins", "mfa_enforced": True,
     "users_count": 2, "permissions_count": 54},
    {"id": 2, "display_name": "Editor", "description": "User can edit Books, Chapters & Pages",
     "created_at": "2021-09-29T16:29:19.000000Z", "updated_at": "2022-12-01T02:32:57.000000Z",
     "system_name": "", "external_auth_id": "", "mfa_enforced": False, "users_count": 17,
     "permissions_count": 49},
    {"id": 3, "display_name": "Viewer", "description": "User can view books & their content",
     "created_at": "2021-09-29T16:29:19.000000Z", "updated_at": "2021-09-29T16:29:19.000000Z",
     "system_name": "", "external_auth_id": "", "mfa_enforced": False, "users_count": 40,
     "permissions_count": 12},
    {"id": 4, "display_name": "Public", "description": "The role given to public visitors if allowed",
     "created_at": "2021-09-29T16:29:19.000000Z", "updated_at": "2022-09-02T12:32:12.000000Z",
     "system_name": "public", "external_auth_id": "", "mfa_enforced": False, "users_count": 1,
     "permissions_count": 4},
], "total": 4}
PUBLIC_ROLE = {"id": 4, "display_name": "Public",
               "description": "The role given to public visitors if allowed",
               "created_at": "2021-09-29T16:29:19.000000Z", "updated_at": "2022-09-02T12:32:12.000000Z",
               "system_name": "public", "external_auth_id": "", "mfa_enforced": False,
               "permissions": ["book-view-all", "page-view-all", "chapter-view-all",
                               "bookshelf-view-all"],
               "users": [{"id": 2, "name": "Guest", "slug": "guest"}]}
USERS = {"data": [{"id": 1, "name": "Admin", "email": "admin@acme.example",
                   "created_at": "2021-09-29T16:29:19.000000Z", "updated_at": "2025-01-03T10:00:00.000000Z",
                   "external_auth_id": "", "slug": "admin", "last_activity_at": "2025-07-01T09:00:00.000000Z",
                   "profile_url": f"{BASE}/user/admin", "edit_url": f"{BASE}/settings/users/1",
                   "avatar_url": f"{BASE}/uploads/images/user/2021-10/thumbs-50-50/admin.png"}],
         "total": 61}
AUDIT = {"data": [{"id": 1, "type": "page_update", "detail": "", "user_id": 1, "loggable_id": 7,
                   "loggable_type": "page", "ip": "127.0.0.1", "created_at": "2025-07-01T09:00:00.000000Z",
                   "user": {"id": 1, "name": "Admin", "slug": "admin"}}], "total": 3290}
NO_TOKEN = _err(401, "No authorization token found on the request")
BAD_TOKEN = _err(401, "No matching API token was found for the provided authorization token")
FORBIDDEN = _err(403, "You do not have permission to access the requested page.")


def _bookstack(rs, *, system: bool = True, editor_field: bool = True, pages: list | None = None):
    """BookStack at BASE: MEMBER's role has 'Access system API' only; ADMIN's role is Admin."""
    pages = PAGES if pages is None else pages

    def who(request) -> str | None:
        auth = request.headers.get("Authorization")
        if auth is None:
            return None
        for name, (tid, secret) in (("member", MEMBER), ("admin", ADMIN)):
            if auth == f"Token {tid}:{secret}":
                return name
        return "bad"

    def route(answer, *, admin_only: bool = False):
        def callback(request):
            user = who(request)
            if user is None:
                return 401, {}, json.dumps(NO_TOKEN)
            if user == "bad":
                return 401, {}, json.dumps(BAD_TOKEN)
            if admin_only and user != "admin":
                return 403, {}, json.dumps(FORBIDDEN)
            body = answer(request) if callable(answer) else answer
            return (404, {}, json.dumps(_err(404, "Route not found"))) if body is None else \
                (200, {}, json.dumps(body))
        return callback

    def page_list(request):
        offset = int(request.params.get("offset", 0))
        count = int(request.params.get("count", 100))
        chunk = [dict(p) for p in pages[offset:offset + count]]
        if not editor_field:
            for p in chunk:
                p.pop("editor")
                p.pop("book_slug")
        return {"data": chunk, "total": len(pages)}

    add = rs.add_callback
    add("GET", f"{BASE}/api/docs.json", callback=route(DOCS_JSON), content_type=JSON_CT)
    add("GET", f"{BASE}/api/system", callback=route(SYSTEM if system else None), content_type=JSON_CT)
    add("GET", f"{BASE}/api/pages", callback=route(page_list), content_type=JSON_CT)
    add("GET", f"{BASE}/api/roles", callback=route(ROLES, admin_only=True), content_type=JSON_CT)
    add("GET", f"{BASE}/api/roles/4", callback=route(PUBLIC_ROLE, admin_only=True), content_type=JSON_CT)
    add("GET", f"{BASE}/api/users", callback=route(USERS, admin_only=True), content_type=JSON_CT,
        match=[matchers.query_param_matcher({"count": "1"})])
    add("GET", f"{BASE}/api/audit-log", callback=route(AUDIT, admin_only=True), content_type=JSON_CT,
        match=[matchers.query_param_matcher({"count": "1"})])


def bookstack():
    return registry()["bookstack"]


def probe(token: tuple[str, str] | None = None, *, name: str = "BookStack", options: dict | None = None):
    creds = {"token_id": "BS_ID", "token_secret": "BS_SECRET"} if token else {}
    env = {"BS_ID": token[0], "BS_SECRET": token[1]} if token else {}
    v = Vendor(name=name, platform="bookstack", url=BASE, credentials=creds, timeout=2.0,
               deadline=10.0, options=options or {})
    return probe_vendor(v, bookstack(), load_catalog(), environ=env)


ADMIN_FACTS = ("roles.count", "x-bookstack.roles", "admin.count", "auth.mfa_enforceable",
               "x-bookstack.mfa_enforced_roles", "x-bookstack.public_role_permissions",
               "x-bookstack.role_sync", "activity.users_total", "audit.log")


def test_bookstack_is_a_builtin_python_plugin():
    p = bookstack()
    assert (p.plugin, p.kind, p.display_name) == ("bookstack", "wiki", "BookStack")
    assert p.credentials.keys() == {"token_id", "token_secret"}


def test_anonymous_only_shows_the_api_is_there():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs)
        vf = probe(name="BookStack (anonymous)")
        assert [c.request.url for c in rs.calls] == [f"{BASE}/api/docs.json"]
    assert vf.complete and vf.problems == []
    assert state(vf, "api.rest") == ("observed", True, None)
    assert vf.facts["api.rest"].evidence.status == 401
    missing = ("needs the 'token_id' credential, which the strategy does not give for this vendor; "
               "needs the 'token_secret' credential, which the strategy does not give for this vendor")
    for fact in ("platform.version", "x-bookstack.page_editors", *ADMIN_FACTS):
        assert state(vf, fact) == ("unknown", None, missing), fact
    assert state(vf, "access.anonymous_read")[2].startswith(
        "an app setting BookStack's API does not show (Settings > Features & Security > Allow "
        "public viewing)")
    assert vf.facts["licence.spdx"].value == "MIT"


def test_member_token():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs)
        vf = probe(MEMBER, name="BookStack (member)")
        sent = {c.request.headers.get("Authorization") for c in rs.calls}
    assert sent == {None, f"Token {MEMBER[0]}:{MEMBER[1]}"}
    assert vf.complete, vf.problems  # 403 on admin routes is an answer, not a failure
    assert state(vf, "api.openapi_spec") == ("observed", True, None)
    assert state(vf, "x-bookstack.api_groups") == ("observed", sorted(GROUPS), None)
    assert state(vf, "roles.api_configurable") == ("observed", True, None)
    assert state(vf, "platform.version") == ("observed", "v25.07.1", None)
    assert state(vf, "site.title") == ("observed", "Acme <Docs>", None)
    assert state(vf, "x-bookstack.page_editors") == ("observed", ["markdown", "wysiwyg"], None)
    assert state(vf, "x-bookstack.pages_visible") == ("observed", 7, None)
    refused = (f'HTTP 403 from {BASE}/api/roles: "You do not have permission to access the '
               'requested page." (the token\'s user lacks the role permission for this)')
    assert state(vf, "roles.count") == ("unknown", None, refused)
    assert state(vf, "x-bookstack.public_role_permissions") == ("unknown", None, refused)
    assert state(vf, "audit.log")[2].startswith(f"HTTP 403 from {BASE}/api/audit-log")
    assert MEMBER[1] not in json.dumps(vf.as_dict())


def test_admin_token_sees_roles_and_the_public_role():
    with responses.RequestsMock() as rs:
        _bookstack(rs)
        vf = probe(ADMIN, name="BookStack (admin)")
    assert vf.complete and vf.problems == []
    assert state(vf, "roles.count") == ("observed", 4, None)
    assert state(vf, "x-bookstack.roles") == ("observed", ["Admin", "Editor", "Viewer", "Public"], None)
    assert state(vf, "admin.count") == ("observed", 2, None)
    assert state(vf, "auth.mfa_enforceable") == ("observed", True, None)
    assert state(vf, "x-bookstack.mfa_enforced_roles") == ("observed", ["Admin"], None)
    assert state(vf, "x-bookstack.role_sync") == ("observed", ["Admin"], None)
    assert state(vf, "x-bookstack.public_role_permissions") == (
        "observed", ["book-view-all", "bookshelf-view-all", "chapter-view-all", "page-view-all"], None)
    assert vf.facts["x-bookstack.public_role_permissions"].evidence.url == f"{BASE}/api/roles/4"
    assert state(vf, "activity.users_total") == ("observed", 61, None)
    assert state(vf, "audit.log") == ("observed", True, None)


def test_pages_are_paged_and_an_old_release_without_editor_or_system():
    many = [_page(i, "wysiwyg") for i in range(1, 1203)] + [_page(1203, "markdown")]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs, pages=many)
        vf = probe(MEMBER)
        offsets = [c.request.params.get("offset") for c in rs.calls if "/api/pages" in c.request.url]
    assert offsets == ["0", "500", "1000"]
    assert state(vf, "x-bookstack.page_editors") == ("observed", ["markdown", "wysiwyg"], None)
    assert vf.facts["x-bookstack.page_editors"].evidence.path == "data[].editor (1203 of 1203 pages)"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs, pages=many)
        vf = probe(MEMBER, options={"max_pages": 1})
    assert state(vf, "x-bookstack.page_editors") == ("observed", ["wysiwyg"], None)
    assert vf.facts["x-bookstack.page_editors"].evidence.path == "data[].editor (500 of 1203 pages)"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs, system=False, editor_field=False)
        vf = probe(MEMBER)
    assert vf.complete
    assert state(vf, "x-bookstack.page_editors") == (
        "unknown", None, "this BookStack's page list has no editor field (a release before the "
                         "list showed it)")
    assert state(vf, "platform.version") == (
        "unknown", None, f'HTTP 404 from {BASE}/api/system: "Route not found"')


def test_rejected_token_stops_with_bookstacks_reason():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs)
        vf = probe(("wrongTokenId0000", "wrongTokenSecret0000000000000000"))
    reason = (f'BookStack rejected the API token (HTTP 401 from {BASE}/api/docs.json: "No matching '
              'API token was found for the provided authorization token")')
    assert not vf.complete and reason in vf.problems
    assert state(vf, "platform.version") == ("unknown", None, reason)
    assert state(vf, "api.rest") == ("observed", True, None)  # seen before the token was tried


def test_token_of_a_user_without_api_access():
    message = "The owner of the used API token does not have permission to make API calls"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        def docs(request):
            if request.headers.get("Authorization"):
                return 403, {}, json.dumps(_err(403, message))
            return 401, {}, json.dumps(NO_TOKEN)
        rs.add_callback("GET", f"{BASE}/api/docs.json", callback=docs, content_type=JSON_CT)
        vf = probe(MEMBER)
    assert not vf.complete
    assert state(vf, "x-bookstack.api_groups")[2] == (
        f'BookStack refused the API token (HTTP 403 from {BASE}/api/docs.json: "{message}" '
        "(the token's user lacks the role permission for this))")


@pytest.mark.parametrize("answer,reason", [
    ({"status": 404, "body": "<!DOCTYPE html><html><title>Not found</title></html>",
      "content_type": "text/html"},
     f"HTTP 404 from {BASE}/api/docs.json (not a BookStack, or a proxy hides /api)"),
    ({"status": 401, "body": "<!DOCTYPE html><html>Sign in with Acme SSO</html>",
      "content_type": "text/html"},
     f"HTTP 401 from {BASE}/api/docs.json was an HTML page (starts '<!DOCTYPE html><html'): "
     "no BookStack API error answer"),
    ({"status": 200, "body": "<!DOCTYPE html><html>Sign in</html>", "content_type": "text/html"},
     f"HTTP 200 from {BASE}/api/docs.json was an HTML page (starts '<!DOCTYPE html><html')"),
])
def test_hidden_api_gives_unknowns_never_absences(answer, reason):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for path in ("docs.json", "system", "pages", "roles", "users", "audit-log"):
            rs.add(responses.GET, f"{BASE}/api/{path}", **answer)
        vf = probe(MEMBER)
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert state(vf, "api.rest") == ("unknown", None, reason)
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------
VENDORS = {"BookStack (anonymous)": None, "BookStack (member)": MEMBER, "BookStack (admin)": ADMIN}


def _strategy() -> Strategy:
    vendors = [Vendor(name=n, platform="bookstack", url=BASE,
                      credentials={"token_id": f"ZAHNRAD_BS_ID_{i}", "token_secret": f"ZAHNRAD_BS_SECRET_{i}"}
                      if t else {})
               for i, (n, t) in enumerate(VENDORS.items())]
    return strategy_for(vendors)


def _env(monkeypatch) -> None:
    for i, token in enumerate(VENDORS.values()):
        if token:
            monkeypatch.setenv(f"ZAHNRAD_BS_ID_{i}", token[0])
            monkeypatch.setenv(f"ZAHNRAD_BS_SECRET_{i}", token[1])


def test_recording_is_current_and_free_of_tokens(tmp_path, monkeypatch):
    """The committed recordings are what these fixtures record (ZAHNRAD_UPDATE_RECORDINGS=1
    rewrites them)."""
    _env(monkeypatch)
    record_probe(_strategy(), tmp_path, routes=_bookstack)
    update_recordings(tmp_path, RECORDINGS)
    assert recorded_exchanges(tmp_path) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (*MEMBER, *ADMIN, "docs.acme.example"))


def test_replay_gives_the_live_facts(monkeypatch):
    _env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _bookstack(rs)
        live = probe_strategy(_strategy(), quiet=True)
    again = probe_strategy(_strategy(), replay=RECORDINGS, quiet=True)
    for name in VENDORS:
        assert fact_values(live.vendors[name]) == fact_values(again.vendors[name]), name


def test_conformance(zahnrad_conformance):
    zahnrad_conformance("bookstack", RECORDINGS).assert_ok()
