"""Probe packs: the schema, the rules beyond it, JMESPath reading, statuses, and the Mattermost pack.

HTTP is mocked with ``responses``; the Mattermost answers are modelled on the documented ones
(api.mattermost.com v4 and the server's config/client.go: limited client configuration for
anonymous callers, the full one for members, all values strings).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import responses
from responses import matchers

from zahnrad.catalog import FACT_TYPES, load_catalog
from zahnrad.errors import InputError
from zahnrad.packs import load_pack, pack_schema
from zahnrad.platforms import KINDS
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
RECORDINGS = ROOT / "tests" / "recordings" / "mattermost"
BASE = "https://chat.acme.example"
TOKEN = "8xq3nbwp7jfzdrkc5ya1ot9mhe"  # shaped like a Mattermost personal access token
JSON_CT = "application/json"

TOY = """
format = "zahnrad-pack/1"

[platform]
name = "toy"
display_name = "Toy Wiki"
kind = "wiki"
version = "1.0.0"

[credentials]
token = "a member's API token"
user = "login name"
password = "its password"

[request.info]
path = "api/info"
query = { verbose = true, lang = "en" }

[request.me]
path = "/api/me"
auth = { headers = { Authorization = "Bearer {token}" } }
on_status = { 401 = "unknown: the token was not accepted", 404 = "absent" }

[request.admin]
method = "POST"
path = "api/rpc"
json = { method = "admin.info", params = [] }
auth = { basic = ["user", "password"] }

[[fact]]
name = "platform.version"
request = "info"
path = "about.version"
type = "string"

[[fact]]
name = "edit.anonymous"
request = "info"
path = "permissions.anonymous_edit"
type = "bool"
equals = "yes"

[[fact]]
name = "sharing.external"
request = "info"
path = "sharing"
type = "string"
map = { off = "none", guests = "guests", "*" = "anyone" }

[[fact]]
name = "extensions.installed"
request = "info"
path = "extensions[?enabled].name"
type = "list"

[[fact]]
name = "extensions.count"
request = "info"
path = "length(extensions)"
type = "int"

[[fact]]
name = "signup.open"
request = "info"
path = "signup"
type = "bool"
if_missing = false

[[fact]]
name = "edit.member"
request = "me"
path = "can_edit"
type = "bool"

[[fact]]
name = "x-toy.groups"
request = ["me", "info"]
path = "groups"
type = "list"

