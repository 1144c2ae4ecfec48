"""Discourse, as a declarative probe pack (``discourse.pack.toml`` beside this module).

The whole probe is data: basic info, site and about documents (anonymous, or as a member when
the forum requires a login), and with an administrator's key the plugins and webhooks, each read
with a JMESPath expression. This module only registers the pack, as a third-party package would.
"""

from __future__ import annotations

from pathlib import Path

from zahnrad.hookspecs import hookimpl


@hookimpl
def zahnrad_register_packs(register):
    register(str(Path(__file__).with_name("discourse.pack.toml")))
