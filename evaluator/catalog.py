"""The fact catalog and the criteria catalog, loaded from data and validated.

Both catalogs live in ``zahnrad.criteria`` as TOML, owned by the evaluating organisation rather
than by plugin authors: plugins may only report facts named here (or ``x-VENDOR.`` facts that no
built-in criterion scores), and only criteria decide what a fact is worth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError, describe_type
from .files import load_toml
from .strategy import GOALS

ASPECTS: tuple[str, ...] = ("editability", "flexibility", "integration", "operations")
FACT_TYPES: tuple[str, ...] = ("bool", "int", "number", "string", "list")
RULE_KINDS: tuple[str, ...] = ("bool", "threshold", "enum", "list", "presence", "count_true", "manual")
FACT_NAME = re.compile(r"^(x-[a-z0-9_]+\.)?[a-z0-9_]+(\.[a-z0-9_]+)*$")
CRITERION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LEVELS = tuple(str(i) for i in range(6))


@dataclass(frozen=True)
class FactDef:
    name: str
    type: str
    aspect: str
    meaning: str


@dataclass
class Criterion:
    id: str
    title: str
    aspect: str
    goals: tuple[str, ...]
    description: str
    levels: dict[str, str]
    rule: dict[str, Any]
    origin: str = "built-in"

    @property
    def kind(self) -> str:
        return self.rule["kind"]

    @property
    def manual(self) -> bool:
        return self.kind == "manual"

    @property
    def facts(self) -> tuple[str, ...]:
        if "facts" in self.rule:
            return tuple(self.rule["facts"])
        if "fact" in self.rule:
            return (self.rule["fact"],)
        return ()

    @property
    def question(self) -> str | None:
        return self.rule.get("question")


@dataclass
class Catalog:
    facts: dict[str, FactDef]
    criteria: dict[str, Criterion] = field(default_factory=dict)

    def fact_users(self) -> dict[str, list[str]]:
        """Fact name -> ids of the criteria that read it (to make double counting visible)."""
        users: dict[str, list[str]] = {}
        for c in self.criteria.values():
            for f in c.facts:
                users.setdefault(f, []).append(c.id)
        return users


def type_ok(ftype: str, value: Any) -> bool:
    """Whether ``value`` is a valid value of catalog type ``ftype``."""
    if ftype == "bool":
        return isinstance(value, bool)
    if ftype == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if ftype == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if ftype == "string":
        return isinstance(value, str)
    if ftype == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return False


def _builtin(name: str) -> Path:
    return Path(str(resources.files("zahnrad.criteria").joinpath(name)))


def builtin_facts_path() -> Path:
    return _builtin("facts.toml")


def builtin_criteria_path() -> Path:
    return _builtin("criteria.toml")


def load_catalog(extra_criteria: Path | None = None) -> Catalog:
    """Load the built-in catalogs, then add or override criteria from the organisation's file."""
    facts = parse_facts(load_toml(builtin_facts_path()), builtin_facts_path())
    catalog = Catalog(facts=facts)
    add_criteria(catalog, load_toml(builtin_criteria_path()), builtin_criteria_path(), "built-in")
    if extra_criteria is not None:
        raw = load_toml(extra_criteria)
        if "fact" in raw:
            catalog.facts.update(parse_facts({"fact": raw["fact"]}, extra_criteria, vendor_only=True))
        add_criteria(catalog, {k: v for k, v in raw.items() if k != "fact"}, extra_criteria,
                     str(extra_criteria))
    return catalog


