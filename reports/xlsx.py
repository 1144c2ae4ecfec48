"""The Excel workbook (``report.xlsx``): the evaluation a strategist can take apart and re-weigh.

Sheets:

- **Summary** – the evaluation as it was run (ranking, totals, must-haves, coverage, subtotals per
  aspect and goal, goal weights, warnings) with native bar charts. Static values, so the sheet
  reads the same in every viewer, including those that do not calculate.
- **Matrix** – requirements × vendors with 0–5 scores and *live* formulas: totals (weighted sums
  normalised to 0–100), must-have status, rank and per-aspect subtotals recalculate when a
  strategist edits a weight or a score. Unknown scores follow the run's policy: pessimistic and
  neutral write the policy value, marked ``?`` with a note; exclude leaves the cell empty (hatched,
  with a note) and the formulas renormalise over the cells that hold a number. Inputs are unlocked
  and blue; labels and formulas are protected (without password).
- **Requirements** – how each requirement's weight derives from the goals.
- **Evidence** – one row per vendor and fact: value, source, request, excerpt, reason.
- **Questionnaire** – the manual criteria with their level descriptions, one score and one comment
  column per vendor, prefilled with the answers used in this run; ``zahnrad evaluate --answers
  report.xlsx`` reads it back (:mod:`zahnrad.questionnaire`, which shares the layout constants).

Every string that comes from a vendor, a platform or a user file is stored as a text cell
(``data_type = "s"`` plus Excel's quote prefix where it looks like a formula), never as a
formula: openpyxl otherwise turns any string starting with ``=`` into one.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from zahnrad import questionnaire as q
from zahnrad.requirements import Requirement
from zahnrad.strategy import GOALS, UNKNOWN_POLICIES
from zahnrad.textsafe import FORMULA_PREFIXES, visible

from .model import RunView
from .requirements import requirements_rows

# --- Matrix layout ------------------------------------------------------------------------------
HEAD_ROW = 4  # column headers (vendor names)
TOTAL_ROW = 5  # live total 0–100
MUST_ROW = 6  # live must-have status
RANK_ROW = 7  # live rank among vendors not knocked out
BASE_ROW = 8  # hidden helper: total if ranked, else "" (RANK ignores text)
FIRST_ROW = 9  # first requirement
ID_COL, TITLE_COL, ASPECT_COL, GOALS_COL, WEIGHT_COL, MUST_COL = 1, 2, 3, 4, 5, 6
FIRST_VENDOR_COL = 7

MAX_CELL = 32767
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HEAT = ("F8696B", "FFEB84", "63BE7B")  # Excel's red-yellow-green scale
INPUT_FILL = "FFF2CC"
HEADER_FILL = "D9E1F2"
SCORE_FMT = "0.0"
UNKNOWN_FMT = '0.0" ?"'
MANUAL_FMT = '0.0" ✎"'


def clean(text: object) -> str:
    """Text an .xlsx file can hold: XML-illegal characters and bidi overrides shown as escapes, capped."""
    s = _ILLEGAL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        visible(text),
    )
    return s if len(s) <= MAX_CELL else s[: MAX_CELL - 1] + "…"


def _q(label: str) -> str:
    """A string literal inside a formula."""
    return '"' + label.replace('"', '""') + '"'


def _num(value: float) -> str:
    return f"{value:g}"


def requirement_objects(reqs: list[dict[str, Any]]) -> list[Requirement]:
    """Requirements from results.json back into objects, to share the requirements table code."""
    return [
        Requirement(**{**r, "goals": tuple(r["goals"]), "facts": tuple(r["facts"])}) for r in reqs
    ]


class _Styles:
    """Named cell styles, each built once and copied by value (fast for 100 000s of cells)."""

    def __init__(self, wb: Workbook):
        self._scratch = wb.create_sheet("_styles")
        self._cache: dict[str, StyleArray] = {}
        thin = Side(style="thin", color="BFBFBF")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        bold = Font(bold=True)
        blue = Font(color="1F4E9E")
        wrap_top = Alignment(wrap_text=True, vertical="top")
        unlocked = Protection(locked=False)
        yellow = PatternFill("solid", fgColor=INPUT_FILL)
        hatch = PatternFill("lightUp", fgColor="A6A6A6", bgColor=INPUT_FILL)
        self.defs: dict[str, dict[str, Any]] = {
            "title": {"font": Font(bold=True, size=14)},
            "subtitle": {"font": Font(italic=True, color="595959")},
            "subtitle_wrap": {"font": Font(italic=True, color="595959"), "alignment": wrap_top},
            "heading": {"font": Font(bold=True, size=12)},
            "header": {
                "font": bold,
                "fill": PatternFill("solid", fgColor=HEADER_FILL),
                "alignment": Alignment(wrap_text=True, vertical="bottom"),
                "border": box,
            },
            "text": {},
            "wrap": {"alignment": wrap_top},
            "bold": {"font": bold},
            "pct": {"number_format": "0.0%"},
            "pct0": {"number_format": "0%"},
            "score": {"number_format": SCORE_FMT},
            "int": {"number_format": "0"},
            "total": {"font": bold, "number_format": "0.0"},
            "rank": {
                "font": bold,
                "number_format": "0",
                "alignment": Alignment(horizontal="center"),
            },
            "must": {"alignment": Alignment(horizontal="center")},
            "weight_in": {
                "font": blue,
                "fill": yellow,
                "protection": unlocked,
                "number_format": "0.00%",
                "border": box,
            },
            "score_in": {
                "font": blue,
                "fill": yellow,
                "protection": unlocked,
                "number_format": SCORE_FMT,
                "border": box,
                "alignment": Alignment(horizontal="center"),
            },
            "unknown_in": {
                "font": Font(color="1F4E9E", italic=True),
                "fill": hatch,
                "protection": unlocked,
                "number_format": UNKNOWN_FMT,
                "border": box,
                "alignment": Alignment(horizontal="center"),
            },
            "manual_in": {
                "font": blue,
                "fill": yellow,
                "protection": unlocked,
                "number_format": MANUAL_FMT,
                "border": box,
                "alignment": Alignment(horizontal="center"),
            },
            "answer_in": {
                "font": blue,
                "fill": yellow,
                "protection": unlocked,
                "border": box,
                "number_format": "0.0",
                "alignment": Alignment(horizontal="center", vertical="top"),
            },
            "comment_in": {
                "font": blue,
                "fill": yellow,
                "protection": unlocked,
                "border": box,
                "alignment": wrap_top,
            },
        }

    def array(self, name: str) -> StyleArray:
        arr = self._cache.get(name)
        if arr is None:
            cell = self._scratch.cell(row=1, column=len(self._cache) + 1)
            for attr, value in self.defs[name].items():
                setattr(cell, attr, value)
            arr = self._cache[name] = StyleArray(cell._style)
        return arr

    def apply(self, cell: Cell, name: str) -> None:
        cell._style = StyleArray(self.array(name))

    def finish(self, wb: Workbook) -> None:
        wb.remove(self._scratch)


class _Writer:
    def __init__(self, view: RunView):
        self.view = view
        self.t = view.t
        self.wb = Workbook()
        self.styles = _Styles(self.wb)
        self.policy: str = view.results["strategy"]["unknown_policy"]
        self.fill: float | None = UNKNOWN_POLICIES.get(self.policy)

    # --- cells ------------------------------------------------------------------------------
    def text(self, ws: Worksheet, row: int, col: int, value: object, style: str = "text") -> Cell:
        """A text cell; never a formula or an error value, whatever the string starts with."""
        cell = ws.cell(row=row, column=col)
        s = "" if value is None else clean(value)
        cell.value = s
        cell.data_type = "s"
        if style != "text":
            self.styles.apply(cell, style)
        if s.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        return cell

    def value(self, ws: Worksheet, row: int, col: int, value: object, style: str = "text") -> Cell:
        """A number or boolean as such; anything else as text."""
        if isinstance(value, bool | int | float) and not (
            isinstance(value, float) and math.isnan(value)
        ):
            cell = ws.cell(row=row, column=col, value=value)
            if style != "text":
                self.styles.apply(cell, style)
            return cell
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return self.text(ws, row, col, value, style)

    def formula(self, ws: Worksheet, row: int, col: int, formula: str, style: str = "text") -> Cell:
        cell = ws.cell(row=row, column=col, value=formula)
        if style != "text":
            self.styles.apply(cell, style)
        return cell

    def header(self, ws: Worksheet, row: int, labels: list[str], col: int = 1) -> None:
        for i, label in enumerate(labels):
            self.text(ws, row, col + i, label, "header")

    @staticmethod
    def widths(ws: Worksheet, widths: dict[int, float]) -> None:
        for col, w in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = w

    @staticmethod
    def paper(ws: Worksheet, fit: bool) -> None:
        """Landscape; ``fit`` scales to one page wide (only where that stays legible)."""
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        if fit:
            ws.page_setup.fitToHeight = 0
            ws.page_setup.fitToWidth = 1
            ws.sheet_properties.pageSetUpPr.fitToPage = True

    def policy_text(self) -> str:
        return f"{self.t['policy']}: {self.t.get('policy.' + self.policy, self.policy)}"

    # --- workbook ---------------------------------------------------------------------------
    def build(self) -> bytes:
        t = self.t
        summary = self.wb.active
        summary.title = t["xlsx.sheet.summary"]
        self.wb.move_sheet(self.styles._scratch, offset=1)
        self.summary(summary)
        self.matrix(self.wb.create_sheet(t["xlsx.sheet.matrix"]))
        self.requirements(self.wb.create_sheet(t["xlsx.sheet.requirements"]))
        self.evidence(self.wb.create_sheet(t["xlsx.sheet.evidence"]))
        self.questionnaire(self.wb.create_sheet(t["xlsx.sheet.questionnaire"]))
        self.styles.finish(self.wb)
        self.wb.active = 0
        self.wb.calculation.fullCalcOnLoad = True
        buf = io.BytesIO()
        self.wb.save(buf)
        return buf.getvalue()

    # --- Summary ----------------------------------------------------------------------------
    def status(self, v: dict[str, Any]) -> str:
        t = self.t
        failed = [k for k, s in v["must_have"].items() if s == "failed"]
        unverified = [k for k, s in v["must_have"].items() if s == "unverified"]
        if v["knocked_out"]:
            return f"{t['knocked_out']}: {', '.join(failed)}"
        if unverified:
            return f"{t['ranked']}; {t['must_haves']} {t['unverified']}: {', '.join(unverified)}"
        return t["ranked"]

    def note(
        self, ws: Worksheet, row: int, text: str, first: int, last: int, style: str, width: float
    ) -> None:
        """A long text wrapped over merged columns, with a row height that shows all of it."""
        self.text(ws, row, first, text, style)
        ws.merge_cells(start_row=row, end_row=row, start_column=first, end_column=last)
        ws.row_dimensions[row].height = 15 * _lines(text, width) + 2

    def summary(self, ws: Worksheet) -> None:
        t, r, view = self.t, self.view.results, self.view
        widths = {1: 7, 2: 30, 3: 13, 4: 13, 5: 13, 6: 13, 7: 13, 8: 42}
        span = sum(widths.values())
        org = r["strategy"].get("organisation") or ""
        self.text(ws, 1, 1, f"{t['title']} {t['for']} {org}".strip(), "title")
        self.text(
            ws,
            2,
            1,
            f"{t['created']}: {r.get('created', '')} · zahnrad {r.get('zahnrad_version', '')}",
            "subtitle",
        )
        self.text(ws, 3, 1, self.policy_text())
        if r.get("consistency_ratio") is not None:
            self.text(ws, 4, 1, f"{t['consistency']}: {r['consistency_ratio']:.3f}")
        self.note(ws, 5, t["xlsx.snapshot"], 1, 8, "subtitle_wrap", span)

        vendors = view.vendors
        row = 7
        self.text(ws, row, 1, t["ranking"], "heading")
        head = row + 1
        self.header(
            ws,
            head,
            [
                t["rank"],
                t["vendor"],
                t["total"],
                t["coverage"],
                t["xlsx.unknown_count"],
                t["xlsx.complete"],
                t["platform"],
                t["status"],
            ],
        )
        for i, v in enumerate(vendors):
            rr = head + 1 + i
            self.value(ws, rr, 1, v["rank"] if v["rank"] is not None else "–", "rank")
            self.text(ws, rr, 2, v["name"], "bold")
            if v["total"] is not None:
                self.value(ws, rr, 3, v["total"], "total")
            self.value(ws, rr, 4, v["coverage"], "pct0")
            self.value(ws, rr, 5, v["unknown"], "int")
            self.text(ws, rr, 6, t["xlsx.yes"] if v["complete"] else t["xlsx.no"])
            self.text(ws, rr, 7, v["platform"])
            self.text(ws, rr, 8, self.status(v), "bold" if v["knocked_out"] else "text")
        rank_last = head + len(vendors)

        def per_vendor(row: int, title: str, keys: list[str], names: list[str], field: str) -> int:
            self.text(ws, row, 1, title, "heading")
            self.header(ws, row + 1, [t["rank"], t["vendor"], *names])
            ws.row_dimensions[row + 1].height = 45
            for i, v in enumerate(vendors):
                rr = row + 2 + i
                self.value(ws, rr, 1, v["rank"] if v["rank"] is not None else "–", "rank")
                self.text(ws, rr, 2, v["name"], "bold")
                for k, key in enumerate(keys):
                    val = v[field].get(key)
                    if val is not None:
                        self.value(ws, rr, 3 + k, val, "total")
            return row + 1

        aspects = view.aspects
        asp_head = per_vendor(
            rank_last + 2, t["aspects"], aspects, [t.get(a, a) for a in aspects], "aspects"
        )
        asp_last = asp_head + len(vendors)
        goals = [g for g in GOALS if g in r.get("goal_weights", {})] or list(GOALS)
        goal_head = per_vendor(
            asp_last + 2, t["goals"], goals, [view.goal_names.get(g, g) for g in goals], "goals"
        )
        row = goal_head + len(vendors) + 2

        self.text(ws, row, 1, t["goal_weights"], "heading")
        self.header(ws, row + 1, ["", t["goal"], t["weight"]])
        for k, g in enumerate(goals):
            self.text(ws, row + 2 + k, 2, view.goal_names.get(g, g))
            self.value(ws, row + 2 + k, 3, r.get("goal_weights", {}).get(g, 0.0), "pct")
        row = row + 2 + len(goals) + 1

        self.text(ws, row, 1, t["warnings"], "heading")
        for k, w in enumerate(r.get("warnings") or [t["none"]]):
            self.note(ws, row + 1 + k, w, 1, 8, "wrap", span)

        self.widths(ws, widths)
        ws.row_dimensions[head].height = 32
        ws.freeze_panes = "A2"
        self.paper(ws, fit=True)
        if vendors:
            self.charts(ws, head, rank_last, asp_head, asp_last, len(aspects))

    def charts(
        self, ws: Worksheet, head: int, last: int, asp_head: int, asp_last: int, n_aspects: int
    ) -> None:
        """Native bar charts: the total per vendor, and the aspects per vendor side by side."""
        n = last - head
        total = BarChart()
        total.type = "bar"
        total.title = self.t["total"]
        total.legend = None
        total.add_data(Reference(ws, min_col=3, min_row=head, max_row=last), titles_from_data=True)
        total.set_categories(Reference(ws, min_col=2, min_row=head + 1, max_row=last))
        per = BarChart()
        per.type = "bar"
        per.grouping = "clustered"
        per.title = self.t["aspects"]
        per.add_data(
            Reference(ws, min_col=3, max_col=2 + n_aspects, min_row=asp_head, max_row=asp_last),
            titles_from_data=True,
        )
        per.set_categories(Reference(ws, min_col=2, min_row=asp_head + 1, max_row=asp_last))
        for chart in (total, per):
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 100
            chart.y_axis.majorUnit = 20
            chart.y_axis.number_format = "0"
            chart.x_axis.scaling.orientation = "maxMin"  # rank 1 on top
            chart.x_axis.delete = False
            chart.y_axis.delete = False
            chart.width = 18
        total.height = max(7.5, 0.9 * n + 3)
        per.height = max(9.0, 0.25 * n * max(n_aspects, 1) + 3)
        ws.add_chart(total, "J7")
        ws.add_chart(per, f"J{7 + math.ceil(total.height / 0.53) + 2}")

    # --- Matrix -----------------------------------------------------------------------------
    def matrix(self, ws: Worksheet) -> None:
        t, view = self.t, self.view
        reqs, vendors = view.requirements, view.vendors
        scores = view.score_table()
        first, last = FIRST_ROW, FIRST_ROW + len(reqs) - 1
        vcols = range(FIRST_VENDOR_COL, FIRST_VENDOR_COL + len(vendors))
        lastcol = get_column_letter(max(FIRST_VENDOR_COL, FIRST_VENDOR_COL + len(vendors) - 1))
        org = view.results["strategy"].get("organisation") or ""
        self.text(ws, 1, 1, f"{t['matrix']} – {org}".rstrip(" –"), "title")
        self.text(ws, 2, 1, self.policy_text())
        legend = t["xlsx.legend"] + (" " + t["xlsx.legend.exclude"] if self.fill is None else "")
        self.note(ws, 3, legend, ID_COL, MUST_COL, "subtitle_wrap", 140)

        self.header(
            ws,
            HEAD_ROW,
            [
                t["xlsx.id"],
                t["requirement"],
                t["aspect"],
                t["goal"],
                t["weight"],
                t["xlsx.must_min"],
            ],
        )
        for j, v in enumerate(vendors):
            self.text(ws, HEAD_ROW, FIRST_VENDOR_COL + j, v["name"], "header")
        ws.row_dimensions[HEAD_ROW].height = 45
        for row, label in (
            (TOTAL_ROW, t["total"]),
            (MUST_ROW, t["must_haves"]),
            (RANK_ROW, t["rank"]),
            (BASE_ROW, t["xlsx.rank_base"]),
        ):
            self.text(ws, row, TITLE_COL, label, "bold")
        ws.row_dimensions[BASE_ROW].hidden = True

        goal_names = view.goal_names
        for i, r in enumerate(reqs):
            row = first + i
            self.text(ws, row, ID_COL, r["id"])
            self.text(ws, row, TITLE_COL, r["title"])
            self.text(ws, row, ASPECT_COL, t.get(r["aspect"], r["aspect"]))
            self.text(ws, row, GOALS_COL, "; ".join(goal_names.get(g, g) for g in r["goals"]))
            self.value(ws, row, WEIGHT_COL, r["weight"], "weight_in")
            if r.get("must_have") is not None:
                self.value(ws, row, MUST_COL, r["must_have"], "score")

        policy_label = t.get("policy." + self.policy, self.policy)
        unknown_cells: dict[str, set[int]] = {}  # vendor -> rows unknown at evaluation
        for j, v in enumerate(vendors):
            col = FIRST_VENDOR_COL + j
            unknown_cells[v["name"]] = set()
            for i, r in enumerate(reqs):
                row = first + i
                s = scores.get((v["name"], r["id"]))
                cell = ws.cell(row=row, column=col)
                if s is None or s["score"] is None:
                    unknown_cells[v["name"]].add(row)
                    reason = clean((s or {}).get("reason") or "not scored")
                    if self.fill is None:
                        note = t["xlsx.unknown_excluded"].format(reason=reason, policy=policy_label)
                    else:
                        cell.value = self.fill
                        note = t["xlsx.unknown_note"].format(
                            reason=reason, value=_num(self.fill), policy=policy_label
                        )
                    self.styles.apply(cell, "unknown_in")
                    cell.comment = Comment(note, "zahnrad", width=320, height=110)
                else:
                    cell.value = s["score"]
                    if s["source"] == "manual":
                        self.styles.apply(cell, "manual_in")
                        note = t["xlsx.manual_note"]
                        if s.get("comment"):
                            note += ": " + clean(s["comment"])
                        cell.comment = Comment(note, "zahnrad", width=320, height=110)
                    else:
                        self.styles.apply(cell, "score_in")

        if reqs:
            self.matrix_formulas(ws, vendors, reqs, unknown_cells, first, last)
        # subtotals per aspect, live, below the matrix
        row = last + 2
        self.text(ws, row, TITLE_COL, t["aspects"], "heading")
        for k, aspect in enumerate(view.aspects):
            rr = row + 1 + k
            self.text(ws, rr, TITLE_COL, t.get(aspect, aspect), "bold")
            mask = (
                f"--(${get_column_letter(ASPECT_COL)}${first}:${get_column_letter(ASPECT_COL)}${last}"
                f"={_q(t.get(aspect, aspect))})"
            )
            w = f"${get_column_letter(WEIGHT_COL)}${first}:${get_column_letter(WEIGHT_COL)}${last}"
            for col in vcols:
                c = get_column_letter(col)
                s = f"{c}{first}:{c}{last}"
                den = f"SUMPRODUCT({mask},{w},--ISNUMBER({s}))"
                self.formula(
                    ws,
                    rr,
                    col,
                    f'=IF({den}=0,"",100*SUMPRODUCT({mask},{w},{s})/(5*{den}))',
                    "total",
                )

        if reqs and vendors:
            ws.conditional_formatting.add(
                f"{get_column_letter(FIRST_VENDOR_COL)}{first}:{lastcol}{last}",
                ColorScaleRule(
                    start_type="num",
                    start_value=0,
                    start_color=HEAT[0],
                    mid_type="num",
                    mid_value=2.5,
                    mid_color=HEAT[1],
                    end_type="num",
                    end_value=5,
                    end_color=HEAT[2],
                ),
            )
            ws.conditional_formatting.add(
                f"{get_column_letter(FIRST_VENDOR_COL)}{MUST_ROW}:{lastcol}{MUST_ROW}",
                CellIsRule(
                    operator="equal",
                    formula=[_q(t["knocked_out"])],
                    fill=PatternFill("solid", fgColor="F4CCCC", bgColor="F4CCCC"),
                    font=Font(bold=True, color="9C0006"),
                ),
            )
            dv = _score_validation(t)
            dv.add(f"{get_column_letter(FIRST_VENDOR_COL)}{first}:{lastcol}{last}")
            ws.add_data_validation(dv)
        if reqs:
            dw = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                error=t["xlsx.weight_error"],
            )
            dw.add(f"{get_column_letter(WEIGHT_COL)}{first}:{get_column_letter(WEIGHT_COL)}{last}")
            ws.add_data_validation(dw)

        id_w = min(32, max([10] + [len(r["id"]) + 2 for r in reqs]))
        self.widths(
            ws,
            {
                ID_COL: id_w,
                TITLE_COL: 44,
                ASPECT_COL: 15,
                GOALS_COL: 30,
                WEIGHT_COL: 9,
                MUST_COL: 10,
            },
        )
        for j, v in enumerate(vendors):
            self.widths(ws, {FIRST_VENDOR_COL + j: max(11, min(22, len(str(v["name"])) / 2 + 4))})
        ws.freeze_panes = f"{get_column_letter(FIRST_VENDOR_COL)}{FIRST_ROW}"
        ws.print_title_rows = f"{HEAD_ROW}:{RANK_ROW}"
        ws.print_title_cols = "A:B"
        self.paper(ws, fit=len(vendors) <= 12)
        ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)

    def matrix_formulas(
        self,
        ws: Worksheet,
        vendors: list[dict[str, Any]],
        reqs: list[dict[str, Any]],
        unknown_cells: dict[str, set[int]],
        first: int,
        last: int,
    ) -> None:
        t = self.t
        wl = get_column_letter(WEIGHT_COL)
        ml = get_column_letter(MUST_COL)
        w = f"${wl}${first}:${wl}${last}"
        must_rows = [first + i for i, r in enumerate(reqs) if r.get("must_have") is not None]
        a = get_column_letter(FIRST_VENDOR_COL)
        z = get_column_letter(FIRST_VENDOR_COL + len(vendors) - 1)
        knocked, unverified, passed = _q(t["knocked_out"]), _q(t["unverified"]), _q(t["passed"])
        for j, v in enumerate(vendors):
            c = get_column_letter(FIRST_VENDOR_COL + j)
            s = f"{c}{first}:{c}{last}"
            den = f"SUMPRODUCT({w},--ISNUMBER({s}))"
            self.formula(
                ws,
                TOTAL_ROW,
                FIRST_VENDOR_COL + j,
                f'=IF({den}=0,"",100*SUMPRODUCT({w},{s})/(5*{den}))',
                "total",
            )
            if must_rows:
                fails, unknowns = [], []
                for row in must_rows:
                    x, m = f"{c}{row}", f"${ml}${row}"
                    if row in unknown_cells[v["name"]] and self.fill is not None:
                        # still holding the policy value: unverified; changed by hand: a real score
                        p = _num(self.fill)
                        fails.append(f"AND(ISNUMBER({x}),{x}<>{p},{x}<{m})")
                        unknowns.append(f"OR(NOT(ISNUMBER({x})),{x}={p})")
                    else:
                        fails.append(f"AND(ISNUMBER({x}),{x}<{m})")
                        unknowns.append(f"NOT(ISNUMBER({x}))")
                self.formula(
                    ws,
                    MUST_ROW,
                    FIRST_VENDOR_COL + j,
                    f"=IF(OR({','.join(fails)}),{knocked},"
                    f"IF(OR({','.join(unknowns)}),{unverified},{passed}))",
                    "must",
                )
            else:
                self.text(ws, MUST_ROW, FIRST_VENDOR_COL + j, "–", "must")
            self.formula(
                ws,
                BASE_ROW,
                FIRST_VENDOR_COL + j,
                f'=IF(OR({c}{MUST_ROW}={knocked},NOT(ISNUMBER({c}{TOTAL_ROW}))),"",{c}{TOTAL_ROW})',
                "total",
            )
            self.formula(
                ws,
                RANK_ROW,
                FIRST_VENDOR_COL + j,
                f'=IF(ISNUMBER({c}{BASE_ROW}),RANK({c}{BASE_ROW},${a}${BASE_ROW}:${z}${BASE_ROW}),"–")',
                "rank",
            )

    # --- Requirements -----------------------------------------------------------------------
    def requirements(self, ws: Worksheet) -> None:
        t, view = self.t, self.view
        goals = list(GOALS)
        self.header(
            ws,
            1,
            [
                t["xlsx.id"],
                t["requirement"],
                t["aspect"],
                t["goal"],
                t["weight"],
                t["xlsx.derivation"],
                t["xlsx.rule"],
                t["facts"],
                t["xlsx.must_min"],
                t["shared"],
                *(t["xlsx.goal_share"].format(goal=view.goal_names.get(g, g)) for g in goals),
            ],
        )
        reqs = view.requirements
        for i, (r, row) in enumerate(
            zip(reqs, requirements_rows(requirement_objects(reqs)), strict=True)
        ):
            rr = 2 + i
            rid, title, aspect, _goals, weight, deriv, kind, facts, must, shared = row
            self.text(ws, rr, 1, rid)
            self.text(ws, rr, 2, title)
            self.text(ws, rr, 3, t.get(str(aspect), aspect))
            self.text(ws, rr, 4, "; ".join(view.goal_names.get(g, g) for g in r["goals"]))
            self.value(ws, rr, 5, weight, "pct")
            self.text(ws, rr, 6, deriv)
            self.text(ws, rr, 7, kind)
            self.text(ws, rr, 8, facts)
            if must != "":
                self.value(ws, rr, 9, must, "score")
            self.text(ws, rr, 10, shared)
            for k, g in enumerate(goals):
                share = r.get("contributions", {}).get(g)
                if share:
                    self.value(ws, rr, 11 + k, share, "pct")
        self.widths(
            ws,
            {
                1: 30,
                2: 44,
                3: 15,
                4: 34,
                5: 9,
                6: 40,
                7: 11,
                8: 36,
                9: 10,
                10: 30,
                **{11 + k: 14 for k in range(len(goals))},
            },
        )
        ws.row_dimensions[1].height = 45
        ws.freeze_panes = "C2"
        ws.auto_filter.ref = f"A1:{get_column_letter(10 + len(goals))}{1 + len(reqs)}"
        ws.print_title_rows = "1:1"
        self.paper(ws, fit=False)

    # --- Evidence ---------------------------------------------------------------------------
    def evidence(self, ws: Worksheet) -> None:
        t = self.t
        cols = [
            t["vendor"],
            t["xlsx.fact"],
            t["xlsx.value"],
            t["source"],
            t["xlsx.url"],
            t["method"],
            t["xlsx.http_status"],
            t["xlsx.time"],
            t["xlsx.path"],
            t["xlsx.excerpt"],
            t["xlsx.note"],
            t["xlsx.reason"],
            t["probed_by"],
        ]
        self.header(ws, 1, cols)
        prov = self.view.provenance()
        # 30 000 rows and more: append plain values in one go (cells only where there is a value),
        # then force the few formula- or error-looking strings back to text
        row = 1
        for v in self.view.facts.get("vendors", []):
            name = clean(v.get("name", ""))
            for f in v.get("facts", []):
                e = f.get("evidence") or {}
                cells = {
                    1: name,
                    2: f.get("fact"),
                    3: f.get("value"),
                    4: f.get("source"),
                    5: e.get("url"),
                    6: e.get("method"),
                    7: e.get("status"),
                    8: e.get("time"),
                    9: e.get("path"),
                    10: e.get("excerpt"),
                    11: e.get("note"),
                    12: f.get("reason"),
                    13: prov.get(v.get("name", "")),
                }
                values = {k: _plain(x) for k, x in cells.items() if x is not None and x != ""}
                ws.append(values)
                row += 1
                for k, x in values.items():
                    if isinstance(x, str) and x[:1] in _RISKY_FIRST:
                        self.text(ws, row, k, x)
        self.widths(
            ws,
            {1: 24, 2: 30, 3: 24, 4: 10, 5: 50, 6: 8, 7: 8, 8: 21, 9: 30, 10: 60, 11: 30, 12: 50, 13: 40},
        )
        ws.freeze_panes = "C2"
        ws.auto_filter.ref = f"A1:M{row}"
        ws.print_title_rows = "1:1"
        self.paper(ws, fit=False)

    # --- Questionnaire ----------------------------------------------------------------------
    def questionnaire(self, ws: Worksheet) -> None:
        t, view = self.t, self.view
        manual = [r for r in view.requirements if r.get("kind") == "manual"]
        vendors = view.vendors
        scores = view.score_table()
        self.text(ws, 1, 1, t["xlsx.q.title"], "title")
        self.text(ws, 2, 1, t["xlsx.q.help"], "subtitle")
        self.header(
            ws,
            q.HEADER_ROW,
            [t["xlsx.id"], t["xlsx.q.criterion"], t["xlsx.q.question"], t["xlsx.q.levels"]],
        )
        for col in range(1, q.FIRST_ANSWER_COL):
            self.text(ws, q.KIND_ROW, col, "", "header")
            ws.merge_cells(
                start_row=q.HEADER_ROW, end_row=q.KIND_ROW, start_column=col, end_column=col
            )
        for j, v in enumerate(vendors):
            sc = q.score_column(j)
            self.text(ws, q.HEADER_ROW, sc, v["name"], "header")
            self.text(ws, q.HEADER_ROW, sc + 1, "", "header")
            ws.merge_cells(
                start_row=q.HEADER_ROW, end_row=q.HEADER_ROW, start_column=sc, end_column=sc + 1
            )
            self.text(ws, q.KIND_ROW, sc, t["xlsx.q.score"], "header")
            self.text(ws, q.KIND_ROW, sc + 1, t["xlsx.q.comment"], "header")
        ws.row_dimensions[q.HEADER_ROW].height = 32

        widths = {1: 28, 2: 30, 3: 60, 4: 70}
        for i, r in enumerate(manual):
            row = q.FIRST_ROW + i
            question = r.get("question") or r["title"]
            levels = "\n".join(f"{k} – {v}" for k, v in sorted((r.get("levels") or {}).items()))
            self.text(ws, row, 1, r["id"], "wrap")
            self.text(ws, row, 2, r["title"], "wrap")
            self.text(ws, row, 3, question, "wrap")
            self.text(ws, row, 4, levels, "wrap")
            lines = max(
                _lines(question, widths[3]),
                _lines(levels, widths[4]),
                _lines(r["title"], widths[2]),
            )
            ws.row_dimensions[row].height = min(409, 15 * lines + 4)
            for j, v in enumerate(vendors):
                sc = q.score_column(j)
                s = scores.get((v["name"], r["id"]))
                cell = ws.cell(row=row, column=sc)
                self.styles.apply(cell, "answer_in")
                comment = ""
                if s and s.get("source") == "manual" and s.get("score") is not None:
                    cell.value = s["score"]
                    comment = s.get("comment") or ""
                self.text(ws, row, sc + 1, comment, "comment_in")
        last = q.FIRST_ROW + len(manual) - 1
        if manual and vendors:
            dv = _score_validation(t)
            for j in range(len(vendors)):
                c = get_column_letter(q.score_column(j))
                dv.add(f"{c}{q.FIRST_ROW}:{c}{last}")
            ws.add_data_validation(dv)
        for j in range(len(vendors)):
            widths[q.score_column(j)] = 11
            widths[q.score_column(j) + 1] = 32
        self.widths(ws, widths)
        ws.freeze_panes = f"C{q.FIRST_ROW}"
        ws.print_title_rows = f"{q.HEADER_ROW}:{q.KIND_ROW}"
        ws.print_title_cols = "A:B"
        self.paper(ws, fit=False)
        ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)


_RISKY_FIRST = frozenset("".join(FORMULA_PREFIXES) + "#")  # formulas, and error codes like #N/A


def _plain(value: object) -> object:
    """A fact value or evidence field as a cell value: numbers stay numbers, the rest is text."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list):
        return clean(", ".join(str(v) for v in value))
    return clean(value)


def _lines(text: str, width: float) -> int:
    """Rows a wrapped text needs in a column of ``width`` characters (for the row height)."""
    per_line = max(width * 1.1 - 2, 1)  # a column of width w holds about 1.1 w characters
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _score_validation(t: dict[str, str]) -> DataValidation:
    """Score cells (Matrix and Questionnaire) accept 0–5 or nothing."""
    return DataValidation(type="decimal", operator="between", formula1="0", formula2="5",
                          allow_blank=True, showErrorMessage=True, errorTitle="0–5",
                          error=t["xlsx.score_error"])


def render_xlsx(view: RunView) -> bytes:
    """The workbook as bytes (written atomically by the caller)."""
    return _Writer(view).build()
