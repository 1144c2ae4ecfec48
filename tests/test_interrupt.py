"""Nothing lost: a zahnrad process killed with SIGKILL leaves earlier runs intact and no
half-written file under a final name; an interrupted probe run resumes where it stopped.

Killing happens at the worst moments: while a vendor is still being probed (a server that holds
its answer), and while reports are written. ``ZAHNRAD_TEST_SLOW_WRITE=SECONDS`` (read in
``zahnrad.files.atomic_write``) pauses after a file's content is complete and before it is renamed
into place, so the kill lands while a ``.part`` file exists.

What remains after a kill: ``.NAME.XXXX.part`` files (hidden, beside the final names) from the
write that was cut; a later write of the same file removes those older than
``files.STALE_PART_SECONDS`` (10 minutes), never a fresh one another process may be writing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from faultserver import STATUS, FaultServer

from zahnrad.files import STALE_PART_SECONDS

DEMO = Path(__file__).resolve().parents[1] / "evaluator" / "demo"
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _zahnrad(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "zahnrad", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def _wait_for(condition, timeout: float = 30.0, what: str = "") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}: {condition.__doc__ or ''}")


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def _complete(name: str, data: bytes, reference: dict[str, bytes]) -> None:
    """A file under a final name is whole: the same as a complete run's, up to time stamps."""
    if name.endswith(".xlsx"):
        import io

        from openpyxl import load_workbook

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
        load_workbook(io.BytesIO(data), read_only=True).close()
        return
    assert STAMP.sub(b"T", data) == STAMP.sub(b"T", reference[name]), f"{name} differs from a complete run"


# ------------------------------------------------------------------ killed while probing


def _strategy(path: Path, url: str, slow: bool = True) -> Path:
    vendors = ""
    for name, prefix in (("Fast one", "fast1"), ("Fast two", "fast2"), ("Slow", "slow"))[:3 if slow else 2]:
        vendors += (f'[[vendors]]\nname = "{name}"\nplatform = "example"\nurl = "{url}/{prefix}"\n'
                    "timeout = 30\ndeadline = 40\n")
    path.write_text('[organisation]\nname = "Kill AG"\n[goals]\nparticipation = 5\nself_organisation = 1\n'
                    "knowledge_sharing = 1\nexternal_reach = 1\nadaptability = 1\n" + vendors)
    return path


@pytest.fixture
def server():
    s = FaultServer().start()
    yield s
    s.stop()