def parse_facts(raw: dict[str, Any], path: Path, *, vendor_only: bool = False) -> dict[str, FactDef]:
    entries = raw.get("fact")
    unknown = set(raw) - {"fact"}
    if unknown:
        raise InputError(path, sorted(unknown)[0], "unknown key (expected [[fact]] entries)")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "fact", "expected one or more [[fact]] entries")
    out: dict[str, FactDef] = {}
    for i, e in enumerate(entries):
        place = f"fact[{i}]"
        if not isinstance(e, dict):
            raise InputError(path, place, f"expected a table, got {describe_type(e)}")
        extra = set(e) - {"name", "type", "aspect", "meaning"}
        if extra:
            raise InputError(path, f"{place}.{sorted(extra)[0]}", "unknown key (known: aspect, meaning, name, type)")
        for key in ("name", "type", "aspect", "meaning"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise InputError(path, f"{place}.{key}", "missing or not a non-empty string")
        name = e["name"]
        if not FACT_NAME.match(name):
            raise InputError(path, f"{place}.name",
                             f"{name!r} is not a valid fact name (lower-case dotted, e.g. edit.anonymous)")
        if vendor_only and not name.startswith("x-"):
            raise InputError(path, f"{place}.name",
                             f"{name!r}: an organisation's file may only add vendor-specific facts (x-VENDOR.name)")
        if name in out:
            raise InputError(path, f"{place}.name", f"duplicate fact {name!r}")
        if e["type"] not in FACT_TYPES:
            raise InputError(path, f"{place}.type", f"unknown type {e['type']!r} (known: {', '.join(FACT_TYPES)})")
        if e["aspect"] not in ASPECTS:
            raise InputError(path, f"{place}.aspect", f"unknown aspect {e['aspect']!r} (known: {', '.join(ASPECTS)})")
        out[name] = FactDef(name, e["type"], e["aspect"], e["meaning"].strip())
    return out


def add_criteria(catalog: Catalog, raw: dict[str, Any], path: Path, origin: str) -> None:
    """Validate ``[[criterion]]`` entries and add them; an existing id is replaced (override)."""
    unknown = set(raw) - {"criterion"}
    if unknown:
        raise InputError(path, sorted(unknown)[0], "unknown key (expected [[criterion]] entries)")
    entries = raw.get("criterion")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "criterion", "expected one or more [[criterion]] entries")
    seen: set[str] = set()
    for i, e in enumerate(entries):
        crit = _criterion(e, f"criterion[{i}]", path, catalog.facts, origin)
        if crit.id in seen:
            raise InputError(path, f"criterion[{i}].id", f"duplicate criterion id {crit.id!r}")
        seen.add(crit.id)
        catalog.criteria[crit.id] = crit


def _criterion(e: Any, place: str, path: Path, facts: dict[str, FactDef], origin: str) -> Criterion:
    def fail(sub: str, msg: str) -> InputError:
        return InputError(path, f"{place}.{sub}" if sub else place, msg)

    if not isinstance(e, dict):
        raise fail("", f"expected a table, got {describe_type(e)}")
    allowed = {"id", "title", "aspect", "goals", "description", "levels", "rule"}
    for k in e:
        if k not in allowed:
            raise fail(k, f"unknown key (known: {', '.join(sorted(allowed))})")
    for k in ("id", "title", "aspect", "description"):
        if not isinstance(e.get(k), str) or not e[k].strip():
            raise fail(k, "missing or not a non-empty string")
    if not CRITERION_ID.match(e["id"]):
        raise fail("id", f"{e['id']!r} is not a valid id (lower-case words joined by '-')")
    if e["aspect"] not in ASPECTS:
        raise fail("aspect", f"unknown aspect {e['aspect']!r} (known: {', '.join(ASPECTS)})")
    goals = e.get("goals")
    if not isinstance(goals, list) or not goals:
        raise fail("goals", f"expected a non-empty list of goals ({', '.join(GOALS)})")
    for j, g in enumerate(goals):
        if g not in GOALS:
            raise fail(f"goals[{j}]", f"unknown goal {g!r} (known: {', '.join(GOALS)})")
    levels = e.get("levels")
    if not isinstance(levels, dict):
        raise fail("levels", 'expected a table "0" … "5" describing each score level')
    for lv in LEVELS:
        if not isinstance(levels.get(lv), str) or not levels[lv].strip():
            raise fail(f"levels.{lv}", "missing: every level 0–5 needs a description")
    for lv in levels:
        if lv not in LEVELS:
            raise fail(f"levels.{lv}", "unknown level (levels are 0 … 5)")
    rule = e.get("rule")
    if not isinstance(rule, dict):
        raise fail("rule", "missing: a rule table with a kind (" + ", ".join(RULE_KINDS) + ")")
    _check_rule(rule, lambda sub, msg: fail(f"rule.{sub}" if sub else "rule", msg), facts)
    return Criterion(
        id=e["id"], title=e["title"].strip(), aspect=e["aspect"], goals=tuple(goals),
        description=e["description"].strip(), levels=dict(levels), rule=dict(rule), origin=origin,
    )


