"""Helpers shared by the command modules: loading inputs, printing tables safely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from zahnrad.errors import InputError
from zahnrad.textsafe import terminal


def load_strategy_checked(path: str | Path):
    """Load a strategy, validating vendor platforms against the installed plugins."""
    from zahnrad.registry import platform_names, problems
    from zahnrad.strategy import load_strategy

    names = platform_names()
    for p in problems():
        click.echo(f"warning: {terminal(p)}", err=True)
    return load_strategy(path, names)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def table(
    title: str | None, columns: list[str], rows: list[list[Any]], *, justify: dict[int, str] | None = None
) -> None:
    """Print a table with rich; every cell is neutralised for the terminal first."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from zahnrad.textsafe import terminal

    t = Table(title=title, title_justify="left", show_lines=False)
    for i, c in enumerate(columns):
        t.add_column(c, justify=(justify or {}).get(i, "left"), overflow="fold")
    for row in rows:
        t.add_row(*(Text(terminal("" if v is None else v)) for v in row))
    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console.width = 160  # piped into a file or log: do not fold names at 80 columns
    console.print(t)


def output_path(path: str | Path, suffixes: tuple[str, ...]) -> Path:
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise InputError(p, None, f"unsupported output type (use {' or '.join(suffixes)})")
    return p
