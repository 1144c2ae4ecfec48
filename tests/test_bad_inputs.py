"""A corpus of broken input files: each gives exit code 2, one exact message, and writes nothing."""

from __future__ import annotations

import os

import pytest

from zahnrad.cli import main

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
CORPUS: list[tuple[str, str, bytes | str, list[str], str]] = [
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
]

EXTRA_FILES = {
    "ours.toml": CRIT + 'rule = { kind = "bool", fact = "edit.everything", if_true = 5, if_false = 0 }\n',
    "ours2.toml": CRIT.replace(', "5" = "f"', "") + 'rule = { kind = "manual", question = "q?" }\n',
}


@pytest.mark.parametrize("case", CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_input(case, tmp_path, capsys, monkeypatch):
    name, fname, content, mode, expected = case
    monkeypatch.chdir(tmp_path)
    data = content.encode() if isinstance(content, str) else content
    (tmp_path / fname).write_bytes(data)
    for extra, text in EXTRA_FILES.items():
        (tmp_path / extra).write_text(text)
    if mode == ["answers"]:
        (tmp_path / "strategy.toml").write_text(GOALS_OK + VENDOR)
        args = ["evaluate", "strategy.toml", "-o", "out", "--facts", "facts.json", "--answers", fname]
        (tmp_path / "facts.json").write_text('{"format": "zahnrad-facts/1", "vendors": []}')
    elif mode == ["facts"]:
        (tmp_path / "strategy.toml").write_text(GOALS_OK + VENDOR)
        args = ["evaluate", "strategy.toml", "-o", "out", "--facts", fname]
    else:
        args = ["evaluate", fname, "-o", "out", "--facts", "facts.json"]
        (tmp_path / "facts.json").write_text('{"format": "zahnrad-facts/1", "vendors": []}')
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"zahnrad: error: {expected}\n"
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists(), "nothing may be written for invalid input"
    assert sorted(os.listdir(tmp_path)) == sorted({fname, "strategy.toml", "facts.json", *EXTRA_FILES})


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 15