[[fact]]
name = "admin.count"
request = "admin"
path = "result.admins"
type = "int"
"""

INFO = {
    "about": {"version": "2.1.0"},
    "permissions": {"anonymous_edit": "yes"},
    "sharing": "guests",
    "extensions": [{"name": "Gallery", "enabled": True}, {"name": "Old", "enabled": False},
                   {"name": "Polls", "enabled": True}],
    "groups": ["public"],
}


def pack_file(tmp_path: Path, text: str = TOY, name: str = "toy.pack.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def probe(platform, *, url: str = "https://toy.example", creds: dict | None = None,
          env: dict | None = None, name: str = "Toy"):
    v = Vendor(name=name, platform=platform.name, url=url, credentials=creds or {},
               timeout=2.0, deadline=10.0)
    return probe_vendor(v, platform, load_catalog(), environ=env or {})


# -- the schema and the loader -------------------------------------------------------------------
def test_schema_enums_match_the_engine():
    s = pack_schema()
    assert s["properties"]["platform"]["properties"]["kind"]["enum"] == list(KINDS)
    assert s["$defs"]["fact"]["properties"]["type"]["enum"] == list(FACT_TYPES)


def test_a_valid_pack_becomes_a_platform(tmp_path):
    p = load_pack(pack_file(tmp_path))
    assert (p.name, p.display_name, p.kind, p.version) == ("toy", "Toy Wiki", "wiki", "1.0.0")
    assert p.facts[:3] == ("platform.version", "edit.anonymous", "sharing.external")
    assert p.credentials["token"] == "a member's API token"
    assert p.needs_url and p.default_url is None


def _bad(tmp_path: Path, old: str, new: str) -> str:
    assert old in TOY, old
    with pytest.raises(InputError) as e:
        load_pack(pack_file(tmp_path, TOY.replace(old, new, 1), "bad.pack.toml"))
    assert e.value.file == str(tmp_path / "bad.pack.toml")
    return f"{e.value.place}: {e.value.message}"


@pytest.mark.parametrize("old,new,expected", [
    ('format = "zahnrad-pack/1"', 'format = "zahnrad-pack/9"',
     'format: must be "zahnrad-pack/1" (the pack format this version reads) (got a string "zahnrad-pack/9")'),
    ('kind = "wiki"', 'kind = "wikki"',
     "platform.kind: 'wikki' is not one of: wiki, enterprise social network, team chat, "
     "intranet suite, file sharing, forum, other"),
    ('name = "toy"', 'name = "Toy Wiki"', "platform.name: a platform name is lower-case"),
    ('path = "api/info"', 'pth = "api/info"', "request.info.pth: unknown key (known: auth, error, headers, "
     "json, method, on_status, path, query, when)"),
    ('method = "POST"', 'method = "DELETE"', "request.admin.method: a probe reads: GET, HEAD or POST"),
    ('[request.info]', '[request.Info]', "request.Info: use lower-case letters"),
    ('401 = "unknown: the token', '4011 = "unknown: the token',
     "request.me.on_status.4011: keys are HTTP status codes such as 404"),
    ('404 = "absent"', '404 = "gone"', 'request.me.on_status.404: expected "absent", "read", "unknown"'),
    ('type = "string"\n', 'type = "text"\n', "fact[0].type: 'text' is not one of: bool, int, number, "
     "string, list (fact platform.version)"),
    ('equals = "yes"', 'equals = "yes"\nmap = { yes = true }',
     "fact[1]: give either equals or map, not both (fact edit.anonymous)"),
    ('name = "platform.version"\nrequest = "info"\npath = "about.version"\ntype = "string"\n',
     'name = "platform.version"\nrequest = "info"\ntype = "string"\n',
     "fact[0].path: missing (fact platform.version)"),
    ('headers = { Authorization = "Bearer {token}" }', 'headers = { Authorization = "Bearer {tokn}" }',
     "request.me.auth.headers.Authorization: uses credential 'tokn', which [credentials] does not "
     "declare (declared: token, user, password)"),
    ('headers = { Authorization = "Bearer {token}" }', 'headers = { Authorization = "Bearer" }',
     "request.me.auth.headers.Authorization: no {credential} placeholder"),
    ('headers = { Authorization = "Bearer {token}" }', 'headers = { Authorization = "Bearer {token.__class__}" }',
     "request.me.auth.headers.Authorization: placeholders are {credential_key}"),
    ('auth = { basic = ["user", "password"] }', 'auth = { basic = ["user", "pw"] }',
     "request.admin.auth.basic: uses credential 'pw'"),
    ('auth = { basic = ["user", "password"] }', 'auth = { basic = ["user"] }',
     'request.admin.auth.basic: expected two credential keys: ["user_key", "password_key"] (got a list ["user"])'),
])
def test_invalid_packs_name_the_file_and_the_field(tmp_path, old, new, expected):
    assert _bad(tmp_path, old, new).startswith(expected)


@pytest.mark.parametrize("path,why", [
    ("https://evil.example/api", "is an absolute URL"),
    ("http:api", "is an absolute URL"),
    ("//evil.example/api", "would name another host"),
    ("api/../../admin", "contains a . or .. segment"),
    ("api/%2e%2e/admin", "contains a . or .. segment"),
    ("api/%252e%252e/admin", "contains a . or .. segment"),
    ("api\\..\\admin", "backslash"),
    ("api/info?x=1", "put query parameters in query"),
])
def test_paths_that_could_leave_the_base_url_are_refused(tmp_path, path, why):
    msg = _bad(tmp_path, 'path = "api/info"', f'path = "{path}"'.replace("\\", "\\\\"))
    assert msg.startswith("request.info.path: ") and why in msg


@pytest.mark.parametrize("old,new,expected", [
    ('name = "edit.member"', 'name = "edit.telepathy"',
     "fact[6].name: 'edit.telepathy' is not in the fact catalog"),
    ('name = "x-toy.groups"', 'name = "x-other.groups"',
     "fact[7].name: platform-specific facts are named x-toy.NAME"),
    ('name = "edit.member"', 'name = "edit.anonymous"', "fact[6].name: 'edit.anonymous' is already read by fact[1]"),
    ('path = "can_edit"\ntype = "bool"', 'path = "can_edit"\ntype = "string"',
     "fact[6].type: 'edit.member' is a bool in the fact catalog, not a string"),
    ('request = "me"', 'request = "mee"', "fact[6].request: no request 'mee' in this pack (requests: info, me, admin)"),
    ('request = ["me", "info"]', 'request = ["me", "nope"]', "fact[7].request[1]: no request 'nope'"),
    ('path = "can_edit"', 'path = "can_edit[["', "fact[6].path: 'can_edit[[' is not a valid JMESPath expression"),
    ('map = { off = "none"', 'map = { off = 0', "fact[2].map.off: expected a string value, got an integer 0"),
    ('if_missing = false', 'if_missing = "no"', "fact[5].if_missing: expected a bool value"),
    ('equals = "yes"\n', 'equals = "yes"\n[[fact]]\nname = "site.title"\nrequest = "info"\npath = "t"\n'
     'type = "string"\nequals = "x"\n', "fact[2].equals: equals makes a bool fact; this fact is a string"),
    ('request = "admin"', 'request = "info"', "request.admin: not read by any fact"),
    ('name = "x-toy.groups"\nrequest = ["me", "info"]', 'name = "site.title"\nrequest = ["me", "info"]',
     'fact[7].type: \'site.title\' is a string in the fact catalog, not a list'),
])
def test_rules_beyond_the_schema(tmp_path, old, new, expected):
    assert _bad(tmp_path, old, new).startswith(expected)


def test_a_string_fact_needs_an_explicit_absent_value(tmp_path):
    text = TOY.replace('name = "x-toy.groups"\nrequest = ["me", "info"]\npath = "groups"\ntype = "list"',
                       'name = "x-toy.role"\nrequest = ["me", "info"]\npath = "role"\ntype = "string"')
    with pytest.raises(InputError) as e:
        load_pack(pack_file(tmp_path, text))
    assert e.value.place == "fact[7]"
    assert "HTTP 404 means absent (request 'me'), but a string fact has no natural absent value" in e.value.message
    load_pack(pack_file(tmp_path, text.replace('type = "string"\n\n[[fact]]\nname = "admin.count"',
                                               'type = "string"\nabsent = "none"\n\n[[fact]]\nname = "admin.count"')))


def test_declared_facts_are_checked_against_the_catalog(tmp_path):
    text = TOY + '\n[[declared]]\nfact = "licence.open_source"\nvalue = "yes"\nurl = "https://toy.example/licence"\n'
    with pytest.raises(InputError, match=r"declared\[0\]\.value: expected a bool value, got a string 'yes'"):
        load_pack(pack_file(tmp_path, text))


def test_toml_syntax_errors_name_the_line(tmp_path):
    with pytest.raises(InputError) as e:
        load_pack(pack_file(tmp_path, TOY.replace('kind = "wiki"', 'kind = wiki')))
    assert e.value.place == "line 7, column 8"
    assert e.value.message == "TOML syntax error: Invalid value"


def test_invalid_pack_through_the_cli_exits_2(tmp_path, capsys):
    from zahnrad.cli import main

    pack = pack_file(tmp_path, TOY.replace('kind = "wiki"', 'kind = "blog"'), "bad.pack.toml")
    strat = _strategy(tmp_path, f'name = "Toy"\nplatform = "toy"\nurl = "https://toy.example"\npack = "{pack.name}"')
    assert main(["probe", str(strat), "-o", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{pack}: platform.kind: 'blog' is not one of" in err


# -- reading answers -----------------------------------------------------------------------------
@responses.activate
def test_jmespath_equals_map_projection_and_if_missing(tmp_path):
    responses.get("https://toy.example/api/info", json=INFO,
                  match=[matchers.query_param_matcher({"verbose": "true", "lang": "en"})])
    vf = probe(load_pack(pack_file(tmp_path)))
    assert state(vf, "platform.version") == ("observed", "2.1.0", None)
    assert state(vf, "edit.anonymous") == ("observed", True, None)
    assert state(vf, "sharing.external") == ("observed", "guests", None)
    assert state(vf, "extensions.installed") == ("observed", ["Gallery", "Polls"], None)
    assert state(vf, "extensions.count") == ("observed", 3, None)
    assert state(vf, "signup.open") == ("observed", False, None)  # if_missing
    ev = vf.facts["extensions.installed"].evidence
    assert ev.complete
    assert (ev.method, ev.status, ev.path) == ("GET", 200, "extensions[?enabled].name")
    assert ev.url == "https://toy.example/api/info?verbose=true&lang=en"
    assert ev.excerpt == '["Gallery","Polls"]'
    assert vf.facts["signup.open"].evidence.path == "signup (not present)"
    # No credentials configured: member requests are not sent, with a reason naming the key.
    assert state(vf, "edit.member") == (
        "unknown", None, "needs the 'token' credential, which the strategy does not give for this vendor")
    assert state(vf, "admin.count")[2] == (
        "needs the 'user' credential, which the strategy does not give for this vendor; "
        "needs the 'password' credential, which the strategy does not give for this vendor")
    # A list of requests: the first that answers wins.
    assert state(vf, "x-toy.groups") == ("observed", ["public"], None)
    assert vf.complete and vf.problems == []
    assert [c.request.url for c in responses.calls] == ["https://toy.example/api/info?verbose=true&lang=en"]


@responses.activate
def test_map_wildcard_unmapped_values_and_wrong_types_are_unknown(tmp_path):
    text = TOY.replace('map = { off = "none", guests = "guests", "*" = "anyone" }', 'map = { off = "none" }')
    responses.get("https://toy.example/api/info", json=dict(INFO, about={"version": 21},
                                                            sharing="everyone"))
    vf = probe(load_pack(pack_file(tmp_path, text)))
    assert state(vf, "sharing.external") == (
        "unknown", None, 'sharing is "everyone", which the pack does not map (mapped: off)')
    assert state(vf, "platform.version") == (
        "unknown", None, "about.version in the answer of https://toy.example/api/info is an integer 21, "
                         "not a string")
    responses.replace(responses.GET, "https://toy.example/api/info", json=dict(INFO, sharing="public"))
    vf = probe(load_pack(pack_file(tmp_path)))
    assert state(vf, "sharing.external") == ("observed", "anyone", None)


@responses.activate
def test_credentials_go_only_into_the_declared_auth(tmp_path):
    secret, user, pw = "tok-3f9a8b7c6d5e", "probe-user", "pa55-w0rd-x"
    responses.get("https://toy.example/api/info", json=INFO)
    responses.get("https://toy.example/api/me", json={"can_edit": True, "groups": ["staff", "public"]},
                  match=[matchers.header_matcher({"Authorization": f"Bearer {secret}"})])
    responses.post("https://toy.example/api/rpc", json={"result": {"admins": 2}},
                   match=[matchers.json_params_matcher({"method": "admin.info", "params": []}),
                          matchers.header_matcher({"Authorization": "Basic cHJvYmUtdXNlcjpwYTU1LXcwcmQteA=="})])
    vf = probe(load_pack(pack_file(tmp_path)),
               creds={"token": "TOY_TOKEN", "user": "TOY_USER", "password": "TOY_PW"},
               env={"TOY_TOKEN": secret, "TOY_USER": user, "TOY_PW": pw})
    assert state(vf, "edit.member") == ("observed", True, None)
    assert state(vf, "x-toy.groups") == ("observed", ["staff", "public"], None)  # me before info
    assert state(vf, "admin.count") == ("observed", 2, None)
    assert "Authorization" not in responses.calls[0].request.headers  # the anonymous request
    dumped = json.dumps(vf.as_dict())
    assert secret not in dumped and pw not in dumped


@responses.activate
def test_status_meanings_absent_unknown_and_errors(tmp_path):
    responses.get("https://toy.example/api/info", status=403, json={"error": "forbidden"})
    responses.get("https://toy.example/api/me", status=404, json={"error": "no such endpoint"})
    vf = probe(load_pack(pack_file(tmp_path)), creds={"token": "T"}, env={"T": "tok-1234567890"})
    # 404 on "me" means absent: the fact's false/empty value, with the reply as evidence.
    assert state(vf, "edit.member") == ("observed", False, None)
    assert vf.facts["edit.member"].evidence.path == "HTTP 404"
    assert vf.facts["edit.member"].evidence.complete
    assert state(vf, "x-toy.groups") == ("observed", [], None)
    # An unmapped 403 is unknown, never absent, and the vendor's probing is incomplete.
    reason = "HTTP 403 from https://toy.example/api/info (forbidden: the account lacks a permission)"
    assert state(vf, "edit.anonymous") == ("unknown", None, reason)
    assert state(vf, "signup.open") == ("unknown", None, reason)  # if_missing does not apply
    assert not vf.complete and reason in vf.problems


@responses.activate
def test_mapped_unknown_gives_the_packs_reason_and_fact_overrides_request(tmp_path):
    text = TOY.replace('name = "edit.member"\nrequest = "me"\npath = "can_edit"\ntype = "bool"',
                       'name = "edit.member"\nrequest = "me"\npath = "can_edit"\ntype = "bool"\n'
                       'on_status = { 404 = "unknown: this server has no permission API" }')
    responses.get("https://toy.example/api/info", json=INFO)
    responses.get("https://toy.example/api/me", status=401, json={"error": "bad token"})
    vf = probe(load_pack(pack_file(tmp_path, text)), creds={"token": "T"}, env={"T": "tok-1234567890"})
    assert state(vf, "edit.member") == (
        "unknown", None, "the token was not accepted (HTTP 401 from https://toy.example/api/me)")
    # The fallback list: "me" failed, "info" answered.
    assert state(vf, "x-toy.groups") == ("observed", ["public"], None)
    assert vf.complete  # a status the pack expects is not a failure
    responses.replace(responses.GET, "https://toy.example/api/me", status=404, json={})
    vf = probe(load_pack(pack_file(tmp_path, text)), creds={"token": "T"}, env={"T": "tok-1234567890"})
    assert state(vf, "edit.member") == (
        "unknown", None, "this server has no permission API (HTTP 404 from https://toy.example/api/me)")
    assert state(vf, "x-toy.groups") == ("observed", [], None)  # the request's 404 = absent still holds


@responses.activate
def test_read_status_and_html_and_missing_fields(tmp_path):
    text = TOY.replace('on_status = { 401 = "unknown: the token was not accepted", 404 = "absent" }',
                       'on_status = { 401 = "read" }')
    responses.get("https://toy.example/api/info", body="<!DOCTYPE html><html>Login</html>",
                  content_type="text/html")
    responses.get("https://toy.example/api/me", status=401, json={"can_edit": False})
    vf = probe(load_pack(pack_file(tmp_path, text)), creds={"token": "T"}, env={"T": "tok-1234567890"})
    assert state(vf, "edit.member") == ("observed", False, None)
    assert vf.facts["edit.member"].evidence.status == 401
    assert state(vf, "x-toy.groups") == (
        "unknown", None, "groups is not in the answer of https://toy.example/api/me; "
                         "HTTP 200 from https://toy.example/api/info was an HTML page "
                         "(starts '<!DOCTYPE html><html')")
    assert state(vf, "platform.version")[2].endswith("was an HTML page (starts '<!DOCTYPE html><html')")


GRAPHQL_PACK = """
format = "zahnrad-pack/1"

