"""Benchmark: Monte Carlo weight sensitivity at 100 vendors × 300 criteria × 10,000 samples.

Prints the time of :func:`zahnrad.sensitivity.monte_carlo` (sampling, totals, ranks, shares and
rank percentiles) next to one bare NumPy product of the same size (V × C @ C × K), the floor any
implementation must pay. Targets: under 1 s, and within 3× of that product.

    .venv/bin/python bench/bench_sensitivity.py [--vendors 100 --criteria 300 --samples 10000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from zahnrad.requirements import Requirement
from zahnrad.scoring import Matrix, weighted_percent
from zahnrad.sensitivity import (
    goal_basis,
    monte_carlo,
    one_at_a_time,
    rank_counts,
    sample_goal_weights,
)
from zahnrad.strategy import GOALS


def synthetic(vendors: int, criteria: int, seed: int = 1) -> tuple[Matrix, dict[str, float]]:
    """A random matrix: scores 0–5 in halves, 10 % unknown, each criterion serving 1–3 goals."""
    rng = np.random.default_rng(seed)
    goal_weights = dict(zip(GOALS, rng.dirichlet(np.full(len(GOALS), 5.0)), strict=True))
    serves = [rng.choice(len(GOALS), size=rng.integers(1, 4), replace=False) for _ in range(criteria)]
    per_goal = np.bincount(np.concatenate(serves), minlength=len(GOALS))
    raw = [{GOALS[g]: goal_weights[GOALS[g]] / per_goal[g] for g in s} for s in serves]
    total = sum(sum(r.values()) for r in raw)
    reqs = [
        Requirement(id=f"c{i}", title=f"c{i}", aspect="editability", goals=tuple(r),
                    weight=sum(r.values()) / total, contributions={g: w / total for g, w in r.items()},
                    kind="bool", facts=())
        for i, r in enumerate(raw)
    ]
    scores = rng.integers(0, 11, size=(vendors, criteria)) / 2.0
    scores[rng.random(scores.shape) < 0.1] = np.nan
    sources = [["observed"] * criteria for _ in range(vendors)]
    return Matrix([f"v{i}" for i in range(vendors)], reqs, scores, sources,
                  np.array([r.weight for r in reqs])), goal_weights


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vendors", type=int, default=100)
    ap.add_argument("--criteria", type=int, default=300)
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--policy", default="neutral", choices=["pessimistic", "neutral", "exclude"])
    args = ap.parse_args()

    matrix, goal_weights = synthetic(args.vendors, args.criteria)
    basis = goal_basis(matrix, goal_weights)
    eff = matrix.effective(args.policy)
    a = np.where(np.isnan(eff), 0.0, eff)
    b = np.random.default_rng(2).random((args.criteria, args.samples))

    bare = best_of(lambda: a @ b, args.repeat)
    mc = best_of(lambda: monte_carlo(eff, basis, args.samples, 100.0, 7), args.repeat)
    gw = sample_goal_weights(basis.weights, args.samples, 100.0, 7)
    weights = basis.criterion_weights(gw)
    totals = weighted_percent(eff, weights)
    parts = {
        "sampling + criterion weights": best_of(
            lambda: basis.criterion_weights(sample_goal_weights(basis.weights, args.samples,
                                                                100.0, 7)), args.repeat),
        "totals (weighted_percent)": best_of(lambda: weighted_percent(eff, weights), args.repeat),
        "ranks and histograms": best_of(lambda: rank_counts(totals), args.repeat),
    }
    oat = best_of(lambda: one_at_a_time(eff, basis, 0), args.repeat)
    size = f"{args.vendors} vendors × {args.criteria} criteria × {args.samples:,} samples"
    verdict = "ok" if mc < 1 and mc <= 3 * bare else "MISSED"
    print(f"{size} (policy {args.policy}, best of {args.repeat})")
    print(f"  bare product V×C @ C×K          {1000 * bare:8.1f} ms")
    print(f"  Monte Carlo, all of it          {1000 * mc:8.1f} ms  = {mc / bare:.1f}× the product"
          f"  [{verdict}: target < 1 s and ≤ 3×]")
    for name, t in parts.items():
        print(f"    {name:30s}{1000 * t:8.1f} ms")
    print(f"  one-at-a-time ({len(basis.goals)} goals)         {1000 * oat:8.1f} ms")

if __name__ == "__main__":
    main()
