"""Facts and their evidence: what plugins establish, and the facts.json file that keeps them.

A fact is ``observed`` (read from the platform's API, with the request as evidence), ``declared``
(from a plugin's static metadata, with the vendor's documentation as evidence) or ``unknown``
(with the reason). Unknown is a state of its own: it is never turned into "absent" here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .files import load_json, write_json

FACTS_FORMAT = "zahnrad-facts/1"
SOURCES = ("observed", "declared", "unknown")
EXCERPT_LIMIT = 300


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Evidence:
    """Where a fact came from: the request (credential-free URL), status, time and an excerpt."""

    url: str
    method: str | None = None
    status: int | None = None
    time: str | None = None
    elapsed_ms: int | None = None
    path: str | None = None
    excerpt: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def complete(self) -> bool:
        """Observed evidence needs the request, its status, its time and what was read."""
        return bool(self.url and self.method and self.status is not None and self.time
                    and self.path and self.excerpt is not None)


@dataclass
class Fact:
    fact: str
    value: Any
    source: str
    evidence: Evidence | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"fact": self.fact, "value": self.value, "source": self.source}
        if self.evidence is not None:
            d["evidence"] = self.evidence.as_dict()
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass
class VendorFacts:
    name: str
    platform: str
    url: str | None
    plugin: dict[str, str] = field(default_factory=dict)
    complete: bool = True
    problems: list[str] = field(default_factory=list)
    facts: dict[str, Fact] = field(default_factory=dict)

    def get(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "platform": self.platform,
            "url": self.url,
            "plugin": self.plugin,
            "complete": self.complete,
            "problems": self.problems,
            "facts": [f.as_dict() for f in self.facts.values()],
        }


@dataclass
class FactSet:
    vendors: dict[str, VendorFacts]
    created: str = field(default_factory=now_iso)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FACTS_FORMAT,
            "zahnrad_version": __version__,
            "created": self.created,
            "vendors": [v.as_dict() for v in self.vendors.values()],
        }

    def save(self, path: str | Path) -> None:
        write_json(path, self.as_dict())


def load_facts(path: str | Path) -> FactSet:
    """Read a facts.json written by ``zahnrad probe`` (or bundled with the demo)."""
    raw = load_json(path)
    if not isinstance(raw, dict) or "vendors" not in raw:
        raise InputError(path, None, "not a zahnrad facts file (expected an object with 'vendors')")
    fmt = raw.get("format")
    if fmt != FACTS_FORMAT:
        raise InputError(
            path, "format",
            f"{fmt!r} is not a format this version reads (expected {FACTS_FORMAT!r}); "
            "probe again with this version of zahnrad",
        )
    if not isinstance(raw["vendors"], list):
        raise InputError(path, "vendors", "expected a list")
    vendors: dict[str, VendorFacts] = {}
    for i, v in enumerate(raw["vendors"]):
        place = f"vendors[{i}]"
        if not isinstance(v, dict) or not isinstance(v.get("name"), str):
            raise InputError(path, f"{place}.name", "missing vendor name")
        vf = VendorFacts(
            name=v["name"], platform=str(v.get("platform", "")), url=v.get("url"),
            plugin=dict(v.get("plugin") or {}), complete=bool(v.get("complete", True)),
            problems=[str(p) for p in v.get("problems", [])],
        )
        facts = v.get("facts", [])
        if not isinstance(facts, list):
            raise InputError(path, f"{place}.facts", "expected a list")
        for j, f in enumerate(facts):
            fp = f"{place}.facts[{j}]"
            if not isinstance(f, dict) or not isinstance(f.get("fact"), str):
                raise InputError(path, f"{fp}.fact", "missing fact name")
            src = f.get("source")
            if src not in SOURCES:
                raise InputError(path, f"{fp}.source", f"{src!r} is not one of {', '.join(SOURCES)}")
            ev = f.get("evidence")
            evidence = None
            if isinstance(ev, dict):
                known = set(Evidence.__dataclass_fields__)
                evidence = Evidence(**{k: ev[k] for k in ev if k in known and k != "url"},
                                    url=str(ev.get("url", "")))
            vf.facts[f["fact"]] = Fact(
                fact=f["fact"], value=f.get("value"), source=src, evidence=evidence,
                reason=f.get("reason"),
            )
        vendors[vf.name] = vf
    return FactSet(vendors=vendors, created=str(raw.get("created", now_iso())))


def check_facts(facts: FactSet, catalog: Any, path: str | Path) -> None:
    """Refuse a facts file whose facts are not in the catalog or have values of the wrong type.

    Facts files are inputs like any other: a hand-edited or foreign file must fail with the
    place to fix, not be scored as something it does not say.
    """
    from .catalog import type_ok

    for i, vf in enumerate(facts.vendors.values()):
        for j, f in enumerate(vf.facts.values()):
            place = f"vendors[{i}].facts[{j}]"
            if f.fact.startswith("x-"):
                continue
            fd = catalog.facts.get(f.fact)
            if fd is None:
                raise InputError(path, f"{place}.fact", f"unknown fact {f.fact!r} (see `zahnrad facts`)")
            if f.source != "unknown" and not type_ok(fd.type, f.value):
                raise InputError(path, f"{place}.value",
                                 f"{f.value!r} is not a {fd.type} (fact {f.fact!r})")