[platform]
name = "toyql"
display_name = "Toy GraphQL"
kind = "wiki"
version = "1.0.0"

[credentials]
key = "an API key"

[request.site]
method = "POST"
path = "graphql"
json = { query = "{site{config{title featurePageComments}}}" }
auth = { headers = { Authorization = "Bearer {key}" } }
error = "errors[].message"

[[fact]]
name = "site.title"
request = "site"
path = "data.site.config.title"
type = "string"

[[fact]]
name = "social.comments"
request = "site"
path = "data.site.config.featurePageComments"
type = "bool"
if_missing = false
"""


@responses.activate
def test_error_expression_quotes_the_platforms_own_message(tmp_path):
    """GraphQL answers 200 with null fields and errors[].message: the message is the reason,
    and if_missing never turns a refused field into an absence."""
    responses.post("https://toy.example/graphql", json={
        "data": {"site": {"config": None}},
        "errors": [{"message": "Forbidden", "path": ["site", "config"]},
                   {"message": "Forbidden", "path": ["site", "config"]}]})
    vf = probe(load_pack(pack_file(tmp_path, GRAPHQL_PACK)), creds={"key": "K"}, env={"K": "k-123456789"})
    said = ('is not in the answer of https://toy.example/graphql, which says: "Forbidden"')
    assert state(vf, "site.title") == ("unknown", None, f"data.site.config.title {said}")
    assert state(vf, "social.comments") == (
        "unknown", None, f"data.site.config.featurePageComments {said}")
    # A granted answer is read as usual; an answer without errors keeps if_missing.
    responses.replace(responses.POST, "https://toy.example/graphql",
                      json={"data": {"site": {"config": {"title": "Docs"}}}})
    vf = probe(load_pack(pack_file(tmp_path, GRAPHQL_PACK)), creds={"key": "K"}, env={"K": "k-123456789"})
    assert state(vf, "site.title") == ("observed", "Docs", None)
    assert state(vf, "social.comments") == ("observed", False, None)


@responses.activate
def test_error_expression_on_error_statuses(tmp_path):
    responses.post("https://toy.example/graphql", status=500, json={
        "data": {}, "errors": [{"message": "API is disabled.", "path": []}]})
    vf = probe(load_pack(pack_file(tmp_path, GRAPHQL_PACK)), creds={"key": "K"}, env={"K": "k-123456789"})
    reason = 'HTTP 500 from https://toy.example/graphql: "API is disabled."'
    assert state(vf, "site.title") == ("unknown", None, reason)
    assert reason in vf.problems and not vf.complete
    # An error status whose body is not JSON keeps the plain status reason.
    text = GRAPHQL_PACK.replace('error = "errors[].message"',
                                'error = "errors[].message"\non_status = { 401 = "unknown" }')
    responses.replace(responses.POST, "https://toy.example/graphql", status=401, body="nope")
    vf = probe(load_pack(pack_file(tmp_path, text)), creds={"key": "K"}, env={"K": "k-123456789"})
    assert state(vf, "site.title") == (
        "unknown", None,
        "HTTP 401 from https://toy.example/graphql (not authenticated: credentials missing or rejected)")
    responses.replace(responses.POST, "https://toy.example/graphql", status=401,
                      json={"errors": [{"message": "x" * 300}]})
    vf = probe(load_pack(pack_file(tmp_path, text)), creds={"key": "K"}, env={"K": "k-123456789"})
    assert state(vf, "site.title")[2] == f'HTTP 401 from https://toy.example/graphql: "{"x" * 199}…"'


@responses.activate
def test_error_message_echoing_the_credential_is_scrubbed(tmp_path):
    key = "k-echo-5f4e3d2c1b"
    responses.post("https://toy.example/graphql", status=401,
                   json={"errors": [{"message": f"API key {key} is not valid"}]})
    vf = probe(load_pack(pack_file(tmp_path, GRAPHQL_PACK)), creds={"key": "K"}, env={"K": key})
    assert state(vf, "site.title")[2] == 'HTTP 401 from https://toy.example/graphql: "API key REDACTED is not valid"'
    assert key not in json.dumps(vf.as_dict())


def test_error_expression_is_checked_when_loading(tmp_path):
    bad = GRAPHQL_PACK.replace('error = "errors[].message"', 'error = "errors[?"')
    with pytest.raises(InputError) as exc:
        load_pack(pack_file(tmp_path, bad))
    assert "request.site.error: 'errors[?' is not a valid JMESPath expression" in str(exc.value)


def test_environment_variable_not_set_is_named(tmp_path):
    with responses.RequestsMock() as rs:
        rs.get("https://toy.example/api/info", json=INFO)
        vf = probe(load_pack(pack_file(tmp_path)), creds={"token": "TOY_TOKEN"}, env={})
    assert state(vf, "edit.member")[2] == "needs the 'token' credential: environment variable TOY_TOKEN is not set"


def test_transport_failure_makes_facts_unknown(tmp_path):
    # Nothing listens on port 9: connection refused, every fact of that request unknown with why.
    text = TOY + '\n[[declared]]\nfact = "licence.open_source"\nvalue = true\nurl = "https://toy.example/l"\n'
    vf = probe(load_pack(pack_file(tmp_path, text)), url="http://127.0.0.1:9", name="Down")
    assert state(vf, "platform.version") == ("unknown", None, "connection refused")
    assert state(vf, "signup.open") == ("unknown", None, "connection refused")  # not if_missing
    assert vf.facts["licence.open_source"].source == "declared"
    assert not vf.complete and vf.problems == ["connection refused"]


# -- a pack named by a strategy ------------------------------------------------------------------
def _strategy(tmp_path: Path, vendor: str) -> Path:
    p = tmp_path / "strategy.toml"
    p.write_text(f"""
