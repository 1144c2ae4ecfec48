"""Rules, unknown policies, knock-outs, coverage and ranking on a small explicit catalog."""

import numpy as np
import pytest
from helpers import facts, small_catalog, strategy

from zahnrad.answers import Answer
from zahnrad.requirements import derive_requirements
from zahnrad.scoring import apply_rule, build_matrix, evaluate_matrix, weighted_percent

FULL = {"edit.anonymous": True, "extensions.count": 25, "sharing.external": "anyone",
        "sso.protocols": ["SAML", "oidc", "ldap"], "social.comments": True, "social.reactions": True}
NONE = {"edit.anonymous": False, "extensions.count": 0, "sharing.external": "none",
        "sso.protocols": [], "social.comments": False, "social.reactions": False}


def run(s, f, answers=None, catalog=None):
    catalog = catalog or small_catalog()
    reqs = derive_requirements(s, catalog)
    matrix, scores = build_matrix(s, catalog, reqs, f, answers or {})
    return reqs, matrix, scores, {v.name: v for v in evaluate_matrix(s, matrix, f)}


@pytest.mark.parametrize("rule,values,expected", [
    ({"kind": "bool", "fact": "a", "if_true": 5, "if_false": 1}, {"a": False}, 1),
    ({"kind": "threshold", "fact": "a", "steps": [[1, 1], [5, 3], [20, 5]]}, {"a": 4}, 1),
    ({"kind": "threshold", "fact": "a", "steps": [[1, 1], [5, 3], [20, 5]]}, {"a": 5}, 3),
    ({"kind": "threshold", "fact": "a", "steps": [[1, 1]], "below": 0.5}, {"a": 0}, 0.5),
    ({"kind": "threshold", "fact": "a", "steps": [[2, 4]]}, {"a": ["x", "y"]}, 4),
    ({"kind": "enum", "fact": "a", "map": {"x": 2}, "default": 1}, {"a": "y"}, 1),
    ({"kind": "list", "fact": "a", "any_of": ["SAML"]}, {"a": ["saml"]}, 5),
    ({"kind": "list", "fact": "a", "any_of": ["saml"]}, {"a": ["ldap"]}, 0),
    ({"kind": "presence", "fact": "a"}, {"a": []}, 0),
    ({"kind": "presence", "fact": "a", "if_present": 4}, {"a": "1.39"}, 4),
    ({"kind": "count_true", "facts": ["a", "b"], "steps": [[1, 3], [2, 5]]}, {"a": True, "b": False}, 3),
])
def test_rule_kinds(rule, values, expected):
    assert apply_rule(rule, values) == expected


def test_full_and_empty_vendor_totals():
    s = strategy(["Full", "None"])
    _, _, _, res = run(s, facts({"Full": FULL, "None": NONE}),
                       {("Full", "residency"): Answer(5), ("None", "residency"): Answer(0)})
    assert res["Full"].total == 100.0 and res["None"].total == 0.0
    assert res["Full"].rank == 1 and res["None"].rank == 2
    assert res["Full"].coverage == 1.0
    assert res["Full"].aspects == {"editability": 100.0, "flexibility": 100.0,
                                   "integration": 100.0, "operations": 100.0}


def test_requirement_weights_spread_goal_weight_and_sum_to_one():
    s = strategy([], goals={"participation": 2, "self_organisation": 0, "knowledge_sharing": 1,
                            "external_reach": 1, "adaptability": 0})
    reqs = {r.id: r for r in derive_requirements(s, small_catalog())}
    assert sum(r.weight for r in reqs.values()) == pytest.approx(1.0)
    # participation (0.5) is served by anon-edit and social: 0.25 each
    assert reqs["anon-edit"].weight == pytest.approx(0.25)
    # social also gets half of knowledge_sharing (0.25 / 2)
    assert reqs["social"].weight == pytest.approx(0.25 + 0.125)
    assert reqs["sharing"].weight == pytest.approx(0.25)
    # criteria serving only zero-weight goals drop out
    assert "extensions" not in reqs and "residency" not in reqs


def test_weight_factor_scales_and_zero_drops():
    s = strategy([], weights={"anon-edit": 2.0, "sso": 0})
    reqs = {r.id: r for r in derive_requirements(s, small_catalog())}
    assert "sso" not in reqs
    assert sum(r.weight for r in reqs.values()) == pytest.approx(1.0)
    assert reqs["anon-edit"].weight == pytest.approx(2 * reqs["social"].contributions["participation"])


@pytest.mark.parametrize("policy,expected", [("pessimistic", 0.0), ("neutral", 50.0), ("exclude", None)])
def test_unknown_policy_for_a_vendor_with_nothing_known(policy, expected):
    s = strategy(["Dark"], policy=policy)
    _, matrix, scores, res = run(s, facts({"Dark": {f: ... for f in FULL}}))
    assert all(sc.score is None and sc.source == "unknown" for sc in scores)
    assert all(sc.reason for sc in scores)
    assert res["Dark"].total == expected
    assert res["Dark"].coverage == 0.0
    assert res["Dark"].unknown == 6


