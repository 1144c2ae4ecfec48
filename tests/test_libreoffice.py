"""A real spreadsheet program recalculates report.xlsx: its live totals equal zahnrad's.

LibreOffice (headless, private profile) opens each workbook, computes every formula and saves a
copy with the results; openpyxl reads those back. This checks the Matrix formulas (SUMPRODUCT
totals, renormalisation under "exclude", must-haves, RANK, aspect subtotals) against results.json
for every unknown policy – and, after a strategist-style edit of scores and a weight, against a
fresh zahnrad evaluation of the same change.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from test_xlsx import ANSWERS, Run, make_run, req_row, vendor_col, write_answers_csv

from zahnrad.reports import xlsx as X
from zahnrad.reports.i18n import labels

POLICIES = ("pessimistic", "neutral", "exclude")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
T = labels("en")


@pytest.fixture(scope="module")
def recalc(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., list[Path]]:
    """Recalculate workbooks (or import CSV files) with LibreOffice; returns the .xlsx copies."""
    if not SOFFICE:
        if os.environ.get("ZAHNRAD_REQUIRE_SERVERS") == "1":
            pytest.fail("LibreOffice (soffice) not found but ZAHNRAD_REQUIRE_SERVERS=1")
        pytest.skip("LibreOffice (soffice) not installed")
    profile = tmp_path_factory.mktemp("lo-profile")

    def run(paths: list[Path], infilter: str | None = None) -> list[Path]:
        out = tmp_path_factory.mktemp("lo-out")
        proc = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                *([f"--infilter={infilter}"] if infilter else []),
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        results = [out / p.with_suffix(".xlsx").name for p in paths]
        missing = [p for p in results if not p.exists()]
        assert not missing, f"soffice did not convert {missing}: {proc.stdout} {proc.stderr}"
        return results

    return run


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("runs")
    with pytest.MonkeyPatch.context() as mp:
        return {p: make_run(base / p, mp, policy=p) for p in POLICIES}


def status(v: dict, t: dict[str, str] = T) -> str:
    if not v["must_have"]:
        return "–"
    if v["knocked_out"]:
        return t["knocked_out"]
    return t["unverified"] if "unverified" in v["must_have"].values() else t["passed"]


def assert_matches(book: Path, results: dict, t: dict[str, str] = T) -> None:
    """The recalculated Matrix equals results.json: totals, subtotals, must-haves and ranks."""
    ws = openpyxl.load_workbook(book, data_only=True)["Matrix"]
    last = X.FIRST_ROW + len(results["requirements"]) - 1
    aspect_rows = {ws.cell(r, X.TITLE_COL).value: r for r in range(last + 3, ws.max_row + 1)}
    for v in results["vendors"]:
        col = vendor_col(ws, v["name"])
        got = ws.cell(X.TOTAL_ROW, col).value
        if v["total"] is None:
            assert got in (None, ""), v["name"]
        else:
            assert got == pytest.approx(v["total"], abs=0.01), v["name"]
        assert ws.cell(X.RANK_ROW, col).value == (v["rank"] if v["rank"] is not None else "–"), v[
            "name"
        ]
        assert ws.cell(X.MUST_ROW, col).value == status(v, t), v["name"]
        for aspect, want in v["aspects"].items():
            got = ws.cell(aspect_rows[t[aspect]], col).value
            if want is None:
                assert got in (None, ""), (v["name"], aspect)
            else:
                assert got == pytest.approx(want, abs=0.01), (v["name"], aspect)


@pytest.fixture(scope="module")
def recalculated(runs: dict[str, Run], recalc) -> dict[str, Path]:
    copies = []
    for policy, run in runs.items():
        copy = run.dir.parent / f"report-{policy}.xlsx"
        shutil.copy(run.xlsx, copy)
        copies.append(copy)
    return dict(zip(POLICIES, recalc(copies), strict=True))


@pytest.mark.parametrize("policy", POLICIES)
def test_excel_totals_equal_results(
    policy: str, runs: dict[str, Run], recalculated: dict[str, Path]
) -> None:
    results = runs[policy].results
    assert {v["name"] for v in results["vendors"] if v["knocked_out"]} == {"Slacker"}
    assert_matches(recalculated[policy], results)


def test_german_workbook_recalculates(
    recalc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Localised labels inside formulas (must-have status, aspect names) still compute."""
    run = make_run(tmp_path, monkeypatch, policy="exclude", lang="de")
    [book] = recalc([run.xlsx])
    assert_matches(book, run.results, labels("de"))


