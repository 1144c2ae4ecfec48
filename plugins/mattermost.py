"""Mattermost, as a declarative probe pack (``mattermost.pack.toml`` beside this module).

The whole probe is data: the client configuration (anonymous and, with a member token, the full
one), web-app plugins, the licence flag and the health check, each read with a JMESPath
expression. This module only registers the pack, exactly as a third-party package would.
"""

from __future__ import annotations

from pathlib import Path

from zahnrad.hookspecs import hookimpl


@hookimpl
def zahnrad_register_packs(register):
    register(str(Path(__file__).with_name("mattermost.pack.toml")))
