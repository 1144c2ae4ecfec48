"""The strategy file: what should change in how people work, before any software is named.

A strategist writes goals and priorities (directly or as AHP pairwise comparisons), must-haves,
the policy for unknowns and the vendors to look at. This module validates all of it and reports
every problem as ``strategy.toml: field.path: what is wrong (what would be right)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import InputError, describe_type
from .files import load_toml

GOALS: tuple[str, ...] = (
    "participation",
    "self_organisation",
    "knowledge_sharing",
    "external_reach",
    "adaptability",
)
GOAL_TITLES = {
    "participation": "Everyone can take part",
    "self_organisation": "Flat hierarchies, self-organising teams",
    "knowledge_sharing": "Shared values, ideas and results",
    "external_reach": "Internal and external connected",
    "adaptability": "Technology adapts to the organisation",
}
UNKNOWN_POLICIES: dict[str, float | None] = {"pessimistic": 0.0, "neutral": 2.5, "exclude": None}
LANGUAGES = ("en", "de")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
COST_KEYS = ("licence_per_user_year", "one_off", "operating_per_year", "years")
VENDOR_KEYS = {
    "name", "platform", "url", "credentials", "ca_bundle", "timeout", "deadline", "options",
    "cost", "pack",
}
TOP_KEYS = {"organisation", "goals", "pairwise", "scoring", "report", "vendors"}
SCORING_KEYS = {"unknown", "must_have", "weights", "criteria_file"}
DEFAULT_TIMEOUT = 10.0
DEFAULT_DEADLINE = 60.0


@dataclass
class Cost:
    """Cost inputs of one vendor, for total cost of ownership (UfAB simple benchmark method)."""

    licence_per_user_year: float = 0.0
    one_off: float = 0.0
    operating_per_year: float = 0.0
    years: float | None = None


@dataclass
class Vendor:
    name: str
    platform: str
    url: str | None = None
    credentials: dict[str, str] = field(default_factory=dict)  # logical key -> env var NAME
    ca_bundle: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    options: dict[str, Any] = field(default_factory=dict)
    cost: Cost | None = None
    pack: str | None = None


@dataclass
class Strategy:
    path: Path | None
    organisation: str
    employees: int | None
    goal_weights: dict[str, float]
    goal_priorities: dict[str, float]
    consistency_ratio: float | None
    unknown_policy: str
    must_have: dict[str, float]
    criteria_weights: dict[str, float]
    criteria_file: Path | None
    vendors: list[Vendor]
    language: str = "en"
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.path.name if self.path else "strategy"


class _Checker:
    """Small helpers so every message names the file and the field path the same way."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, place: str, message: str) -> InputError:
        return InputError(self.path, place, message)

    def table(self, value: Any, place: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(place, f"expected a table, got {describe_type(value)}")
        return value

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], place: str) -> None:
        for key in table:
            if key not in allowed:
                where = f"{place}.{key}" if place else key
                raise self.fail(where, f"unknown key (known: {', '.join(sorted(allowed))})")

    def number(self, value: Any, place: str, *, minimum: float | None = 0.0) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(place, f"expected a number, got {describe_type(value)} {value!r}")
        if value != value or value in (float("inf"), float("-inf")):
            raise self.fail(place, "expected a finite number")
        if minimum is not None and value < minimum:
            raise self.fail(place, f"must be at least {minimum:g}, got {value:g}")
        return float(value)

    def string(self, value: Any, place: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(place, f"expected a non-empty string, got {describe_type(value)}")
        return value.strip()


def load_strategy(path: str | Path, known_platforms: dict[str, str] | None = None) -> Strategy:
    """Load and validate a strategy file.

    ``known_platforms`` maps platform names to the plugin that handles them; when given, a vendor
    naming another platform is an error that lists the known ones.
    """
    path = Path(path)
    raw = load_toml(path)
    return parse_strategy(raw, path, known_platforms)


def parse_strategy(
    raw: dict[str, Any], path: Path, known_platforms: dict[str, str] | None = None
) -> Strategy:
    c = _Checker(path)
    # Top-level must_have is accepted for convenience; [scoring].must_have is canonical.
    c.unknown_keys(raw, TOP_KEYS | {"must_have"}, "")
    org = c.table(raw.get("organisation", {}), "organisation")
    c.unknown_keys(org, {"name", "employees", "language"}, "organisation")
    if "name" not in org:
        raise c.fail("organisation.name", "missing (the organisation's name)")
    name = c.string(org["name"], "organisation.name")
    employees = None
    if "employees" in org:
        e = org["employees"]
        if isinstance(e, bool) or not isinstance(e, int) or e < 1:
            raise c.fail("organisation.employees", f"expected a whole number ≥ 1, got {e!r}")
        employees = e

    warnings: list[str] = []
    priorities, weights, cr = _goal_weights(raw, c, warnings)

    scoring = c.table(raw.get("scoring", {}), "scoring")
    c.unknown_keys(scoring, SCORING_KEYS, "scoring")
    policy = scoring.get("unknown", "neutral")
    if policy not in UNKNOWN_POLICIES:
        raise c.fail(
            "scoring.unknown",
            f"unknown policy {policy!r} (known: {', '.join(UNKNOWN_POLICIES)})",
        )
    if "must_have" in raw and "must_have" in scoring:
        raise c.fail("must_have", "given twice; keep only [scoring].must_have")
    must_have = _must_have(raw.get("must_have", scoring.get("must_have", [])), c,
                           "must_have" if "must_have" in raw else "scoring.must_have")
    cw = c.table(scoring.get("weights", {}), "scoring.weights")
    criteria_weights = {k: c.number(v, f"scoring.weights.{k}") for k, v in cw.items()}
    criteria_file = None
    if "criteria_file" in scoring:
        cf = Path(c.string(scoring["criteria_file"], "scoring.criteria_file"))
        criteria_file = cf if cf.is_absolute() else path.parent / cf

    report = c.table(raw.get("report", {}), "report")
    c.unknown_keys(report, {"language"}, "report")
    language = report.get("language", org.get("language", "en"))
    if language not in LANGUAGES:
        raise c.fail("report.language", f"{language!r} is not supported (use one of: en, de)")

    vendors = _vendors(raw.get("vendors", []), c, path, known_platforms)
    return Strategy(
        path=path,
        organisation=name,
        employees=employees,
        goal_weights=weights,
        goal_priorities=priorities,
        consistency_ratio=cr,
        unknown_policy=policy,
        must_have=must_have,
        criteria_weights=criteria_weights,
        criteria_file=criteria_file,
        vendors=vendors,
        language=language,
        warnings=warnings,
    )


def _goal_weights(
    raw: dict[str, Any], c: _Checker, warnings: list[str]
) -> tuple[dict[str, float], dict[str, float], float | None]:
    if "pairwise" in raw:
        if "goals" in raw:
            raise c.fail("pairwise", "give either [goals] priorities or [pairwise] comparisons, not both")
        return _pairwise(c.table(raw["pairwise"], "pairwise"), c, warnings)
    if "goals" not in raw:
        raise c.fail("goals", "missing: give each goal a priority 1–5 (or [pairwise] comparisons)")
    goals = c.table(raw["goals"], "goals")
    for g in goals:
        if g not in GOALS:
            raise c.fail(f"goals.{g}", f"unknown goal (known: {', '.join(GOALS)})")
    prio: dict[str, float] = {}
    for g in GOALS:
        if g not in goals:
            raise c.fail(f"goals.{g}", "missing (give a priority 1–5, or 0 to leave the goal out)")
        v = goals[g]
        if isinstance(v, int) and not isinstance(v, bool) and v > 5:
            raise c.fail(
                f"goals.{g}",
                f"priority {v} is out of range: use 1 (nice to have) … 5 (essential), "
                "0 to leave it out, or decimal weights such as 0.3",
            )
        prio[g] = c.number(v, f"goals.{g}")
    total = sum(prio.values())
    if total <= 0:
        raise c.fail("goals", "all goal priorities are 0: at least one goal needs a priority above 0")
    return prio, {g: prio[g] / total for g in GOALS}, None


def _saaty(value: Any, place: str, c: _Checker) -> float:
    if isinstance(value, str):
        try:
            value = float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise c.fail(place, f"{value!r} is not a number or fraction like \"1/3\"") from None
    v = c.number(value, place, minimum=None)
    if not (1 / 9 - 1e-9 <= v <= 9 + 1e-9):
        raise c.fail(place, f"{v:g} is outside Saaty's scale 1/9 … 9")
    return v


def _pairwise(
    table: dict[str, Any], c: _Checker, warnings: list[str]
) -> tuple[dict[str, float], dict[str, float], float | None]:
    from .ahp import CR_LIMIT, ahp_weights

    n = len(GOALS)
    idx = {g: i for i, g in enumerate(GOALS)}
    given: dict[tuple[int, int], float] = {}
    for a, row in table.items():
        if a not in idx:
            raise c.fail(f"pairwise.{a}", f"unknown goal (known: {', '.join(GOALS)})")
        for b, v in c.table(row, f"pairwise.{a}").items():
            place = f"pairwise.{a}.{b}"
            if b not in idx:
                raise c.fail(place, f"unknown goal (known: {', '.join(GOALS)})")
            val = _saaty(v, place, c)
            if a == b:
                if abs(val - 1) > 1e-9:
                    raise c.fail(place, "a goal compared with itself must be 1")
                continue
            given[(idx[a], idx[b])] = val
    m = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            ij, ji = given.get((i, j)), given.get((j, i))
            if ij is None and ji is None:
                raise c.fail(
                    f"pairwise.{GOALS[i]}.{GOALS[j]}",
                    "missing comparison (how much more important is the first goal, 1/9 … 9)",
                )
            if ij is not None and ji is not None and abs(ij * ji - 1) > 0.01:
                raise c.fail(
                    f"pairwise.{GOALS[j]}.{GOALS[i]}",
                    f"{ji:g} is not the reciprocal of pairwise.{GOALS[i]}.{GOALS[j]} = {ij:g} "
                    f"(should be {Fraction(1 / ij).limit_denominator(9)}, or leave one out)",
                )
            v = ij if ij is not None else 1 / ji  # type: ignore[operator]
            m[i][j], m[j][i] = v, 1 / v
    res = ahp_weights(m)
    weights = {g: float(res.weights[i]) for g, i in idx.items()}
    if not res.consistent:
        warnings.append(
            f"pairwise comparisons are inconsistent: consistency ratio {res.consistency_ratio:.3f} "
            f"> {CR_LIMIT:.2f}; revisit the comparisons"
        )
    return dict(weights), weights, float(res.consistency_ratio)


def _must_have(value: Any, c: _Checker, place: str) -> dict[str, float]:
    """Must-haves as criterion id -> minimum score (a list means "at least 3: meets it")."""
    if isinstance(value, list):
        out: dict[str, float] = {}
        for i, item in enumerate(value):
            cid = c.string(item, f"{place}[{i}]")
            if cid in out:
                raise c.fail(f"{place}[{i}]", f"duplicate must-have {cid!r}")
            out[cid] = 3.0
        return out
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            score = c.number(v, f"{place}.{k}")
            if score > 5:
                raise c.fail(f"{place}.{k}", f"minimum score {score:g} is above the scale 0–5")
            out[k] = score
        return out
    raise c.fail(place, f"expected a list of criterion ids or a table id = minimum score, got {describe_type(value)}")


def _vendors(
    value: Any, c: _Checker, path: Path, known: dict[str, str] | None
) -> list[Vendor]:
    if not isinstance(value, list):
        raise c.fail("vendors", "expected [[vendors]] entries (an array of tables)")
    vendors: list[Vendor] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(value):
        place = f"vendors[{i}]"
        t = c.table(entry, place)
        c.unknown_keys(t, VENDOR_KEYS, place)
        for key in ("name", "platform"):
            if key not in t:
                raise c.fail(f"{place}.{key}", "missing")
        name = c.string(t["name"], f"{place}.name")
        if name.casefold() in seen:
            raise c.fail(f"{place}.name", f"duplicate vendor name {name!r} (also vendors[{seen[name.casefold()]}])")
        seen[name.casefold()] = i
        platform = c.string(t["platform"], f"{place}.platform")
        if known is not None and platform not in known and "pack" not in t:
            raise c.fail(
                f"{place}.platform",
                f"unknown platform {platform!r} (known: {', '.join(sorted(known))})",
            )
        url = None
        if "url" in t:
            url = c.string(t["url"], f"{place}.url")
            if not re.match(r"^https?://[^/\s]+", url):
                raise c.fail(f"{place}.url", f"{url!r} is not an http(s) URL")
            url = url.rstrip("/")
        creds = c.table(t.get("credentials", {}), f"{place}.credentials")
        credentials: dict[str, str] = {}
        for k, v in creds.items():
            if not isinstance(v, str) or not ENV_NAME.match(v):
                raise c.fail(
                    f"{place}.credentials.{k}",
                    "expected the NAME of an environment variable (e.g. \"WIKI_PASSWORD\"); "
                    "never put the secret itself in the strategy",
                )
            credentials[k] = v
        ca = None
        if "ca_bundle" in t:
            cap = Path(c.string(t["ca_bundle"], f"{place}.ca_bundle"))
            ca = str(cap if cap.is_absolute() else path.parent / cap)
        pack = None
        if "pack" in t:
            pp = Path(c.string(t["pack"], f"{place}.pack"))
            pack = str(pp if pp.is_absolute() else path.parent / pp)
        timeout = c.number(t.get("timeout", DEFAULT_TIMEOUT), f"{place}.timeout", minimum=0.1)
        deadline = c.number(t.get("deadline", DEFAULT_DEADLINE), f"{place}.deadline", minimum=0.1)
        options = c.table(t.get("options", {}), f"{place}.options")
        cost = None
        if "cost" in t:
            ct = c.table(t["cost"], f"{place}.cost")
            c.unknown_keys(ct, set(COST_KEYS), f"{place}.cost")
            vals = {k: c.number(v, f"{place}.cost.{k}") for k, v in ct.items()}
            cost = Cost(**vals)
        vendors.append(
            Vendor(
                name=name, platform=platform, url=url, credentials=credentials, ca_bundle=ca,
                timeout=timeout, deadline=deadline, options=options, cost=cost, pack=pack,
            )
        )
    return vendors
