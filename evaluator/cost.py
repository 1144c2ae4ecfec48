"""Price and value: total cost of ownership and the UfAB simple benchmark method.

German federal IT procurement (UfAB) ranks offers by performance points divided by price. Cost is
the divisor, never one more weighted criterion: weighting it as well would count it twice. So the
weighted total (0–100) stays as it is, and price-performance is reported beside it as points per
1,000 € of total cost of ownership over the evaluation period:

    TCO = employees × licence per user and year × years + one-off + operating per year × years
    price-performance = total points / TCO × 1,000

A vendor without cost data is "no cost data", never free. A knocked-out vendor keeps its TCO for
reference but gets no price-performance: UfAB excludes offers failing an A-criterion before
prices are compared.
"""

from __future__ import annotations

from typing import Any

from .scoring import VendorResult
from .strategy import Cost, Strategy

DEFAULT_YEARS = 5
CURRENCY = "EUR"
PER = 1000.0  # price-performance as points per this many euros

#: status of a vendor's price-performance, in the order a reader would ask about it
STATUSES = ("ok", "no_cost_data", "knocked_out", "no_employees", "no_total", "zero_tco")


def tco(cost: Cost, employees: int | None) -> dict[str, Any]:
    """Total cost of ownership and its parts; ``tco`` is None when licences cannot be counted.

    Per-user licences need the organisation's size; without ``organisation.employees`` the TCO
    is unknown rather than computed as if nobody used the platform.
    """
    years = DEFAULT_YEARS if cost.years is None else cost.years
    licence = None
    if cost.licence_per_user_year == 0:
        licence = 0.0
    elif employees is not None:
        licence = employees * cost.licence_per_user_year * years
    operating = cost.operating_per_year * years
    return {
        "licence_per_user_year": cost.licence_per_user_year,
        "one_off": cost.one_off,
        "operating_per_year": cost.operating_per_year,
        "years": years,
        "years_default": cost.years is None,
        "licence_total": licence,
        "operating_total": operating,
        "tco": None if licence is None else licence + cost.one_off + operating,
    }


def _ranks(values: dict[int, float]) -> dict[int, int]:
    """Competition ranks, best (highest) first, compared at the precision the results keep."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    out: dict[int, int] = {}
    prev, rank = None, 0
    for pos, (i, val) in enumerate(ordered, start=1):
        if val != prev:
            rank, prev = pos, val
        out[i] = rank
    return out


def analyse(strategy: Strategy, vendors: list[VendorResult]) -> dict[str, Any]:
    """The ``cost`` section of results.json, vendors in the order of ``vendors``."""
    by_name = {v.name: v for v in strategy.vendors}
    rows: list[dict[str, Any]] = []
    for res in vendors:
        cost = by_name[res.name].cost if res.name in by_name else None
        row: dict[str, Any] = {"name": res.name, "total": res.total, "knocked_out": res.knocked_out}
        if cost is None:
            row.update(status="no_cost_data", tco=None, points_per_1000=None, value_rank=None)
            rows.append(row)
            continue
        parts = tco(cost, strategy.employees)
        row.update(parts)
        if res.knocked_out:
            status = "knocked_out"
        elif parts["tco"] is None:
            status = "no_employees"
        elif res.total is None:
            status = "no_total"
        elif parts["tco"] <= 0:
            status = "zero_tco"
        else:
            status = "ok"
        ratio = round(res.total / parts["tco"] * PER, 6) if status == "ok" else None  # type: ignore[operator]
        row.update(status=status, points_per_1000=ratio, value_rank=None)
        rows.append(row)
    ranks = _ranks({i: r["points_per_1000"] for i, r in enumerate(rows)
                    if r["points_per_1000"] is not None})
    for i, r in ranks.items():
        rows[i]["value_rank"] = r
    best = [rows[i]["name"] for i, r in ranks.items() if r == 1]
    return {
        "currency": CURRENCY,
        "employees": strategy.employees,
        "default_years": DEFAULT_YEARS,
        "per": PER,
        "method": "UfAB simple benchmark method: total points / TCO × 1,000",
        "best_value": best,  # names with the best price-performance (several on a tie)
        "any_cost_data": any(r["status"] != "no_cost_data" for r in rows),
        "vendors": rows,
    }
