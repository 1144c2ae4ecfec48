"""How robust is first place? Weight sensitivity of the ranking, vectorised.

Goal weights are the strategist's judgement, so a recommendation is only as good as its
tolerance to a different but defensible weighting. Two analyses answer that:

* **Monte Carlo.** Goal weights are drawn from a Dirichlet distribution centred on the strategy's
  weights, ``alpha = concentration × weight``. Each weight then varies with standard deviation
  ``sqrt(w (1 − w) / (concentration + 1))``; with the default concentration of 100 a weight of
  0.26 (priority 5 of 19) moves by about ±0.04 — about one step on the 1–5 priority scale, the
  size of a typical disagreement between two people writing the same strategy. All samples are
  scored in one matrix product, and each vendor gets the share of samples in which it ranks
  first and the 5th–95th percentile of its rank.
* **One at a time.** Each goal's weight moves from its value to 0 and to 1 (the other goals
  rescaled proportionally so the weights still sum to 1). The analysis reports the weight at
  which first place changes hands, or that it never does. Found by a vectorised sweep in steps
  of 0.001 over 0–1 and refined by bisection to 1e-6 (exact up to that tolerance: for the
  pessimistic and neutral policies a pair of vendors can cross at most once along the sweep;
  only under ``exclude`` could two crossings hide within one step).

Why goal weights and not criterion weights: the strategy sets goals; criterion weights follow
from them (``requirements.py``). Each requirement's weight is a sum of goal contributions, so the
C × G contribution matrix, scaled per unit of goal weight, turns any goal weighting into criterion
weights by one product. Totals come from :func:`zahnrad.scoring.weighted_percent` over the
policy-applied matrix (:meth:`Matrix.effective`), the same code that computes the reported totals,
so ``exclude`` renormalises over known scores here as well. Totals do not depend on the scale of
the weights, so no per-sample renormalisation is needed. Knocked-out vendors and vendors without
a total never rank and are left out; knock-outs do not depend on weights. Goals the strategy
weights 0 have no criteria in the matrix and are not perturbed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .scoring import Matrix, VendorResult, weighted_percent

DEFAULT_SAMPLES = 2000
DEFAULT_CONCENTRATION = 100.0
DEFAULT_SEED = 20240611
SWEEP_STEP = 0.001
BISECT_TOL = 1e-6
#: totals within this many points count as a tie when finding a change of first place
TIE = 1e-9


@dataclass
class GoalBasis:
    """Criterion weights per unit of goal weight: ``weights = basis @ goal_weights``."""

    goals: list[str]
    weights: np.ndarray  # G, the strategy's goal weights (> 0 only)
    basis: np.ndarray  # C × G

    def criterion_weights(self, goal_weights: np.ndarray) -> np.ndarray:
        """C × K criterion weights for K goal weightings given as G × K."""
        return self.basis @ goal_weights


def goal_basis(matrix: Matrix, goal_weights: dict[str, float]) -> GoalBasis:
    """Split each requirement's weight back into its goals, per unit of goal weight."""
    goals = [g for g, w in goal_weights.items() if w > 0]
    w = np.array([goal_weights[g] for g in goals], dtype=float)
    contrib = np.array(
        [[r.contributions.get(g, 0.0) for g in goals] for r in matrix.requirements], dtype=float
    ).reshape(len(matrix.requirements), len(goals))
    return GoalBasis(goals, w, contrib / w if len(goals) else contrib)


