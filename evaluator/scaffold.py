"""``zahnrad plugin new``: a pip-installable plugin package that passes the conformance kit as made.

The package has the ``zahnrad`` entry point (so ``pip install -e .`` makes ``zahnrad plugins``
list it at once), a probe pack or a Python probe skeleton, a README with the steps to take, a
strategy for recording a test instance, a placeholder recording and a test that runs the
conformance kit on it. Templates live in ``zahnrad/templates/scaffold/``.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import InputError
from .platforms import KINDS

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FLAVOURS = ("pack", "python")


def package_names(name: str) -> tuple[str, str]:
    """(distribution, module) for platform ``name``: ("zahnrad-toy-wiki", "zahnrad_toy_wiki")."""
    return f"zahnrad-{name.replace('_', '-')}", f"zahnrad_{name}"


def new_plugin(name: str, directory: str | Path | None = None, *, flavour: str = "pack",
               display_name: str | None = None, kind: str = "other") -> list[Path]:
    """Write a new plugin package for platform ``name``; returns the files written.

    Refuses a name that is not a valid platform name and a target folder that is not empty, so
    nothing is ever overwritten.
    """
    import jinja2

    from .facts import now_iso

    if not NAME.match(name):
        raise InputError(None, "NAME", f"{name!r} is not a platform name: lower-case letters, digits "
                                       "and _, starting with a letter (e.g. toywiki)")
    if flavour not in FLAVOURS:
        raise InputError(None, "--flavour", f"{flavour!r} (use pack or python)")
    if kind not in KINDS:
        raise InputError(None, "--kind", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    if display_name is not None and (not display_name.strip() or re.search(r'["\\\x00-\x1f]', display_name)):
        raise InputError(None, "--display-name", "use plain text without quotes or backslashes")
    dist, module = package_names(name)
    target = Path(directory) if directory is not None else Path(dist)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(target, None, "already exists and is not empty (choose another folder with -o)")
    context = {
        "name": name, "dist": dist, "module": module, "flavour": flavour, "kind": kind,
        "display_name": display_name or name.replace("_", " ").title(), "kinds": ", ".join(KINDS),
        "env_token": f"ZAHNRAD_{name.upper()}_TOKEN", "zahnrad_version": __version__,
        "now": now_iso(),
    }
    files = {
        "pyproject.toml": "common/pyproject.toml.j2",
        "README.md": "common/README.md.j2",
        "strategy.toml": "common/strategy.toml.j2",
        ".gitignore": "common/gitignore.j2",
        "tests/test_conformance.py": "common/tests/test_conformance.py.j2",
        f"tests/recordings/{name}.json": "common/tests/recording.json.j2",
        f"{module}/__init__.py": f"{flavour}/__init__.py.j2",
    }
    if flavour == "pack":
        files[f"{module}/{name}.pack.toml"] = "pack/platform.pack.toml.j2"
    templates = resources.files("zahnrad").joinpath("templates/scaffold")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)  # noqa: S701 - code and TOML, not HTML
    written = []
    for rel, template in files.items():
        text = env.from_string(templates.joinpath(template).read_text("utf-8")).render(context)
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
