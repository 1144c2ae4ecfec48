"""XWiki probe pack: guest on an open wiki, guest and member on a wiki closed to guests, a wrong
password, the REST API hidden.

HTTP is mocked with ``responses``; the answers are modelled on xwiki-platform's
xwiki.rest.model.xsd as XWiki serialises it to JSON (JAXB "simple" binding: a repeated element
``syntax``/``wiki``/``class``/``comment``/``link``/``property`` is a plural list
``syntaxes``/``wikis``/``classes``/``comments``/``links``/``properties``; dates are epoch
milliseconds) and on the REST guide (401 for a caller without view right).
"""

from __future__ import annotations

import base64
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
    recorded_exchanges,
    strategy_for,
    update_recordings,
)
from zahnrad.testing import fact_state as state

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "tests" / "recordings" / "xwiki"
BASE = "https://intranet.acme.example/xwiki"
USER, PASSWORD = "jdoe", "Corr3ct-H0rse-Battery"
REST = f"{BASE}/rest"


def _link(rel: str, href: str) -> dict:
    return {"href": href, "rel": f"http://www.xwiki.org/rel/{rel}", "type": None, "hrefLang": None}


ROOT_JSON = {
    "links": [_link("wikis", f"{REST}/wikis"), _link("syntaxes", f"{REST}/syntaxes")],
    "version": "16.10.2",
    "syntaxes": {"links": [], "syntaxes": ["xwiki/2.1", "xwiki/2.0", "markdown/1.2", "html/5.0",
                                           "plain/1.0"]},
}
WIKIS = {"links": [], "wikis": [
    {"links": [_link("spaces", f"{REST}/wikis/xwiki/spaces")], "id": "xwiki", "name": "xwiki",
     "description": None, "owner": "XWiki.Admin"},
    {"links": [_link("spaces", f"{REST}/wikis/hr/spaces")], "id": "hr", "name": "hr",
     "description": "People & <b>HR</b>", "owner": "XWiki.mmueller"},
]}


def _class(cid: str, props: list[tuple[str, str]]) -> dict:
    return {"links": [_link("class", f"{REST}/wikis/xwiki/classes/{cid}")], "id": cid, "name": cid,
            "properties": [{"links": [], "attributes": [{"links": [], "name": "prettyName",
                                                         "value": n.replace("_", " ")}],
                            "value": None, "name": n, "type": t} for n, t in props]}


CLASSES = {"links": [], "classes": [
    _class("XWiki.XWikiUsers", [("first_name", "String"), ("last_name", "String")]),
    _class("XWiki.XWikiComments", [("author", "String"), ("comment", "TextArea"),
                                   ("replyto", "Number")]),
    _class("Blog.BlogPostClass", [("title", "String"), ("content", "TextArea")]),
    _class("Projects.Code.ProjectClass", [("owner", "Users"), ("status", "StaticList")]),
]}
COMMENTS = {"links": [], "comments": [
    {"links": [], "id": 0, "pageId": "xwiki:Main.WebHome", "author": "XWiki.jdoe",
     "authorName": "Jane Doe", "date": 1732700000000, "highlight": None,
     "text": "Welcome to the new intranet!", "replyTo": None},
    {"links": [], "id": 1, "pageId": "xwiki:Main.WebHome", "author": "XWiki.mmueller",
     "authorName": "Max Müller", "date": 1732703600000, "highlight": None,
     "text": "Thanks — where do I find the holiday form?", "replyTo": 0},
]}
HOME = {
    "links": [], "id": "xwiki:Main.WebHome", "fullName": "Main.WebHome", "wiki": "xwiki",
    "space": "Main", "name": "WebHome", "title": "Acme Intranet", "rawTitle": "Acme Intranet",
    "parent": "", "parentId": "", "version": "7.1", "author": "XWiki.Admin",
    "authorName": "Administrator", "xwikiRelativeUrl": "/xwiki/bin/view/Main/",
    "xwikiAbsoluteUrl": f"{BASE}/bin/view/Main/", "translations": {"links": [], "translations": [],
                                                                    "default": "en"},
    "syntax": "xwiki/2.1", "language": "", "majorVersion": 7, "minorVersion": 1, "hidden": False,
    "created": 1700000000000, "creator": "XWiki.Admin", "creatorName": "Administrator",
    "modified": 1732700000000, "modifier": "XWiki.Admin", "modifierName": "Administrator",
    "originalMetadataAuthor": "XWiki.Admin", "originalMetadataAuthorName": "Administrator",
    "comment": "", "content": "= Welcome =",
}
PATHS = {"rest": ROOT_JSON, "rest/wikis": WIKIS, "rest/wikis/xwiki/classes": CLASSES,
         "rest/wikis/xwiki/spaces/Main/pages/WebHome/comments": COMMENTS,
         "rest/wikis/xwiki/spaces/Main/pages/WebHome": HOME}