def sample_goal_weights(
    weights: np.ndarray, samples: int, concentration: float, seed: int
) -> np.ndarray:
    """G × samples Dirichlet draws centred on ``weights`` (reproducible by ``seed``)."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet(concentration * weights, size=samples).T


def rank_counts(totals: np.ndarray) -> np.ndarray:
    """V × V counts: how often vendor v (row) takes rank r + 1 (column) over the K columns.

    Ranks are competition ranks (ties share the better rank, the next rank is skipped), with
    totals compared at the 0.01 points the reports show, as the reported ranking does: two
    vendors whose totals print the same tie here too. Each total becomes a small integer with
    the vendor's index packed into its low bits, so one plain sort per column (SIMD-accelerated
    in NumPy) yields both the order and the vendor at every position, without an argsort.
    """
    v, k = totals.shape
    bits = max(1, (v - 1).bit_length())
    dtype = np.int32 if bits <= 17 else np.int64  # 10,001 levels × 2**bits must fit
    scaled = totals * 100.0 + 0.5  # totals ≥ 0, so truncation rounds half up
    if np.isnan(scaled).any():
        scaled = np.nan_to_num(scaled, nan=-1.0)  # no total: behind everyone
    packed = (-scaled.astype(dtype) << bits) | np.arange(v, dtype=dtype)[:, None]
    packed.sort(axis=0)  # row i: position i + 1 in every column
    vendor = (packed & ((1 << bits) - 1)).astype(np.intp)
    level = packed >> bits
    counts = np.zeros((v, v), dtype=np.intp)
    flat = counts.reshape(-1)  # a view: vendor * v + rank index
    rank = np.zeros(k, dtype=np.intp)  # 0-based rank at the current position, per column
    for i in range(v):
        same = level[i] == level[i - 1] if i else np.zeros(k, dtype=bool)
        if same.any():  # a tied vendor keeps the rank of its group's first position
            rank = np.where(same, rank, i)
            flat += np.bincount(vendor[i] * v + rank, minlength=v * v)
        else:
            rank.fill(i)
            counts[:, i] += np.bincount(vendor[i], minlength=v)
    return counts


def rank_percentiles(counts: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Per vendor (row), the lowest rank r with P(rank ≤ r) ≥ q, for each q (inverted CDF)."""
    cdf = np.cumsum(counts, axis=1) / counts.sum(axis=1, keepdims=True)
    return np.stack([(cdf < q - 1e-12).sum(axis=1) + 1 for q in qs], axis=1)


def monte_carlo(
    effective: np.ndarray, basis: GoalBasis, samples: int, concentration: float, seed: int
) -> dict[str, np.ndarray]:
    """Rank statistics of every (ranked) vendor under ``samples`` perturbed goal weightings.

    ``effective`` is the V × C policy-applied score matrix of the vendors that rank.
    Returns the sampled goal weights (G × K), the rank counts (V × V, see :func:`rank_counts`),
    first-place share (V) and the 5th / 50th / 95th rank percentiles (V × 3).
    """
    gw = sample_goal_weights(basis.weights, samples, concentration, seed)
    counts = rank_counts(weighted_percent(effective, basis.criterion_weights(gw)))
    return {
        "goal_weights": gw,
        "rank_counts": counts,
        "first_share": counts[:, 0] / samples,
        "rank_percentiles": rank_percentiles(counts, (0.05, 0.5, 0.95)),
    }


def _oat_columns(basis: GoalBasis, t: np.ndarray) -> np.ndarray:
    """Criterion weights (C × G·T) when goal g's weight is set to each t, the others rescaled."""
    w = basis.weights
    g = len(w)
    # goal weights for every (goal, t): w_h (1 − t) / (1 − w_g) for h ≠ g, t for h = g
    rest = np.divide(1.0 - t[None, :], 1.0 - w[:, None], out=np.zeros((g, t.size)),
                     where=(1.0 - w[:, None]) > 0)  # G × T
    gw = w[:, None, None] * rest[None, :, :]  # h × g × T
    idx = np.arange(g)
    gw[idx, idx, :] = t[None, :]
    return basis.criterion_weights(gw.reshape(g, g * t.size))


def _changed(totals: np.ndarray, winner: int) -> np.ndarray:
    """Columns in which another vendor is strictly ahead of the winner (NaN never leads)."""
    filled = np.where(np.isnan(totals), -np.inf, totals)
    others = np.delete(filled, winner, axis=0)
    if others.shape[0] == 0:
        return np.zeros(totals.shape[1], dtype=bool)
    return others.max(axis=0) > filled[winner] + TIE


