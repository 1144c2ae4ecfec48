"""docs/platforms.md covers every built-in platform and is what its generator renders today.

The page's tables are made by replaying the committed recordings (docs/gen_platforms.py), so a
new plugin, a changed plugin or a new recording without a refreshed page fails here.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from zahnrad.registry import BUILTIN, registry

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "platforms.md"
GENERATOR = ROOT / "docs" / "gen_platforms.py"
REGENERATE = "run `.venv/bin/python docs/gen_platforms.py` and commit docs/platforms.md"


def builtins() -> list[str]:
    return sorted(n for n, p in registry().items() if p.distribution.startswith(BUILTIN))


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_platforms", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_rows(text: str) -> dict[str, list[str]]:
    """Platform name (from the link to its page) -> the cells of its row."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| \[[^\]]+\]\(platforms/([a-z0-9_-]+)\.md\) \|", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    return rows


def test_builtin_platforms_are_discovered():
    assert len(builtins()) >= 15, builtins()  # discovery works (15 when this page was written)


@pytest.mark.parametrize("name", builtins())
def test_every_builtin_platform_has_a_row_and_a_page(name):
    rows = table_rows(PAGE.read_text("utf-8"))
    assert name in rows, f"{name} has no row in docs/platforms.md: {REGENERATE}"
    assert (ROOT / "docs" / "platforms" / f"{name}.md").is_file(), f"docs/platforms/{name}.md is missing"
    plat = registry()[name]
    cells = rows[name]
    assert len(cells) == 7 and cells[1] == plat.kind
    assert cells[2] in ("Python", "probe pack", "pack + Python")


def test_page_is_what_the_generator_renders(gen):
    text = PAGE.read_text("utf-8")
    assert text.count("<!-- generated:") == 2
    assert gen.refresh(text) == text, f"docs/platforms.md is out of date: {REGENERATE}"


def test_rows_show_what_the_recordings_show(gen):
    """Spot checks with real values: levels add up, keys are named, docs fill the gaps."""
    rows = table_rows(PAGE.read_text("utf-8"))
    # Mattermost: the limited configuration anonymously, the full one with a member's token.
    anon, member, admin = rows["mattermost"][3:6]
    assert "platform.version" in anon and "signup.open" in anon and "webhooks" not in anon
    assert member.startswith("`token`: ") and "webhooks.incoming" in member
    assert "platform.version" not in member  # a level lists only what it adds
    assert admin.startswith("*from the plugin docs:*")
    # Discourse: the admin's own keys, not the member's.
    assert rows["discourse"][5].startswith("`admin_api_key`+`admin_username`: ")
    assert "extensions.installed" in rows["discourse"][5]
    # Matrix: either credential form unlocks the member level.
    assert rows["matrix"][4].startswith("`username`+`password` or `access_token`: ")
    # SaaS: nothing anonymously; what the demo recording lacks comes from the docs, marked so.
    assert rows["slack"][3].startswith("*from the plugin docs:* nothing")
    assert "*from the plugin docs:*" in rows["microsoft365"][5] and "apps.catalogue" in rows["microsoft365"][5]
    # Declared facts are listed apart from the levels.
    assert "licence.model" in rows["mattermost"][6] and "licence.model" not in anon


def test_plugin_form_follows_the_plugin_files(gen):
    rows = table_rows(PAGE.read_text("utf-8"))
    for name in builtins():
        pack = (ROOT / "plugins" / f"{name}.pack.toml").exists()
        assert (rows[name][2] != "Python") == pack, name
    assert rows["zulip"][2] == "pack + Python" and rows["mattermost"][2] == "probe pack"
