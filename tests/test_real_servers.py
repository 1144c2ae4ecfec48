"""Smoke tests for the real-server fixtures: each configuration answers its API,
and the configurations really differ."""

from __future__ import annotations

import xmlrpc.client

import pytest
import requests

pytestmark = pytest.mark.realserver

TIMEOUT = 30


# --------------------------------------------------------------------------- MediaWiki


def mw_api(server, session=None, method="GET", **params):
    params.setdefault("format", "json")
    params.setdefault("formatversion", "2")
    http = session or requests
    if method == "GET":
        r = http.get(server.url + "/api.php", params=params, timeout=TIMEOUT)
    else:
        r = http.post(server.url + "/api.php", data=params, timeout=TIMEOUT)
    assert r.status_code == 200, r.text[:300]
    return r.json()


def mw_groups(server) -> dict[str, set[str]]:
    q = mw_api(server, action="query", meta="siteinfo", siprop="usergroups")["query"]
    return {g["name"]: set(g["rights"]) for g in q["usergroups"]}


def mw_extensions(server) -> set[str]:
    q = mw_api(server, action="query", meta="siteinfo", siprop="extensions")["query"]
    return {e["name"] for e in q["extensions"] if e.get("type") != "skin"}


def mw_clientlogin(server, user, password) -> requests.Session:
    s = requests.Session()
    token = mw_api(server, s, action="query", meta="tokens", type="login")["query"]["tokens"][
        "logintoken"
    ]
    assert token.endswith("+\\")
    r = mw_api(
        server,
        s,
        method="POST",
        action="clientlogin",
        username=user,
        password=password,
        logintoken=token,
        loginreturnurl=server.url + "/",
    )
    assert r["clientlogin"]["status"] == "PASS", r
    return s


def mw_botlogin(server, user, password) -> requests.Session:
    s = requests.Session()
    token = mw_api(server, s, action="query", meta="tokens", type="login")["query"]["tokens"][
        "logintoken"
    ]
    r = mw_api(
        server, s, method="POST", action="login", lgname=user, lgpassword=password, lgtoken=token
    )
    assert r["login"]["result"] == "Success", r
    return s


def mw_userinfo(server, session):
    return mw_api(server, session, action="query", meta="userinfo", uiprop="rights|groups")[
        "query"
    ]["userinfo"]


def test_mediawiki_open_answers(mediawiki_open):
    s = mediawiki_open
    general = mw_api(s, action="query", meta="siteinfo")["query"]["general"]
    assert general["generator"].startswith("MediaWiki 1.")
    assert general["server"] == s.url
    groups = mw_groups(s)
    assert {"read", "edit", "createaccount"} <= groups["*"]
    assert "edit" in groups["user"]
    assert {"VisualEditor", "WikiEditor"} <= mw_extensions(s)


def test_mediawiki_locked_differs(mediawiki_open, mediawiki_locked):
    groups = mw_groups(mediawiki_locked)
    assert "read" in groups["*"]
    assert "edit" not in groups["*"]
    assert "createaccount" not in groups["*"]
    assert "edit" not in groups["user"]
    assert "VisualEditor" not in mw_extensions(mediawiki_locked)
    assert mediawiki_locked.url != mediawiki_open.url


@pytest.mark.parametrize("fixture", ["mediawiki_open", "mediawiki_locked"])
def test_mediawiki_member_logins(fixture, request):
    s = request.getfixturevalue(fixture)
    assert s.platform == "mediawiki" and s.config == fixture.split("_", 1)[1]
    assert set(s.cred_names) == {"username", "password", "bot_username", "bot_password"}
    user, password = s.cred("username"), s.cred("password")
    info = mw_userinfo(s, mw_clientlogin(s, user, password))
    assert info["name"] == user and not info.get("anon")
    assert "user" in info["groups"]
    assert ("edit" in info["rights"]) == (s.config == "open")

    bot = mw_userinfo(s, mw_botlogin(s, s.cred("bot_username"), s.cred("bot_password")))
    assert bot["name"] == user

    # a wrong password is refused
    sess = requests.Session()
    token = mw_api(s, sess, action="query", meta="tokens", type="login")["query"]["tokens"][
        "logintoken"
    ]
    r = mw_api(
        s,
        sess,
        method="POST",
        action="clientlogin",
        username=user,
        password=password + "0",
        logintoken=token,
        loginreturnurl=s.url + "/",
    )
    assert r["clientlogin"]["status"] == "FAIL"