_RULE_KEYS: dict[str, set[str]] = {
    "bool": {"fact", "if_true", "if_false"},
    "threshold": {"fact", "steps", "below"},
    "enum": {"fact", "map", "default"},
    "list": {"fact", "any_of", "steps", "below"},
    "presence": {"fact", "if_present", "if_absent"},
    "count_true": {"facts", "steps", "below"},
    "manual": {"question"},
}
_RULE_TYPES: dict[str, tuple[str, ...]] = {
    "bool": ("bool",),
    "threshold": ("int", "number", "list"),
    "enum": ("string",),
    "list": ("list",),
    "presence": FACT_TYPES,
    "count_true": ("bool",),
}


def _check_rule(rule: dict[str, Any], fail: Any, facts: dict[str, FactDef]) -> None:
    kind = rule.get("kind")
    if kind not in RULE_KINDS:
        raise fail("kind", f"unknown rule kind {kind!r} (known: {', '.join(RULE_KINDS)})")
    allowed = _RULE_KEYS[kind] | {"kind"}
    for k in rule:
        if k not in allowed:
            raise fail(k, f"not used by a {kind} rule (known: {', '.join(sorted(allowed))})")

    def score(key: str, required: bool = True) -> None:
        if key not in rule:
            if required:
                raise fail(key, "missing score 0–5")
            return
        v = rule[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 5:
            raise fail(key, f"expected a score 0–5, got {v!r}")

    def fact(name: Any, sub: str) -> None:
        if not isinstance(name, str) or name not in facts:
            raise fail(sub, f"unknown fact {name!r} (see `zahnrad facts`)")
        if facts[name].type not in _RULE_TYPES[kind]:
            raise fail(sub, f"fact {name!r} is a {facts[name].type}; a {kind} rule needs "
                            + " or ".join(_RULE_TYPES[kind]))

    def steps() -> None:
        st = rule.get("steps", [[1, 5]] if kind == "list" else None)
        if not isinstance(st, list) or not st:
            raise fail("steps", "expected a list of [minimum, score] pairs")
        prev = None
        for j, s in enumerate(st):
            if (not isinstance(s, list) or len(s) != 2
                    or any(isinstance(x, bool) or not isinstance(x, int | float) for x in s)):
                raise fail(f"steps[{j}]", "expected [minimum, score]")
            if not 0 <= s[1] <= 5:
                raise fail(f"steps[{j}]", f"score {s[1]!r} is outside 0–5")
            if prev is not None and s[0] <= prev:
                raise fail(f"steps[{j}]", "minimums must increase")
            prev = s[0]
        score("below", required=False)

    if kind == "manual":
        q = rule.get("question")
        if not isinstance(q, str) or not q.strip():
            raise fail("question", "missing: the question a person answers with 0–5")
        return
    if kind == "count_true":
        fs = rule.get("facts")
        if not isinstance(fs, list) or not fs:
            raise fail("facts", "expected a non-empty list of bool facts")
        for j, f in enumerate(fs):
            fact(f, f"facts[{j}]")
        steps()
        return
    if "fact" not in rule:
        raise fail("fact", "missing")
    fact(rule["fact"], "fact")
    if kind == "bool":
        score("if_true")
        score("if_false")
    elif kind == "threshold":
        steps()
    elif kind == "enum":
        m = rule.get("map")
        if not isinstance(m, dict) or not m:
            raise fail("map", "expected a table value = score")
        for k in m:
            v = m[k]
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 5:
                raise fail(f"map.{k}", f"expected a score 0–5, got {v!r}")
        score("default")
    elif kind == "list":
        a = rule.get("any_of")
        if not isinstance(a, list) or not a or not all(isinstance(x, str) for x in a):
            raise fail("any_of", "expected a non-empty list of names")
        steps()
    elif kind == "presence":
        score("if_present", required=False)
        score("if_absent", required=False)
