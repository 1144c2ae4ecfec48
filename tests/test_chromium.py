"""report.html in a real browser (headless Chromium): payloads do not run, nothing is loaded.

Chromium's --dump-dom prints the DOM after the page has loaded (and, with a virtual time budget,
after any event handlers would have fired), so a payload that ran would show as a changed title
or attribute. Console messages go to stderr with --enable-logging=stderr: a Content-Security-
Policy violation there would mean the page tried to load or run something.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_html import SCRIPT_VENDOR, xss_run

from zahnrad.outputs import write_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("ZAHNRAD_REQUIRE_SERVERS") == "1":
        raise RuntimeError("chromium is required (ZAHNRAD_REQUIRE_SERVERS=1) but not installed")
    pytest.skip("chromium not installed (apt-get install chromium)", allow_module_level=True)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--disable-default-apps", "--disable-extensions",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("chromium")
    results, facts = xss_run(tmp)
    write_run(results, facts, tmp / "run", "en")
    return tmp / "run" / "report.html"


def dump(tmp_path: Path, page: Path) -> tuple[str, str]:
    proc = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


def assert_nothing_ran(dom: str) -> None:
    assert "XSS-" not in dom  # no payload changed the title, an attribute or the text
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and title.group(1).startswith("Social intranet evaluation – Muster &lt;svg")
    assert not re.search(r"<(script|img|iframe)\b", dom, re.I)
    assert "data-x=" not in dom
    # the payload is on the page as text
    assert "Evil &lt;script&gt;document.title='X'+'SS-SCRIPT'" in dom


def test_payloads_do_not_run_and_nothing_is_loaded(tmp_path, report):
    dom, log = dump(tmp_path, report)
    assert_nothing_ran(dom)
    assert "Content Security Policy" not in log, log  # nothing even tried to load or run
    assert SCRIPT_VENDOR.split("<")[0].strip() in dom


def test_escaping_alone_stops_the_payloads(tmp_path, report):
    """Without the CSP safety net the page must still be inert: the escaping does the work."""
    page = tmp_path / "no-csp.html"
    html = report.read_text()
    page.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html))
    assert "Content-Security-Policy" not in page.read_text()
    dom, _ = dump(tmp_path, page)
    assert_nothing_ran(dom)


def test_screenshot(tmp_path, report):
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, "--hide-scrollbars", "--window-size=1280,2000",
                    f"--screenshot={shot}", report.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered page, not blank
    print(f"screenshot: {shot}")
