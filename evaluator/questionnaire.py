"""Reading manual answers back from the Questionnaire sheet of a filled-in ``report.xlsx``.

The workbook writer (``zahnrad.reports.xlsx``) and this reader share the layout constants below,
so the sheet a strategist fills in is exactly the sheet that is read. Every problem is reported
as ``report.xlsx: Questionnaire!E7: message`` (sheet and cell, as Excel shows them), so a
strategist can go straight to the cell. openpyxl is imported only here and in the writer, never on
the CLI start-up path.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .answers import Answers, add_answer
from .errors import InputError
from .files import read_bytes

#: Row with the column headers (vendor names above their score columns).
HEADER_ROW = 4
#: Row under the header naming each answer column's kind (score or comment).
KIND_ROW = 5
#: First row with a criterion.
FIRST_ROW = 6
#: Columns A-D: criterion id, title, question, levels; answers start in column E.
ID_COL = 1
FIRST_ANSWER_COL = 5
#: Each vendor has two adjacent columns: the score, then a free-text comment.
COLS_PER_VENDOR = 2
#: A report.xlsx for 100 vendors × 300 criteria unpacks to about 30 MB.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


def score_column(index: int) -> int:
    """1-based column of the ``index``-th vendor's score (its comment is the next column)."""
    return FIRST_ANSWER_COL + COLS_PER_VENDOR * index


def sheet_names() -> list[str]:
    """The Questionnaire sheet's name in every report language (a German workbook is read too)."""
    from zahnrad.reports.i18n import LABELS

    return list(dict.fromkeys(lab["xlsx.sheet.questionnaire"] for lab in LABELS.values()))


def read_questionnaire(
    path: str | Path, check: Callable[[str, str, str], tuple[str, str]]
) -> Answers:
    """Answers from the Questionnaire sheet; ``check(vendor, criterion, place)`` validates names.

    Empty score cells are skipped (not known yet); a comment without a score is ignored like in
    the CSV format. Formulas are read by their value as last calculated by the spreadsheet program.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:  # refuse zip bombs before parsing any XML
            unpacked = sum(i.file_size for i in z.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise InputError(
                path,
                None,
                f"unpacks to {unpacked:,} bytes; the limit is "
                f"{MAX_UNPACKED_BYTES:,} (is this a zahnrad report.xlsx?)",
            )
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(
            path,
            None,
            "not an Excel workbook (.xlsx) that can be read "
            f"({type(exc).__name__}); save it as .xlsx and try again",
        ) from None
    try:
        names = sheet_names()
        ws = next((wb[n] for n in names if n in wb.sheetnames), None)
        if ws is None:
            raise InputError(
                path,
                None,
                f"no sheet named {' or '.join(map(repr, names))} "
                f"(sheets: {', '.join(wb.sheetnames) or 'none'}); answers are read "
                "from the questionnaire of a zahnrad report.xlsx",
            )
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        wb.close()

    def place(row: int, col: int) -> str:
        return f"{title}!{get_column_letter(col)}{row}"

    def at(row: int, col: int) -> Any:
        r = rows[row - 1] if row - 1 < len(rows) else []
        return r[col - 1] if col - 1 < len(r) else None

    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    if blank(at(HEADER_ROW, ID_COL)):
        raise InputError(
            path,
            place(HEADER_ROW, ID_COL),
            "expected the header 'ID' here; is this "
            "the questionnaire of a zahnrad report.xlsx (rows and columns unchanged)?",
        )
    width = max((len(r) for r in rows), default=0)
    vendor_cols: list[tuple[int, str | None]] = []
    for col in range(FIRST_ANSWER_COL, width + 1, COLS_PER_VENDOR):
        name = at(HEADER_ROW, col)
        vendor_cols.append((col, None if blank(name) else str(name)))

    out: Answers = {}
    for row in range(FIRST_ROW, len(rows) + 1):
        cid = at(row, ID_COL)
        answered = [
            (col, name, at(row, col)) for col, name in vendor_cols if not blank(at(row, col))
        ]
        if not answered:
            continue
        if blank(cid):
            raise InputError(path, place(row, ID_COL), "answers in a row without a criterion id")
        for col, name, value in answered:
            where = place(row, col)
            if name is None:
                raise InputError(
                    path, place(HEADER_ROW, col), f"no vendor name above the answer in {where}"
                )
            key = check(name, str(cid), where)
            comment = at(row, col + 1)
            add_answer(out, path, key, value, "" if blank(comment) else str(comment).strip(), where)
    return out
