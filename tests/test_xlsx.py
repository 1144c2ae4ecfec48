"""report.xlsx and matrix.csv: sheets, live formulas, text safety, and the questionnaire round trip.

The run is built offline from a small strategy, facts.json and answers.csv in tmp_path and goes
through the real CLI (`zahnrad evaluate`), so these tests cover what a strategist gets.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from zahnrad import questionnaire as q
from zahnrad.cli import main
from zahnrad.reports import xlsx as X

EVIL_VENDOR = '=HYPERLINK("http://evil")'
EVIL_EXCERPT = "+cmd|' /C calc'!A0"
EVIL_COMMENT = "=SUM(A1:A9)"
VENDORS = [
    (EVIL_VENDOR, "mediawiki", "https://evil.example"),
    ("Wiki Ärger", "mediawiki", "https://wiki.example"),
    ("Slacker", "dokuwiki", "https://slack.example"),
    ("Ghost", "dokuwiki", "https://ghost.example"),
]
ANSWERS = [  # vendor, criterion, score, comment
    (EVIL_VENDOR, "eu-data-residency", 4, "EU hosting"),
    (EVIL_VENDOR, "usability-non-technical", 2.5, EVIL_COMMENT),
    ("Wiki Ärger", "eu-data-residency", 5, "on premises"),
    ("Wiki Ärger", "usability-non-technical", 3, ""),
    ("Wiki Ärger", "licence-cost-predictability", 5, "GPL"),
    ("Slacker", "eu-data-residency", 1, "US only"),  # fails the must-have: knocked out
    ("Slacker", "usability-non-technical", 5, ""),
]


def _obs(fact: str, value: object, excerpt: str = "{}") -> dict:
    return {
        "fact": fact,
        "value": value,
        "source": "observed",
        "evidence": {
            "method": "GET",
            "url": "https://x.example/api.php?action=query",
            "status": 200,
            "time": "2026-11-28T01:00:00Z",
            "elapsed_ms": 12,
            "path": "query.general",
            "excerpt": excerpt,
        },
    }


def _facts() -> dict:
    unknown = {
        "fact": "editor.visual",
        "value": None,
        "source": "unknown",
        "reason": "HTTP 403 from api.php (readapidenied)\x1b[31m",
    }
    declared = {
        "fact": "content.tags",
        "value": True,
        "source": "declared",
        "evidence": {"url": "https://docs.example/tags", "note": "=1+1 documented"},
    }
    return {
        "format": "zahnrad-facts/1",
        "created": "2026-11-28T01:00:00Z",
        "vendors": [
            {
                "name": EVIL_VENDOR,
                "platform": "mediawiki",
                "url": "https://evil.example",
                "complete": True,
                "problems": [],
                "facts": [
                    _obs("edit.anonymous", True, EVIL_EXCERPT),
                    unknown,
                    declared,
                    _obs("extensions.installed", ["@evil", "-rm", "VisualEditor"]),
                ],
            },
            {
                "name": "Wiki Ärger",
                "platform": "mediawiki",
                "url": "https://wiki.example",
                "complete": True,
                "problems": [],
                "facts": [
                    _obs("edit.anonymous", False),
                    _obs("editor.visual", True),
                    _obs("content.tags", False),
                ],
            },
            {
                "name": "Slacker",
                "platform": "dokuwiki",
                "url": "https://slack.example",
                "complete": True,
                "problems": [],
                "facts": [_obs("edit.anonymous", True), _obs("editor.visual", True)],
            },
        ],
    }


def _strategy(policy: str, lang: str) -> str:
    vendors = "\n".join(
        f'[[vendors]]\nname = {json.dumps(n)}\nplatform = "{p}"\nurl = "{u}"\n'
        for n, p, u in VENDORS
    )
    return f"""
[organisation]
name = "Test GmbH"
language = "{lang}"

[goals]
participation = 5
self_organisation = 3
knowledge_sharing = 4
external_reach = 1
adaptability = 2

[scoring]
unknown = "{policy}"
must_have = ["eu-data-residency"]

