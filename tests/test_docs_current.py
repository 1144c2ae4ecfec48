"""The plugin author's docs cannot rot: generated pages are current, the tutorial's plugin works.

- ``docs/fact-catalog.md`` and the generated blocks of ``docs/writing-plugins.md`` (hook
  reference, quoted files of the example plugin) equal what ``python -m zahnrad.catalog_doc``
  renders now;
- the tutorial's plugin ``docs/examples/toywiki`` is installed in this venv (the Makefile's test
  install), listed, passes its own tests and ``zahnrad plugin check`` — live against its toy
  server and offline from its committed recording, which is what the toy server records today;
- every ``zahnrad`` command line in the guide parses.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from zahnrad.catalog_doc import outdated, render_fact_catalog

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "writing-plugins.md"
TOYWIKI = ROOT / "docs" / "examples" / "toywiki"
REGENERATE = "run `python -m zahnrad.catalog_doc` and commit the result"


def test_generated_pages_are_current():
    stale = outdated(ROOT)
    assert not stale, f"out of date: {', '.join(str(p.relative_to(ROOT)) for p in stale)}: {REGENERATE}"


def test_fact_catalog_page_lists_every_fact_with_its_type():
    from zahnrad.catalog import load_catalog

    page = render_fact_catalog()
    for f in load_catalog().facts.values():
        assert re.search(rf"^\| `{re.escape(f.name)}` \| {f.type} \|", page, re.M), f.name


def test_hook_reference_has_one_example_per_hook():
    from zahnrad import hookspecs

    guide = GUIDE.read_text()
    hooks = [n for n in dir(hookspecs) if n.startswith("zahnrad_")]
    assert hooks
    for name in hooks:
        section = guide.split(f"### `{name}(", 1)[1].split("\n### ", 1)[0]
        assert f"def {name}(register):" in section, name


def _toywiki_installed() -> None:
    try:
        dist = metadata.distribution("zahnrad-toywiki")
    except metadata.PackageNotFoundError:
        pytest.fail("the tutorial plugin is not installed: pip install -e docs/examples/toywiki "
                    "(the Makefile's test install does it)")
    url = json.loads(dist.read_text("direct_url.json") or "{}").get("url", "")
    assert url.removeprefix("file://") == str(TOYWIKI), f"zahnrad-toywiki is installed from {url}"


def test_tutorial_plugin_is_listed_and_its_own_tests_pass():
    _toywiki_installed()
    zahnrad = Path(sys.executable).with_name("zahnrad")
    rows = {r["platform"]: r for r in json.loads(subprocess.run(
        [str(zahnrad), "plugins", "--json"], capture_output=True, text=True, check=True).stdout)}
    assert rows["toywiki"]["source"] == "zahnrad-toywiki 1.0.0"
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                         capture_output=True, text=True, cwd=TOYWIKI)
    assert out.returncode == 0 and "2 passed" in out.stdout, out.stdout + out.stderr


def test_tutorial_check_output_is_what_the_guide_shows():
    _toywiki_installed()
    zahnrad = Path(sys.executable).with_name("zahnrad")
    out = subprocess.run([str(zahnrad), "plugin", "check", "toywiki", "--replay", "tests/recordings"],
                         capture_output=True, text=True, cwd=TOYWIKI, env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip() in GUIDE.read_text()


def test_tutorial_recording_is_what_the_toy_server_answers(tmp_path):
    """Live check against the toy server, recording as the tutorial does; same exchanges as committed."""
    _toywiki_installed()
    sys.path.insert(0, str(TOYWIKI))
    try:
        from toyserver import serve_in_thread
    finally:
        sys.path.remove(str(TOYWIKI))
    from zahnrad.conformance import check_platform

    server, url = serve_in_thread(token="demo-token")
    try:
        report = check_platform("toywiki", url=url, record=tmp_path,
                                environ={"ZAHNRAD_TOYWIKI_TOKEN": "demo-token"})
    finally:
        server.shutdown()
    assert report.ok, report.text()
    facts = report.runs["toywiki"].facts
    assert facts["edit.member"].value is True and facts["signup.open"].value is False

    def exchanges(p: Path) -> list:
        return [{k: v for k, v in ex.items() if k != "time"} for ex in json.loads(p.read_text())["exchanges"]]

    assert exchanges(tmp_path / "toywiki.json") == exchanges(TOYWIKI / "tests" / "recordings" / "toywiki.json")


def test_tutorial_comments_switched_off_is_a_clear_no():
    sys.path.insert(0, str(TOYWIKI))
    try:
        from toyserver import serve_in_thread
    finally:
        sys.path.remove(str(TOYWIKI))
    from zahnrad.catalog import load_catalog
    from zahnrad.packs import load_pack
    from zahnrad.runner import probe_vendor
    from zahnrad.strategy import Vendor

    server, url = serve_in_thread(comments=False)
    try:
        plat = load_pack(TOYWIKI / "zahnrad_toywiki" / "toywiki.pack.toml")
        vf = probe_vendor(Vendor(name="t", platform="toywiki", url=url), plat, load_catalog(), environ={})
    finally:
        server.shutdown()
    assert (vf.facts["social.comments"].source, vf.facts["social.comments"].value) == ("observed", False)
    assert vf.facts["social.comments"].evidence.status == 404
    assert vf.facts["edit.member"].reason == (
        "needs the 'token' credential, which the strategy does not give for this vendor")


def test_every_command_in_the_guide_parses():
    from zahnrad.cli import main

    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(), re.S)
    lines = [ln.split("#")[0].strip() for b in blocks for ln in b.splitlines()]
    commands = [shlex.split(ln)[1:] for ln in lines if ln.startswith("zahnrad ")]
    assert len(commands) >= 4
    for args in commands:
        assert main([*args, "--help"]) == 0, args