def one_at_a_time(
    effective: np.ndarray, basis: GoalBasis, winner: int
) -> list[dict[str, Any]]:
    """For each goal: the weights below / above which ``winner`` loses first place (or None).

    A sweep over 0–1 finds the first grid step on each side of the current weight where another
    vendor leads; bisection between that step and its neighbour then pins the threshold down.
    Returns per goal ``{"goal", "weight", "lower", "lower_leader", "upper", "upper_leader"}``
    (vendor indices into ``effective``'s rows; None where first place never changes).
    """
    g = len(basis.weights)
    if g == 0:
        return []
    grid = np.linspace(0.0, 1.0, int(round(1 / SWEEP_STEP)) + 1)
    totals = weighted_percent(effective, _oat_columns(basis, grid))  # V × G·T
    changed = _changed(totals, winner).reshape(g, grid.size)

    # brackets (last stable t, first changed t) for each goal and direction, walking away from w
    brackets: list[tuple[int, str, float, float]] = []
    for k, w in enumerate(basis.weights):
        for direction, side, step in (("lower", np.nonzero(grid < w)[0][::-1], 1),
                                      ("upper", np.nonzero(grid > w)[0], -1)):
            hits = side[changed[k, side]]
            if hits.size:
                first = int(hits[0])
                inside = first + step  # the grid point before it, unless that is beyond w
                t_ok = float(grid[inside]) if 0 <= inside < grid.size and (
                    grid[inside] < w if direction == "lower" else grid[inside] > w) else float(w)
                brackets.append((k, direction, t_ok, float(grid[first])))
    ok = np.array([b[2] for b in brackets])
    bad = np.array([b[3] for b in brackets])
    goal_idx = np.array([b[0] for b in brackets], dtype=int)
    while brackets and np.max(np.abs(bad - ok)) > BISECT_TOL:
        mid = (ok + bad) / 2
        cols = _oat_columns(basis, mid)  # C × G·B; keep each bracket's own goal
        cols = cols.reshape(cols.shape[0], g, mid.size)[:, goal_idx, np.arange(mid.size)]
        flip = _changed(weighted_percent(effective, cols), winner)
        bad = np.where(flip, mid, bad)
        ok = np.where(flip, ok, mid)

    out = [{"goal": goal, "weight": float(w), "lower": None, "lower_leader": None,
            "upper": None, "upper_leader": None}
           for goal, w in zip(basis.goals, basis.weights, strict=True)]
    if brackets:
        cols = _oat_columns(basis, bad)
        cols = cols.reshape(cols.shape[0], g, bad.size)[:, goal_idx, np.arange(bad.size)]
        at = weighted_percent(effective, cols)
        at[winner] = -np.inf
        leaders = np.argmax(np.where(np.isnan(at), -np.inf, at), axis=0)
        for i, (k, direction, _, _) in enumerate(brackets):
            out[k][direction] = float((ok[i] + bad[i]) / 2)
            out[k][f"{direction}_leader"] = int(leaders[i])
    return out


def analyse(
    matrix: Matrix,
    vendors: list[VendorResult],
    goal_weights: dict[str, float],
    policy: str,
    *,
    samples: int = DEFAULT_SAMPLES,
    concentration: float = DEFAULT_CONCENTRATION,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any] | None:
    """The ``sensitivity`` section of results.json (None when no vendor ranks)."""
    ranked = [i for i, v in enumerate(vendors) if v.rank is not None]
    if not ranked:
        return None
    basis = goal_basis(matrix, goal_weights)
    eff = matrix.effective(policy)[ranked]
    names = [vendors[i].name for i in ranked]
    base = weighted_percent(eff, basis.criterion_weights(basis.weights[:, None]))[:, 0]
    winner = int(np.argmax(np.where(np.isnan(base), -np.inf, base)))  # rank 1, ties by exact total
    mc = monte_carlo(eff, basis, samples, concentration, seed)
    oat = one_at_a_time(eff, basis, winner)
    for row in oat:
        for d in ("lower_leader", "upper_leader"):
            row[d] = None if row[d] is None else names[row[d]]
        for d in ("lower", "upper"):
            row[d] = None if row[d] is None else round(row[d], 6)
        row["weight"] = round(row["weight"], 6)
    critical = None
    for row in oat:
        for d in ("lower", "upper"):
            if row[d] is not None:
                dist = abs(row[d] - row["weight"])
                if critical is None or dist < critical["distance"]:
                    critical = {"goal": row["goal"], "direction": d, "threshold": row[d],
                                "weight": row["weight"], "leader": row[f"{d}_leader"],
                                "distance": round(dist, 6)}
    pct = mc["rank_percentiles"]
    order = sorted(range(len(ranked)), key=lambda i: (vendors[ranked[i]].rank, i))
    return {
        "method": {
            "monte_carlo": "Dirichlet(concentration × goal weight), competition ranks",
            "one_at_a_time": f"sweep in steps of {SWEEP_STEP:g}, bisection to {BISECT_TOL:g}",
        },
        "samples": samples,
        "concentration": concentration,
        "seed": seed,
        "unknown_policy": policy,
        "goals": basis.goals,
        "winner": names[winner],
        "winner_first_share": round(float(mc["first_share"][winner]), 4),
        "vendors": [
            {"name": names[i], "first_share": round(float(mc["first_share"][i]), 4),
             "rank_p05": int(pct[i, 0]), "rank_median": int(pct[i, 1]),
             "rank_p95": int(pct[i, 2])}
            for i in order
        ],
        "one_at_a_time": oat,
        "critical": critical,
    }
