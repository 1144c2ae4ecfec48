"""The Markdown report (``report.md``): the whole evaluation as plain text a reviewer can diff."""

from __future__ import annotations

from pathlib import Path

import jinja2

from zahnrad import textsafe

from .model import RunView

TEMPLATES = Path(__file__).with_name("templates")


def fmt(value: float | None, digits: int = 1, lang: str = "en") -> str:
    if value is None:
        return "?"
    s = f"{value:.{digits}f}"
    return s.replace(".", ",") if lang == "de" else s


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # Markdown: every vendor string goes through the `md` filter instead
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = textsafe.markdown
    return env


def render_markdown(view: RunView) -> str:
    env = environment()
    env.filters["num"] = lambda v, d=1: fmt(v, d, view.lang)
    env.filters["pct"] = lambda v: "?" if v is None else fmt(100 * v, 0, view.lang) + " %"
    return env.get_template("report.md.j2").render(
        v=view, r=view.results, t=view.t, goals=view.goal_names,
        scores=view.score_table(), facts=view.fact_table(), titles=view.titles(),
    )
