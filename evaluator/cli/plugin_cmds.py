"""Plugin commands: list installed plugins; make a new one; check one against the conformance kit."""

from __future__ import annotations

from pathlib import Path

import click

from zahnrad.textsafe import terminal

from .common import echo_json, table


class ChecksFailed(click.ClickException):
    """Exit code 1 after the verdicts were printed (nothing more to say)."""

    exit_code = 1

    def __init__(self) -> None:
        super().__init__("a conformance check failed")

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        pass


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_cmd(as_json: bool) -> None:
    """List every plugin's platforms, version and where it came from."""
    from zahnrad.registry import problems, registry

    plats = sorted(registry().values(), key=lambda p: (p.plugin, p.name))
    for problem in problems():
        click.echo(f"warning: {terminal(problem)}", err=True)
    if as_json:
        echo_json([{"platform": p.name, "display_name": p.display_name, "kind": p.kind,
                    "plugin": p.plugin, "version": p.version, "source": p.distribution,
                    "facts": list(p.all_facts()), "credentials": p.credentials,
                    "docs_url": p.docs_url} for p in plats])
        return
    table(f"{len(plats)} platforms", ["platform", "name", "kind", "plugin", "version", "from"],
          [[p.name, p.display_name, p.kind, p.plugin, p.version, p.distribution] for p in plats])


@click.group("plugin")
def plugin_group() -> None:
    """Write your own plugin: start one with `new`, prove it with `check`.

    \b
    Guide: docs/writing-plugins.md. Plugins report facts and evidence,
    never scores: the evaluating organisation scores.
    """


@plugin_group.command("new")
@click.argument("name")
@click.option("--pack", "flavour", flag_value="pack", default=True,
              help="A declarative probe pack (TOML, no code): the default.")
@click.option("--python", "flavour", flag_value="python", help="A probe written in Python.")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to create (default: ./zahnrad-NAME).")
@click.option("--display-name", help="The platform's name as people know it (default: from NAME).")
@click.option("--kind", default="other", show_default=True,
              help="wiki, enterprise social network, team chat, intranet suite, file sharing, forum, other.")
def new_cmd(name: str, flavour: str, outdir: Path | None, display_name: str | None, kind: str) -> None:
    """Create a pip-installable plugin package for platform NAME."""
    from zahnrad.scaffold import new_plugin, package_names

    written = new_plugin(name, outdir, flavour=flavour, display_name=display_name, kind=kind)
    root = outdir or Path(package_names(name)[0])
    click.echo(f"Created {root}/ ({len(written)} files, {flavour}). Next:")
    click.echo(f"  cd {root} && pip install -e '.[test]'   # then `zahnrad plugins` lists {name}")
    click.echo(f"  zahnrad plugin check {name} --replay tests/recordings")
    click.echo("  README.md has the remaining steps.")


@plugin_group.command("check")
@click.argument("name")
@click.option("--replay", type=click.Path(file_okay=False, path_type=Path),
              help="Check offline, replaying the recordings of NAME in this folder.")
@click.option("--url", help="Check a live instance (credentials from ZAHNRAD_<PLATFORM>_<KEY>).")
@click.option("--record", type=click.Path(file_okay=False, path_type=Path),
              help="With --url: keep what was recorded in this folder.")
@click.option("--secret-env", multiple=True, metavar="VAR",
              help="Another environment variable whose value must not appear (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON.")
def check_cmd(name: str, replay: Path | None, url: str | None, record: Path | None,
              secret_env: tuple[str, ...], as_json: bool) -> None:
    """Run the conformance kit on platform (or plugin) NAME.

    \b
    Exit codes: 0 every check passed, 1 a check failed, 2 bad input.
    """
    from zahnrad.conformance import check_platform

    if (replay is None) == (url is None):
        raise click.UsageError("give either --replay DIR (offline) or --url URL (live)")
    if record is not None and url is None:
        raise click.UsageError("--record goes with --url")
    report = check_platform(name, replay=replay, url=url, record=record, secret_env=secret_env)
    if as_json:
        echo_json({"platform": report.platform, "ok": report.ok,
                   "checks": [{"name": c.name, "status": c.status, "summary": c.summary,
                               "details": c.details} for c in report.checks]})
    else:
        click.echo(report.text())
    if not report.ok:
        raise ChecksFailed()


COMMANDS = [plugins_cmd, plugin_group]
