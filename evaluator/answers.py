"""Manual answers: scores for what no API can show (cost model, data residency, works council…).

Answers come from a CSV or TOML file (and, with the reports, from the Excel questionnaire). Every
answer names a vendor of the strategy and a manual criterion; anything else is an error that names
the file and the line, field or cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import InputError
from .files import load_toml, read_text
from .strategy import Strategy


@dataclass(frozen=True)
class Answer:
    score: float
    comment: str = ""
    place: str = ""


Answers = dict[tuple[str, str], Answer]


def parse_score(value: Any) -> float | None:
    """A 0–5 score from a cell or field; None for an empty one; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, str):
        value = float(value.strip().replace(",", "."))
    v = float(value)
    if not 0 <= v <= 5:
        raise ValueError
    return v


def add_answer(out: Answers, path: Path, key: tuple[str, str], value: Any, comment: str, place: str,
               *, score_place: str | None = None) -> None:
    """Record one answer from any reader: empty means unanswered, a second one is an error."""
    try:
        score = parse_score(value)
    except (ValueError, TypeError):
        raise InputError(path, score_place or place, f"{value!r} is not a score 0-5") from None
    if score is None:
        return
    if key in out:
        raise InputError(path, place, f"second answer for {key[0]!r} / {key[1]!r} (first at {out[key].place})")
    out[key] = Answer(score, comment, place)


def _validator(path: Path, strategy: Strategy, catalog: Catalog) -> Callable[[str, str, str], tuple[str, str]]:
    vendors = {v.name.casefold(): v.name for v in strategy.vendors}
    manual = {c.id for c in catalog.criteria.values() if c.manual}

    def check(vendor: str, criterion: str, place: str) -> tuple[str, str]:
        name = vendors.get(vendor.strip().casefold())
        if name is None:
            raise InputError(path, place, f"unknown vendor {vendor!r} (vendors in the strategy: "
                             + ", ".join(v.name for v in strategy.vendors) + ")")
        cid = criterion.strip()
        if cid not in catalog.criteria:
            raise InputError(path, place, f"unknown criterion {cid!r} (see `zahnrad criteria --manual`)")
        if cid not in manual:
            raise InputError(path, place, f"criterion {cid!r} is scored from facts, not answered by hand "
                             "(manual criteria: see `zahnrad criteria --manual`)")
        return name, cid

    return check


def load_answers(path: str | Path, strategy: Strategy, catalog: Catalog) -> Answers:
    """Read answers from ``.csv``, ``.toml`` or an Excel questionnaire (``.xlsx``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    check = _validator(path, strategy, catalog)
    if suffix == ".csv":
        return _from_csv(path, check)
    if suffix == ".toml":
        return _from_toml(path, check)
    if suffix == ".xlsx":
        from .questionnaire import read_questionnaire

        return read_questionnaire(path, check)
    raise InputError(path, None, "answers must be a .csv, .toml or .xlsx file")


def _from_csv(path: Path, check: Callable[[str, str, str], tuple[str, str]]) -> Answers:
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [f for f in ("vendor", "criterion", "score") if f not in fields]
    if missing:
        raise InputError(path, "line 1", f"header lacks column(s) {', '.join(missing)} "
                         "(expected: vendor,criterion,score,comment)")
    reader.fieldnames = fields
    out: Answers = {}
    for row in reader:
        line = reader.line_num
        place = f"line {line}"
        if None in row:
            raise InputError(path, place, "more cells than header columns (quote text containing commas)")
        vendor, criterion = row.get("vendor") or "", row.get("criterion") or ""
        if not vendor.strip() and not criterion.strip():
            continue
        key = check(vendor, criterion, place)
        add_answer(out, path, key, row.get("score"), (row.get("comment") or "").strip(), place,
                   score_place=f"{place}, column score")
    return out


def _from_toml(path: Path, check: Callable[[str, str, str], tuple[str, str]]) -> Answers:
    raw = load_toml(path)
    extra = set(raw) - {"answers"}
    if extra:
        raise InputError(path, sorted(extra)[0], 'unknown key (expected [answers."Vendor name"] tables)')
    table = raw.get("answers")
    if not isinstance(table, dict):
        raise InputError(path, "answers", 'expected [answers."Vendor name"] tables')
    out: Answers = {}
    for vendor, crits in table.items():
        vplace = f'answers."{vendor}"'
        if not isinstance(crits, dict):
            raise InputError(path, vplace, "expected a table criterion-id = score")
        for cid, val in crits.items():
            place = f"{vplace}.{cid}"
            key = check(vendor, cid, place)
            comment = ""
            if isinstance(val, dict):
                extra = set(val) - {"score", "comment"}
                if extra:
                    raise InputError(path, f"{place}.{sorted(extra)[0]}", "unknown key (known: score, comment)")
                comment = str(val.get("comment", ""))
                val = val.get("score")
            add_answer(out, path, key, val, comment, place)
    return out
