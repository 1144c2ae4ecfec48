"""From facts and answers to 0–5 scores, and from scores to the weighted matrix.

Scores are anchored to each criterion's fixed levels, never normalised against the vendors present,
so adding or removing a vendor cannot reorder the others. Unknown scores stay unknown; the
strategy's policy (pessimistic 0, neutral 2.5, or exclude and renormalise) is applied only when
totals are computed, and the coverage figure says how much of the weight rests on evidence.
Totals, aspect and goal subtotals are one vectorised computation over a weight matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .answers import Answers
from .catalog import Catalog, Criterion, type_ok
from .facts import Fact, FactSet, VendorFacts
from .requirements import Requirement
from .strategy import GOALS, UNKNOWN_POLICIES, Strategy


@dataclass
class Score:
    vendor: str
    criterion: str
    score: float | None
    source: str  # observed | declared | manual | unknown
    facts: list[str]
    detail: str = ""
    reason: str | None = None
    comment: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {
            "vendor": self.vendor, "criterion": self.criterion, "score": self.score,
            "source": self.source, "facts": self.facts, "detail": self.detail,
        }
        if self.reason:
            d["reason"] = self.reason
        if self.comment:
            d["comment"] = self.comment
        return d


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return f"[{len(v)} items]" if len(v) > 6 else "[" + ", ".join(map(str, v)) + "]"
    return repr(v) if isinstance(v, str) else str(v)


def _steps(value: float, steps: list[list[float]], below: float) -> float:
    out = below
    for minimum, score in steps:
        if value >= minimum:
            out = score
    return float(out)


def apply_rule(rule: dict[str, Any], values: dict[str, Any]) -> float:
    """Score one criterion from known fact values (all facts of the rule present)."""
    kind = rule["kind"]
    if kind == "count_true":
        n = sum(1 for f in rule["facts"] if values[f] is True)
        return _steps(n, rule["steps"], rule.get("below", 0))
    v = values[rule["fact"]]
    if kind == "bool":
        return float(rule["if_true"] if v else rule["if_false"])
    if kind == "threshold":
        n = len(v) if isinstance(v, list) else v
        return _steps(n, rule["steps"], rule.get("below", 0))
    if kind == "enum":
        return float(rule["map"].get(v, rule["default"]))
    if kind == "list":
        wanted = {a.casefold() for a in rule["any_of"]}
        n = sum(1 for item in v if item.casefold() in wanted)
        return _steps(n, rule.get("steps", [[1, 5]]), rule.get("below", 0))
    if kind == "presence":
        present = v not in (None, False, "", [], 0)
        return float(rule.get("if_present", 5) if present else rule.get("if_absent", 0))
    raise ValueError(f"cannot apply rule kind {kind!r}")


def score_criterion(crit: Criterion, vf: VendorFacts | None, catalog: Catalog) -> Score:
    """Score a fact-based criterion for one vendor; unknown facts give an unknown score.

    For ``count_true`` each unknown fact is tried as true and as false: if every combination gives
    the same score the result is known (the unknowns cannot matter), else it is unknown.
    """
    name = vf.name if vf else ""
    known: dict[str, Fact] = {}
    reasons: list[str] = []
    for f in crit.facts:
        fact = vf.get(f) if vf else None
        if fact is None or fact.source == "unknown":
            if fact is not None and fact.reason:
                reasons.append(f"{f}: {fact.reason}")
            elif vf is not None and fact is None:
                plugin = vf.plugin.get("name") or vf.platform
                reasons.append(f"{f}: the {plugin} plugin does not establish this fact")
            else:
                reasons.append(f"{f}: not established")
        elif not type_ok(catalog.facts[f].type, fact.value):
            reasons.append(f"{f}: value {fact.value!r} is not a {catalog.facts[f].type}")
        else:
            known[f] = fact
    unknown = [f for f in crit.facts if f not in known]
    values = {f: fact.value for f, fact in known.items()}
    sources = {fact.source for fact in known.values()}
    source = "declared" if "declared" in sources else "observed"
    if unknown:
        if crit.kind != "count_true" or len(unknown) > 10:
            return Score(name, crit.id, None, "unknown", list(crit.facts), reason="; ".join(reasons))
        outcomes = set()
        for mask in range(2 ** len(unknown)):
            trial = dict(values)
            trial.update({f: bool(mask >> i & 1) for i, f in enumerate(unknown)})
            outcomes.add(apply_rule(crit.rule, trial))
        if len(outcomes) > 1:
            return Score(name, crit.id, None, "unknown", list(crit.facts), reason="; ".join(reasons))
        score = outcomes.pop()
        detail = ", ".join(f"{f} = {_fmt(v)}" for f, v in values.items())
        return Score(name, crit.id, score, source, list(crit.facts),
                     detail=f"{detail} (unknown facts cannot change the score) → {score:g}")
    score = apply_rule(crit.rule, values)
    detail = ", ".join(f"{f} = {_fmt(v)}" for f, v in values.items())
    return Score(name, crit.id, score, source, list(crit.facts), detail=f"{detail} → {score:g}")


@dataclass
class VendorResult:
    name: str
    platform: str
    total: float | None
    rank: int | None
    knocked_out: bool
    must_have: dict[str, str]
    coverage: float
    aspects: dict[str, float | None]
    goals: dict[str, float | None]
    unknown: int
    complete: bool
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "platform": self.platform, "total": self.total, "rank": self.rank,
            "knocked_out": self.knocked_out, "must_have": self.must_have,
            "coverage": self.coverage, "aspects": self.aspects, "goals": self.goals,
            "unknown": self.unknown, "complete": self.complete, "problems": self.problems,
        }


@dataclass
class Matrix:
    """The scored matrix: vendors × requirements, with the policy applied for the totals."""

    vendors: list[str]
    requirements: list[Requirement]
    scores: np.ndarray  # V × C, NaN = unknown
    sources: list[list[str]]
    weights: np.ndarray  # C

    def effective(self, policy: str) -> np.ndarray:
        fill = UNKNOWN_POLICIES[policy]
        return self.scores if fill is None else np.where(np.isnan(self.scores), fill, self.scores)


def weighted_percent(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """0–100 totals of every vendor for every weight column, NaN-aware (exclude policy).

    ``scores`` is V × C (NaN where a score is excluded), ``weights`` C × K (one column per total:
    the overall weight, an aspect's masked weights, a goal's contributions). Excluded scores drop
    out of numerator and denominator, which renormalises over what is known.
    """
    known = ~np.isnan(scores)
    if known.all():
        # Nothing excluded: every vendor shares each column's denominator, so one product does
        # (the sensitivity analysis calls this with thousands of columns).
        den_k = weights.sum(axis=0)
        with np.errstate(divide="ignore"):
            scale = np.where(den_k > 0, 100.0 / (5.0 * den_k), np.nan)
        return (scores @ weights) * scale
    num = np.where(known, scores, 0.0) @ weights
    den = known.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100.0 * num / (5.0 * den)
    return np.where(den > 0, out, np.nan)


def build_matrix(
    strategy: Strategy, catalog: Catalog, reqs: list[Requirement], facts: FactSet, answers: Answers
) -> tuple[Matrix, list[Score]]:
    names = [v.name for v in strategy.vendors]
    sc = np.full((len(names), len(reqs)), np.nan)
    sources: list[list[str]] = []
    all_scores: list[Score] = []
    for i, vendor in enumerate(strategy.vendors):
        vf = facts.vendors.get(vendor.name)
        row: list[str] = []
        for j, req in enumerate(reqs):
            crit = catalog.criteria[req.id]
            if crit.manual:
                a = answers.get((vendor.name, crit.id))
                if a is None:
                    s = Score(vendor.name, crit.id, None, "unknown", [],
                              reason="no answer given (manual criterion)")
                else:
                    s = Score(vendor.name, crit.id, a.score, "manual", [],
                              detail=f"answered {a.score:g}" + (f" ({a.place})" if a.place else ""),
                              comment=a.comment or None)
            else:
                s = score_criterion(crit, vf, catalog)
                s.vendor = vendor.name
                if vf is None and s.source == "unknown":
                    s.reason = "no facts for this vendor (not probed)"
            if s.score is not None:
                sc[i, j] = s.score
            row.append(s.source)
            all_scores.append(s)
        sources.append(row)
    weights = np.array([r.weight for r in reqs])
    return Matrix(names, reqs, sc, sources, weights), all_scores


def evaluate_matrix(strategy: Strategy, matrix: Matrix, facts: FactSet) -> list[VendorResult]:
    """Totals, subtotals, coverage, knock-outs and ranks for every vendor."""
    from .catalog import ASPECTS

    reqs = matrix.requirements
    eff = matrix.effective(strategy.unknown_policy)
    aspects = [a for a in ASPECTS if any(r.aspect == a for r in reqs)]
    w = matrix.weights
    cols = [w]
    cols += [np.where([r.aspect == a for r in reqs], w, 0.0) for a in aspects]
    cols += [np.array([r.contributions.get(g, 0.0) for r in reqs]) for g in GOALS]
    pct = weighted_percent(eff, np.column_stack(cols))
    src = np.array(matrix.sources, dtype=object).reshape(len(matrix.vendors), len(reqs))
    evidenced = np.isin(src, ["observed", "manual"]) if len(reqs) else np.zeros_like(src, bool)
    coverage = (evidenced.astype(float) @ w) / w.sum() if len(reqs) else np.zeros(len(matrix.vendors))

    results: list[VendorResult] = []
    for i, vendor in enumerate(strategy.vendors):
        must: dict[str, str] = {}
        for j, r in enumerate(reqs):
            if r.must_have is None:
                continue
            s = matrix.scores[i, j]
            must[r.id] = "unverified" if np.isnan(s) else ("passed" if s >= r.must_have else "failed")
        vf = facts.vendors.get(vendor.name)

        def val(x: float) -> float | None:
            return None if np.isnan(x) else round(float(x), 2)

        results.append(VendorResult(
            name=vendor.name, platform=vendor.platform,
            total=val(pct[i, 0]), rank=None,
            knocked_out="failed" in must.values(), must_have=must,
            coverage=round(float(coverage[i]), 4),
            aspects={a: val(pct[i, 1 + k]) for k, a in enumerate(aspects)},
            goals={g: val(pct[i, 1 + len(aspects) + k]) for k, g in enumerate(GOALS)},
            unknown=int(np.isnan(matrix.scores[i]).sum()),
            complete=vf.complete if vf else False,
            problems=list(vf.problems) if vf else ["not probed: no facts for this vendor"],
        ))
    ranked = sorted((r for r in results if not r.knocked_out and r.total is not None),
                    key=lambda r: -r.total)  # type: ignore[operator]
    prev, rank = None, 0
    for pos, r in enumerate(ranked, start=1):
        if r.total != prev:
            rank, prev = pos, r.total
        r.rank = rank
    return results
