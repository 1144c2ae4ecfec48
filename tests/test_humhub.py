"""HumHub plugin: anonymous, member token, admin token, rejected token, REST module missing.

HTTP is mocked with ``responses``; the answers are modelled on humhub/rest: ``docs/swagger``
(space.yaml: Space with visibility/join_policy, paginated ``{total, page, pages, links,
results}``; post/content definitions with ``content.comments.total`` and ``content.likes.total``;
calendar/tasks/wiki/polls/mail list routes), ``components/BaseController.php`` (401 "Invalid
token!", pages of at most 100) and Yii's JSON error format for routes that do not exist.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import responses

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
RECORDINGS = ROOT / "tests" / "recordings" / "humhub"
BASE = "https://social.acme.example"
API = f"{BASE}/api/v1"
# HumHub's JWTs (HS512), shape only.
MEMBER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJ1aWQiOjUsImV4cCI6MTc5OTk5OTk5OX0.bWVtYmVyU2lnbmF0dXJlMDEyMzQ1Njc4OQ"
ADMIN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJ1aWQiOjEsImV4cCI6MTc5OTk5OTk5OX0.YWRtaW5TaWduYXR1cmUwMTIzNDU2Nzg5MA"
JSON_CT = "application/json; charset=UTF-8"

INVALID_TOKEN = {"name": "Unauthorized", "message": "Invalid token!", "code": 0, "status": 401,
                 "type": "yii\\web\\HttpException"}
NOT_FOUND = {"name": "Not Found", "message": "Page not found.", "code": 0, "status": 404,
             "type": "yii\\web\\NotFoundHttpException"}


def _user_short(uid: int, name: str) -> dict:
    return {"id": uid, "guid": f"0b6c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c{uid:02d}", "display_name": name,
            "url": f"{BASE}/u/{name.split()[0].lower()}/"}


CURRENT = {**_user_short(5, "Jane Doe"), "account": {
    "id": 5, "guid": "0b6c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c05", "username": "jdoe",
    "email": "jdoe@acme.example", "visibility": 1, "status": 1, "tags": "", "language": "de",
    "timezone": "Europe/Berlin", "contentcontainer_id": 12, "authclient": "local",
    "authclient_id": None, "lastlogin": "2025-07-01 08:59:00"},
    "profile": {"firstname": "Jane", "lastname": "Doe", "title": "Works council", "gender": "",
                "city": "Hamburg", "country": "DE"}}


def _space(sid: int, name: str, visibility: int, join_policy: int) -> dict:
    return {"id": sid, "guid": f"cd081891-d2e2-40d5-84a4-b47309e7{sid:04d}", "name": name,
            "description": f"{name} space", "url": f"{BASE}/s/{name.lower().replace(' ', '-')}/",
            "contentcontainer_id": 100 + sid, "visibility": visibility, "join_policy": join_policy,
            "status": 1, "tags": [], "owner": _user_short(1, "Admin Istrator"), "hideMembers": 0,
            "hideAbout": 0, "hideActivities": 0, "hideFollowers": 0,
            "indexUrl": f"/s/space-{sid}/space/space/home", "indexGuestUrl": f"/s/space-{sid}/space/space/home"}


SPACES = [_space(1, "Welcome Space", 2, 2), _space(2, "HR", 1, 1),
          _space(3, "Kantine & <b>Events</b>", 1, 2), _space(4, "Project X", 0, 0)]


def _post(pid: int, comments: int, likes: int) -> dict:
    return {"id": pid, "message": f"Post {pid}", "content": {
        "id": 200 + pid,
        "metadata": {"id": 200 + pid, "guid": f"5f1d0c3a-0000-4000-8000-0000000002{pid:02d}",
                     "object_model": "humhub\\modules\\post\\models\\Post", "object_id": pid,
                     "visibility": 1, "archived": False, "pinned": False, "locked_comments": False,
                     "created_by": _user_short(5, "Jane Doe"), "created_at": "2025-06-30 10:00:00",
                     "updated_by": _user_short(5, "Jane Doe"), "updated_at": "2025-06-30 10:00:00",
                     "url": f"{BASE}/content/perma?id={200 + pid}", "contentcontainer_id": 101,
                     "stream_channel": "default"},
        "comments": {"total": comments, "latest": []}, "likes": {"total": likes},
        "topics": [], "files": []}}


POSTS = [_post(1, 3, 5), _post(2, 0, 2), _post(3, 1, 0)]
GROUPS = [{"id": 1, "name": "Administrator", "description": "Administrator Group"},
          {"id": 2, "name": "Users", "description": "Example Group by Installer"},
          {"id": 3, "name": "Betriebsrat", "description": "Works council"}]


def _page(items: list, page: int, limit: int) -> dict:
    chunk = items[(page - 1) * limit: page * limit]
    pages = max(1, -(-len(items) // limit))
    return {"total": len(items), "page": page, "pages": pages,
            "links": {"self": f"/api/v1/x?page={page}&per-page={limit}"}, "results": chunk}


def _humhub(rs, *, spaces: list | None = None, modules=("calendar", "wiki"), posts: list | None = None):
    """HumHub with the REST module; MEMBER is an ordinary user, ADMIN an administrator."""
    spaces = SPACES if spaces is None else spaces
    posts = POSTS if posts is None else posts

    def who(request):
        auth = request.headers.get("Authorization")
        return {None: None, f"Bearer {MEMBER}": "member", f"Bearer {ADMIN}": "admin"}.get(auth, "bad")

    def route(answer, *, admin_only: bool = False):
        def callback(request):
            user = who(request)
            if user in (None, "bad"):
                return 401, {}, json.dumps(INVALID_TOKEN)
            if admin_only and user != "admin":
                return 403, {}, json.dumps({"code": 403, "message": "You are not allowed to list users!"})
            page = int(request.params.get("page", 1))
            limit = min(int(request.params.get("limit", 100)), 100)
            return 200, {}, json.dumps(answer(page, limit) if callable(answer) else answer)
        return callback

    add = rs.add_callback
    add("GET", f"{API}/auth/current", callback=route(CURRENT), content_type=JSON_CT)
    add("GET", f"{API}/space", callback=route(lambda p, n: _page(spaces, p, n)), content_type=JSON_CT)
    add("GET", f"{API}/post", callback=route(lambda p, n: _page(posts, p, n)), content_type=JSON_CT)
    for module in ("calendar", "tasks", "wiki", "polls", "mail"):
        if module in modules:
            add("GET", f"{API}/{module}", callback=route(lambda p, n: _page([], p, n)), content_type=JSON_CT)
        else:  # no route: Yii's JSON 404 (the REST module sets JSON for all /api/ requests)
            rs.add(responses.GET, f"{API}/{module}", status=404, json=NOT_FOUND)
    add("GET", f"{API}/user", callback=route(lambda p, n: {**_page([CURRENT], p, n), "total": 143},
                                             admin_only=True), content_type=JSON_CT)
    add("GET", f"{API}/user/group", callback=route(lambda p, n: _page(GROUPS, p, n), admin_only=True),
        content_type=JSON_CT)


def humhub():
    return registry()["humhub"]


def probe(token: str | None = None, *, name: str = "HumHub", options: dict | None = None):
    creds = {"token": "HH_TOKEN"} if token else {}
    v = Vendor(name=name, platform="humhub", url=BASE, credentials=creds, timeout=2.0,
               deadline=10.0, options=options or {})
    return probe_vendor(v, humhub(), load_catalog(), environ={"HH_TOKEN": token} if token else {})


def test_humhub_is_a_builtin_python_plugin():
    p = humhub()
    assert (p.plugin, p.kind, p.display_name) == ("humhub", "enterprise social network", "HumHub")
    assert p.credentials.keys() == {"token"}


def test_anonymous_only_shows_the_rest_module():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs)
        vf = probe(name="HumHub (anonymous)")
        assert [c.request.url for c in rs.calls] == [f"{API}/auth/current"]
    assert vf.complete and vf.problems == []
    assert state(vf, "api.rest") == ("observed", True, None)
    assert vf.facts["api.rest"].evidence.status == 401
    for fact in ("spaces.public_count", "x-humhub.module_apis", "activity.users_total"):
        assert state(vf, fact) == (
            "unknown", None, "needs the 'token' credential, which the strategy does not give for this vendor")
    assert vf.facts["licence.spdx"].value == "AGPL-3.0-only"


def test_member_token():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs)
        vf = probe(MEMBER, name="HumHub (member)")
        module_calls = [c.request.url.split("?")[0].rsplit("/", 1)[1] for c in rs.calls
                        if c.request.url.endswith("?limit=1")]
    assert vf.complete, vf.problems  # 403 on the admin routes is an answer
    assert state(vf, "x-humhub.spaces_visible") == ("observed", 4, None)
    assert state(vf, "spaces.public_count") == ("observed", 2, None)  # Welcome Space, Kantine
    assert state(vf, "spaces.join_open") == ("observed", True, None)
    assert state(vf, "x-humhub.spaces_guest_visible") == ("observed", 1, None)
    assert vf.facts["spaces.join_open"].evidence.excerpt == '["Welcome Space","Kantine & <b>Events</b>"]'
    assert state(vf, "x-humhub.recent_posts") == ("observed", 3, None)
    assert state(vf, "x-humhub.recent_comments") == ("observed", 4, None)
    assert state(vf, "x-humhub.recent_likes") == ("observed", 7, None)
    assert state(vf, "social.comments") == ("observed", True, None)
    assert state(vf, "social.reactions") == ("observed", True, None)
    assert state(vf, "x-humhub.module_apis") == ("observed", ["calendar", "wiki"], None)
    assert module_calls == ["calendar", "tasks", "wiki", "polls", "mail", "user"]
    assert state(vf, "activity.users_total") == (
        "unknown", None, f'HTTP 403 from {API}/user: "You are not allowed to list users!" '
                         "(the token's user may not do this)")
    assert state(vf, "roles.count")[0] == "unknown"
    assert MEMBER not in json.dumps(vf.as_dict())


def test_admin_token():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs)
        vf = probe(ADMIN, name="HumHub (admin)")
    assert vf.complete and vf.problems == []
    assert state(vf, "activity.users_total") == ("observed", 143, None)
    assert state(vf, "roles.count") == ("observed", 3, None)
    assert state(vf, "x-humhub.groups") == ("observed", ["Administrator", "Users", "Betriebsrat"], None)


def test_spaces_are_paged_and_a_partial_read_stays_unknown():
    many = [_space(i, f"Team {i}", 1, 2 if i % 2 else 1) for i in range(1, 251)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs, spaces=many)
        vf = probe(MEMBER)
        pages = [c.request.params.get("page") for c in rs.calls if c.request.url.startswith(f"{API}/space")]
    assert pages == ["1", "2", "3"]
    assert state(vf, "spaces.public_count") == ("observed", 125, None)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs, spaces=many)
        vf = probe(MEMBER, options={"max_pages": 2})
    assert state(vf, "spaces.public_count") == (
        "unknown", None, "read 200 of 250 spaces (raise options.max_pages to read them all)")
    assert state(vf, "spaces.join_open") == ("observed", True, None)  # a trace is enough
    closed = [_space(i, f"Team {i}", 1, 1) for i in range(1, 151)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs, spaces=closed)
        vf = probe(MEMBER, options={"max_pages": 1})
    assert state(vf, "spaces.join_open") == (
        "unknown", None, "none of the first 100 of 150 spaces lets members join freely; the rest "
                         "were not read (max_pages)")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs, spaces=closed)
        vf = probe(MEMBER)
    assert state(vf, "spaces.join_open") == ("observed", False, None)  # all read: a clear no


def test_no_comments_or_likes_on_recent_posts_is_not_an_absence():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs, posts=[_post(1, 0, 0)])
        vf = probe(MEMBER)
    assert state(vf, "social.comments") == (
        "unknown", None, "no comments on the 1 latest posts the member can see (no trace either way)")
    assert state(vf, "social.reactions")[0] == "unknown"
    assert state(vf, "x-humhub.recent_comments") == ("observed", 0, None)


def test_rejected_token_stops_with_humhubs_reason():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs)
        vf = probe("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJ1aWQiOjk5fQ.ZXhwaXJlZFRva2VuU2lnbmF0dXJlMDEy")
    reason = f'HumHub rejected the token (HTTP 401 from {API}/auth/current: "Invalid token!")'
    assert not vf.complete and reason in vf.problems
    assert state(vf, "spaces.public_count") == ("unknown", None, reason)
    assert state(vf, "api.rest") == ("observed", True, None)


@pytest.mark.parametrize("answer,reason", [
    ({"status": 404, "body": "<!DOCTYPE html><html><title>Page not found</title></html>",
      "content_type": "text/html"},
     f"HTTP 404 from {API}/auth/current: no HumHub REST API here (the REST module is not installed "
     "or not enabled, or a proxy hides /api/v1)"),
    ({"status": 200, "body": "<!DOCTYPE html><html>Sign in with Acme SSO</html>",
      "content_type": "text/html"},
     f"HTTP 200 from {API}/auth/current was an HTML page (starts '<!DOCTYPE html><html')"),
])
def test_rest_module_missing_or_hidden_gives_unknowns_never_absences(answer, reason):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        rs.add(responses.GET, f"{API}/auth/current", **answer)
        vf = probe(MEMBER)
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert state(vf, "api.rest") == ("unknown", None, reason)
    assert state(vf, "x-humhub.module_apis")[0] == "unknown"
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------
VENDORS = {"HumHub (anonymous)": None, "HumHub (member)": MEMBER, "HumHub (admin)": ADMIN}


def _strategy() -> Strategy:
    vendors = [Vendor(name=n, platform="humhub", url=BASE,
                      credentials={"token": f"ZAHNRAD_HUMHUB_{i}"} if t else {})
               for i, (n, t) in enumerate(VENDORS.items())]
    return strategy_for(vendors)


def _env(monkeypatch) -> None:
    for i, token in enumerate(VENDORS.values()):
        if token:
            monkeypatch.setenv(f"ZAHNRAD_HUMHUB_{i}", token)


def test_recording_is_current_and_free_of_tokens(tmp_path, monkeypatch):
    """The committed recordings are what these fixtures record (ZAHNRAD_UPDATE_RECORDINGS=1
    rewrites them)."""
    _env(monkeypatch)
    record_probe(_strategy(), tmp_path, routes=_humhub)
    update_recordings(tmp_path, RECORDINGS)
    assert recorded_exchanges(tmp_path) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (MEMBER, ADMIN, "social.acme.example"))


def test_replay_gives_the_live_facts(monkeypatch):
    _env(monkeypatch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _humhub(rs)
        live = probe_strategy(_strategy(), quiet=True)
    again = probe_strategy(_strategy(), replay=RECORDINGS, quiet=True)
    for name in VENDORS:
        assert fact_values(live.vendors[name]) == fact_values(again.vendors[name]), name


def test_conformance(zahnrad_conformance):
    zahnrad_conformance("humhub", RECORDINGS).assert_ok()
