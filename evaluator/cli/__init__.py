"""The ``zahnrad`` command line, split by command group.

Kept light on purpose: this module and the command modules import only click at start-up;
pandas, openpyxl, jinja2, numpy and rich are imported inside the commands that use them, so
``zahnrad --help`` answers fast.
"""

from __future__ import annotations

import sys

import click

from zahnrad import __version__
from zahnrad.errors import EXIT_ERROR, EXIT_INPUT, InputError

HELP = """Choose a social intranet strategy-first.

\b
The path:  strategy -> requirements -> probes -> facts + evidence
           -> scores -> matrix -> reports
Start with `zahnrad init`, derive requirements with `zahnrad requirements`,
then `zahnrad evaluate`. `zahnrad demo` runs a bundled example offline.

\b
Exit codes:
  0  success
  1  unexpected error (a bug: please report it)
  2  bad input: the message names the file and the place to fix;
     nothing was written
  130 interrupted
"""


@click.group(help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zahnrad")
def cli() -> None:
    pass


def _register() -> None:
    from . import plugin_cmds, run_cmds, strategy_cmds

    for module in (strategy_cmds, run_cmds, plugin_cmds):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors become one line and exit code 2, never a traceback."""
    try:
        rv = cli.main(args=argv, prog_name="zahnrad", standalone_mode=False)
    except InputError as exc:
        from zahnrad.textsafe import terminal

        click.echo(f"zahnrad: error: {terminal(exc)}", err=True)
        return EXIT_INPUT
    except click.exceptions.Abort:
        click.echo("zahnrad: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("zahnrad: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
        if "--debug" in (argv or sys.argv) or __import__("os").environ.get("ZAHNRAD_DEBUG"):
            raise
        click.echo(f"zahnrad: internal error: {type(exc).__name__}: {exc} "
                   "(set ZAHNRAD_DEBUG=1 for the traceback)", err=True)
        return EXIT_ERROR
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
