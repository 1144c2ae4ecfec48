"""The HTML report (``report.html``): one self-contained file a strategist can email.

Everything is inline: CSS in a <style> element, charts as inline SVG, no scripts, fonts or
images, and a Content-Security-Policy that forbids loading anything, so opening the file makes no
network request. Vendor strings (names, fact values, evidence excerpts) are data: Jinja's
autoescaping is on, SVG text is escaped in :mod:`zahnrad.reports.svg`, and evidence URLs become
links only when they are plain http(s) URLs. jinja2 is imported when a report is rendered, never
at CLI start-up.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .i18n import goal_labels, labels
from .model import RunView

TEMPLATES = Path(__file__).with_name("templates")
SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


# -- numbers in the report's language ------------------------------------------------------------

def number(value: float | None, digits: int = 1, lang: str = "en") -> str:
    """A decimal with the language's separators; "?" for unknown."""
    if value is None:
        return "?"
    s = f"{value:,.{digits}f}"
    if lang == "de":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def percent(fraction: float | None, lang: str = "en") -> str:
    """A share as "87 %", never claiming 0 % or 100 % for a share strictly between."""
    if fraction is None:
        return "?"
    if 0 < fraction < 0.001:
        return f"< {number(0.1, 1, lang)} %"
    if 0.999 < fraction < 1:
        return f"> {number(99.9, 1, lang)} %"
    pct = 100 * fraction
    digits = 1 if 0 < fraction < 1 and round(pct) in (0, 100) else 0
    return f"{number(pct, digits, lang)} %"


def money(value: float | None, lang: str = "en") -> str:
    if value is None:
        return "?"
    return f"{number(value, 0, lang)} €" if lang == "de" else f"€{number(value, 0, lang)}"


def ratio(value: float | None, lang: str = "en") -> str:
    """Points per 1,000 €: three significant digits, since TCOs span orders of magnitude."""
    if value is None:
        return "–"
    digits = 3 if value < 1 else 2 if value < 10 else 1
    return number(value, digits, lang)


def weight_pair(threshold: float, weight: float, lang: str) -> tuple[str, str]:
    """Threshold and current weight, with a third decimal when two would make them look equal."""
    digits = 2 if round(threshold, 2) != round(weight, 2) else 3
    return number(threshold, digits, lang), number(weight, digits, lang)


def robustness(results: dict[str, Any], lang: str = "en") -> str | None:
    """The executive summary's robustness sentence, or None when nothing ranks."""
    sens = results.get("sensitivity")
    if not sens:
        return None
    t, goals = labels(lang), goal_labels(lang)
    first = t["robust_share"].format(
        winner=sens["winner"], share=percent(sens["winner_first_share"], lang),
        samples=number(sens["samples"], 0, lang))
    crit = sens.get("critical")
    if crit:
        threshold, weight = weight_pair(crit["threshold"], crit["weight"], lang)
        second = t[f"robust_{crit['direction']}"].format(
            goal=goals.get(crit["goal"], crit["goal"]), threshold=threshold, weight=weight,
            leader=crit["leader"])
    else:
        second = t["robust_none"]
    return f"{first}; {second}."


# -- pieces the template would otherwise compute ------------------------------------------------

def heat(score: float | None) -> str:
    """Background colour of a matrix cell: red (0) through yellow (2.5) to green (5)."""
    if score is None:
        return ""
    s = max(0.0, min(5.0, score)) / 5
    stops = [(0.0, (244, 199, 195)), (0.5, (255, 236, 179)), (1.0, (183, 225, 190))]
    for (a, ca), (b, cb) in zip(stops, stops[1:], strict=False):
        if s <= b:
            f = (s - a) / (b - a)
            rgb = tuple(round(x + (y - x) * f) for x, y in zip(ca, cb, strict=True))
            return "background:#{:02x}{:02x}{:02x}".format(*rgb)
    return ""


def safe_url(url: Any) -> str | None:
    """The URL when it is a plain http(s) URL (then it may become a link), else None."""
    return url if isinstance(url, str) and SAFE_URL.match(url) else None


