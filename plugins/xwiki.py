"""XWiki, as a declarative probe pack (``xwiki.pack.toml`` beside this module).

The REST API answers JSON to plain GETs (``?media=json``), guests and members (HTTP Basic) alike;
each fact prefers the member's view and falls back to the guest's. This module only registers
the pack, exactly as a third-party package would.
"""

from __future__ import annotations

from pathlib import Path

from zahnrad.hookspecs import hookimpl


@hookimpl
def zahnrad_register_packs(register):
    register(str(Path(__file__).with_name("xwiki.pack.toml")))
