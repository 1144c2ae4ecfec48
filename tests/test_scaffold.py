"""``zahnrad plugin new``: the package it writes installs, is listed, passes the kit and evaluates.

The end-to-end test installs each generated package into this venv (``pip install -e``), runs
the package's own tests (the conformance kit through the pytest plugin), ``zahnrad plugins``,
``zahnrad plugin check`` and ``zahnrad evaluate`` on it, and uninstalls it at the end. Names carry
the process id, so two test runs in one venv never touch each other's package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest

from zahnrad.errors import InputError
from zahnrad.scaffold import new_plugin

PIP = [sys.executable, "-m", "pip"]
PREFIX = "zahnrad-scaf-"


def run(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, timeout=300)
    if check and out.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {out.returncode}\n{out.stdout}\n{out.stderr}")
    return out


def _remove_stale() -> None:
    """Uninstall scaffold packages left by a killed run (their folder is gone: imports would fail)."""
    for dist in metadata.distributions():
        name = dist.metadata["Name"] or ""
        if not name.startswith(PREFIX):
            continue
        direct = dist.read_text("direct_url.json")
        where = json.loads(direct).get("url", "").removeprefix("file://") if direct else ""
        if where and not Path(where).exists():
            run(*PIP, "uninstall", "-y", "-q", name, check=False)


@pytest.fixture(scope="module", params=["pack", "python"])
def installed(request):
    flavour = request.param
    name = f"scaf_{flavour}_{os.getpid()}"
    # Not under pytest's basetemp: a concurrent pytest session in this venv may prune old
    # basetemp folders while the package is installed from here.
    base = Path(tempfile.mkdtemp(prefix=f"zahnrad-scaffold-{flavour}-"))
    root = base / "plugin"
    zahnrad = Path(sys.executable).with_name("zahnrad")
    run(str(zahnrad), "plugin", "new", name, f"--{flavour}", "-o", str(root),
        "--display-name", f"Scaffold {flavour}", "--kind", "wiki")
    _remove_stale()
    dist = f"zahnrad-scaf-{flavour}-{os.getpid()}"
    run(*PIP, "install", "-q", "--no-deps", "-e", str(root))
    try:
        yield name, root, zahnrad
    finally:
        run(*PIP, "uninstall", "-y", "-q", dist, check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_scaffolded_plugin_is_listed_passes_the_kit_and_evaluates(installed, tmp_path):
    name, root, zahnrad = installed
    # Listed by `zahnrad plugins` right after pip install -e.
    rows = {r["platform"]: r for r in json.loads(run(str(zahnrad), "plugins", "--json").stdout)}
    assert rows[name]["source"] == f"zahnrad-{name.replace('_', '-')} 0.1.0"
    assert rows[name]["kind"] == "wiki" and rows[name]["display_name"].startswith("Scaffold ")
    # The package's own tests: the conformance kit through the pytest11 plugin.
    out = run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=root)
    assert "2 passed" in out.stdout
    # The same checks from the command line.
    out = run(str(zahnrad), "plugin", "check", name, "--replay", "tests/recordings", cwd=root)
    assert out.stdout.rstrip().endswith("all 8 checks passed")
    # And in an evaluation, replayed from the placeholder recording.
    run(str(zahnrad), "evaluate", "strategy.toml", "-o", str(tmp_path / "run"), "--replay",
        "tests/recordings", "-q", cwd=root)
    facts = json.loads((tmp_path / "run" / "facts.json").read_text())["vendors"][0]
    by_name = {f["fact"]: f for f in facts["facts"]}
    assert facts["complete"] and facts["plugin"]["name"] == name
    assert by_name["platform.version"]["value"] == "0.0.0-placeholder"
    assert by_name["edit.anonymous"] == {**by_name["edit.anonymous"], "value": False, "source": "observed"}
    assert by_name["edit.member"]["source"] == "unknown"
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    assert [v["name"] for v in results["vendors"]] == [name]


def test_the_generated_test_really_checks(installed):
    """An x- fact of its own platform passes; one named for another platform fails, readably.

    (Edits that keep the registry loadable: other test runs share this venv.)
    """
    name, root, _ = installed
    module = root / f"zahnrad_{name}"
    pytest_run = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    if (module / f"{name}.pack.toml").exists():
        target, old, new = module / f"{name}.pack.toml", 'name = "edit.member"', f'name = "x-{name}.member_edit"'
    else:
        target, old, new = module / "__init__.py", '"edit.member")', '"edit.member", "x-other.member")'
    good = target.read_text()
    assert old in good
    try:
        target.write_text(good.replace(old, new))
        out = run(*pytest_run, cwd=root, check=False)
        if new.startswith("name"):
            assert "2 passed" in out.stdout, out.stdout
        else:
            assert out.returncode == 1
            assert "FAIL  catalog" in out.stdout
            assert f"named in Platform.facts: x-other.member: platform-specific facts are named x-{name}.NAME" \
                in out.stdout
    finally:
        target.write_text(good)


# -- without installing ---------------------------------------------------------------------------
@pytest.mark.parametrize("flavour,files", [
    ("pack", {".gitignore", "README.md", "pyproject.toml", "strategy.toml", "tests/test_conformance.py",
              "tests/recordings/toy.json", "zahnrad_toy/__init__.py", "zahnrad_toy/toy.pack.toml"}),
    ("python", {".gitignore", "README.md", "pyproject.toml", "strategy.toml", "tests/test_conformance.py",
                "tests/recordings/toy.json", "zahnrad_toy/__init__.py"}),
])
def test_files_written(tmp_path, flavour, files):
    written = new_plugin("toy", tmp_path / "p", flavour=flavour)
    assert {p.relative_to(tmp_path / "p").as_posix() for p in written} == files
    pyproject = (tmp_path / "p" / "pyproject.toml").read_text()
    assert '[project.entry-points.zahnrad]\ntoy = "zahnrad_toy"' in pyproject
    assert 'name = "zahnrad-toy"' in pyproject
    assert oct((tmp_path / "p" / "README.md").stat().st_mode & 0o777) == "0o644"
    compile((tmp_path / "p" / "zahnrad_toy" / "__init__.py").read_text(), "__init__.py", "exec")
    readme = (tmp_path / "p" / "README.md").read_text()
    assert "zahnrad plugin check toy --replay tests/recordings" in readme
    assert "ZAHNRAD_TOY_TOKEN" in readme


def test_generated_pack_and_strategy_are_valid(tmp_path):
    from zahnrad.packs import load_pack
    from zahnrad.strategy import load_strategy

    new_plugin("toy", tmp_path / "p", display_name="Toy Wiki", kind="wiki")
    p = load_pack(tmp_path / "p" / "zahnrad_toy" / "toy.pack.toml")
    assert (p.name, p.display_name, p.kind) == ("toy", "Toy Wiki", "wiki")
    s = load_strategy(tmp_path / "p" / "strategy.toml", {"toy": "toy"})
    assert s.vendors[0].name == "toy" and s.vendors[0].credentials == {}


@pytest.mark.parametrize("name,kw,place", [
    ("Toy Wiki", {}, "NAME"),
    ("1toy", {}, "NAME"),
    ("toy", {"kind": "blog"}, "--kind"),
    ("toy", {"display_name": 'Toy "Wiki"'}, "--display-name"),
])
def test_bad_names_are_refused(tmp_path, name, kw, place):
    with pytest.raises(InputError) as e:
        new_plugin(name, tmp_path / "p", **kw)
    assert e.value.place == place
    assert not (tmp_path / "p").exists()


def test_never_overwrites(tmp_path, capsys):
    from zahnrad.cli import main

    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine")
    assert main(["plugin", "new", "toy", "-o", str(tmp_path / "p")]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["keep.txt"]
    assert main(["plugin", "new", "toy", "-o", str(tmp_path / "q")]) == 0
    assert "zahnrad plugin check toy --replay tests/recordings" in capsys.readouterr().out
