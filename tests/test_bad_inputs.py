"""A corpus of broken input files: each gives exit code 2, one exact message, and writes nothing.

Strategy files, criteria files, answers (CSV, TOML, the xlsx questionnaire), facts files and saved
runs (``zahnrad report``). Each case is (name, file name, content, mode, expected message); the mode
says which command reads the file. Huge files are made sparse (never written byte by byte).
"""

from __future__ import annotations

import io
import json
import os
import shutil
from dataclasses import dataclass

import pytest

from zahnrad.cli import main


@dataclass(frozen=True)
class Sparse:
    """A file of ``size`` bytes made with truncate(): over the input limit, costing no disk."""

    size: int


@dataclass(frozen=True)
class Patch:
    """Change one value of the good saved run's file: ``keys`` lead to it (dict keys, list indexes)."""

    keys: tuple[str | int, ...]
    value: object


def _xlsx(cells: dict[str, object], sheet: str = "Questionnaire") -> bytes:
    """A workbook with one sheet and the given cells (the questionnaire layout: header row 4)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for ref, value in cells.items():
        ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


QUESTIONNAIRE = {"A4": "ID", "B4": "Criterion", "E4": "Wiki", "E5": "score", "F5": "comment",
                 "A6": "eu-data-residency"}

GOALS_OK = """
[organisation]
name = "Test AG"
[goals]
participation = 5
self_organisation = 4
knowledge_sharing = 5
external_reach = 2
adaptability = 3
"""
VENDOR = '\n[[vendors]]\nname = "Wiki"\nplatform = "mediawiki"\nurl = "https://wiki.example"\n'
PAIRWISE = """
[organisation]
name = "Test AG"
[pairwise]
participation = { self_organisation = 3, knowledge_sharing = 1, external_reach = 5, adaptability = 3 }
self_organisation = { knowledge_sharing = "1/3", external_reach = 3, adaptability = 1 }
knowledge_sharing = { external_reach = 5, adaptability = 3 }
external_reach = { adaptability = "1/3" }
"""
CRIT = """
[[criterion]]
id = "our-crit"
title = "Ours"
aspect = "editability"
goals = ["participation"]
description = "d"
levels = { "0" = "a", "1" = "b", "2" = "c", "3" = "d", "4" = "e", "5" = "f" }
"""

# (name, file name, content, command args after the file, expected message)
CORPUS: list[tuple[str, str, bytes | str | Sparse | Patch | None, list[str], str]] = [
    ("toml syntax", "strategy.toml", "[organisation\nname = 1\n", [],
     "strategy.toml: line 1, column 14: TOML syntax error: Expected ']' at the end of a table declaration"),
    ("empty file", "strategy.toml", "", [], "strategy.toml: file is empty"),
    ("binary file", "strategy.toml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [],
     "strategy.toml: looks like a binary file, expected UTF-8 text"),
    ("latin-1 encoding", "strategy.toml", GOALS_OK.replace("Test AG", "M\u00fcller AG").encode("latin-1"), [],
     "strategy.toml: line 3: not valid UTF-8 text (save the file as UTF-8)"),
    ("missing goal", "strategy.toml", GOALS_OK.replace("adaptability = 3\n", ""), [],
     "strategy.toml: goals.adaptability: missing (give a priority 1–5, or 0 to leave the goal out)"),
    ("unknown goal", "strategy.toml", GOALS_OK + "happiness = 2\n", [],
     "strategy.toml: goals.happiness: unknown goal (known: participation, self_organisation, "
     "knowledge_sharing, external_reach, adaptability)"),
    ("negative priority", "strategy.toml", GOALS_OK.replace("external_reach = 2", "external_reach = -1"), [],
     "strategy.toml: goals.external_reach: must be at least 0, got -1"),
    ("all-zero priorities", "strategy.toml",
     GOALS_OK.replace("= 5", "= 0").replace("= 4", "= 0").replace("= 2", "= 0").replace("= 3", "= 0"), [],
     "strategy.toml: goals: all goal priorities are 0: at least one goal needs a priority above 0"),
    ("priority out of range", "strategy.toml", GOALS_OK.replace("participation = 5", "participation = 10"), [],
     "strategy.toml: goals.participation: priority 10 is out of range: use 1 (nice to have) … "
     "5 (essential), 0 to leave it out, or decimal weights such as 0.3"),
    ("priority wrong type", "strategy.toml", GOALS_OK.replace("participation = 5", 'participation = "high"'), [],
     "strategy.toml: goals.participation: expected a number, got a string 'high'"),
    ("wrong reciprocal", "strategy.toml", PAIRWISE.replace(
        'self_organisation = { knowledge_sharing = "1/3"',
        'self_organisation = { participation = 2, knowledge_sharing = "1/3"'), [],
     "strategy.toml: pairwise.self_organisation.participation: 2 is not the reciprocal of "
     "pairwise.participation.self_organisation = 3 (should be 1/3, or leave one out)"),
    ("missing comparison", "strategy.toml", PAIRWISE.replace('external_reach = { adaptability = "1/3" }', ""), [],
     "strategy.toml: pairwise.external_reach.adaptability: missing comparison "
     "(how much more important is the first goal, 1/9 … 9)"),
    ("off saaty scale", "strategy.toml", PAIRWISE.replace("external_reach = 5, adaptability = 3 }\nself",
                                                           "external_reach = 12, adaptability = 3 }\nself"), [],
     "strategy.toml: pairwise.participation.external_reach: 12 is outside Saaty's scale 1/9 … 9"),
    ("both goals and pairwise", "strategy.toml", GOALS_OK + PAIRWISE.split("[organisation]\nname = \"Test AG\"")[1], [],
     "strategy.toml: pairwise: give either [goals] priorities or [pairwise] comparisons, not both"),
    ("bad unknown policy", "strategy.toml", GOALS_OK + '[scoring]\nunknown = "optimistic"\n', [],
     "strategy.toml: scoring.unknown: unknown policy 'optimistic' (known: pessimistic, neutral, exclude)"),
    ("unknown must-have", "strategy.toml", GOALS_OK + '[scoring]\nmust_have = ["telepathy"]\n', [],
     "strategy.toml: scoring.must_have: unknown criterion 'telepathy' (see `zahnrad criteria`)"),
    ("secret instead of env name", "strategy.toml",
     GOALS_OK + VENDOR + 'credentials = { password = "hunter2!" }\n', [],
     "strategy.toml: vendors[0].credentials.password: expected the NAME of an environment variable "
     '(e.g. "WIKI_PASSWORD"); never put the secret itself in the strategy'),
    ("duplicate vendor", "strategy.toml", GOALS_OK + VENDOR + VENDOR.replace("https://wiki", "https://w2"), [],
     "strategy.toml: vendors[1].name: duplicate vendor name 'Wiki' (also vendors[0])"),
    ("vendor url not http", "strategy.toml", GOALS_OK + VENDOR.replace("https://wiki.example", "wiki.example"), [],
     "strategy.toml: vendors[0].url: 'wiki.example' is not an http(s) URL"),
    ("unknown vendor key", "strategy.toml", GOALS_OK + VENDOR + "passwort = 1\n", [],
     "strategy.toml: vendors[0].passwort: unknown key (known: ca_bundle, cost, credentials, deadline, "
     "name, options, pack, platform, timeout, url)"),
    ("unknown top-level key", "strategy.toml", "title = 'x'\n" + GOALS_OK, [],
     "strategy.toml: title: unknown key (known: goals, must_have, organisation, pairwise, report, scoring, vendors)"),
    ("criteria file: unknown fact", "strategy.toml",
     GOALS_OK + '[scoring]\ncriteria_file = "ours.toml"\n', [],
     "ours.toml: criterion[0].rule.fact: unknown fact 'edit.everything' (see `zahnrad facts`)"),
    ("criteria file: missing level", "strategy.toml",
     GOALS_OK + '[scoring]\ncriteria_file = "ours2.toml"\n', [],
     "ours2.toml: criterion[0].levels.5: missing: every level 0–5 needs a description"),
    ("answers: score out of scale", "answers.csv",
     "vendor,criterion,score\nWiki,eu-data-residency,7\n", ["answers"],
     "answers.csv: line 2, column score: '7' is not a score 0-5"),
    ("answers: unknown vendor", "answers.csv",
     "vendor,criterion,score\nWikki,eu-data-residency,3\n", ["answers"],
     "answers.csv: line 2: unknown vendor 'Wikki' (vendors in the strategy: Wiki)"),
    ("answers: not a manual criterion", "answers.toml",
     '[answers."Wiki"]\n' + "anonymous-editing = 3\n", ["answers"],
     "answers.toml: answers.\"Wiki\".anonymous-editing: criterion 'anonymous-editing' is scored from facts, "
     "not answered by hand (manual criteria: see `zahnrad criteria --manual`)"),
    ("answers: missing header", "answers.csv", "Wiki,eu-data-residency,3\n", ["answers"],
     "answers.csv: line 1: header lacks column(s) vendor, criterion, score (expected: vendor,criterion,score,comment)"),
    ("facts: incompatible version", "facts.json", '{"format": "zahnrad-facts/0", "vendors": []}', ["facts"],
     "facts.json: format: 'zahnrad-facts/0' is not a format this version reads "
     "(expected 'zahnrad-facts/1'); probe again with this version of zahnrad"),
    ("facts: broken json", "facts.json", '{"format": "zahnrad-facts/1", "vendors": [', ["facts"],
     "facts.json: line 1, column 43: JSON syntax error: Expecting value"),
    # -- strategy files, more
    ("utf-16 encoding", "strategy.toml", GOALS_OK.encode("utf-16"), [],
     "strategy.toml: is UTF-16 text, expected UTF-8 (save the file as UTF-8)"),
    ("utf-16 without BOM", "strategy.toml", GOALS_OK.encode("utf-16-le"), [],
     "strategy.toml: is UTF-16 text, expected UTF-8 (save the file as UTF-8)"),
    ("huge file", "strategy.toml", Sparse(21 * 1024 * 1024), [],
     "strategy.toml: file is 22,020,096 bytes; the limit is 20,971,520"),
    ("missing file", "strategy.toml", "", ["missing"], "strategy.toml: file not found"),
    ("duplicate key", "strategy.toml", GOALS_OK + "participation = 3\n", [],
     "strategy.toml: line 10, column 18: TOML syntax error: Cannot overwrite a value"),
    ("negative criterion weight", "strategy.toml",
     GOALS_OK + "[scoring]\nweights = { anonymous-editing = -1 }\n", [],
     "strategy.toml: scoring.weights.anonymous-editing: must be at least 0, got -1"),
    ("criterion weight wrong type", "strategy.toml",
     GOALS_OK + '[scoring]\nweights = { anonymous-editing = "double" }\n', [],
     "strategy.toml: scoring.weights.anonymous-editing: expected a number, got a string 'double'"),
    ("unknown criterion weight", "strategy.toml", GOALS_OK + "[scoring]\nweights = { telepathy = 2 }\n", [],
     "strategy.toml: scoring.weights.telepathy: unknown criterion 'telepathy' (see `zahnrad criteria`)"),
    ("missing organisation name", "strategy.toml", GOALS_OK.replace('name = "Test AG"\n', ""), [],
     "strategy.toml: organisation.name: missing (the organisation's name)"),
    ("employees zero", "strategy.toml", GOALS_OK.replace('"Test AG"', '"Test AG"\nemployees = 0'), [],
     "strategy.toml: organisation.employees: expected a whole number ≥ 1, got 0"),
    ("vendors not an array", "strategy.toml", 'vendors = "Wiki"\n' + GOALS_OK, [],
     "strategy.toml: vendors: expected [[vendors]] entries (an array of tables)"),
    ("unknown platform", "strategy.toml", GOALS_OK + VENDOR.replace("mediawiki", "sharepoint95"), [],
     "strategy.toml: vendors[0].platform: unknown platform 'sharepoint95' (known: PLATFORMS)"),
    ("negative timeout", "strategy.toml", GOALS_OK + VENDOR + "timeout = -5\n", [],
     "strategy.toml: vendors[0].timeout: must be at least 0.1, got -5"),
    ("unknown cost key", "strategy.toml", GOALS_OK + VENDOR + "cost = { licence = 3 }\n", [],
     "strategy.toml: vendors[0].cost.licence: unknown key (known: licence_per_user_year, one_off, "
     "operating_per_year, years)"),
    ("goal compared with itself", "strategy.toml", PAIRWISE.replace(
        'external_reach = { adaptability = "1/3" }', 'external_reach = { adaptability = "1/3", external_reach = 2 }'),
     [], "strategy.toml: pairwise.external_reach.external_reach: a goal compared with itself must be 1"),
    ("comparison not a number", "strategy.toml",
     PAIRWISE.replace('adaptability = "1/3" }', 'adaptability = "a third" }'),
     [], "strategy.toml: pairwise.external_reach.adaptability: 'a third' is not a number or fraction like \"1/3\""),
    ("comparison divides by zero", "strategy.toml",
     PAIRWISE.replace('adaptability = "1/3" }', 'adaptability = "1/0" }'),
     [], "strategy.toml: pairwise.external_reach.adaptability: '1/0' is not a number or fraction like \"1/3\""),
    ("must-have above the scale", "strategy.toml", GOALS_OK + "[scoring]\nmust_have = { anonymous-editing = 7 }\n", [],
     "strategy.toml: scoring.must_have.anonymous-editing: minimum score 7 is above the scale 0–5"),
    ("unsupported language", "strategy.toml", GOALS_OK + '[report]\nlanguage = "fr"\n', [],
     "strategy.toml: report.language: 'fr' is not supported (use one of: en, de)"),
    # -- criteria files
    ("criteria file: syntax", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "c-syntax.toml"\n', [],
     "c-syntax.toml: line 1, column 12: TOML syntax error: Expected ']]' at the end of an array declaration"),
    ("criteria file: missing", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "nowhere.toml"\n', [],
     "nowhere.toml: file not found"),
    ("criteria file: duplicate id", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "c-dup.toml"\n', [],
     "c-dup.toml: criterion[1].id: duplicate criterion id 'our-crit'"),
    ("criteria file: unknown rule kind", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "c-kind.toml"\n', [],
     "c-kind.toml: criterion[0].rule.kind: unknown rule kind 'magic' (known: bool, threshold, enum, list, "
     "presence, count_true, manual)"),
    ("criteria file: unknown goal", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "c-goal.toml"\n', [],
     "c-goal.toml: criterion[0].goals[0]: unknown goal 'fun' (known: participation, self_organisation, "
     "knowledge_sharing, external_reach, adaptability)"),
    ("criteria file: steps not ascending", "strategy.toml",
     GOALS_OK + '[scoring]\ncriteria_file = "c-steps.toml"\n', [],
     "c-steps.toml: criterion[0].rule.steps[1]: minimums must increase"),
    ("criteria file: score off the scale", "strategy.toml",
     GOALS_OK + '[scoring]\ncriteria_file = "c-score.toml"\n', [],
     "c-score.toml: criterion[0].rule.if_true: expected a score 0–5, got 9"),
    ("criteria file: fact of the wrong type", "strategy.toml",
     GOALS_OK + '[scoring]\ncriteria_file = "c-type.toml"\n', [],
     "c-type.toml: criterion[0].rule.fact: fact 'extensions.count' is a int; a bool rule needs bool"),
    ("criteria file: bad id", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "c-id.toml"\n', [],
     "c-id.toml: criterion[0].id: 'Our Crit' is not a valid id (lower-case words joined by '-')"),
    ("criteria file: latin-1", "strategy.toml", GOALS_OK + '[scoring]\ncriteria_file = "c-latin1.toml"\n', [],
     "c-latin1.toml: line 4: not valid UTF-8 text (save the file as UTF-8)"),
    # -- answers
    ("answers: duplicate", "answers.csv",
     "vendor,criterion,score\nWiki,eu-data-residency,3\nwiki,eu-data-residency,4\n", ["answers"],
     "answers.csv: line 3: second answer for 'Wiki' / 'eu-data-residency' (first at line 2)"),
    ("answers: a word for a score", "answers.csv", "vendor,criterion,score\nWiki,eu-data-residency,yes\n",
     ["answers"], "answers.csv: line 2, column score: 'yes' is not a score 0-5"),
    ("answers: negative score", "answers.csv", "vendor,criterion,score\nWiki,eu-data-residency,-1\n",
     ["answers"], "answers.csv: line 2, column score: '-1' is not a score 0-5"),
    ("answers: more cells than columns", "answers.csv",
     "vendor,criterion,score,comment\nWiki,eu-data-residency,3,good, really\n", ["answers"],
     "answers.csv: line 2: more cells than header columns (quote text containing commas)"),
    ("answers: unknown criterion", "answers.csv", "vendor,criterion,score\nWiki,telepathy,3\n", ["answers"],
     "answers.csv: line 2: unknown criterion 'telepathy' (see `zahnrad criteria --manual`)"),
    ("answers: utf-16", "answers.csv", "vendor,criterion,score\nWiki,eu-data-residency,3\n".encode("utf-16"),
     ["answers"], "answers.csv: is UTF-16 text, expected UTF-8 (save the file as UTF-8)"),
    ("answers: latin-1 comment", "answers.csv",
     "vendor,criterion,score,comment\nWiki,eu-data-residency,3,Gr\u00fc\u00dfe\n".encode("latin-1"), ["answers"],
     "answers.csv: line 2: not valid UTF-8 text (save the file as UTF-8)"),
    ("answers: empty", "answers.csv", "", ["answers"], "answers.csv: file is empty"),
    ("answers: huge", "answers.csv", Sparse(20 * 1024 * 1024 + 1), ["answers"],
     "answers.csv: file is 20,971,521 bytes; the limit is 20,971,520"),
    ("answers: wrong file type", "answers.txt", "Wiki: 3\n", ["answers"],
     "answers.txt: answers must be a .csv, .toml or .xlsx file"),
    ("answers toml: boolean score", "answers.toml", '[answers."Wiki"]\neu-data-residency = true\n', ["answers"],
     'answers.toml: answers."Wiki".eu-data-residency: True is not a score 0-5'),
    ("answers toml: score above 5", "answers.toml", '[answers."Wiki"]\neu-data-residency = 5.5\n', ["answers"],
     'answers.toml: answers."Wiki".eu-data-residency: 5.5 is not a score 0-5'),
    ("answers toml: unknown key", "answers.toml",
     '[answers."Wiki"]\neu-data-residency = { score = 3, note = "x" }\n', ["answers"],
     'answers.toml: answers."Wiki".eu-data-residency.note: unknown key (known: score, comment)'),
    ("answers toml: no answers table", "answers.toml", "Wiki = 3\n", ["answers"],
     'answers.toml: Wiki: unknown key (expected [answers."Vendor name"] tables)'),
    ("answers toml: syntax", "answers.toml", '[answers."Wiki"\n', ["answers"],
     "answers.toml: line 1, column 16: TOML syntax error: Expected ']' at the end of a table declaration"),
    ("answers toml: unknown vendor", "answers.toml", '[answers."Wikki"]\neu-data-residency = 3\n', ["answers"],
     "answers.toml: answers.\"Wikki\".eu-data-residency: unknown vendor 'Wikki' (vendors in the strategy: Wiki)"),
    ("xlsx: 'yes' in a score cell", "answers.xlsx", _xlsx({**QUESTIONNAIRE, "E6": "yes"}), ["answers"],
     "answers.xlsx: Questionnaire!E6: 'yes' is not a score 0-5"),
    ("xlsx: score above 5", "answers.xlsx", _xlsx({**QUESTIONNAIRE, "E6": 7}), ["answers"],
     "answers.xlsx: Questionnaire!E6: 7 is not a score 0-5"),
    ("xlsx: missing sheet", "answers.xlsx", _xlsx({"A1": "x"}, sheet="Tabelle1"), ["answers"],
     "answers.xlsx: no sheet named 'Questionnaire' or 'Fragebogen' (sheets: Tabelle1); answers are read "
     "from the questionnaire of a zahnrad report.xlsx"),
    ("xlsx: unknown vendor column", "answers.xlsx", _xlsx({**QUESTIONNAIRE, "E4": "Wikki", "E6": 3}), ["answers"],
     "answers.xlsx: Questionnaire!E6: unknown vendor 'Wikki' (vendors in the strategy: Wiki)"),
    ("xlsx: rows moved", "answers.xlsx", _xlsx({"A1": "ID", "E6": 3}), ["answers"],
     "answers.xlsx: Questionnaire!A4: expected the header 'ID' here; is this the questionnaire of a zahnrad "
     "report.xlsx (rows and columns unchanged)?"),
    ("xlsx: not a workbook", "answers.xlsx", "vendor,criterion,score\n", ["answers"],
     "answers.xlsx: not an Excel workbook (.xlsx) that can be read (BadZipFile); save it as .xlsx and try again"),
    # -- facts files
    ("facts: unknown source", "facts.json", json.dumps({"format": "zahnrad-facts/1", "vendors": [
        {"name": "Wiki", "facts": [{"fact": "edit.anonymous", "source": "guessed", "value": True}]}]}), ["facts"],
     "facts.json: vendors[0].facts[0].source: 'guessed' is not one of observed, declared, unknown"),
    ("facts: a list, not an object", "facts.json", "[]", ["facts"],
     "facts.json: not a zahnrad facts file (expected an object with 'vendors')"),
    ("facts: vendors not a list", "facts.json", '{"format": "zahnrad-facts/1", "vendors": {}}', ["facts"],
     "facts.json: vendors: expected a list"),
    ("facts: binary", "facts.json", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", ["facts"],
     "facts.json: looks like a binary file, expected UTF-8 text"),
    ("facts: huge", "facts.json", Sparse(513 * 1024 * 1024), ["facts"],
     "facts.json: file is 537,919,488 bytes; the limit is 536,870,912"),
    # -- saved runs (zahnrad report RUN)
    ("run: no such folder", "run", None, ["report"],
     "run: not a folder (expected a run folder with results.json)"),
    ("run: results.json missing", "run/results.json", None, ["report"], "run/results.json: file not found"),
    ("run: incompatible version", "run/results.json", '{"format": "zahnrad-results/0", "vendors": []}', ["report"],
     "run/results.json: format: 'zahnrad-results/0' is not a format this version reads "
     "(expected 'zahnrad-results/1'); evaluate again with this version of zahnrad"),
    ("run: facts of an incompatible version", "run/facts.json", '{"format": "zahnrad-facts/2", "vendors": []}',
     ["report"], "run/facts.json: format: 'zahnrad-facts/2' is not a format this version reads "
     "(expected 'zahnrad-facts/1'); evaluate again with this version of zahnrad"),
    ("run: broken json", "run/results.json", '{"format": ', ["report"],
     "run/results.json: line 1, column 12: JSON syntax error: Expecting value"),
    ("run: a list, not an object", "run/results.json", "[1, 2]", ["report"],
     "run/results.json: format: None is not a format this version reads (expected 'zahnrad-results/1'); "
     "evaluate again with this version of zahnrad"),
    ("run: empty results", "run/results.json", "  \n", ["report"], "run/results.json: file is empty"),
    ("run: results of the wrong shape", "run/results.json", '{"format": "zahnrad-results/1"}', ["report"],
     "run/results.json: not a valid results file: 'zahnrad_version' is a required property"),
    ("run: a total of the wrong type", "run/results.json", Patch(("vendors", 0, "total"), "high"), ["report"],
     "run/results.json: vendors[0].total: not a valid results file: 'high' is not of type 'number', 'null'"),
    ("facts: a value of the wrong type", "facts.json", json.dumps({"format": "zahnrad-facts/1", "vendors": [
        {"name": "Wiki", "facts": [{"fact": "edit.anonymous", "source": "observed", "value": "yes"}]}]}), ["facts"],
     "facts.json: vendors[0].facts[0].value: 'yes' is not a bool (fact 'edit.anonymous')"),
]

MANUAL_RULE = 'rule = { kind = "manual", question = "q?" }\n'
EXTRA_FILES: dict[str, str | bytes] = {
    "ours.toml": CRIT + 'rule = { kind = "bool", fact = "edit.everything", if_true = 5, if_false = 0 }\n',
    "ours2.toml": CRIT.replace(', "5" = "f"', "") + MANUAL_RULE,
    "c-syntax.toml": "[[criterion]\nid = 1\n",
    "c-dup.toml": CRIT + MANUAL_RULE + CRIT + MANUAL_RULE,
    "c-kind.toml": CRIT + 'rule = { kind = "magic" }\n',
    "c-goal.toml": CRIT.replace('["participation"]', '["fun"]') + MANUAL_RULE,
    "c-steps.toml": CRIT + 'rule = { kind = "threshold", fact = "extensions.count", steps = [[5, 3], [1, 1]] }\n',
    "c-score.toml": CRIT + 'rule = { kind = "bool", fact = "edit.anonymous", if_true = 9, if_false = 0 }\n',
    "c-type.toml": CRIT + 'rule = { kind = "bool", fact = "extensions.count", if_true = 5, if_false = 0 }\n',
    "c-id.toml": CRIT.replace('"our-crit"', '"Our Crit"') + MANUAL_RULE,
    "c-latin1.toml": (CRIT.replace('title = "Ours"', 'title = "Gr\u00fc\u00dfe"') + MANUAL_RULE).encode("latin-1"),
}
FACTS_OK = '{"format": "zahnrad-facts/1", "vendors": []}'


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory):
    """A good saved run (results.json, facts.json) to break one file of."""
    d = tmp_path_factory.mktemp("good-run")
    (d / "strategy.toml").write_text(GOALS_OK + VENDOR)
    (d / "facts.json").write_text(FACTS_OK)
    assert main(["evaluate", str(d / "strategy.toml"), "-o", str(d / "run"), "--facts", str(d / "facts.json"),
                 "-q"]) == 0
    return d / "run"


def _write(path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Sparse):
        with open(path, "wb") as fh:
            fh.truncate(content.size)
        return
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def _snapshot(root) -> dict[str, bytes | None]:
    """Every file under ``root`` with its bytes (None for sparse giants: compared by size)."""
    out: dict[str, bytes | None] = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            size = os.path.getsize(p)
            out[os.path.relpath(p, root)] = None if size > 1 << 20 else open(p, "rb").read()
    return out


@pytest.mark.parametrize("case", CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_input(case, tmp_path, capsys, monkeypatch, saved_run):
    name, fname, content, mode, expected = case
    monkeypatch.chdir(tmp_path)
    for extra, text in EXTRA_FILES.items():
        _write(tmp_path / extra, text)
    if mode == ["report"]:
        shutil.copytree(saved_run, tmp_path / "run")
        if fname == "run":
            shutil.rmtree(tmp_path / "run")
        elif content is None:
            (tmp_path / fname).unlink()
        elif isinstance(content, Patch):
            data = json.loads((tmp_path / fname).read_text())
            target = data
            for k in content.keys[:-1]:
                target = target[k]
            target[content.keys[-1]] = content.value
            _write(tmp_path / fname, json.dumps(data))
        else:
            _write(tmp_path / fname, content)
        args = ["report", "run", "-o", "out"]
    else:
        _write(tmp_path / fname, content)
        if mode != ["facts"]:
            (tmp_path / "facts.json").write_text(FACTS_OK)
        if mode in (["answers"], ["facts"]):
            (tmp_path / "strategy.toml").write_text(GOALS_OK + VENDOR)
        args = ["evaluate", "strategy.toml", "-o", "out", "--facts", "facts.json"]
        if mode == ["answers"]:
            args += ["--answers", fname]
        if mode == ["missing"]:
            os.unlink(tmp_path / fname)
    if "PLATFORMS" in expected:
        from zahnrad.registry import platform_names

        expected = expected.replace("PLATFORMS", ", ".join(sorted(platform_names())))
    before = _snapshot(tmp_path)
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    assert err == f"zahnrad: error: {expected}\n"
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "out").exists(), "nothing may be written for invalid input"
    assert _snapshot(tmp_path) == before, "no input may be changed, no file added"


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40


def test_inconsistent_pairwise_comparisons_warn_and_say_how_inconsistent(tmp_path, capsys):
    """A consistency ratio above 0.10 is a warning by design (docs/method.md), not a refusal:
    the run goes on and the warning names the ratio; contradicting reciprocals are refused above."""
    # participation > self_organisation > knowledge_sharing > participation, each 9 times: a cycle
    cyclic = PAIRWISE.split("[pairwise]")[0] + """[pairwise]
participation = { self_organisation = 9, knowledge_sharing = "1/9", external_reach = 1, adaptability = 1 }
self_organisation = { knowledge_sharing = 9, external_reach = 1, adaptability = 1 }
knowledge_sharing = { external_reach = 1, adaptability = 1 }
external_reach = { adaptability = 1 }
"""
    (tmp_path / "strategy.toml").write_text(cyclic)
    code = main(["requirements", str(tmp_path / "strategy.toml"), "--json"])
    err = capsys.readouterr().err
    assert code == 0
    assert err.startswith("warning: pairwise comparisons are inconsistent: consistency ratio ")
    assert err.rstrip().endswith("> 0.10; revisit the comparisons")
