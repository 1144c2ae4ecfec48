"""The command line end to end: init, requirements, evaluate, report, demo, help."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from faultserver import STATUS, FaultServer

from zahnrad.cli import main

SCHEMA = json.loads(resources.files("zahnrad").joinpath("schemas/results.schema.json").read_text())


@pytest.fixture
def server():
    s = FaultServer().start()
    s.routes["/status.json"] = lambda r: r.send_json(STATUS)
    yield s
    s.stop()


def test_init_writes_a_strategy_that_loads(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    capsys.readouterr()
    text = (tmp_path / "strategy.toml").read_text()
    assert "[goals]" in text and "participation = 5" in text and "# priority 1" in text
    assert main(["requirements", str(tmp_path / "strategy.toml"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sum(out["goal_weights"].values()) == pytest.approx(1.0)
    assert out["goal_weights"]["participation"] == pytest.approx(5 / 19)
    assert sum(r["weight"] for r in out["requirements"]) == pytest.approx(1.0)
    assert out["consistency_ratio"] is None


def test_init_refuses_to_overwrite(tmp_path, capsys):
    (tmp_path / "strategy.toml").write_text("mine")
    assert main(["init", str(tmp_path)]) == 2
    assert "already exists (use --force to overwrite)" in capsys.readouterr().err
    assert (tmp_path / "strategy.toml").read_text() == "mine"


def _strategy(tmp_path: Path, extra: str = "", vendors: str = "") -> Path:
    p = tmp_path / "strategy.toml"
    p.write_text(f"""
[organisation]
name = "Test AG"
employees = 250
[goals]
participation = 5
self_organisation = 4
knowledge_sharing = 5
external_reach = 2
adaptability = 3
{extra}
{vendors}""")
    return p


def test_requirements_without_vendors_to_markdown_and_csv(tmp_path):
    s = _strategy(tmp_path, '[scoring]\nmust_have = ["eu-data-residency"]\n')
    assert main(["requirements", str(s), "-o", str(tmp_path / "req.md")]) == 0
    md = (tmp_path / "req.md").read_text()
    assert md.startswith("# Requirements for Test AG")
    assert "| Everyone can take part (`participation`) | 26.3 % |" in md
    assert main(["requirements", str(s), "-o", str(tmp_path / "req.csv")]) == 0
    rows = list(csv.DictReader((tmp_path / "req.csv").open()))
    assert sum(float(r["weight"]) for r in rows) == pytest.approx(1.0, abs=1e-4)
    residency = next(r for r in rows if r["id"] == "eu-data-residency")
    assert residency["must_have_min"] == "3.0" and residency["rule"] == "manual"


def test_pairwise_strategy_reports_consistency(tmp_path, capsys):
    s = tmp_path / "strategy.toml"
    s.write_text("""