def test_exclude_renormalises_over_known_scores():
    s = strategy(["Half"], policy="exclude", goals={"participation": 1, "self_organisation": 0,
                                                     "knowledge_sharing": 0, "external_reach": 1,
                                                     "adaptability": 0})
    # anon-edit 5 (weight .25), social unknown (.25), sharing 'guests' -> 3 (.5)
    _, _, _, res = run(s, facts({"Half": {"edit.anonymous": True, "social.comments": ...,
                                          "social.reactions": ..., "sharing.external": "guests"}}))
    assert res["Half"].total == pytest.approx(100 * (0.25 * 5 + 0.5 * 3) / (5 * 0.75), abs=0.01)
    assert res["Half"].coverage == pytest.approx(0.75)


def test_count_true_known_when_unknown_facts_cannot_matter():
    s = strategy(["A", "B"])
    _, _, scores, _ = run(s, facts({
        "A": {"social.comments": True, "social.reactions": ...},   # 3 or 5: unknown
        "B": {"social.comments": ..., "social.reactions": ...},
    }))
    by = {(x.vendor, x.criterion): x for x in scores}
    assert by[("A", "social")].score is None
    assert "social.reactions: HTTP 403" in by[("A", "social")].reason
    assert by[("B", "social")].source == "unknown"


def test_count_true_unknown_is_irrelevant_when_result_fixed():
    cat = small_catalog()
    cat.criteria["social"].rule["steps"] = [[1, 5]]  # any one true gives 5
    s = strategy(["A"])
    _, _, scores, _ = run(s, facts({"A": {"social.comments": True, "social.reactions": ...}}), catalog=cat)
    sc = next(x for x in scores if x.criterion == "social")
    assert sc.score == 5 and sc.source == "observed"


def test_wrongly_typed_fact_is_unknown_not_zero():
    s = strategy(["A"])
    _, _, scores, _ = run(s, facts({"A": {"extensions.count": "many"}}))
    sc = next(x for x in scores if x.criterion == "extensions")
    assert sc.score is None and "not a int" in sc.reason


def test_knock_out_failed_unverified_and_passed():
    s = strategy(["Pass", "Fail", "Unverified"], must_have={"residency": 3.0})
    answers = {("Pass", "residency"): Answer(4), ("Fail", "residency"): Answer(2)}
    _, _, _, res = run(s, facts({n: FULL for n in ("Pass", "Fail", "Unverified")}), answers)
    assert res["Pass"].must_have == {"residency": "passed"} and res["Pass"].rank == 1
    assert res["Fail"].knocked_out and res["Fail"].rank is None
    assert res["Fail"].total is not None  # still shown with its total
    assert res["Unverified"].must_have == {"residency": "unverified"}
    assert not res["Unverified"].knocked_out and res["Unverified"].rank == 2


def test_ties_share_a_rank():
    s = strategy(["A", "B", "C"])
    _, _, _, res = run(s, facts({"A": FULL, "B": FULL, "C": NONE}))
    assert (res["A"].rank, res["B"].rank, res["C"].rank) == (1, 1, 3)


def test_adding_a_vendor_never_changes_others_totals():
    two = run(strategy(["A", "B"]), facts({"A": FULL, "B": NONE}))[3]
    extra = dict(FULL, **{"extensions.count": 3})
    three = run(strategy(["A", "B", "C"]), facts({"A": FULL, "B": NONE, "C": extra}))[3]
    assert two["A"].total == three["A"].total and two["B"].total == three["B"].total


def test_coverage_counts_observed_and_manual_only():
    s = strategy(["A"])
    f = facts({"A": FULL})
    f.vendors["A"].facts["edit.anonymous"].source = "declared"
    reqs, _, _, res = run(s, f, {("A", "residency"): Answer(3)})
    w = {r.id: r.weight for r in reqs}
    assert res["A"].coverage == pytest.approx(1 - w["anon-edit"], abs=1e-4)


def test_weighted_percent_is_nan_aware():
    scores = np.array([[5.0, np.nan], [np.nan, np.nan]])
    out = weighted_percent(scores, np.array([[0.5], [0.5]]))
    assert out[0, 0] == 100.0 and np.isnan(out[1, 0])


def test_goal_subtotals_use_goal_contributions():
    s = strategy(["A"])
    vals = dict(NONE, **{"edit.anonymous": True})
    _, _, _, res = run(s, facts({"A": vals}))
    # participation is served by anon-edit (5) and social (0) equally
    assert res["A"].goals["participation"] == 50.0
    assert res["A"].goals["external_reach"] == 0.0