[organisation]
name = "Test AG"
[goals]
participation = 5
self_organisation = 1
knowledge_sharing = 1
external_reach = 1
adaptability = 1
[[vendors]]
{vendor}
""")
    return p


def test_strategy_pack_defines_a_new_platform(tmp_path):
    from zahnrad.cli import main

    pack_file(tmp_path)
    strat = _strategy(tmp_path, 'name = "Toy"\nplatform = "toy"\nurl = "https://toy.example"\npack = "toy.pack.toml"')
    with responses.RequestsMock() as rs:
        rs.get("https://toy.example/api/info", json=INFO)
        assert main(["probe", str(strat), "-o", str(tmp_path / "out"), "-q"]) == 0
    v = json.loads((tmp_path / "out" / "facts.json").read_text())["vendors"][0]
    facts = {f["fact"]: f for f in v["facts"]}
    assert facts["edit.anonymous"]["value"] is True and facts["edit.anonymous"]["source"] == "observed"
    assert v["plugin"] == {"name": "pack toy.pack.toml", "version": "1.0.0",
                           "distribution": f"probe pack {tmp_path / 'toy.pack.toml'}"}


def test_strategy_pack_overrides_a_registered_platform(tmp_path):
    text = (ROOT / "plugins" / "mattermost.pack.toml").read_text().replace(
        'version = "0.1.0"', 'version = "9.9.9-local"')
    pack_file(tmp_path, text, "mm.pack.toml")
    strat = _strategy(tmp_path, f'name = "Chat"\nplatform = "mattermost"\nurl = "{BASE}"\npack = "mm.pack.toml"')
    from zahnrad.cli.common import load_strategy_checked

    s = load_strategy_checked(strat)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _mattermost(rs)
        fs = probe_strategy(s, quiet=True)
    assert fs.vendors["Chat"].plugin["version"] == "9.9.9-local"
    assert fs.vendors["Chat"].facts["platform.version"].value == "9.11.0"


def test_strategy_pack_must_match_the_vendors_platform(tmp_path, capsys):
    from zahnrad.cli import main

    pack_file(tmp_path)
    strat = _strategy(tmp_path, 'name = "Toy"\nplatform = "mediawiki"\nurl = "https://toy.example"\n'
                                'pack = "toy.pack.toml"')
    assert main(["probe", str(strat), "-o", str(tmp_path / "out"), "-q"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"zahnrad: error: {tmp_path / 'toy.pack.toml'}: platform.name: the pack is for platform 'toy', "
        "but vendor 'Toy' names platform 'mediawiki'")
    assert not (tmp_path / "out" / "facts.json").exists()


# -- Mattermost ----------------------------------------------------------------------------------
LIMITED = {
    "AboutLink": "https://mattermost.com/default-about/",
    "AndroidAppDownloadLink": "https://mattermost.com/mattermost-android-app/",
    "AndroidLatestVersion": "", "AndroidMinVersion": "",
    "AppDownloadLink": "https://mattermost.com/download/#mattermostApps",
    "BuildDate": "Tue Sep 24 09:12:31 UTC 2024", "BuildEnterpriseReady": "true",
    "BuildHash": "6a1f6b3b8e2c9e4a0c7d5f1e2b3a4c5d6e7f8a9b",
    "BuildHashEnterprise": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c",
    "BuildNumber": "11016937421", "CustomBrandText": "", "CustomDescriptionText": "",
    "DefaultClientLocale": "en", "DiagnosticId": "q8ud1kx3rbfwjm5t4zoh7p6nyc",
    "DiagnosticsEnabled": "false", "EmailLoginButtonColor": "#0000", "EnableAskCommunityLink": "true",
    "EnableBotAccountCreation": "true", "EnableComplianceExport": "false", "EnableCustomBrand": "false",
    "EnableCustomEmoji": "true", "EnableDiagnostics": "false", "EnableFile": "true",
    "EnableGuestAccounts": "false", "EnableLdap": "false", "EnableMultifactorAuthentication": "true",
    "EnableOpenServer": "false", "EnableSaml": "false", "EnableSignInWithEmail": "true",
    "EnableSignInWithUsername": "true", "EnableSignUpWithEmail": "true",
    "EnableSignUpWithGitLab": "true", "EnableSignUpWithGoogle": "false",
    "EnableSignUpWithOffice365": "false", "EnableSignUpWithOpenId": "false",
    "EnableUserCreation": "true", "EnforceMultifactorAuthentication": "false",
    "FeatureFlagAppsEnabled": "true", "FileLevel": "INFO", "GitLabButtonColor": "",
    "GitLabButtonText": "", "GuestAccountsEnforceMultifactorAuthentication": "false",
    "HasImageProxy": "false", "HelpLink": "https://mattermost.com/default-help/",
    "IosAppDownloadLink": "https://mattermost.com/mattermost-ios-app/", "IosLatestVersion": "",
    "IosMinVersion": "", "PasswordMinimumLength": "8", "PasswordRequireLowercase": "false",
    "PluginsEnabled": "true", "PrivacyPolicyLink": "https://mattermost.com/privacy-policy/",
    "ServiceEnvironment": "production", "SiteName": "Acme <b>Chat</b>",
    "SiteURL": "https://chat.acme.example", "SupportEmail": "support@acme.example",
    "TelemetryId": "q8ud1kx3rbfwjm5t4zoh7p6nyc", "Version": "9.11.0",
    "WebsocketPort": "80", "WebsocketSecurePort": "443", "WebsocketURL": "",
}
FULL = dict(
    LIMITED,
    AllowCustomThemes="true", AllowedThemes="", AvailableLocales="", EnableCommands="true",
    EnableCustomUserStatuses="true", EnableEmailInvitations="false", EnableFileAttachments="true",
    EnableIncomingWebhooks="true", EnableLinkPreviews="true", EnableMarketplace="true",
    EnableOAuthServiceProvider="false", EnableOutgoingWebhooks="false", EnablePublicLink="false",
    EnableUserAccessTokens="true", ExperimentalSharedChannels="false", GfycatApiKey="2_KtH_W5",
    GfycatApiSecret="3wLVZPiswc3DnaiaFoLkDvB4X0IV6CpMkj4tf2inJRsBY6-FnkT08zGmppWFgeof",
    GoogleDeveloperKey="", MaxFileSize="104857600", PostEditTimeLimit="-1", SQLDriverName="postgres",
    SendEmailNotifications="true", SendPushNotifications="true", ShowEmailAddress="true",
    ShowFullName="true", TeammateNameDisplay="username",
)
WEBAPP = [
    {"id": "playbooks", "version": "1.39.0",
     "webapp": {"bundle_path": "/static/plugins/playbooks/playbooks_3c8e1f.bundle.js"}},
    {"id": "com.mattermost.calls", "version": "0.29.1",
     "webapp": {"bundle_path": "/static/plugins/com.mattermost.calls/calls_9a2b4d.bundle.js"}},
]
SESSION_EXPIRED = {"id": "api.context.session_expired.app_error",
                   "message": "Invalid or expired session, please login again.",
                   "detailed_error": "", "request_id": "p4ox1f3c8jbt7q9xy5a1kzhd6e", "status_code": 401}
PLUGINS_OFF = {"id": "app.plugin.disabled.app_error", "message": "Plugins have been disabled.",
               "detailed_error": "", "request_id": "c3n8wbj9i7f5mq1zkr4uxy6ode", "status_code": 501}


def _mattermost(rs, *, plugins: bool = True, token: str = TOKEN) -> None:
    """A Mattermost 9.11 server as the documented API answers, registered on ``rs``."""

    def config(request):
        auth = request.headers.get("Authorization")
        if auth is None:
            return 200, {}, json.dumps(LIMITED)
        if auth == f"Bearer {token}":
            return 200, {}, json.dumps(FULL)
        return 401, {}, json.dumps(SESSION_EXPIRED)

    old = [matchers.query_param_matcher({"format": "old"})]
    rs.add_callback("GET", f"{BASE}/api/v4/config/client", callback=config, match=old,
                    content_type=JSON_CT)
    if plugins:
        rs.get(f"{BASE}/api/v4/plugins/webapp", json=WEBAPP)
    else:
        rs.get(f"{BASE}/api/v4/plugins/webapp", json=PLUGINS_OFF, status=501)
    rs.get(f"{BASE}/api/v4/license/client", json={"IsLicensed": "false"}, match=old)
    rs.get(f"{BASE}/api/v4/system/ping", json={"ActiveSearchBackend": "database",
                                               "AndroidLatestVersion": "", "IosLatestVersion": "",
                                               "status": "OK"})


def mattermost():
    return registry()["mattermost"]


def test_mattermost_is_a_builtin_pack_plugin():
    p = mattermost()
    assert (p.plugin, p.kind, p.display_name) == ("mattermost", "team chat", "Mattermost")
    assert p.distribution.startswith("zahnrad (built-in)")
    assert "webhooks.incoming" in p.facts and p.credentials.keys() == {"token"}


def test_mattermost_anonymous_only():
    with responses.RequestsMock() as rs:
        _mattermost(rs)
        vf = probe(mattermost(), url=BASE, name="Mattermost (anonymous)")
    assert vf.complete and vf.problems == []
    assert state(vf, "platform.version") == ("observed", "9.11.0", None)
    assert state(vf, "site.title") == ("observed", "Acme <b>Chat</b>", None)
    assert state(vf, "x-mattermost.edition") == ("observed", "enterprise", None)
    assert state(vf, "signup.open") == ("observed", False, None)  # user creation on, open server off
    assert state(vf, "sso.protocols") == ("observed", ["oauth2"], None)
    assert state(vf, "sso.identity_providers") == ("observed", ["gitlab"], None)
    assert state(vf, "guests.allowed") == ("observed", False, None)
    assert state(vf, "bots.enabled") == ("observed", True, None)
    assert state(vf, "auth.mfa_enforceable") == ("observed", False, None)
    assert state(vf, "x-mattermost.webapp_plugins") == ("observed", ["playbooks", "com.mattermost.calls"], None)
    assert state(vf, "x-mattermost.licensed") == ("observed", False, None)
    assert state(vf, "x-mattermost.ping") == ("observed", "OK", None)
    ev = vf.facts["signup.open"].evidence
    assert ev.url == f"{BASE}/api/v4/config/client?format=old" and ev.status == 200
    assert ev.path.startswith("EnableUserCreation && EnableOpenServer")
    for fact in ("webhooks.incoming", "chatops.slash_commands", "api.tokens_personal", "edit.window_minutes"):
        assert state(vf, fact) == (
            "unknown", None, "needs the 'token' credential, which the strategy does not give for this vendor")
    assert vf.facts["licence.model"].value == "open_core"


def test_mattermost_member_token(monkeypatch):
    monkeypatch.setenv("MM_TOKEN", TOKEN)
    with responses.RequestsMock() as rs:
        _mattermost(rs)
        vf = probe(mattermost(), url=BASE, creds={"token": "MM_TOKEN"}, env=dict(os.environ),
                   name="Mattermost (member)")
        sent = [c.request.headers.get("Authorization") for c in rs.calls]
    assert sent == [None, f"Bearer {TOKEN}", None, None, None]  # only the member request carries it
    assert vf.complete
    assert state(vf, "webhooks.incoming") == ("observed", True, None)
    assert state(vf, "webhooks.outgoing") == ("observed", False, None)
    assert state(vf, "chatops.slash_commands") == ("observed", True, None)
    assert state(vf, "oauth.provider") == ("observed", False, None)
    assert state(vf, "api.tokens_personal") == ("observed", True, None)
    assert state(vf, "extensions.marketplace") == ("observed", True, None)
    assert state(vf, "upload.files") == ("observed", True, None)
    assert state(vf, "theming.custom") == ("observed", True, None)
    assert state(vf, "federation.enabled") == ("observed", False, None)
    assert state(vf, "mobile.push") == ("observed", True, None)
    assert state(vf, "edit.window_minutes") == ("observed", 525600, None)
    assert state(vf, "x-mattermost.post_edit_time_limit_seconds") == ("observed", -1, None)
    assert state(vf, "x-mattermost.max_file_size_bytes") == ("observed", 104857600, None)
    assert TOKEN not in json.dumps(vf.as_dict())


def test_mattermost_rejected_token_and_limited_edit_window():
    full = dict(FULL, PostEditTimeLimit="300")
    with responses.RequestsMock() as rs:
        _mattermost(rs, token="a-different-token-value")
        vf = probe(mattermost(), url=BASE, creds={"token": "MM"}, env={"MM": TOKEN})
    reason = f"the member token was not accepted (HTTP 401 from {BASE}/api/v4/config/client)"
    assert state(vf, "webhooks.incoming") == ("unknown", None, reason)
    assert state(vf, "platform.version")[0] == "observed"  # the anonymous part still works
    assert vf.complete
    with responses.RequestsMock() as rs:
        rs.get(f"{BASE}/api/v4/config/client", json=full)
        rs.get(f"{BASE}/api/v4/plugins/webapp", json=[])
        rs.get(f"{BASE}/api/v4/license/client", json={"IsLicensed": "true"})
        rs.get(f"{BASE}/api/v4/system/ping", json={"status": "OK"})
        vf = probe(mattermost(), url=BASE, creds={"token": "MM"}, env={"MM": TOKEN})
    assert state(vf, "edit.window_minutes") == (
        "unknown", None, 'PostEditTimeLimit is "300", which the pack does not map (mapped: -1)')
    assert state(vf, "x-mattermost.post_edit_time_limit_seconds") == ("observed", 300, None)
    assert state(vf, "x-mattermost.webapp_plugins") == ("observed", [], None)
    assert state(vf, "x-mattermost.licensed") == ("observed", True, None)


def test_mattermost_plugins_switched_off_is_a_clear_no():
    with responses.RequestsMock() as rs:
        _mattermost(rs, plugins=False)
        vf = probe(mattermost(), url=BASE)
    assert state(vf, "x-mattermost.webapp_plugins") == ("observed", [], None)
    assert vf.facts["x-mattermost.webapp_plugins"].evidence.status == 501


@pytest.mark.parametrize("answer,reason", [
    ({"status": 403, "json": {"message": "Forbidden by proxy"}},
     f"HTTP 403 from {BASE}/api/v4/config/client (forbidden: the account lacks a permission)"),
    ({"status": 404, "body": "404 page not found"},
     f"no Mattermost API at this address (or a proxy hides /api/v4) (HTTP 404 from {BASE}/api/v4/config/client)"),
    ({"status": 200, "body": "<!doctype html><html><body>Sign in with SSO</body></html>",
      "content_type": "text/html"},
     f"HTTP 200 from {BASE}/api/v4/config/client was an HTML page (starts '<!doctype html><html')"),
    ({"status": 200, "json": {"error": "maintenance"}},
     f"Version is not in the answer of {BASE}/api/v4/config/client"),
])
def test_mattermost_api_hidden_gives_unknowns_with_reasons_never_absences(answer, reason):
    with responses.RequestsMock() as rs:
        rs.add(responses.GET, f"{BASE}/api/v4/config/client", **answer)
        for path in ("plugins/webapp", "license/client", "system/ping"):
            rs.add(responses.GET, f"{BASE}/api/v4/{path}", **answer)
        vf = probe(mattermost(), url=BASE, creds={"token": "MM"}, env={"MM": TOKEN})
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    if answer.get("json") == {"error": "maintenance"}:
        # A JSON answer that is not a client configuration: nothing is read from it either.
        assert observed == {}
        assert state(vf, "signup.open")[0] == "unknown" and state(vf, "sso.protocols")[0] == "unknown"
        assert state(vf, "platform.version") == ("unknown", None, reason)
        return
    assert observed == {}, observed  # no false, no empty list: only unknowns
    assert state(vf, "platform.version") == ("unknown", None, reason)
    assert state(vf, "signup.open")[0] == "unknown"
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------
def _mm_strategy() -> Strategy:
    return strategy_for([
        Vendor(name="Mattermost (anonymous)", platform="mattermost", url=BASE),
        Vendor(name="Mattermost (member)", platform="mattermost", url=BASE,
               credentials={"token": "ZAHNRAD_MATTERMOST_TOKEN"}),
    ])


def test_mattermost_recording_is_current_and_free_of_the_token(tmp_path):
    """The committed recording is what these fixtures record (ZAHNRAD_UPDATE_RECORDINGS=1 rewrites it)."""
    record_probe(_mm_strategy(), tmp_path, routes=_mattermost,
                 env={"ZAHNRAD_MATTERMOST_TOKEN": TOKEN})
    update_recordings(tmp_path, RECORDINGS)
    assert recorded_exchanges(tmp_path) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (TOKEN, "chat.acme.example",
                                   "3wLVZPiswc3DnaiaFoLkDvB4X0IV6CpMkj4tf2inJRsBY6"))  # scrubbed field
    assert json.loads((RECORDINGS / "Mattermost-member.json").read_text())["credentials"] == ["token"]


def test_mattermost_replay_gives_the_live_facts(tmp_path, monkeypatch):
    monkeypatch.setenv("ZAHNRAD_MATTERMOST_TOKEN", TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        _mattermost(rs)
        live = probe_strategy(_mm_strategy(), quiet=True)
    monkeypatch.delenv("ZAHNRAD_MATTERMOST_TOKEN")
    again = probe_strategy(_mm_strategy(), replay=RECORDINGS, quiet=True)
    for name in ("Mattermost (anonymous)", "Mattermost (member)"):
        assert fact_values(live.vendors[name]) == fact_values(again.vendors[name])
        assert again.vendors[name].complete
    assert again.vendors["Mattermost (member)"].facts["webhooks.incoming"].value is True
