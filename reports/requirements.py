"""Requirements without vendors: the strategist's first deliverable, as Markdown or CSV."""

from __future__ import annotations

import csv
import io

from zahnrad import textsafe
from zahnrad.requirements import Requirement
from zahnrad.strategy import GOAL_TITLES, Strategy


def requirements_rows(reqs: list[Requirement]) -> list[list[object]]:
    """Rows shared by the CSV, the Markdown and the Excel requirements sheet."""
    rows: list[list[object]] = []
    for r in reqs:
        shared = "; ".join(f"{f} also feeds {', '.join(o)}" for f, o in r.shared_facts.items())
        derivation = " + ".join(f"{g} {100 * w:.2f}%" for g, w in r.contributions.items())
        rows.append([r.id, r.title, r.aspect, ", ".join(r.goals), round(r.weight, 6),
                     derivation, r.kind, ", ".join(r.facts),
                     "" if r.must_have is None else r.must_have, shared])
    return rows


HEADER = ["id", "title", "aspect", "goals", "weight", "derivation", "rule", "facts",
          "must_have_min", "shared_facts"]


def requirements_csv(strategy: Strategy, reqs: list[Requirement]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for row in requirements_rows(reqs):
        w.writerow([textsafe.cell(c) for c in row])
    return buf.getvalue()


def requirements_markdown(strategy: Strategy, reqs: list[Requirement]) -> str:
    md = textsafe.markdown
    lines = [f"# Requirements for {md(strategy.organisation)}", "",
             "Derived from the strategy's goals before any vendor is looked at.", "",
             "| Goal | Weight |", "|---|---:|"]
    lines += [f"| {GOAL_TITLES[g]} (`{g}`) | {100 * w:.1f} % |" for g, w in strategy.goal_weights.items()]
    if strategy.consistency_ratio is not None:
        lines += ["", f"AHP consistency ratio: {strategy.consistency_ratio:.3f}"]
    lines += ["", "| ID | Requirement | Aspect | Goals | Weight | Derivation | Facts | Must-have |",
              "|---|---|---|---|---:|---|---|---|"]
    for row in requirements_rows(reqs):
        rid, title, aspect, goals, weight, deriv, _kind, facts, must, shared = row
        facts_s = facts if not shared else f"{facts} ({shared})"
        lines.append(f"| `{rid}` | {md(title)} | {aspect} | {goals} | {100 * float(weight):.2f} % | "
                     f"{deriv} | {md(facts_s) if facts_s else 'manual'} | {'≥ ' + str(must) if must != '' else ''} |")
    return "\n".join(lines) + "\n"
