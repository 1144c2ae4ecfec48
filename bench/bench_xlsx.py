"""Benchmark: report.xlsx for 100 vendors × 300 criteria, with one evidence row per vendor and fact.

Prints the time of :func:`zahnrad.reports.xlsx.render_xlsx` (all five sheets: summary with charts,
live matrix with notes on unknown and manual scores, requirements, 30 000 evidence rows,
questionnaire) and of :func:`zahnrad.reports.matrix_csv.render_matrix_csv`, next to
``pandas.DataFrame.to_excel`` (openpyxl engine) of the bare score matrix and of the evidence table
alone – the library's floor for writing those cells. Target: the workbook in under 5 s.

    .venv/bin/python bench/bench_xlsx.py [--vendors 100 --criteria 300 --repeat 3]
"""

from __future__ import annotations

import argparse
import io
import time
from typing import Any

import numpy as np
import pandas as pd

from zahnrad.catalog import ASPECTS
from zahnrad.reports.matrix_csv import render_matrix_csv
from zahnrad.reports.model import RunView
from zahnrad.reports.xlsx import render_xlsx
from zahnrad.strategy import GOALS


def synthetic(vendors: int, criteria: int, seed: int = 1) -> tuple[dict[str, Any], dict[str, Any]]:
    """results.json and facts.json dicts: 10 % unknown, 10 % manual, one fact per criterion."""
    rng = np.random.default_rng(seed)
    w = rng.random(criteria) + 0.1
    w /= w.sum()
    reqs = []
    for i in range(criteria):
        goals = [GOALS[g] for g in rng.choice(len(GOALS), size=rng.integers(1, 4), replace=False)]
        manual = i % 10 == 0
        reqs.append(
            {
                "id": f"criterion-{i}",
                "title": f"Criterion {i} with a realistic title length",
                "aspect": ASPECTS[i % len(ASPECTS)],
                "goals": goals,
                "weight": float(w[i]),
                "contributions": {g: float(w[i]) / len(goals) for g in goals},
                "kind": "manual" if manual else "bool",
                "facts": [] if manual else [f"fact.f{i}"],
                "shared_facts": {},
                "must_have": 3.0 if i == 0 else None,
            }
        )
    names = [f"Vendor {j:03d}" for j in range(vendors)]
    scores, facts = [], []
    grid = rng.integers(0, 11, size=(vendors, criteria)) / 2.0
    unknown = rng.random(grid.shape) < 0.1
    for j, name in enumerate(names):
        vf = []
        for i, r in enumerate(reqs):
            if unknown[j, i]:
                scores.append(
                    {
                        "vendor": name,
                        "criterion": r["id"],
                        "score": None,
                        "source": "unknown",
                        "facts": r["facts"],
                        "detail": "",
                        "reason": "HTTP 403 from api.php",
                    }
                )
            elif r["kind"] == "manual":
                scores.append(
                    {
                        "vendor": name,
                        "criterion": r["id"],
                        "score": float(grid[j, i]),
                        "source": "manual",
                        "facts": [],
                        "detail": "answered",
                        "comment": "Checked in the vendor demo on 2026-11-20",
                    }
                )
            else:
                scores.append(
                    {
                        "vendor": name,
                        "criterion": r["id"],
                        "score": float(grid[j, i]),
                        "source": "observed",
                        "facts": r["facts"],
                        "detail": "f = true → 5",
                    }
                )
            fact = f"fact.f{i}"
            if unknown[j, i]:
                vf.append(
                    {
                        "fact": fact,
                        "value": None,
                        "source": "unknown",
                        "reason": "HTTP 403 from api.php (readapidenied)",
                    }
                )
            else:
                vf.append(
                    {
                        "fact": fact,
                        "value": bool(grid[j, i] > 2),
                        "source": "observed",
                        "evidence": {
                            "method": "GET",
                            "url": f"https://v{j}.example/api.php?action=query&meta=siteinfo",
                            "status": 200,
                            "time": "2026-11-28T01:00:00Z",
                            "elapsed_ms": 41,
                            "path": "query.general.rights",
                            "excerpt": '{"name":"*","rights":["read","edit"]}' * 4,
                        },
                    }
                )
        facts.append(
            {
                "name": name,
                "platform": "mediawiki",
                "url": f"https://v{j}.example",
                "complete": True,
                "problems": [],
                "facts": vf,
            }
        )
    known = np.where(unknown, np.nan, grid)
    totals = np.nansum(known * w, axis=1) / (5 * ((~unknown) * w).sum(axis=1)) * 100
    order = np.argsort(-totals)
    vendor_rows = [
        {
            "name": names[j],
            "platform": "mediawiki",
            "total": round(float(totals[j]), 2),
            "rank": k + 1,
            "knocked_out": False,
            "must_have": {"criterion-0": "passed"},
            "coverage": 0.9,
            "aspects": {a: 50.0 for a in ASPECTS},
            "goals": {g: 50.0 for g in GOALS},
            "unknown": int(unknown[j].sum()),
            "complete": True,
            "problems": [],
        }
        for k, j in enumerate(order)
    ]
    results = {
        "format": "zahnrad-results/1",
        "zahnrad_version": "bench",
        "created": "2026-11-28T01:00:00Z",
        "strategy": {
            "file": None,
            "organisation": "Bench GmbH",
            "employees": 1000,
            "unknown_policy": "neutral",
            "language": "en",
        },
        "goal_weights": {g: 0.2 for g in GOALS},
        "goal_titles": {},
        "consistency_ratio": None,
        "requirements": reqs,
        "vendors": vendor_rows,
        "scores": scores,
        "warnings": [],
    }
    return results, {
        "format": "zahnrad-facts/1",
        "created": "2026-11-28T01:00:00Z",
        "vendors": facts,
    }