{vendors}
"""


def write_answers_csv(path: Path, answers: list[tuple[str, str, float, str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["vendor", "criterion", "score", "comment"])
    w.writerows(answers)
    path.write_text(buf.getvalue(), encoding="utf-8")


@dataclass
class Run:
    dir: Path
    strategy: Path
    facts: Path
    answers: Path

    @property
    def xlsx(self) -> Path:
        return self.dir / "report.xlsx"

    @property
    def results(self) -> dict:
        return json.loads((self.dir / "results.json").read_text(encoding="utf-8"))


def allow_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    """The strategy names mediawiki/dokuwiki; scoring saved facts needs no plugin code."""
    monkeypatch.setattr(
        "zahnrad.registry.platform_names",
        lambda: {"mediawiki": "mediawiki", "dokuwiki": "dokuwiki"},
    )


def evaluate(run: Run, outdir: Path, answers: Path, *extra: str) -> int:
    return main(
        [
            "evaluate",
            str(run.strategy),
            "-o",
            str(outdir),
            "--facts",
            str(run.facts),
            "--answers",
            str(answers),
            "-q",
            *extra,
        ]
    )


def make_run(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    policy: str = "neutral",
    lang: str = "en",
    answers: list[tuple[str, str, float, str]] | None = None,
) -> Run:
    allow_platforms(monkeypatch)
    tmp.mkdir(parents=True, exist_ok=True)
    run = Run(tmp / "run", tmp / "strategy.toml", tmp / "facts.json", tmp / "answers.csv")
    run.strategy.write_text(_strategy(policy, lang), encoding="utf-8")
    run.facts.write_text(json.dumps(_facts()), encoding="utf-8")
    write_answers_csv(run.answers, ANSWERS if answers is None else answers)
    assert evaluate(run, run.dir, run.answers) == 0
    return run


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    return make_run(tmp_path, monkeypatch)


def vendor_col(ws, name: str) -> int:
    for col in range(X.FIRST_VENDOR_COL, ws.max_column + 1):
        if ws.cell(X.HEAD_ROW, col).value == name:
            return col
    raise AssertionError(f"no column for {name!r}")


def req_row(ws, cid: str, first: int) -> int:
    for row in range(first, ws.max_row + 1):
        if ws.cell(row, 1).value == cid:
            return row
    raise AssertionError(f"no row for {cid!r}")


# --- workbook structure ---------------------------------------------------------------------


def test_sheets_and_live_formulas(run: Run) -> None:
    wb = openpyxl.load_workbook(run.xlsx)
    assert wb.sheetnames == ["Summary", "Matrix", "Requirements", "Evidence", "Questionnaire"]
    ws = wb["Matrix"]
    results = run.results
    assert [ws.cell(X.HEAD_ROW, X.FIRST_VENDOR_COL + j).value for j in range(4)] == [
        v["name"] for v in results["vendors"]
    ]
    last = X.FIRST_ROW + len(results["requirements"]) - 1
    for j in range(len(results["vendors"])):
        c = openpyxl.utils.get_column_letter(X.FIRST_VENDOR_COL + j)
        total = ws.cell(X.TOTAL_ROW, X.FIRST_VENDOR_COL + j)
        assert total.data_type == "f"
        assert f"SUMPRODUCT($E${X.FIRST_ROW}:$E${last},{c}{X.FIRST_ROW}:{c}{last})" in total.value
        assert "ISNUMBER" in total.value  # renormalises over cells holding a number
        assert "RANK(" in ws.cell(X.RANK_ROW, X.FIRST_VENDOR_COL + j).value
        assert ws.cell(X.MUST_ROW, X.FIRST_VENDOR_COL + j).value.startswith("=IF(OR(")
    # requirements in results order with their weights as editable inputs
    assert [ws.cell(X.FIRST_ROW + i, 1).value for i in range(len(results["requirements"]))] == [
        r["id"] for r in results["requirements"]
    ]
    weight = ws.cell(X.FIRST_ROW, X.WEIGHT_COL)
    assert weight.value == pytest.approx(results["requirements"][0]["weight"])
    assert weight.protection.locked is False and total.protection.locked is True
    assert ws.protection.sheet is True and not ws.protection.password
    assert ws.freeze_panes == f"G{X.FIRST_ROW}"
    assert any(
        "ColorScale" in type(r).__name__ or r.type == "colorScale"
        for rng in ws.conditional_formatting
        for r in rng.rules
    )
    assert {dv.type for dv in ws.data_validations.dataValidation} == {"decimal"}
    # Summary and Requirements carry the snapshot and the derivation
    summary = wb["Summary"]
    names = [summary.cell(9 + i, 2).value for i in range(4)]
    assert names == [v["name"] for v in results["vendors"]]
    assert summary.cell(9, 3).value == results["vendors"][0]["total"]
    assert len(summary._charts) == 2
    reqs = wb["Requirements"]
    assert reqs.cell(2, 1).value == results["requirements"][0]["id"]
    assert "%" in reqs.cell(2, 6).value  # derivation "goal 12.34%"


def test_unknown_and_manual_scores_are_marked(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = openpyxl.load_workbook(run.xlsx)["Matrix"]
    evil = vendor_col(ws, EVIL_VENDOR)
    unknown = ws.cell(req_row(ws, "visual-editor", X.FIRST_ROW), evil)
    assert unknown.value == 2.5 and unknown.number_format == X.UNKNOWN_FMT
    assert "HTTP 403" in unknown.comment.text and "2.5" in unknown.comment.text
    assert "\x1b" not in unknown.comment.text  # control characters escaped
    manual = ws.cell(req_row(ws, "usability-non-technical", X.FIRST_ROW), evil)
    assert manual.value == 2.5 and manual.number_format == X.MANUAL_FMT
    assert EVIL_COMMENT in manual.comment.text
    known = ws.cell(req_row(ws, "anonymous-editing", X.FIRST_ROW), evil)
    assert known.value == 5 and known.comment is None and known.protection.locked is False

    ex = make_run(tmp_path / "ex", monkeypatch, policy="exclude")
    ws = openpyxl.load_workbook(ex.xlsx)["Matrix"]
    cell = ws.cell(req_row(ws, "visual-editor", X.FIRST_ROW), vendor_col(ws, EVIL_VENDOR))
    assert cell.value is None and "HTTP 403" in cell.comment.text
    assert cell.fill.patternType == "lightUp"


def test_vendor_strings_are_text_never_formulas(run: Run) -> None:
    wb = openpyxl.load_workbook(run.xlsx)
    places = [
        (wb["Matrix"], X.HEAD_ROW, vendor_col(wb["Matrix"], EVIL_VENDOR)),
        (wb["Summary"], 9 + [v["name"] for v in run.results["vendors"]].index(EVIL_VENDOR), 2),
        (
            wb["Questionnaire"],
            q.HEADER_ROW,
            q.score_column([v["name"] for v in run.results["vendors"]].index(EVIL_VENDOR)),
        ),
    ]
    for ws, row, col in places:
        cell = ws.cell(row, col)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (EVIL_VENDOR, "s", True), ws.title
    ev = wb["Evidence"]
    rows = {(r[0], r[1]): r for r in ev.iter_rows(min_row=2, values_only=True)}
    assert rows[(EVIL_VENDOR, "edit.anonymous")][9] == EVIL_EXCERPT
    assert rows[(EVIL_VENDOR, "content.tags")][10] == "=1+1 documented"
    assert rows[(EVIL_VENDOR, "extensions.installed")][2] == "@evil, -rm, VisualEditor"
    assert "\\x1b[31m" in rows[(EVIL_VENDOR, "editor.visual")][11]
    for row in ev.iter_rows(min_row=1):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    for ws in wb:  # nothing outside the Matrix formulas is a formula
        if ws.title != "Matrix":
            assert all(c.data_type != "f" for r in ws.iter_rows() for c in r), ws.title
    excerpt = next(c for c in ev["J"] if c.value == EVIL_EXCERPT)
    assert excerpt.data_type == "s" and excerpt.quotePrefix
    # and in the raw XML: the strings are inline text, no <f> element carries them
    import zipfile

    with zipfile.ZipFile(run.xlsx) as z:
        xml = "".join(
            z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")
        )
    assert "<f>HYPERLINK" not in xml and "<f>+cmd" not in xml and "<f>cmd" not in xml


def test_matrix_csv(run: Run) -> None:
    rows = list(csv.reader(io.StringIO((run.dir / "matrix.csv").read_text(encoding="utf-8"))))
    results = run.results
    names = [v["name"] for v in results["vendors"]]
    assert rows[0] == [
        "id",
        "title",
        "aspect",
        "weight",
        *("'" + n if n.startswith("=") else n for n in names),
    ]
    by_id = {r[0]: r for r in rows[1:]}
    assert [r[0] for r in rows[1 : len(results["requirements"]) + 1]] == [
        r["id"] for r in results["requirements"]
    ]
    total = by_id["#total"]
    for j, v in enumerate(results["vendors"]):
        assert total[4 + j] == ("" if v["total"] is None else str(v["total"]))
    col = 4 + names.index(EVIL_VENDOR)
    assert by_id["visual-editor"][col] == ""  # unknown: empty, policy only in the totals
    assert by_id["anonymous-editing"][col] == "5.0"
    assert by_id["#knocked_out"][4 + names.index("Slacker")] == "true"
    assert by_id["#rank"][4 + names.index("Slacker")] == ""


def test_german_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = make_run(tmp_path, monkeypatch, lang="de")
    wb = openpyxl.load_workbook(run.xlsx)
    assert wb.sheetnames == ["Übersicht", "Matrix", "Anforderungen", "Belege", "Fragebogen"]
    assert wb["Matrix"].cell(X.TOTAL_ROW, X.TITLE_COL).value == "Gesamt (0–100)"
    # the German questionnaire reads back too
    assert evaluate(run, tmp_path / "again", run.xlsx) == 0
    assert _manual(run.results) == _manual(
        json.loads((tmp_path / "again" / "results.json").read_text())
    )


def test_openpyxl_not_imported_at_cli_startup() -> None:
    code = "import sys, zahnrad.cli, zahnrad.outputs; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- questionnaire round trip ---------------------------------------------------------------


def _manual(results: dict) -> dict[tuple[str, str], tuple[float, str | None]]:
    return {
        (s["vendor"], s["criterion"]): (s["score"], s.get("comment"))
        for s in results["scores"]
        if s["source"] == "manual"
    }


def _qcell(wb, vendor: str, cid: str) -> tuple[int, int]:
    ws = wb["Questionnaire"]
    col = next(
        c
        for c in range(q.FIRST_ANSWER_COL, ws.max_column + 1, 2)
        if ws.cell(q.HEADER_ROW, c).value == vendor
    )
    return req_row(ws, cid, q.FIRST_ROW), col


def test_questionnaire_lists_manual_criteria_prefilled(run: Run) -> None:
    ws = openpyxl.load_workbook(run.xlsx)["Questionnaire"]
    manual = [r["id"] for r in run.results["requirements"] if r["kind"] == "manual"]
    assert [ws.cell(q.FIRST_ROW + i, 1).value for i in range(len(manual))] == manual
    row, col = _qcell(ws.parent, "Wiki Ärger", "eu-data-residency")
    assert ws.cell(row, col).value == 5 and ws.cell(row, col + 1).value == "on premises"
    assert ws.cell(row, col).protection.locked is False
    assert "outside the EU" in ws.cell(row, 3).value  # question from the catalog
    assert ws.cell(row, 4).value.startswith("0 – ") and "\n5 – " in ws.cell(row, 4).value
    dv = ws.data_validations.dataValidation[0]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "5")
    assert openpyxl.utils.get_column_letter(col) in str(dv.sqref)


def test_questionnaire_round_trip(run: Run, tmp_path: Path) -> None:
    # unchanged: the prefilled answers reproduce the run
    assert evaluate(run, tmp_path / "same", run.xlsx) == 0
    same = json.loads((tmp_path / "same" / "results.json").read_text())
    assert _manual(same) == _manual(run.results)
    assert [v["total"] for v in same["vendors"]] == [v["total"] for v in run.results["vendors"]]
    # filled in: a new answer with a comment, a changed one, a removed one
    wb = openpyxl.load_workbook(run.xlsx)
    ws = wb["Questionnaire"]
    r, c = _qcell(wb, "Ghost", "eu-data-residency")
    ws.cell(r, c).value = 4.5
    ws.cell(r, c + 1).value = "EU region, contract checked"
    r, c = _qcell(wb, "Slacker", "eu-data-residency")
    ws.cell(r, c).value = "3,5"  # a decimal comma typed as text is accepted
    r, c = _qcell(wb, "Wiki Ärger", "licence-cost-predictability")
    ws.cell(r, c).value = None
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    assert evaluate(run, tmp_path / "filled", filled) == 0
    after = json.loads((tmp_path / "filled" / "results.json").read_text())
    manual = _manual(after)
    assert manual[("Ghost", "eu-data-residency")] == (4.5, "EU region, contract checked")
    assert manual[("Slacker", "eu-data-residency")][0] == 3.5
    assert ("Wiki Ärger", "licence-cost-predictability") not in manual
    assert manual[(EVIL_VENDOR, "usability-non-technical")] == (2.5, EVIL_COMMENT)
    slacker = next(v for v in after["vendors"] if v["name"] == "Slacker")
    assert slacker["knocked_out"] is False and slacker["rank"] is not None
    detail = next(
        s["detail"]
        for s in after["scores"]
        if (s["vendor"], s["criterion"]) == ("Ghost", "eu-data-residency")
    )
    assert "Questionnaire!" in detail


def _broken(run: Run, tmp_path: Path, edit) -> Path:
    wb = openpyxl.load_workbook(run.xlsx)
    edit(wb)
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def test_bad_cell_is_named_by_sheet_and_cell(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.load_workbook(run.xlsx)
    r, c = _qcell(wb, "Wiki Ärger", "eu-data-residency")
    cell = f"{openpyxl.utils.get_column_letter(c)}{r}"

    def edit(wb):
        wb["Questionnaire"][cell] = "yes"

    path = _broken(run, tmp_path, edit)
    capsys.readouterr()
    assert evaluate(run, tmp_path / "bad", path) == 2
    err = capsys.readouterr().err
    assert err == f"zahnrad: error: {path}: Questionnaire!{cell}: 'yes' is not a score 0-5\n"
    assert not (tmp_path / "bad").exists()  # nothing written


@pytest.mark.parametrize("value", [7, -1])
def test_out_of_range_score(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: float
) -> None:
    wb = openpyxl.load_workbook(run.xlsx)
    r, c = _qcell(wb, "Ghost", "accessibility")
    path = _broken(run, tmp_path, lambda wb: wb["Questionnaire"].cell(r, c, value))
    assert evaluate(run, tmp_path / "bad", path) == 2
    cell = f"{openpyxl.utils.get_column_letter(c)}{r}"
    assert f"Questionnaire!{cell}: {value!r} is not a score 0-5" in capsys.readouterr().err


def test_unknown_vendor_column(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(wb):
        ws = wb["Questionnaire"]
        ws.cell(q.HEADER_ROW, q.score_column(0)).value = "Nobody"

    path = _broken(run, tmp_path, edit)
    assert evaluate(run, tmp_path / "bad", path) == 2
    err = capsys.readouterr().err
    assert f"{path}: Questionnaire!" in err and "unknown vendor 'Nobody'" in err


def test_missing_sheet_and_not_a_workbook(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(run, tmp_path, lambda wb: wb.remove(wb["Questionnaire"]))
    assert evaluate(run, tmp_path / "bad", path) == 2
    err = capsys.readouterr().err
    assert f"{path}: no sheet named 'Questionnaire' or 'Fragebogen'" in err
    assert "Summary, Matrix, Requirements, Evidence" in err
    fake = tmp_path / "fake.xlsx"
    fake.write_text("vendor,criterion,score\n", encoding="utf-8")
    assert evaluate(run, tmp_path / "bad", fake) == 2
    assert f"{fake}: not an Excel workbook (.xlsx)" in capsys.readouterr().err


def test_answers_in_a_row_without_criterion(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = openpyxl.load_workbook(run.xlsx)["Questionnaire"]
    row = ws.max_row + 1
    path = _broken(run, tmp_path, lambda wb: wb["Questionnaire"].cell(row, q.score_column(1), 3))
    assert evaluate(run, tmp_path / "bad", path) == 2
    assert (
        f"Questionnaire!A{row}: answers in a row without a criterion id" in capsys.readouterr().err
    )


def test_control_characters_and_long_text() -> None:
    assert X.clean("a\x00b\x1bc\ud800") == "a\\x00b\\x1bc\\ud800"
    assert len(X.clean("x" * 40000)) == 32767


def test_zip_bomb_is_refused_before_parsing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(q, "MAX_UNPACKED_BYTES", 1000)
    assert evaluate(run, tmp_path / "bad", run.xlsx) == 2
    assert "bytes; the limit is 1,000 (is this a zahnrad report.xlsx?)" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo (recordings replayed through the real plugins), evaluated once."""
    out = tmp_path_factory.mktemp("demo") / "run"
    assert main(["demo", "-o", str(out), "-q"]) == 0
    return out


def test_demo_questionnaire_round_trip(demo_run: Path, tmp_path: Path) -> None:
    from zahnrad.demo import demo_inputs

    results = json.loads((demo_run / "results.json").read_text(encoding="utf-8"))
    argv = [
        "evaluate",
        str(demo_inputs().strategy),
        "-o",
        str(tmp_path / "again"),
        "--facts",
        str(demo_run / "facts.json"),
        "--answers",
        str(demo_run / "report.xlsx"),
        "-q",
    ]
    assert main(argv) == 0
    again = json.loads((tmp_path / "again" / "results.json").read_text(encoding="utf-8"))
    assert _manual(again) == _manual(results) and len(_manual(results)) > 50
    assert [(v["name"], v["total"], v["rank"]) for v in again["vendors"]] == [
        (v["name"], v["total"], v["rank"]) for v in results["vendors"]
    ]
