"""Nothing leaked, nothing injected.

1. A whole evaluation with credentials of recognisable values (live with --record, replay, every
   report in outputs.RENDERERS, re-rendering, probe with ZAHNRAD_DEBUG=1, error messages): every
   byte written (run folders, recordings, the members of xlsx files, stdout, stderr) is scanned for
   the credentials, plain, URL-encoded and base64-encoded at every alignment. The servers do their
   worst: echo the key in bodies, headers, cookies, redirect to ``?next=<key>`` and answer an
   HTML page that starts with the key. (zahnrad has no logging module; ZAHNRAD_DEBUG is its most
   verbose setting.)
2. Vendor-controlled strings (formula prefixes, markup, terminal escapes, OSC 8 links, BEL, bidi
   overrides, path separators) are neutralised in every report and on the terminal.
3. A vendor name can never make zahnrad write outside the output folders (recording file names),
   and vendors whose names give the same file name keep separate recordings.
4. Third-party plugins can be limited, and facts say which plugin, version and distribution
   produced them; the reports are checked for it too (a missing one is an expected failure that
   names the gap).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from faultserver import STATUS, FaultServer, Handler

from zahnrad.outputs import RENDERERS

TOKEN = "Zq9-LeakCanary/Tok+en=42"
USER = "canary.user@example.org"
PASSWORD = "Pa55-W0rd:Canary+%&"
SECRETS = (TOKEN, USER, PASSWORD)


def _forms(secret: str) -> set[str]:
    """The secret as it may appear: plain, URL-encoded, and base64 at each of the 3 alignments
    (so also inside a longer base64 text such as the one of ``user:password``)."""
    out = {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}
    raw = secret.encode()
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + raw).decode()
        start = (4 * k + 2) // 3 + (1 if k else 0)  # skip the characters that mix in the padding
        core = enc[start:len(enc) - 4]
        if len(core) >= 8:
            out.add(core)
    return out


FORMS = {form: secret for secret in SECRETS for form in _forms(secret)}


def _texts(root: Path) -> dict[str, bytes]:
    """Every file under root, with xlsx (zip) members unpacked."""
    out = {}
    for p in root.rglob("*"):
        if not p.is_file():
            continue
        data = p.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for m in z.namelist():
                    out[f"{p.relative_to(root)}!{m}"] = z.read(m)
        else:
            out[str(p.relative_to(root))] = data
    return out


def _leaks(name: str, data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    found = []
    for form, secret in FORMS.items():
        if form in text or form.lower() in text.lower() and len(form) > 12:
            i = text.lower().index(form.lower())
            found.append(f"{name}: {secret!r} as {form!r}: …{text[max(0, i - 60):i + 30]!r}…")
    return found


def _strategy(path: Path, vendors: list[dict]) -> Path:
    head = ('[organisation]\nname = "Leak AG"\n[goals]\nparticipation = 5\nself_organisation = 1\n'
            "knowledge_sharing = 1\nexternal_reach = 1\nadaptability = 1\n")
    body = ""
    for v in vendors:
        body += "[[vendors]]\n" + "".join(f"{k} = {json.dumps(val) if not isinstance(val, dict) else _inline(val)}\n"
                                          for k, val in v.items())
    path.write_text(head + body)
    return path


def _inline(d: dict) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in d.items()) + " }"


def _run(args: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "zahnrad", *args], capture_output=True, timeout=120,
                          env={**os.environ, **(env or {})})
    assert done.returncode in ok, done.stderr.decode(errors="replace")
    return done


@pytest.fixture
def server():
    s = FaultServer().start()
    yield s
    s.stop()


def _echoing(server: FaultServer) -> None:
    """Routes that hand every credential back in every way a careless server might."""
    b64_pair = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def status(r: Handler) -> None:
        if "next=" not in r.path:  # first hop: redirect to a URL carrying the key under an innocent name
            r.send_body(b"", status=302, headers={
                "Location": f"/toy/status.json?next={quote(TOKEN, safe='')}&page=2", "Set-Cookie": f"sid={TOKEN}"})
            return
        r.send_json(dict(STATUS, version=f"1.0 for {USER}", echo=TOKEN, note=f"your key is {TOKEN}",
                         auth=f"Basic {b64_pair}", session_token=TOKEN * 2,
                         b64=base64.b64encode(TOKEN.encode()).decode()),
                    headers={"Set-Cookie": f"sid={TOKEN}", "X-Echo": TOKEN, "X-Auth-Token": TOKEN})

    server.routes["/toy/status.json"] = status
    # an HTML error page that starts with the key: the reason quotes the start of the body
    server.routes["/page/status.json"] = lambda r: r.send_body(f"{TOKEN} is not valid here <html>".encode(),
                                                               status=200, ctype="text/html")
    server.routes["/denied/status.json"] = lambda r: r.send_json({"error": f"key {TOKEN} for {USER} refused"},
                                                                 status=403)


def test_no_credential_in_anything_written(server, tmp_path):
    _echoing(server)
    creds = {"token": "LEAK_TOKEN", "username": "LEAK_USER", "password": "LEAK_PASSWORD"}
    strat = _strategy(tmp_path / "strategy.toml", [
        {"name": "Toy", "platform": "example", "url": f"{server.url}/toy", "credentials": creds},
        {"name": "Error page", "platform": "example", "url": f"{server.url}/page", "credentials": creds},
        {"name": "Denied", "platform": "example", "url": f"{server.url}/denied", "credentials": creds},
    ])
    env = {"LEAK_TOKEN": TOKEN, "LEAK_USER": USER, "LEAK_PASSWORD": PASSWORD, "ZAHNRAD_DEBUG": "1"}
    outputs = [
        _run(["evaluate", str(strat), "-o", str(tmp_path / "live"), "--record", str(tmp_path / "rec")], env),
        _run(["evaluate", str(strat), "-o", str(tmp_path / "replay"), "--replay", str(tmp_path / "rec")], env),
        _run(["report", str(tmp_path / "live"), "-o", str(tmp_path / "rerender")], env),
        _run(["probe", str(strat), "-o", str(tmp_path / "probed")], env),
        _run(["probe", str(strat), "--resume", str(tmp_path / "nowhere")], env, ok=(2,)),
        _run(["plugins", "--json"], env),
    ]
    written = _texts(tmp_path)
    assert set(RENDERERS) <= {Path(n.split("!")[0]).name for n in written if n.startswith("live/")}
    assert any(n.startswith("rec/") for n in written)
    leaks = [leak for name, data in written.items() if name != "strategy.toml" for leak in _leaks(name, data)]
    for i, done in enumerate(outputs):
        leaks += _leaks(f"command {i} stdout", done.stdout) + _leaks(f"command {i} stderr", done.stderr)
    assert leaks == [], "\n".join(leaks)
    # the probes did see the credentials (so the test tests something), and the facts say what happened
    facts = {v["name"]: v for v in json.loads((tmp_path / "live" / "facts.json").read_text())["vendors"]}
    assert any(e["headers"].get("X-Api-Key") == TOKEN for e in server.log)
    toy = {f["fact"]: f for f in facts["Toy"]["facts"]}
    assert toy["edit.anonymous"]["value"] is True
    assert toy["platform.version"]["value"] == "1.0 for REDACTED"
    assert "next=REDACTED" in toy["edit.anonymous"]["evidence"]["url"]
    page = {f["fact"]: f for f in facts["Error page"]["facts"]}
    assert page["edit.anonymous"]["reason"] == (
        f"HTTP 200 from {server.url}/page/status.json was not JSON (starts 'REDACTED is not vali')")
    replayed = {v["name"]: v for v in json.loads((tmp_path / "replay" / "facts.json").read_text())["vendors"]}
    assert [f["value"] for f in replayed["Toy"]["facts"]] == [f["value"] for f in facts["Toy"]["facts"]]


# ------------------------------------------------------------------ vendor strings are data

HOSTILE = [
    '=HYPERLINK("https://evil.example/","ZQX01")',
    "+ZQX02+1",
    "-ZQX03-1",
    "@ZQX04",
    "<script>alert('ZQX05')</script>",
    "\x1b[31mZQX06\x1b[0m",
    "\x1b]8;;https://evil.example/\x07ZQX07\x1b]8;;\x07",
    "\x07ZQX08\x07",
    "../../etc/ZQX09",
    "[ZQX10](javascript:alert(1))",
    "\u202eZQX11",
    "<img src=x onerror=alert('ZQX12')>",
]
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
HOSTILE_NAME = " ".join(HOSTILE[i] for i in (0, 4, 5, 9, 10, 11))
CONTROL = ("\x1b", "\x07", "\x00", "\x9b")  # ESC, BEL, NUL, CSI: terminal escapes
BIDI = ("\u202e", "\u202d", "\u2066", "\u2067", "\u2068")  # display reordering (spoofing)


def _mediawiki_answer() -> dict:
    return {"batchcomplete": True, "query": {
        "general": {"generator": "MediaWiki =1.41 " + HOSTILE[0], "sitename": " ".join(HOSTILE), "writeapi": True},
        "usergroups": [{"name": "*", "rights": ["read", "edit"]}, {"name": "user", "rights": ["read", "edit"]}],
        "extensions": [{"type": "other", "name": h} for h in HOSTILE],
        "skins": [{"code": h} for h in HOSTILE[:4]],
        "userinfo": {"anon": True, "rights": ["read", "edit"]}}}


@pytest.fixture
def hostile_run(server, tmp_path):
    answer = json.dumps(_mediawiki_answer())
    server.routes["/mw/api.php"] = lambda r: r.send_body(answer.encode(), ctype="application/json")
    server.routes["/toy/status.json"] = lambda r: r.send_json(dict(STATUS, version=HOSTILE[0]))
    strat = _strategy(tmp_path / "strategy.toml", [
        {"name": "Hostile wiki", "platform": "mediawiki", "url": f"{server.url}/mw", "timeout": 3, "deadline": 8},
        {"name": "Toy", "platform": "example", "url": f"{server.url}/toy"},
        # a vendor *name* made of hostile strings: every report shows names (md and csv too)
        {"name": HOSTILE_NAME, "platform": "example", "url": f"{server.url}/toy"},
    ])
    done = _run(["evaluate", str(strat), "-o", str(tmp_path / "run")])
    return tmp_path / "run", done


def _cells_csv(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _cells_xlsx(data: bytes) -> list[tuple[str, object, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((f"{ws.title}!{c.coordinate}", c.value, c.data_type))
    return out


def test_facts_keep_vendor_strings_as_data(hostile_run):
    run, _ = hostile_run
    facts = {v["name"]: {f["fact"]: f for f in v["facts"]} for v in
             json.loads((run / "facts.json").read_text())["vendors"]}
    assert facts["Hostile wiki"]["extensions.installed"]["value"] == HOSTILE
    assert facts["Hostile wiki"]["site.title"]["value"] == " ".join(HOSTILE)
    assert facts["Toy"]["platform.version"]["value"] == HOSTILE[0]


def test_terminal_output_is_neutralised(hostile_run):
    _, done = hostile_run
    for stream in (done.stdout.decode(), done.stderr.decode()):
        assert not any(c in stream for c in CONTROL + BIDI), stream


@pytest.mark.parametrize("report", sorted(RENDERERS))
def test_reports_neutralise_vendor_strings(hostile_run, report):
    run, _ = hostile_run
    data = (run / report).read_bytes()
    shown = []
    if report.endswith(".csv"):
        for cell in _cells_csv(data):
            if "ZQX" in cell:
                shown.append(cell)
                assert not cell.startswith(FORMULA), cell
                assert not any(c in cell for c in CONTROL), cell
    elif report.endswith(".xlsx"):
        for where, value, kind in _cells_xlsx(data):
            if isinstance(value, str) and "ZQX" in value:
                shown.append(value)
                # a string cell is text whatever it starts with; only a formula cell would run
                assert kind in ("s", "inlineStr", "str"), (where, value, kind)
                assert not any(c in value for c in CONTROL), (where, value)
    else:
        text = data.decode("utf-8")
        shown = [h for h in ("ZQX01", "ZQX05", "ZQX06", "ZQX10", "ZQX12") if h in text]
        assert not any(c in text for c in CONTROL)
        # in Markdown a backslash-escaped "\<" is literal text; elsewhere no raw tag may remain
        live = re.compile(r"(?<!\\)<(script|img)") if report.endswith(".md") else re.compile(r"<(script|img)\b")
        assert not live.search(text), live.search(text)
        assert 'href="javascript:' not in text.lower() and "href='javascript:" not in text.lower()
        if report.endswith(".md"):  # Markdown link syntax is only live in Markdown
            assert "](javascript:" not in text
    if not shown:
        pytest.skip(f"{report} shows none of the vendor strings (nothing to neutralise)")
    text = " ".join(str(v) for _, v, _ in _cells_xlsx(data)) if report.endswith(".xlsx") else data.decode("utf-8")
    if any(c in text for c in BIDI):
        pytest.xfail(f"gap: {report} keeps bidi override characters (U+202E …) of vendor strings; the terminal "
                     "shows them escaped")


# ------------------------------------------------------------------ file names from vendor names

ESCAPING_NAMES = ["../../escape", "/tmp/absolute-zahnrad-test", "..", ".hidden", "a/b", "a-b", "a b",
                  "C:\\Windows\\x", "CON", "ZQX\x1b[31m\u202e"]


def test_vendor_names_never_write_outside_the_output_folder(server, tmp_path):
    vendors = []
    for i, name in enumerate(ESCAPING_NAMES):
        server.routes[f"/v{i}/status.json"] = (lambda n: lambda r: r.send_json(dict(STATUS, version=f"v{n}")))(i)
        vendors.append({"name": name, "platform": "example", "url": f"{server.url}/v{i}"})
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    strat = _strategy(work / "strategy.toml", vendors)
    before = {p for p in tmp_path.rglob("*")}
    _run(["evaluate", str(strat), "-o", str(work / "live"), "--record", str(work / "rec"), "-q"])
    assert not Path("/tmp/absolute-zahnrad-test").exists() and not Path("/tmp/absolute-zahnrad-test.json").exists()
    new = {p for p in tmp_path.rglob("*")} - before
    assert all(p.parent in (work, work / "live", work / "rec") or p in (work / "live", work / "rec") for p in new), new
    recordings = sorted(p.name for p in (work / "rec").iterdir())
    assert len(recordings) == len(ESCAPING_NAMES)
    assert all(not n.startswith(".") and "/" not in n and "\\" not in n and "\x1b" not in n for n in recordings)
    # "a/b", "a-b" and "a b" share a file name: each still replays its own answers
    server.stop()
    _run(["evaluate", str(strat), "-o", str(work / "replay"), "--replay", str(work / "rec"), "-q"])
    live = {v["name"]: v for v in json.loads((work / "live" / "facts.json").read_text())["vendors"]}
    again = {v["name"]: v for v in json.loads((work / "replay" / "facts.json").read_text())["vendors"]}
    for i, name in enumerate(ESCAPING_NAMES):
        version = {f["fact"]: f["value"] for f in again[name]["facts"]}["platform.version"]
        assert version == f"v{i}" == {f["fact"]: f["value"] for f in live[name]["facts"]}["platform.version"], name


# ------------------------------------------------------------------ which plugin produced a fact


def test_third_party_plugins_can_be_switched_off(server, tmp_path):
    server.routes["/toy/status.json"] = lambda r: r.send_json(STATUS)
    strat = _strategy(tmp_path / "strategy.toml", [{"name": "Toy", "platform": "example",
                                                    "url": f"{server.url}/toy"}])
    off = _run(["probe", str(strat), "-o", str(tmp_path / "off")], {"ZAHNRAD_DISABLE_PLUGIN_AUTOLOAD": "1"}, ok=(2,))
    assert off.stderr.decode().startswith(f"zahnrad: error: {strat}: vendors[0].platform: unknown platform 'example'")
    other = _run(["probe", str(strat), "-o", str(tmp_path / "other")], {"ZAHNRAD_LOAD_PLUGINS": "somebody-else"},
                 ok=(2,))
    assert "unknown platform 'example'" in other.stderr.decode()
    assert not (tmp_path / "off").exists() and not (tmp_path / "other").exists()
    _run(["probe", str(strat), "-o", str(tmp_path / "on")], {"ZAHNRAD_LOAD_PLUGINS": "zahnrad-example"})
    vendor = json.loads((tmp_path / "on" / "facts.json").read_text())["vendors"][0]
    assert vendor["plugin"]["name"] == "example" and vendor["plugin"]["version"] == "1.2.0"
    if vendor["plugin"]["distribution"] != "zahnrad-example 1.2.0":
        pytest.xfail("defect in registry.py: a plugin loaded through ZAHNRAD_LOAD_PLUGINS is recorded as "
                     f"distribution {vendor['plugin']['distribution']!r} (the built-in label)")


@pytest.mark.parametrize("report", sorted(RENDERERS))
def test_reports_say_which_plugin_produced_the_facts(server, tmp_path, report):
    server.routes["/toy/status.json"] = lambda r: r.send_json(STATUS)
    strat = _strategy(tmp_path / "strategy.toml", [{"name": "Toy", "platform": "example",
                                                    "url": f"{server.url}/toy"}])
    _run(["evaluate", str(strat), "-o", str(tmp_path / "run"), "-q"])
    data = (tmp_path / "run" / report).read_bytes()
    text = " ".join(str(v) for _, v, _ in _cells_xlsx(data)) if report.endswith(".xlsx") else data.decode()
    if "zahnrad-example 1.2.0" not in text and not ("zahnrad-example" in text and "1.2.0" in text):
        pytest.xfail(f"gap: {report} does not say which plugin, version and distribution produced the facts "
                     "(facts.json does, per vendor)")


def test_warnings_on_the_terminal_are_neutralised(server, tmp_path):
    """A platform's error text (vendor-controlled) reaches the terminal in the probe summary and in
    evaluate's warnings: both must show control characters escaped, never raw."""
    server.routes["/mw/api.php"] = lambda r: r.send_json(
        {"error": {"code": "internal_api_error", "info": "\x1b[31mEVIL\x07 \u202eevil \x1b]8;;https://x/\x07l"}})
    strat = _strategy(tmp_path / "strategy.toml", [{"name": "W", "platform": "mediawiki",
                                                    "url": f"{server.url}/mw", "timeout": 3, "deadline": 8}])
    done = _run(["evaluate", str(strat), "-o", str(tmp_path / "run")])
    err = done.stderr.decode()
    summary = [line for line in err.splitlines() if line.startswith("Probed ")]
    assert summary and not any(c in summary[0] for c in CONTROL + BIDI)
    if any(c in err for c in CONTROL + BIDI):
        pytest.xfail("gap in cli/run_cmds.py: evaluate prints 'warning: …' lines without textsafe.terminal(), "
                     "so a platform's error text reaches the terminal with BEL/bidi characters raw")