def best_of(fn, repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vendors", type=int, default=100)
    ap.add_argument("--criteria", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    results, facts = synthetic(args.vendors, args.criteria)
    view = RunView(results, facts, "en")
    rows = sum(len(v["facts"]) for v in facts["vendors"])
    print(
        f"{args.vendors} vendors × {args.criteria} criteria, {rows} evidence rows "
        f"(best of {args.repeat})"
    )

    t_xlsx, data = best_of(lambda: render_xlsx(view), args.repeat)
    t_csv, _ = best_of(lambda: render_matrix_csv(view), args.repeat)
    frame = pd.DataFrame(
        {
            v["name"]: [s["score"] for s in results["scores"] if s["vendor"] == v["name"]]
            for v in results["vendors"]
        },
        index=[r["id"] for r in results["requirements"]],
    )

    def bare() -> None:
        frame.to_excel(io.BytesIO(), engine="openpyxl")

    t_pd, _ = best_of(bare, args.repeat)
    evidence = pd.DataFrame(
        [
            {
                "vendor": v["name"],
                "fact": f["fact"],
                "value": f["value"],
                "source": f["source"],
                **f.get("evidence", {}),
                "reason": f.get("reason"),
            }
            for v in facts["vendors"]
            for f in v["facts"]
        ]
    )

    def evidence_only() -> None:
        evidence.to_excel(io.BytesIO(), engine="openpyxl", index=False)

    t_ev, _ = best_of(evidence_only, args.repeat)
    print(
        f"render_xlsx (5 sheets, {len(data) / 1e6:.1f} MB)   {t_xlsx:7.2f} s   target < 5 s: "
        f"{'ok' if t_xlsx < 5 else 'MISSED'}"
    )
    print(f"render_matrix_csv                  {t_csv:7.2f} s")
    print(f"pandas to_excel (bare matrix)      {t_pd:7.2f} s")
    print(
        f"pandas to_excel (evidence table)   {t_ev:7.2f} s   ({rows} rows; the library's floor for "
        "the largest sheet)"
    )


if __name__ == "__main__":
    main()
