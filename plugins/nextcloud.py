"""Nextcloud, as a declarative probe pack (``nextcloud.pack.toml`` beside this module).

The whole probe is data: status.php, the capabilities (public ones anonymously, a member's with
an app password) and, with an administrator's app password, the enabled apps, each read with a
JMESPath expression. This module only registers the pack, as a third-party package would.
"""

from __future__ import annotations

from pathlib import Path

from zahnrad.hookspecs import hookimpl


@hookimpl
def zahnrad_register_packs(register):
    register(str(Path(__file__).with_name("nextcloud.pack.toml")))