# --------------------------------------------------------------------------- DokuWiki


def dw_call(server, method, *params, auth=None):
    """XML-RPC call: (HTTP status, result | xmlrpc.client.Fault | None for an empty body)."""
    r = requests.post(
        server.url + "/lib/exe/xmlrpc.php",
        data=xmlrpc.client.dumps(params, method),
        headers={"Content-Type": "text/xml"},
        auth=auth,
        timeout=TIMEOUT,
    )
    if not r.content.strip():
        return r.status_code, None
    try:
        return r.status_code, xmlrpc.client.loads(r.content)[0][0]
    except xmlrpc.client.Fault as fault:
        return r.status_code, fault


def dw_member(server):
    return (server.cred("username"), server.cred("password"))


def test_dokuwiki_open(dokuwiki_open):
    s = dokuwiki_open
    assert set(s.cred_names) == {"username", "password"}
    assert dw_call(s, "dokuwiki.getTitle") == (200, "Zahnrad DokuWiki open")
    status, version = dw_call(s, "dokuwiki.getVersion")
    assert status == 200 and "2022-07-31" in version
    status, perm = dw_call(s, "wiki.aclCheck", "start")
    assert status == 200 and perm >= 4
    assert dw_call(s, "dokuwiki.login", *dw_member(s)) == (200, True)
    assert dw_call(s, "dokuwiki.login", s.cred("username"), "wrong") == (200, False)
    # self-registration form is offered
    r = requests.get(s.url + "/doku.php", params={"do": "register"}, timeout=TIMEOUT)
    assert r.status_code == 200 and 'id="dw__register"' in r.text


def test_dokuwiki_restricted(dokuwiki_open, dokuwiki_restricted):
    s = dokuwiki_restricted
    assert dw_call(s, "wiki.aclCheck", "start") == (200, 1)
    assert dw_call(s, "wiki.aclCheck", "start", auth=dw_member(s)) == (200, 8)
    assert dw_call(s, "dokuwiki.login", *dw_member(s)) == (200, True)
    # anonymous edit is refused with HTTP 401; in this release the body is a methodResponse
    # holding an empty <struct> (the exception object serialised), not a fault
    status, result = dw_call(s, "wiki.putPage", "playground:zw", "text", {})
    assert status == 401 and result in (None, {})
    # registration disabled
    r = requests.get(s.url + "/doku.php", params={"do": "register"}, timeout=TIMEOUT)
    assert 'id="dw__register"' not in r.text
    # member credentials are per instance
    assert s.cred("password") != dokuwiki_open.cred("password")


def test_dokuwiki_member_can_edit_restricted(dokuwiki_restricted):
    s = dokuwiki_restricted
    status, ok = dw_call(
        s,
        "wiki.putPage",
        "playground:zahnrad",
        "Hello from zahnrad.",
        {"sum": "t"},
        auth=dw_member(s),
    )
    assert (status, ok) == (200, True)
    assert dw_call(s, "wiki.getPage", "playground:zahnrad")[1].strip() == "Hello from zahnrad."


def test_dokuwiki_api_off(dokuwiki_api_off):
    s = dokuwiki_api_off
    status, result = dw_call(s, "dokuwiki.getTitle")
    assert isinstance(result, xmlrpc.client.Fault), (status, result)
    assert result.faultCode == -32605
    status, result = dw_call(s, "wiki.aclCheck", "start", auth=dw_member(s))
    assert isinstance(result, xmlrpc.client.Fault)
    # the wiki itself still answers
    r = requests.get(s.url + "/doku.php", timeout=TIMEOUT)
    assert r.status_code == 200 and "DokuWiki" in r.text