def test_killed_probe_run_keeps_finished_vendors_and_resumes_only_the_rest(server, tmp_path):
    release = threading.Event()

    def held(req):
        if release.wait(25):  # bounded: the test releases it for the resumed run
            req.send_json(STATUS)

    for prefix in ("fast1", "fast2"):
        server.routes[f"/{prefix}/status.json"] = lambda r: r.send_json(STATUS)
    server.routes["/slow/status.json"] = held
    strat = _strategy(tmp_path / "strategy.toml", server.url)
    earlier = tmp_path / "earlier"  # an earlier, complete probe run
    done = subprocess.run([sys.executable, "-m", "zahnrad", "probe",
                           str(_strategy(tmp_path / "fast.toml", server.url, slow=False)), "-o", str(earlier), "-q"],
                          timeout=30, capture_output=True)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    proc = _zahnrad("probe", str(strat), "-o", str(out), "-q")

    def two_saved() -> bool:
        try:
            data = json.loads((out / "facts.json").read_text())
        except (FileNotFoundError, ValueError):
            return False
        two_saved.__doc__ = f"{[(v['name'], v['problems']) for v in data['vendors']]}; {server.log}"
        return len(data["vendors"]) == 2 and len(server.requests_to("/slow/status.json")) >= 1

    _wait_for(two_saved, what="the fast vendors to be saved while the slow one is held", timeout=8)
    earlier_before = _files(earlier)
    _kill(proc)
    saved = json.loads((out / "facts.json").read_text())  # whole, parseable JSON
    assert [(v["name"], v["complete"]) for v in saved["vendors"]] == [("Fast one", True), ("Fast two", True)]
    assert sorted(p.name for p in out.iterdir()) == ["facts.json"]  # no fragment, no .part
    assert _files(earlier) == earlier_before

    # Resume: only the vendor that did not finish is probed again.
    release.set()
    fast_before = len(server.requests_to("/fast1/status.json")), len(server.requests_to("/fast2/status.json"))
    done = subprocess.run([sys.executable, "-m", "zahnrad", "probe", str(strat), "--resume", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote {out / 'facts.json'} (re-probed 1, kept 2)"
    assert (len(server.requests_to("/fast1/status.json")), len(server.requests_to("/fast2/status.json"))) \
        == fast_before
    final = json.loads((out / "facts.json").read_text())
    assert [(v["name"], v["complete"]) for v in final["vendors"]] == [
        ("Fast one", True), ("Fast two", True), ("Slow", True)]
    slow = next(v for v in final["vendors"] if v["name"] == "Slow")
    assert next(f for f in slow["facts"] if f["fact"] == "edit.anonymous")["value"] is True
    # the kept vendors are the very facts saved before the kill
    assert final["vendors"][:2] == saved["vendors"]


def test_resume_without_an_interrupted_run_is_one_clear_error(tmp_path):
    strat = _strategy(tmp_path / "strategy.toml", "http://127.0.0.1:9")
    done = subprocess.run([sys.executable, "-m", "zahnrad", "probe", str(strat), "--resume", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr == f"zahnrad: error: {tmp_path / 'none' / 'facts.json'}: file not found\n"


# ------------------------------------------------------------------ killed while writing reports


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A complete run of the demo inputs (all reports in outputs.RENDERERS)."""
    d = tmp_path_factory.mktemp("reference") / "run"
    done = subprocess.run([sys.executable, "-m", "zahnrad", "evaluate", str(DEMO / "strategy.toml"), "-o", str(d),
                           "--facts", str(DEMO / "facts.json"), "--answers", str(DEMO / "answers.csv"), "-q"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return d


def _evaluate_args(outdir: Path) -> list[str]:
    return ["evaluate", str(DEMO / "strategy.toml"), "-o", str(outdir), "--facts", str(DEMO / "facts.json"),
            "--answers", str(DEMO / "answers.csv"), "-q"]


def test_killed_while_writing_reports_leaves_no_half_file(reference, tmp_path):
    from zahnrad.outputs import RENDERERS

    earlier = tmp_path / "earlier"
    shutil.copytree(reference, earlier)
    earlier_before = _files(earlier)
    ref = _files(reference)
    assert set(RENDERERS) <= set(ref)
    run = tmp_path / "run"
    proc = _zahnrad(*_evaluate_args(run), env={"ZAHNRAD_TEST_SLOW_WRITE": "0.6"})
    # kill while the third file (the first report) sits complete in its .part, not yet renamed
    _wait_for(lambda: run.is_dir() and (run / "results.json").exists() and _parts(run), what="a report .part")
    _kill(proc)
    left = _files(run)
    parts = _parts(run)
    assert len(parts) == 1 and parts[0].startswith(".") and parts[0].endswith(".part")
    final = {n: b for n, b in left.items() if not n.endswith(".part")}
    assert {"facts.json", "results.json"} <= set(final) < set(ref)
    for name, data in final.items():
        _complete(name, data, ref)
    assert _files(earlier) == earlier_before

    # A later run completes the folder; it removes a .part left long ago, never a fresh one.
    old = time.time() - STALE_PART_SECONDS - 60
    os.utime(run / parts[0], (old, old))
    again = subprocess.run([sys.executable, "-m", "zahnrad", *_evaluate_args(run)], capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert _parts(run) == []
    for name, data in _files(run).items():
        _complete(name, data, ref)
    assert set(_files(run)) == set(ref)


def test_killed_while_re_rendering_a_run_in_place_keeps_every_report_whole(reference, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(reference, run)
    before = _files(run)
    proc = _zahnrad("report", str(run), "-o", str(run), env={"ZAHNRAD_TEST_SLOW_WRITE": "0.6"})
    seen_part: list[str] = []

    def second_part() -> bool:
        parts = _parts(run)
        if parts and parts[0] not in seen_part:
            seen_part.append(parts[0])
        return len(seen_part) >= 2

    _wait_for(second_part, what="the second report being written")
    _kill(proc)
    after = _files(run)
    ref = _files(reference)
    for name, data in after.items():
        if name.endswith(".part"):
            continue
        # each report is the old one or the new one, whole
        assert data == before[name] or STAMP.sub(b"T", data) == STAMP.sub(b"T", ref[name]) \
            or name.endswith(".xlsx"), name
        _complete(name, data, ref)
    assert set(n for n in after if not n.endswith(".part")) == set(before)
