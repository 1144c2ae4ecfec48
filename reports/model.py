"""The view of a saved run that every renderer shares.

Renderers read only ``results.json`` and ``facts.json`` (never the live objects), so that
``zahnrad report RUN_DIR`` re-renders a run exactly, offline and without probing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import goal_labels, labels


@dataclass
class RunView:
    results: dict[str, Any]
    facts: dict[str, Any]
    lang: str

    @property
    def t(self) -> dict[str, str]:
        return labels(self.lang)

    @property
    def goal_names(self) -> dict[str, str]:
        return goal_labels(self.lang)

    @property
    def vendors(self) -> list[dict[str, Any]]:
        return self.results["vendors"]

    @property
    def requirements(self) -> list[dict[str, Any]]:
        return self.results["requirements"]

    @property
    def aspects(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.requirements:
            seen.setdefault(r["aspect"], None)
        order = ["editability", "flexibility", "integration", "operations"]
        return sorted(seen, key=lambda a: order.index(a) if a in order else 99)

    def score_table(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(vendor, criterion) -> score entry."""
        return {(s["vendor"], s["criterion"]): s for s in self.results["scores"]}

    def fact_table(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(vendor, fact) -> fact entry with evidence."""
        out = {}
        for v in self.facts.get("vendors", []):
            for f in v.get("facts", []):
                out[(v["name"], f["fact"])] = f
        return out

    def provenance(self) -> dict[str, str]:
        """Vendor -> which plugin, in which version and from which distribution, produced its facts."""
        out = {}
        for v in self.facts.get("vendors", []):
            p = v.get("plugin") or {}
            out[v["name"]] = " ".join(x for x in (p.get("name", ""), p.get("version", "")) if x) + (
                f" ({p['distribution']})" if p.get("distribution") else "")
        return out

    def titles(self) -> dict[str, str]:
        return {r["id"]: r["title"] for r in self.requirements}

    @property
    def winner(self) -> dict[str, Any] | None:
        ranked = [v for v in self.vendors if v["rank"] == 1]
        return ranked[0] if ranked else None
