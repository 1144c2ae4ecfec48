"""One evaluation: strategy + catalog + facts + answers -> results (the content of results.json).

This is the single place where the stages meet, so the CLI, the demo, `zahnrad report` and the
tests all produce the same results from the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .answers import Answers, load_answers
from .catalog import Catalog, load_catalog
from .facts import FactSet, now_iso
from .requirements import Requirement, derive_requirements
from .scoring import Matrix, Score, VendorResult, build_matrix, evaluate_matrix
from .strategy import GOAL_TITLES, Strategy

RESULTS_FORMAT = "zahnrad-results/1"


@dataclass
class Evaluation:
    strategy: Strategy
    catalog: Catalog
    requirements: list[Requirement]
    matrix: Matrix
    scores: list[Score]
    vendors: list[VendorResult]
    facts: FactSet
    warnings: list[str]
    # html/sensitivity: weight sensitivity of first place, and price-performance (UfAB)
    sensitivity: dict[str, Any] | None = None
    cost: dict[str, Any] | None = None

    def ranking(self) -> list[VendorResult]:
        """Ranked vendors first (by rank), then knocked-out ones, by total."""
        return sorted(self.vendors, key=lambda v: (v.rank is None, v.rank or 0, -(v.total or 0)))

    def as_results(self) -> dict[str, Any]:
        s = self.strategy
        return {
            "format": RESULTS_FORMAT,
            "zahnrad_version": __version__,
            "created": now_iso(),
            "strategy": {
                "file": str(s.path) if s.path else None,
                "organisation": s.organisation,
                "employees": s.employees,
                "unknown_policy": s.unknown_policy,
                "language": s.language,
            },
            "goal_weights": s.goal_weights,
            "goal_titles": GOAL_TITLES,
            "consistency_ratio": s.consistency_ratio,
            "requirements": [r.as_dict() for r in self.requirements],
            "vendors": [v.as_dict() for v in self.ranking()],
            "scores": [sc.as_dict() for sc in self.scores],
            "warnings": self.warnings,
            "sensitivity": self.sensitivity,  # html/sensitivity
            "cost": self.cost,  # html/sensitivity
        }


def evaluate(
    strategy: Strategy,
    facts: FactSet,
    *,
    answers_path: str | Path | None = None,
    catalog: Catalog | None = None,
) -> Evaluation:
    """Score every vendor of the strategy from the given facts and answers."""
    catalog = catalog or load_catalog(strategy.criteria_file)
    reqs = derive_requirements(strategy, catalog)
    answers: Answers = load_answers(answers_path, strategy, catalog) if answers_path else {}
    matrix, scores = build_matrix(strategy, catalog, reqs, facts, answers)
    vendors = evaluate_matrix(strategy, matrix, facts)
    warnings = list(strategy.warnings)
    for v in vendors:
        if not v.complete:
            warnings.append(f"{v.name}: probing incomplete ({'; '.join(v.problems) or 'see facts.json'})")
        if "unverified" in v.must_have.values():
            unv = [k for k, x in v.must_have.items() if x == "unverified"]
            warnings.append(f"{v.name}: must-have not verified: {', '.join(unv)}")
    # html/sensitivity: robustness of first place under other weightings; price-performance
    from . import cost, sensitivity

    ev = Evaluation(strategy, catalog, reqs, matrix, scores, vendors, facts, warnings)
    ev.sensitivity = sensitivity.analyse(matrix, vendors, strategy.goal_weights,
                                         strategy.unknown_policy)
    ev.cost = cost.analyse(strategy, ev.ranking())
    return ev