@pytest.mark.parametrize("policy", POLICIES)
def test_edits_recalculate_like_zahnrad(
    policy: str, runs: dict[str, Run], recalc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit scores and a weight in the Matrix: LibreOffice's totals equal zahnrad's for it."""
    run = runs[policy]
    wb = openpyxl.load_workbook(run.xlsx)
    ws = wb["Matrix"]
    edits = {
        ("Wiki Ärger", "eu-data-residency"): 2,  # fails the must-have now
        ("Ghost", "eu-data-residency"): 3.5,  # was unknown: now verified and passed
        ("Ghost", "accessibility"): 4,
    }  # was unknown: now counts
    for (vendor, cid), score in edits.items():
        ws.cell(req_row(ws, cid, X.FIRST_ROW), vendor_col(ws, vendor)).value = score
    weight = ws.cell(req_row(ws, "anonymous-editing", X.FIRST_ROW), X.WEIGHT_COL)
    weight.value = 3 * weight.value  # the formulas renormalise: no need to keep the sum at 100 %
    edited = tmp_path / f"edited-{policy}.xlsx"
    wb.save(edited)
    [book] = recalc([edited])

    # the same change in zahnrad's inputs: answers, and a weight factor of 3 (which scales that
    # criterion's raw weight before all weights are normalised to sum to 1)
    answers = [a for a in ANSWERS if (a[0], a[1]) not in edits]
    answers += [(v, c, s, "") for (v, c), s in edits.items()]
    changed = tmp_path / "answers.csv"
    write_answers_csv(changed, answers)
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(
        run.strategy.read_text(encoding="utf-8").replace(
            "[scoring]\n", "[scoring]\nweights = { anonymous-editing = 3 }\n"
        ),
        encoding="utf-8",
    )
    from test_xlsx import allow_platforms, evaluate

    allow_platforms(monkeypatch)
    assert evaluate(Run(run.dir, strategy, run.facts, changed), tmp_path / "again", changed) == 0
    again = Run(tmp_path / "again", strategy, run.facts, changed).results
    assert "Wiki Ärger" in {v["name"] for v in again["vendors"] if v["knocked_out"]}
    assert_matches(book, again)


def test_matrix_csv_opens_as_text(runs: dict[str, Run], recalc, tmp_path: Path) -> None:
    """LibreOffice importing matrix.csv with formula evaluation on keeps vendor names as text."""
    src = tmp_path / "matrix.csv"
    shutil.copy(runs["neutral"].dir / "matrix.csv", src)
    control = tmp_path / "control.csv"
    control.write_text('a,b\n=1+1,"=HYPERLINK(""http://evil"")"\n', encoding="utf-8")
    # CSV import options: comma, double quote, UTF-8, from line 1, ..., evaluate formulas = true
    options = "CSV:44,34,76,1,,0,false,false,false,false,false,-1,true"
    book, ctrl = recalc([src, control], infilter=options)
    assert openpyxl.load_workbook(ctrl).active["A2"].data_type == "f"  # evaluation is on
    ws = openpyxl.load_workbook(book).active
    names = [v["name"] for v in runs["neutral"].results["vendors"]]
    header = [c.value for c in ws[1]]
    assert header[4:] == [("'" + n if n.startswith("=") else n) for n in names]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.max_row == len(list(csv.reader(src.open(encoding="utf-8"))))


def test_demo_workbook_recalculates(recalc, tmp_path: Path) -> None:
    """The bundled demo's workbook, recalculated, shows the demo's totals and ranking."""
    from zahnrad.cli import main

    assert main(["demo", "-o", str(tmp_path / "demo"), "-q"]) == 0
    results = Run(tmp_path / "demo", Path(), Path(), Path()).results
    [book] = recalc([tmp_path / "demo" / "report.xlsx"])
    assert_matches(book, results, labels(results["strategy"]["language"]))