UNAUTHORIZED = "<html><head><title>Status page</title></head><body><h3>Unauthorized</h3></body></html>"


def _xwiki(rs, *, guests: bool = True, root: dict = ROOT_JSON):
    """XWiki 16.10.2 at BASE. ``guests``: guests have view right (else 401 for every resource,
    as with "Prevent unregistered users from viewing pages"). Only USER/PASSWORD log in."""
    good = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def answer(path: str):
        def callback(request):
            auth = request.headers.get("Authorization")
            if (auth is None and not guests) or (auth is not None and auth != good):
                return 401, {"Content-Type": "text/html;charset=utf-8"}, UNAUTHORIZED
            body = root if path == "rest" else PATHS[path]
            return 200, {"Content-Type": "application/json"}, json.dumps(body)
        return callback

    for path in PATHS:
        rs.add_callback("GET", f"{BASE}/{path}", callback=answer(path))


def xwiki():
    return registry()["xwiki"]


def probe(*, password: str | None = None, name: str = "XWiki"):
    creds = {"username": "XW_USER", "password": "XW_PASSWORD"} if password else {}
    env = {"XW_USER": USER, "XW_PASSWORD": password} if password else {}
    v = Vendor(name=name, platform="xwiki", url=BASE, credentials=creds, timeout=2.0, deadline=10.0)
    return probe_vendor(v, xwiki(), load_catalog(), environ=env)


OBSERVED = {
    "platform.version": "16.10.2",
    "editor.syntaxes": ["xwiki/2.1", "xwiki/2.0", "markdown/1.2", "html/5.0", "plain/1.0"],
    "editor.markdown": True,
    "x-xwiki.wikis": ["xwiki", "hr"],
    "data.structured": True,
    "x-xwiki.class_count": 4,
    "x-xwiki.classes": ["XWiki.XWikiUsers", "XWiki.XWikiComments", "Blog.BlogPostClass",
                        "Projects.Code.ProjectClass"],
    "social.comments": True,
    "x-xwiki.home_comments": 2,
}


def test_xwiki_is_a_builtin_pack_plugin():
    p = xwiki()
    assert (p.plugin, p.kind, p.display_name) == ("xwiki", "wiki", "XWiki")
    assert p.credentials.keys() == {"username", "password"}


def test_guest_on_an_open_wiki():
    with responses.RequestsMock() as rs:
        _xwiki(rs)
        vf = probe(name="XWiki (guest, open)")
        calls = [(c.request.url, c.request.headers.get("Authorization"), c.request.headers["Accept"])
                 for c in rs.calls]
    assert all(auth is None and accept == "application/json" for _, auth, accept in calls)
    assert calls[0][0] == f"{REST}?media=json"
    assert vf.complete and vf.problems == []
    for fact, value in OBSERVED.items():
        assert state(vf, fact) == ("observed", value, None), fact
    assert state(vf, "access.anonymous_read") == ("observed", True, None)
    ev = vf.facts["editor.markdown"].evidence
    assert (ev.url, ev.status) == (f"{REST}?media=json", 200)
    assert vf.facts["licence.spdx"].value == "LGPL-2.1-or-later"


def test_guest_on_a_closed_wiki_gives_reasons_and_a_clear_no_for_anonymous_reading():
    with responses.RequestsMock() as rs:
        _xwiki(rs, guests=False)
        vf = probe(name="XWiki (guest, closed)")
    assert vf.complete  # 401 is an expected answer here
    assert state(vf, "access.anonymous_read") == ("observed", False, None)
    assert vf.facts["access.anonymous_read"].evidence.status == 401
    no_member = "needs the 'username' credential, which the strategy does not give for this vendor; " \
                "needs the 'password' credential, which the strategy does not give for this vendor"
    assert state(vf, "platform.version") == (
        "unknown", None, f"{no_member}; guests may not use the REST API here (no view right for "
                         f"guests): give a member account (HTTP 401 from {REST})")
    assert state(vf, "data.structured")[2].endswith(
        f"guests may not view the classes of the main wiki (HTTP 401 from {REST}/wikis/xwiki/classes)")
    assert {n for n, f in vf.facts.items() if f.source == "observed"} == {"access.anonymous_read"}