def fact_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _charts(view: RunView, lang: str) -> dict[str, Any]:
    from . import svg

    t, r = view.t, view.results
    charts: dict[str, Any] = {}
    vendors = view.vendors
    charts["aspects"] = svg.grouped_bars(
        [v["name"] for v in vendors], [t.get(a, a) for a in view.aspects],
        [[v["aspects"].get(a) for a in view.aspects] for v in vendors],
        title=t["aspect_chart"], fmt=lambda x: number(x, 0, lang))
    sens = r.get("sensitivity")
    if sens:
        charts["shares"] = svg.share_bars(
            [(v["name"], v["first_share"],
              f"#{v['rank_p05']}" + (f"–{v['rank_p95']}" if v["rank_p95"] != v["rank_p05"] else ""))
             for v in sens["vendors"]],
            title=t["sens_mc_title"], fmt=lambda x: percent(x, lang))
        goals = view.goal_names
        charts["stability"] = svg.stability(
            [svg.GoalRange(goals.get(o["goal"], o["goal"]), o["weight"], o["lower"], o["upper"])
             for o in sens["one_at_a_time"]],
            title=t["oat"], fmt=lambda x: number(x, 2, lang))
    cost = r.get("cost")
    if cost and cost.get("any_cost_data"):
        points = [svg.Point(c["name"], c["tco"], c["total"], c["status"] == "ok")
                  for c in cost["vendors"] if c.get("tco") is not None and c.get("total") is not None]
        best = max((c["points_per_1000"] for c in cost["vendors"] if c["points_per_1000"]),
                   default=None)
        if points:
            charts["value"] = svg.value_scatter(
                points, title=t["value_chart"], x_label=t["value_axis_cost"],
                y_label=t["value_axis_points"], money=lambda x: money(x, lang),
                best_ratio=best, best_label=t["best_value"], legend_title=t["vendor"])
    return charts


def render_html(view: RunView) -> str:
    import jinja2
    from markupsafe import Markup

    from zahnrad import __version__
    from zahnrad.textsafe import visible

    lang = view.lang
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every string is data unless a chart function built it as Markup
        undefined=jinja2.StrictUndefined,
        # Control characters and bidi overrides in vendor strings are shown, not obeyed.
        finalize=lambda x: visible(x) if isinstance(x, str) and not isinstance(x, Markup) else x,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, d=1: number(v, d, lang)
    env.filters["pct"] = lambda v: percent(v, lang)
    env.filters["money"] = lambda v: money(v, lang)
    env.filters["ratio"] = lambda v: ratio(v, lang)
    env.filters["heat"] = heat
    env.filters["safe_url"] = safe_url
    env.filters["value"] = fact_value
    r = view.results
    cost = r.get("cost") or None
    cost_by_name = {c["name"]: c for c in cost["vendors"]} if cost else {}
    sens = r.get("sensitivity") or None
    sens_by_name = {s["name"]: s for s in sens["vendors"]} if sens else {}
    winner = view.winner
    knocked = [v for v in view.vendors if v["knocked_out"]]
    best_value = None
    if cost and cost.get("best_value"):
        best_value = cost_by_name.get(cost["best_value"][0])
    return env.get_template("report.html.j2").render(
        v=view, r=r, t=view.t, goals=view.goal_names, lang=lang, version=__version__,
        scores=view.score_table(), facts=view.fact_table(), titles=view.titles(),
        winner=winner, knocked=knocked, robustness=robustness(r, lang),
        sens=sens, sens_by_name=sens_by_name, cost=cost, cost_by_name=cost_by_name,
        best_value=best_value, charts=_charts(view, lang),
        oat_rows=[(o, weight_pair(o["lower"], o["weight"], lang)[0] if o["lower"] is not None
                   else None,
                   weight_pair(o["upper"], o["weight"], lang)[0] if o["upper"] is not None
                   else None) for o in (sens["one_at_a_time"] if sens else [])],
    )