[organisation]
name = "AHP AG"
[pairwise]
participation = { self_organisation = 3, knowledge_sharing = 1, external_reach = 5, adaptability = 3 }
self_organisation = { knowledge_sharing = "1/3", external_reach = 3, adaptability = 1 }
knowledge_sharing = { external_reach = 5, adaptability = 3 }
external_reach = { adaptability = "1/3" }
""")
    assert main(["requirements", str(s), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    w = out["goal_weights"]
    assert w["participation"] == pytest.approx(w["knowledge_sharing"], rel=0.05)
    assert w["participation"] > w["self_organisation"] > w["external_reach"]
    assert 0 < out["consistency_ratio"] < 0.1


def test_evaluate_probes_scores_and_writes_a_valid_run(tmp_path, server):
    vendors = f'[[vendors]]\nname = "Toy"\nplatform = "example"\nurl = "{server.url}"\n'
    s = _strategy(tmp_path, vendors=vendors)
    out = tmp_path / "run"
    assert main(["evaluate", str(s), "-o", str(out), "-q"]) == 0
    results = json.loads((out / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    assert sum(results["goal_weights"].values()) == pytest.approx(1.0)
    assert sum(r["weight"] for r in results["requirements"]) == pytest.approx(1.0)
    facts = json.loads((out / "facts.json").read_text())
    evidence = {f["fact"]: f for f in facts["vendors"][0]["facts"]}
    observed = [sc for sc in results["scores"] if sc["source"] == "observed"]
    assert observed, "the toy platform's facts must score something"
    for sc in observed:
        for f in sc["facts"]:
            assert evidence[f]["evidence"]["status"] == 200
    assert (out / "report.md").read_text().startswith("# Social intranet evaluation for Test AG")
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "no temp files left"


def test_report_rerenders_a_saved_run_in_german(tmp_path, server):
    vendors = f'[[vendors]]\nname = "Toy"\nplatform = "example"\nurl = "{server.url}"\n'
    s = _strategy(tmp_path, vendors=vendors)
    assert main(["evaluate", str(s), "-o", str(tmp_path / "run"), "-q"]) == 0
    assert main(["report", str(tmp_path / "run"), "-o", str(tmp_path / "de"), "--lang", "de"]) == 0
    assert (tmp_path / "de" / "report.md").read_text().startswith("# Bewertung Social Intranet für Test AG")


def test_report_refuses_incompatible_run(tmp_path, capsys):
    run = tmp_path / "old"
    run.mkdir()
    (run / "results.json").write_text('{"format": "zahnrad-results/0"}')
    (run / "facts.json").write_text('{"format": "zahnrad-facts/1", "vendors": []}')
    assert main(["report", str(run), "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err == (f"zahnrad: error: {run / 'results.json'}: format: 'zahnrad-results/0' is not a format "
                   "this version reads (expected 'zahnrad-results/1'); evaluate again with this version of zahnrad\n")
    assert not (tmp_path / "x").exists()


def test_vendor_strings_are_neutralised_in_markdown(tmp_path, server):
    vendors = (f'[[vendors]]\nname = "<script>alert(1)</script> | [x](http://evil)"\n'
               f'platform = "example"\nurl = "{server.url}"\n')
    s = _strategy(tmp_path, vendors=vendors)
    assert main(["evaluate", str(s), "-o", str(tmp_path / "run"), "-q"]) == 0
    md = (tmp_path / "run" / "report.md").read_text()
    assert "<script>" not in md and "](http://evil)" not in md
    assert r"\<script\>alert\(1\)\</script\> \| \[x\]\(http://evil\)" in md


def test_demo_runs_offline_and_ranks(tmp_path):
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out), "-q"]) == 0
    results = json.loads((out / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    assert len(results["vendors"]) >= 4
    assert len({v["platform"] for v in results["vendors"]}) >= 4
    ranked = [v for v in results["vendors"] if v["rank"] is not None]
    assert ranked and ranked[0]["rank"] == 1
    assert any(v["knocked_out"] for v in results["vendors"]), "the demo shows a knock-out"


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from zahnrad.cli import main; "
            "sys.argv=['zahnrad','--help']\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('pandas','numpy','openpyxl','jinja2','rich','requests') if m in sys.modules]\n"
            "print('HEAVY:' + ','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_organisation_criteria_add_and_override(tmp_path, capsys):
    (tmp_path / "ours.toml").write_text("""
[[criterion]]
id = "anonymous-editing"
title = "Anonymous editing (our reading)"
aspect = "editability"
goals = ["participation"]
description = "We do not want anonymous edits: a closed wiki scores best."
levels = { "0" = "anyone", "1" = "-", "2" = "-", "3" = "-", "4" = "-", "5" = "members only" }
rule = { kind = "bool", fact = "edit.anonymous", if_true = 0, if_false = 5 }

[[criterion]]
id = "works-agreement-signed"
title = "Works agreement template available"
aspect = "operations"
goals = ["participation"]
description = "A template works agreement from the vendor saves months."
levels = { "0" = "none", "1" = "-", "2" = "-", "3" = "draft", "4" = "-", "5" = "signed elsewhere" }
rule = { kind = "manual", question = "Does the vendor provide a works agreement template?" }
""")
    s = _strategy(tmp_path, '[scoring]\ncriteria_file = "ours.toml"\n')
    assert main(["requirements", str(s), "--json"]) == 0
    reqs = {r["id"]: r for r in json.loads(capsys.readouterr().out)["requirements"]}
    assert reqs["anonymous-editing"]["title"] == "Anonymous editing (our reading)"
    assert reqs["works-agreement-signed"]["kind"] == "manual"
    assert sum(r["weight"] for r in reqs.values()) == pytest.approx(1.0)


def test_outputs_get_normal_file_permissions(tmp_path, server):
    import os
    import stat

    vendors = f'[[vendors]]\nname = "Toy"\nplatform = "example"\nurl = "{server.url}"\n'
    s = _strategy(tmp_path, vendors=vendors)
    old = os.umask(0o022)
    try:
        assert main(["evaluate", str(s), "-o", str(tmp_path / "run"), "-q"]) == 0
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "run").iterdir()}
    assert modes and set(modes.values()) == {0o644}, modes


def test_bundled_demo_facts_are_the_recordings_replayed(tmp_path):
    """evaluator/demo/facts.json (the example facts file) is what probing the recordings gives."""
    from zahnrad.demo import demo_dir

    d = demo_dir()
    assert main(["probe", str(d / "strategy.toml"), "-o", str(tmp_path), "--replay", str(d / "recordings"),
                 "-q"]) == 0

    def facts(path):
        return {v["name"]: [(f["fact"], f["value"], f["source"]) for f in v["facts"]]
                for v in json.loads(path.read_text())["vendors"]}

    assert facts(tmp_path / "facts.json") == facts(d / "facts.json")