# --------------------------------------------------------------------------- Synapse


def test_synapse_open(synapse_open):
    s = synapse_open
    r = requests.get(s.url + "/_matrix/client/versions", timeout=TIMEOUT)
    assert r.status_code == 200 and "v1.1" in r.json()["versions"]
    r = requests.post(s.url + "/_matrix/client/v3/register", json={}, timeout=TIMEOUT)
    assert r.status_code == 401
    assert r.json()["flows"] and "session" in r.json()
    r = requests.get(s.url + "/_matrix/federation/v1/version", timeout=TIMEOUT)
    assert r.status_code == 200 and r.json()["server"]["name"] == "Synapse"
    r = requests.get(s.url + "/.well-known/matrix/client", timeout=TIMEOUT)
    assert r.status_code == 200 and r.json()["m.homeserver"]["base_url"].startswith(s.url)


def test_synapse_closed(synapse_closed):
    s = synapse_closed
    r = requests.post(s.url + "/_matrix/client/v3/register", json={}, timeout=TIMEOUT)
    assert r.status_code == 403
    assert r.json()["errcode"] == "M_FORBIDDEN"
    r = requests.get(s.url + "/_matrix/federation/v1/version", timeout=TIMEOUT)
    assert r.status_code != 200
    r = requests.get(s.url + "/_synapse/admin/v1/server_version", timeout=TIMEOUT)
    assert r.status_code == 200 and r.json()["server_version"]


@pytest.mark.parametrize("fixture", ["synapse_open", "synapse_closed"])
def test_synapse_member(fixture, request):
    s = request.getfixturevalue(fixture)
    assert s.platform == "matrix" and set(s.cred_names) == {"username", "password", "access_token"}
    r = requests.get(s.url + "/_matrix/client/v3/capabilities", timeout=TIMEOUT)
    assert r.status_code == 401 and r.json()["errcode"] == "M_MISSING_TOKEN"
    # the fixture's token works
    r = requests.get(
        s.url + "/_matrix/client/v3/account/whoami",
        headers={"Authorization": "Bearer " + s.cred("access_token")},
        timeout=TIMEOUT,
    )
    assert r.status_code == 200 and r.json()["user_id"] == f"@{s.cred('username')}:localhost"
    # a password login works and its token reads the capabilities
    r = requests.post(
        s.url + "/_matrix/client/v3/login",
        timeout=TIMEOUT,
        json={
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": s.cred("username")},
            "password": s.cred("password"),
        },
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    r = requests.get(
        s.url + "/_matrix/client/v3/capabilities",
        headers={"Authorization": "Bearer " + token},
        timeout=TIMEOUT,
    )
    assert r.status_code == 200
    assert r.json()["capabilities"]["m.change_password"]["enabled"] is True
    # a wrong password is refused
    r = requests.post(
        s.url + "/_matrix/client/v3/login",
        timeout=TIMEOUT,
        json={
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": s.cred("username")},
            "password": "wrong",
        },
    )
    assert r.status_code == 403 and r.json()["errcode"] == "M_FORBIDDEN"


# --------------------------------------------------------------------------- all


def test_secrets_are_distinct(mediawiki_open, dokuwiki_open, synapse_open):
    values = [
        v
        for s in (mediawiki_open, dokuwiki_open, synapse_open)
        for k, v in ((k, s.credentials[n]) for k, n in s.cred_names.items())
        if k in ("password", "bot_password", "access_token")
    ]
    assert len(values) == len(set(values)) == 5
    assert all(len(v) >= 32 for v in values)
    for s in (mediawiki_open, dokuwiki_open, synapse_open):
        assert s.url.startswith("http://127.0.0.1:")
        assert set(s.credentials) == set(s.cred_names.values())
        assert all(name.startswith("ZW_") for name in s.credentials)
        assert s.log.is_file()
