"""Plugin commands: list installed plugins."""

from __future__ import annotations

import click

from .common import echo_json, table


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_cmd(as_json: bool) -> None:
    """List every plugin's platforms, version and where it came from."""
    from zahnrad.registry import registry

    plats = sorted(registry().values(), key=lambda p: (p.plugin, p.name))
    if as_json:
        echo_json([{"platform": p.name, "display_name": p.display_name, "kind": p.kind,
                    "plugin": p.plugin, "version": p.version, "source": p.distribution,
                    "facts": list(p.all_facts()), "credentials": p.credentials,
                    "docs_url": p.docs_url} for p in plats])
        return
    table(f"{len(plats)} platforms", ["platform", "name", "kind", "plugin", "version", "from"],
          [[p.name, p.display_name, p.kind, p.plugin, p.version, p.distribution] for p in plats])


COMMANDS = [plugins_cmd]
