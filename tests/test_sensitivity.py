"""Weight sensitivity: Dirichlet Monte Carlo and one-at-a-time thresholds, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import facts, small_catalog, strategy

from zahnrad.answers import Answer
from zahnrad.evaluation import evaluate
from zahnrad.requirements import derive_requirements
from zahnrad.scoring import build_matrix, evaluate_matrix
from zahnrad.sensitivity import (
    analyse,
    goal_basis,
    rank_counts,
    rank_percentiles,
    sample_goal_weights,
)

# Three single-goal criteria of the small catalog; "social" (two goals) is switched off.
GOALS3 = {"participation": 0.5, "self_organisation": 0, "knowledge_sharing": 0.3,
          "external_reach": 0.2, "adaptability": 0}
# anon-edit (participation), sso (knowledge_sharing), sharing (external_reach)
A = {"edit.anonymous": True, "sso.protocols": ["saml"], "sharing.external": "none"}  # 5, 3, 0
B = {"edit.anonymous": False, "sso.protocols": ["saml", "oidc"], "sharing.external": "anyone"}  # 0, 5, 5


def two_vendor(policy: str = "neutral", b: dict | None = None, **kw):
    s = strategy(["A", "B"], policy=policy, goals=GOALS3, weights={"social": 0})
    return evaluate(s, facts({"A": A, "B": b or B}), catalog=small_catalog())


def oat(ev) -> dict[str, dict]:
    return {row["goal"]: row for row in ev.sensitivity["one_at_a_time"]}


def test_one_at_a_time_thresholds_match_hand_calculation():
    """Totals (0–5 scale) with participation at t, the others rescaled by (1 − t) / 0.5:
    A = 5t + 3·0.6(1 − t), B = 5·0.6(1 − t) + 5·0.4(1 − t) → equal at t = 16/41.
    knowledge_sharing at u: A = 5·(5/7)(1 − u) + 3u, B = 5u + 5·(2/7)(1 − u) → u = 15/29.
    external_reach at v: A = 4.25(1 − v), B = 1.875(1 − v) + 5v → v = 19/59.
    """
    ev = two_vendor()
    totals = {v.name: v.total for v in ev.vendors}
    assert totals == {"A": 68.0, "B": 50.0}
    rows = oat(ev)
    assert set(rows) == {"participation", "knowledge_sharing", "external_reach"}  # weight-0 goals left out
    p, k, e = rows["participation"], rows["knowledge_sharing"], rows["external_reach"]
    assert p["lower"] == pytest.approx(16 / 41, abs=2e-6) and p["lower_leader"] == "B"
    assert p["upper"] is None and p["upper_leader"] is None  # more participation only helps A
    assert k["upper"] == pytest.approx(15 / 29, abs=2e-6) and k["upper_leader"] == "B"
    assert k["lower"] is None
    assert e["upper"] == pytest.approx(19 / 59, abs=2e-6) and e["lower"] is None
    crit = ev.sensitivity["critical"]
    assert (crit["goal"], crit["direction"], crit["leader"]) == ("participation", "lower", "B")
    assert crit["threshold"] == pytest.approx(16 / 41, abs=1e-4)


@pytest.mark.parametrize("policy,expected", [
    ("pessimistic", 1.2 / 6.2),  # B's unknown sharing counts 0: 1.8 + 3.2t = 3(1 − t)
    ("neutral", 2.2 / 7.2),  # counts 2.5: 1.8 + 3.2t = 4(1 − t)
    # left out and renormalised: 1.8 + 3.2t = 3(1 − t) / (0.6 + 0.4t) → 1.28t² + 5.64t − 1.92 = 0
    ("exclude", (-5.64 + np.sqrt(5.64**2 + 4 * 1.28 * 1.92)) / (2 * 1.28)),
])
def test_unknown_policy_is_applied_as_in_the_totals(policy, expected):
    ev = two_vendor(policy, b={**B, "sharing.external": ...})
    assert oat(ev)["participation"]["lower"] == pytest.approx(expected, abs=2e-6)
    base = {v.name: v.total for v in ev.vendors}
    # the Monte Carlo reproduces the reported totals at the strategy's weights
    basis = goal_basis(ev.matrix, ev.strategy.goal_weights)
    assert np.allclose(basis.criterion_weights(basis.weights), ev.matrix.weights)
    if policy == "exclude":
        assert base["B"] == 37.5  # sharing left out: 5 · 0.3 / (0.5 + 0.3) of 5


def test_dominant_vendor_is_first_in_every_sample():
    s = strategy(["Top", "Mid", "Low"])
    top = {"edit.anonymous": True, "extensions.count": 25, "sharing.external": "anyone",
           "sso.protocols": ["saml", "oidc"], "social.comments": True, "social.reactions": True}
    mid = {**top, "extensions.count": 6, "sso.protocols": ["saml"], "social.reactions": False}
    low = {**mid, "edit.anonymous": False, "sharing.external": "guests"}
    ev = evaluate(s, facts({"Top": top, "Mid": mid, "Low": low}), catalog=small_catalog())
    sens = ev.sensitivity
    by = {v["name"]: v for v in sens["vendors"]}
    assert sens["winner"] == "Top" and sens["winner_first_share"] == 1.0
    assert by["Top"]["first_share"] == 1.0 and by["Mid"]["first_share"] == 0.0
    assert (by["Top"]["rank_p05"], by["Top"]["rank_p95"]) == (1, 1)
    assert (by["Low"]["rank_p05"], by["Low"]["rank_p95"]) == (3, 3)
    assert all(r["lower"] is None and r["upper"] is None for r in sens["one_at_a_time"])
    assert sens["critical"] is None


def test_sampling_is_reproducible_by_seed_and_centred_on_the_weights():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    a = sample_goal_weights(w, 5000, 100.0, seed=7)
    assert np.array_equal(a, sample_goal_weights(w, 5000, 100.0, seed=7))
    assert not np.array_equal(a, sample_goal_weights(w, 5000, 100.0, seed=8))
    assert a.shape == (4, 5000) and np.allclose(a.sum(axis=0), 1.0)
    assert np.allclose(a.mean(axis=1), w, atol=0.003)
    # Dirichlet(κw): sd of each weight = sqrt(w(1 − w) / (κ + 1))
    assert np.allclose(a.std(axis=1), np.sqrt(w * (1 - w) / 101), rtol=0.05)
    ev1, ev2 = two_vendor(), two_vendor()
    assert ev1.sensitivity == ev2.sensitivity


def test_close_race_splits_first_place_and_widens_rank_interval():
    # participation 0.5 vs the rest: A leads by 3.4 vs 3.3 of 5 when B nearly catches up
    ev = two_vendor(b={**B, "edit.anonymous": True, "sso.protocols": [], "sharing.external": "anyone"})
    sens = ev.sensitivity
    by = {v["name"]: v for v in sens["vendors"]}
    assert 0 < by["A"]["first_share"] < 1 and 0 < by["B"]["first_share"] < 1
    # a tie for first (equal printed totals) counts for both
    assert 1.0 <= by["A"]["first_share"] + by["B"]["first_share"] < 1.05
    assert (by["A"]["rank_p05"], by["A"]["rank_p95"]) == (1, 2)


def test_knocked_out_and_totalless_vendors_are_left_out():
    s = strategy(["A", "B", "Out", "Blank"], policy="exclude", must_have={"anon-edit": 3},
                 goals=GOALS3, weights={"social": 0})
    blank = {f: ... for f in A}
    ev = evaluate(s, facts({"A": A, "B": {**B, "edit.anonymous": True}, "Out": B, "Blank": blank}),
                  catalog=small_catalog())
    names = [v["name"] for v in ev.sensitivity["vendors"]]
    assert names == ["B", "A"]  # Out failed the must-have; Blank has no known score at all
    assert ev.sensitivity["unknown_policy"] == "exclude"


def test_no_ranked_vendor_gives_no_sensitivity():
    s = strategy(["Out"], must_have={"anon-edit": 3}, goals=GOALS3, weights={"social": 0})
    assert evaluate(s, facts({"Out": B}), catalog=small_catalog()).sensitivity is None


def test_rank_counts_share_ties_and_percentiles():
    totals = np.array([[50.0, 50.0, 40.0, 10.0],
                       [50.0, 60.0, 40.0, 20.0],
                       [30.0, 60.0, 40.001, 30.0]])
    # competition ranks per column: (1,1,3) (3,1,1) (1,1,1) (3,2,1); 40.001 prints as 40.00
    counts = rank_counts(totals)
    assert counts.tolist() == [[2, 0, 2], [3, 1, 0], [3, 0, 1]]
    assert rank_percentiles(counts, (0.05, 0.5, 0.95)).tolist() == [[1, 1, 3], [1, 1, 2], [1, 1, 3]]


def test_rank_counts_match_a_plain_ranking():
    rng = np.random.default_rng(3)
    totals = np.round(rng.random((7, 400)) * 10, 1) * 10  # many ties
    counts = rank_counts(totals)
    expected = np.zeros((7, 7), dtype=int)
    for k in range(totals.shape[1]):
        for v in range(7):
            expected[v, int((totals[:, k] > totals[v, k]).sum())] += 1
    assert counts.tolist() == expected.tolist()


def test_zero_weight_goals_are_not_perturbed():
    s = strategy(["A", "B"], goals=GOALS3, weights={"social": 0})
    catalog = small_catalog()
    reqs = derive_requirements(s, catalog)
    f = facts({"A": A, "B": B})
    matrix, _ = build_matrix(s, catalog, reqs, f, {("A", "residency"): Answer(5)})
    res = analyse(matrix, evaluate_matrix(s, matrix, f), s.goal_weights, "neutral", samples=50)
    assert res["goals"] == ["participation", "knowledge_sharing", "external_reach"]
    assert res["samples"] == 50 and res["concentration"] == 100.0
