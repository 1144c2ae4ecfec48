"""Weighted requirements derived from the strategy, before any vendor is looked at.

Each goal's weight is spread evenly over the criteria that serve it; a criterion serving several
goals collects a share from each. The organisation's weight factors (``[scoring.weights]``) then
scale single criteria (0 drops one), and the result is normalised to sum to 1. Keeping the
per-goal contributions lets the matrix show per-goal subtotals and lets a strategist see where a
requirement's weight comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import Catalog
from .errors import InputError
from .strategy import GOALS, Strategy


@dataclass
class Requirement:
    id: str
    title: str
    aspect: str
    goals: tuple[str, ...]
    weight: float
    contributions: dict[str, float]  # goal -> share of this requirement's weight
    kind: str
    facts: tuple[str, ...]
    shared_facts: dict[str, list[str]] = field(default_factory=dict)  # fact -> other criteria
    must_have: float | None = None  # minimum score when it is a knock-out
    question: str | None = None  # manual criteria: what a person answers
    levels: dict[str, str] = field(default_factory=dict)  # "0".."5" -> what the score means

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "aspect": self.aspect,
            "goals": list(self.goals),
            "weight": self.weight,
            "contributions": self.contributions,
            "kind": self.kind,
            "facts": list(self.facts),
            "shared_facts": self.shared_facts,
            "must_have": self.must_have,
            "question": self.question,
            "levels": self.levels,
        }


def derive_requirements(strategy: Strategy, catalog: Catalog) -> list[Requirement]:
    """Turn goal weights into criterion weights (summing to 1); validate references first."""
    src = strategy.path or "strategy"
    for cid in strategy.criteria_weights:
        if cid not in catalog.criteria:
            raise InputError(src, f"scoring.weights.{cid}", f"unknown criterion {cid!r} (see `zahnrad criteria`)")
    for cid in strategy.must_have:
        if cid not in catalog.criteria:
            raise InputError(src, "scoring.must_have", f"unknown criterion {cid!r} (see `zahnrad criteria`)")
        if strategy.criteria_weights.get(cid, 1.0) == 0:
            raise InputError(src, f"scoring.weights.{cid}", "a must-have cannot have weight factor 0")

    active = [c for c in catalog.criteria.values() if strategy.criteria_weights.get(c.id, 1.0) > 0]
    per_goal = {g: sum(1 for c in active if g in c.goals) for g in GOALS}
    raw: dict[str, dict[str, float]] = {}
    for c in active:
        factor = strategy.criteria_weights.get(c.id, 1.0)
        raw[c.id] = {
            g: strategy.goal_weights[g] / per_goal[g] * factor
            for g in c.goals if strategy.goal_weights[g] > 0
        }
    for g in GOALS:
        if strategy.goal_weights[g] > 0 and per_goal[g] == 0:
            strategy.warnings.append(f"goal {g!r} has weight but no criterion serves it")
    total = sum(sum(v.values()) for v in raw.values())
    if total <= 0:
        raise InputError(src, "goals", "no criterion serves a goal with weight above 0")

    users = catalog.fact_users()
    active_ids = set(raw)
    reqs: list[Requirement] = []
    for c in active:
        contrib = {g: w / total for g, w in raw[c.id].items()}
        weight = sum(contrib.values())
        if weight <= 0 and c.id not in strategy.must_have:
            continue
        shared = {
            f: [o for o in users.get(f, []) if o != c.id and o in active_ids]
            for f in c.facts
        }
        reqs.append(Requirement(
            id=c.id, title=c.title, aspect=c.aspect, goals=c.goals, weight=weight,
            contributions=contrib, kind=c.kind, facts=c.facts,
            shared_facts={f: o for f, o in shared.items() if o},
            must_have=strategy.must_have.get(c.id),
            question=c.question, levels=dict(c.levels),
        ))
    reqs.sort(key=lambda r: (-r.weight, r.id))
    return reqs
