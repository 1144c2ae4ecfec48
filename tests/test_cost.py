"""Total cost of ownership and price-performance (UfAB simple benchmark method)."""

from __future__ import annotations

import pytest
from helpers import facts, small_catalog, strategy

from zahnrad.cost import tco
from zahnrad.evaluation import evaluate
from zahnrad.strategy import Cost

FULL = {"edit.anonymous": True, "extensions.count": 25, "sharing.external": "anyone",
        "sso.protocols": ["saml", "oidc"], "social.comments": True, "social.reactions": True}
HALF = {**FULL, "edit.anonymous": False, "sharing.external": "guests", "sso.protocols": ["saml"]}


def test_tco_arithmetic_with_default_years():
    parts = tco(Cost(licence_per_user_year=48, one_off=15000, operating_per_year=12000), 1200)
    assert parts["years"] == 5 and parts["years_default"] is True
    assert parts["licence_total"] == 1200 * 48 * 5 == 288_000
    assert parts["operating_total"] == 60_000
    assert parts["tco"] == 288_000 + 15_000 + 60_000


def test_tco_with_given_years_and_without_licences():
    parts = tco(Cost(one_off=25000, operating_per_year=30000, years=3), None)
    assert parts["years_default"] is False
    assert parts["tco"] == 25_000 + 3 * 30_000  # no per-user licence: size does not matter
    assert tco(Cost(licence_per_user_year=10), None)["tco"] is None  # cannot count users


def run(*, employees=100, **costs):
    s = strategy(["Full", "Half", "Free?", "Out"], must_have={"anon-edit": 3})
    s.employees = employees
    for v in s.vendors:
        v.cost = costs.get(v.name)
    f = facts({"Full": FULL, "Half": {**HALF, "edit.anonymous": True}, "Free?": FULL, "Out": HALF})
    ev = evaluate(s, f, catalog=small_catalog())
    return ev, {r["name"]: r for r in ev.cost["vendors"]}


def test_price_performance_is_points_per_1000_euro_of_tco():
    ev, rows = run(Full=Cost(licence_per_user_year=50, one_off=10_000, operating_per_year=2_000),
                   Half=Cost(one_off=5_000, operating_per_year=1_000, years=5),
                   Out=Cost(one_off=1, operating_per_year=1))
    totals = {v.name: v.total for v in ev.vendors}
    full, half = rows["Full"], rows["Half"]
    assert full["tco"] == 100 * 50 * 5 + 10_000 + 5 * 2_000 == 45_000
    assert full["points_per_1000"] == pytest.approx(totals["Full"] / 45_000 * 1000, abs=1e-6)
    assert half["tco"] == 10_000
    assert half["points_per_1000"] == pytest.approx(totals["Half"] / 10_000 * 1000, abs=1e-6)
    assert totals["Full"] > totals["Half"]  # better product …
    assert (half["value_rank"], full["value_rank"]) == (1, 2)  # … but the cheaper one is better value
    assert ev.cost["best_value"] == ["Half"]
    assert ev.cost["currency"] == "EUR" and ev.cost["employees"] == 100
    # cost is the divisor, not a criterion: totals do not change with prices
    ev2, _ = run()
    assert {v.name: v.total for v in ev2.vendors} == totals


def test_vendor_without_cost_data_is_not_free():
    ev, rows = run(Full=Cost(one_off=1000, operating_per_year=100))
    free = rows["Free?"]
    assert free["status"] == "no_cost_data"
    assert free["tco"] is None and free["points_per_1000"] is None and free["value_rank"] is None
    assert rows["Full"]["status"] == "ok" and rows["Full"]["value_rank"] == 1
    assert ev.cost["any_cost_data"] is True
    assert run()[0].cost["any_cost_data"] is False


def test_knocked_out_vendor_gets_no_price_performance():
    ev, rows = run(Out=Cost(one_off=1, operating_per_year=1), Full=Cost(one_off=9e9))
    out = rows["Out"]
    assert out["knocked_out"] is True and out["status"] == "knocked_out"
    assert out["tco"] == 6  # still shown for reference
    assert out["points_per_1000"] is None and out["value_rank"] is None
    assert ev.cost["best_value"] == ["Full"]  # the only priced vendor still in the race


def test_missing_employee_count_and_zero_tco_are_explained():
    _, rows = run(employees=None, Full=Cost(licence_per_user_year=10),
                  Half=Cost(licence_per_user_year=0, one_off=0, operating_per_year=0))
    assert rows["Full"]["status"] == "no_employees" and rows["Full"]["tco"] is None
    assert rows["Half"]["status"] == "zero_tco" and rows["Half"]["points_per_1000"] is None


def test_cost_rows_follow_the_ranking():
    ev, rows = run()
    assert [r["name"] for r in ev.cost["vendors"]] == [v.name for v in ev.ranking()]