def test_member_on_a_closed_wiki(monkeypatch):
    with responses.RequestsMock() as rs:
        _xwiki(rs, guests=False)
        vf = probe(password=PASSWORD, name="XWiki (member, closed)")
        sent = {(c.request.url.split("?")[0], c.request.headers.get("Authorization") is not None)
                for c in rs.calls}
    assert vf.complete
    for fact, value in OBSERVED.items():
        assert state(vf, fact) == ("observed", value, None), fact
    assert state(vf, "access.anonymous_read") == ("observed", False, None)  # still asked as a guest
    assert (f"{REST}/wikis/xwiki/spaces/Main/pages/WebHome", True) not in sent
    assert PASSWORD not in json.dumps(vf.as_dict())


def test_wrong_password_falls_back_to_the_guest_view_and_says_so():
    with responses.RequestsMock() as rs:
        _xwiki(rs)
        vf = probe(password="wrong-password-123")
    assert state(vf, "platform.version") == ("observed", "16.10.2", None)  # the guest view
    with responses.RequestsMock() as rs:
        _xwiki(rs, guests=False)
        vf = probe(password="wrong-password-123")
    assert state(vf, "platform.version") == (
        "unknown", None, f"the member account was not accepted (HTTP 401 from {REST}); guests may "
                         f"not use the REST API here (no view right for guests): give a member "
                         f"account (HTTP 401 from {REST})")


def test_an_xwiki_without_syntaxes_in_the_root_leaves_them_unknown():
    old_root = {"links": ROOT_JSON["links"], "version": "8.4.6"}
    with responses.RequestsMock() as rs:
        _xwiki(rs, root=old_root)
        vf = probe()
    assert state(vf, "platform.version") == ("observed", "8.4.6", None)
    # The member view was not configured, the guest view lacks the field: both reasons.
    assert state(vf, "editor.syntaxes")[2].endswith(
        f"; syntaxes.syntaxes is not in the answer of {REST}")
    assert state(vf, "editor.markdown")[0] == "unknown"


@pytest.mark.parametrize("answer,reason", [
    ({"status": 404, "body": "<!DOCTYPE html><html><title>404</title></html>",
      "content_type": "text/html"},
     f"no XWiki REST API at this address (the vendor URL should be the web application, e.g. "
     f"https://host/xwiki) (HTTP 404 from {REST})"),
    ({"status": 200, "body": "<!DOCTYPE html><html><body>Sign in with Acme SSO</body></html>",
      "content_type": "text/html"},
     f"HTTP 200 from {REST} was an HTML page (starts '<!DOCTYPE html><html')"),
    ({"status": 503, "body": "Service Unavailable", "content_type": "text/plain"},
     f"HTTP 503 from {REST} (server error)"),
])
def test_hidden_api_gives_unknowns_never_absences(answer, reason):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for path in PATHS:
            rs.add(responses.GET, f"{BASE}/{path}", **answer)
        vf = probe()
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert state(vf, "platform.version")[2].endswith(reason)
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------
VENDORS = {"XWiki (guest, open)": (True, False), "XWiki (guest, closed)": (False, False),
           "XWiki (member, closed)": (False, True)}


def _strategy(names) -> Strategy:
    vendors = [Vendor(name=n, platform="xwiki", url=BASE,
                      credentials={"username": "ZAHNRAD_XWIKI_USERNAME",
                                   "password": "ZAHNRAD_XWIKI_PASSWORD"} if VENDORS[n][1] else {})
               for n in names]
    return strategy_for(vendors)


def _run(monkeypatch, **kw) -> dict:
    """Each vendor against its own server (open or closed), so one folder holds all three."""
    monkeypatch.setenv("ZAHNRAD_XWIKI_USERNAME", USER)
    monkeypatch.setenv("ZAHNRAD_XWIKI_PASSWORD", PASSWORD)
    out = {}
    for name, (guests, _member) in VENDORS.items():
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
            _xwiki(rs, guests=guests)
            out[name] = probe_strategy(_strategy([name]), quiet=True, **kw).vendors[name]
    return out


def test_recording_is_current_and_free_of_the_password(tmp_path, monkeypatch):
    """The committed recordings are what these fixtures record (ZAHNRAD_UPDATE_RECORDINGS=1
    rewrites them)."""
    _run(monkeypatch, record=tmp_path)
    update_recordings(tmp_path, RECORDINGS)
    assert recorded_exchanges(tmp_path) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (PASSWORD, "intranet.acme.example"))


def test_replay_gives_the_live_facts(monkeypatch):
    live = _run(monkeypatch)
    monkeypatch.delenv("ZAHNRAD_XWIKI_PASSWORD")
    again = probe_strategy(_strategy(list(VENDORS)), replay=RECORDINGS, quiet=True)
    for name in VENDORS:
        assert fact_values(live[name]) == fact_values(again.vendors[name]), name


def test_conformance(zahnrad_conformance):
    zahnrad_conformance("xwiki", RECORDINGS).assert_ok()
