"""``matrix.csv``: the scored matrix as plain CSV, for scripts and other tools.

Layout (UTF-8 without BOM, comma-separated, ``\\n`` line ends, numbers with a dot):

- header: ``id,title,aspect,weight,<vendor>,<vendor>,...`` with the vendors in ranking order
  (as in results.json);
- one row per requirement, heaviest first: ``weight`` is its share of the total (all weights sum
  to 1); a vendor cell holds the 0–5 score, or is **empty when the score is unknown** – the run's
  unknown policy is applied to the totals only, never written into the scores;
- then summary rows whose ``id`` starts with ``#`` (never a criterion id): ``#total`` (0–100 after
  the unknown policy; empty when nothing is known), ``#rank`` (empty when knocked out),
  ``#knocked_out`` (``true``/``false``), ``#unknown`` (number of unknown scores) and
  ``#coverage`` (share of the weight resting on observed facts or manual answers, 0–1) and
  ``#plugin`` (which plugin, version and distribution produced the vendor's facts).

Every text cell goes through :func:`zahnrad.textsafe.cell`, so a vendor named ``=HYPERLINK(…)``
is a quoted string in a spreadsheet, not a formula. The Excel workbook has the live version.
"""

from __future__ import annotations

import csv
import io

from zahnrad import textsafe

from .model import RunView


def render_matrix_csv(view: RunView) -> str:
    t = view.t
    vendors = view.vendors
    scores = view.score_table()
    policy = view.results["strategy"]["unknown_policy"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def row(cells: list[object]) -> None:
        w.writerow([textsafe.cell(c) for c in cells])

    row(["id", "title", "aspect", "weight", *(v["name"] for v in vendors)])
    for r in view.requirements:
        cells: list[object] = [r["id"], r["title"], r["aspect"], round(r["weight"], 8)]
        for v in vendors:
            s = scores.get((v["name"], r["id"]))
            cells.append("" if s is None or s["score"] is None else s["score"])
        row(cells)

    def blank(x: object) -> object:
        return "" if x is None else x

    row(
        [
            "#total",
            f"{t['total']}; {t['policy']}: {policy}",
            "",
            "",
            *(blank(v["total"]) for v in vendors),
        ]
    )
    row(["#rank", t["rank"], "", "", *(blank(v["rank"]) for v in vendors)])
    row(
        [
            "#knocked_out",
            t["knocked_out"],
            "",
            "",
            *("true" if v["knocked_out"] else "false" for v in vendors),
        ]
    )
    row(["#unknown", t["unknown"], "", "", *(v["unknown"] for v in vendors)])
    row(["#coverage", t["coverage"], "", "", *(v["coverage"] for v in vendors)])
    prov = view.provenance()
    row(["#plugin", t["probed_by"], "", "", *(prov.get(v["name"], "") for v in vendors)])
    return buf.getvalue()
