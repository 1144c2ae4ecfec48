"""Wiki.js 2.x, as a declarative probe pack (``wikijs.pack.toml`` beside this module).

Every query is a GraphQL POST whose body fits a pack's ``json``; a refused field comes back as
null with ``errors[].message`` ("Forbidden"), which the pack's ``error`` expression quotes as the
reason. This module only registers the pack, exactly as a third-party package would.
"""

from __future__ import annotations

from pathlib import Path

from zahnrad.hookspecs import hookimpl


@hookimpl
def zahnrad_register_packs(register):
    register(str(Path(__file__).with_name("wikijs.pack.toml")))
