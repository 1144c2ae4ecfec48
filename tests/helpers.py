"""Small, explicit test inputs: a tiny catalog, strategies and facts built in code."""

from __future__ import annotations

import tomllib
from pathlib import Path

from zahnrad.catalog import Catalog, FactDef, add_criteria
from zahnrad.facts import Evidence, Fact, FactSet, VendorFacts
from zahnrad.strategy import GOALS, Strategy, Vendor

LEVELS = '{ "0" = "none", "1" = "l1", "2" = "l2", "3" = "l3", "4" = "l4", "5" = "full" }'

CRITERIA = f"""
[[criterion]]
id = "anon-edit"
title = "Anonymous editing"
aspect = "editability"
goals = ["participation"]
description = "d"
levels = {LEVELS}
rule = {{ kind = "bool", fact = "edit.anonymous", if_true = 5, if_false = 0 }}

[[criterion]]
id = "extensions"
title = "Extensions"
aspect = "flexibility"
goals = ["adaptability", "self_organisation"]
description = "d"
levels = {LEVELS}
rule = {{ kind = "threshold", fact = "extensions.count", steps = [[1, 1], [5, 3], [20, 5]] }}

[[criterion]]
id = "sharing"
title = "External sharing"
aspect = "integration"
goals = ["external_reach"]
description = "d"
levels = {LEVELS}
rule = {{ kind = "enum", fact = "sharing.external", map = {{ none = 0, guests = 3, anyone = 5 }}, default = 1 }}

[[criterion]]
id = "sso"
title = "SSO"
aspect = "integration"
goals = ["knowledge_sharing"]
description = "d"
levels = {LEVELS}
rule = {{ kind = "list", fact = "sso.protocols", any_of = ["saml", "oidc"], steps = [[1, 3], [2, 5]] }}

[[criterion]]
id = "social"
title = "Social features"
aspect = "editability"
goals = ["knowledge_sharing", "participation"]
description = "d"
levels = {LEVELS}
rule = {{ kind = "count_true", facts = ["social.comments", "social.reactions"], steps = [[1, 3], [2, 5]] }}

[[criterion]]
id = "residency"
title = "Data residency"
aspect = "operations"
goals = ["adaptability"]
description = "d"
levels = {LEVELS}
rule = {{ kind = "manual", question = "Is data hosted in the EU?" }}
"""

FACT_TYPES = {
    "edit.anonymous": "bool",
    "extensions.count": "int",
    "sharing.external": "string",
    "sso.protocols": "list",
    "social.comments": "bool",
    "social.reactions": "bool",
}


def small_catalog() -> Catalog:
    facts = {n: FactDef(n, t, "editability", "m") for n, t in FACT_TYPES.items()}
    cat = Catalog(facts=facts)
    add_criteria(cat, tomllib.loads(CRITERIA), Path("test-criteria.toml"), "test")
    return cat


def strategy(vendors: list[str], *, policy: str = "neutral", must_have: dict | None = None,
             goals: dict | None = None, weights: dict | None = None) -> Strategy:
    g = goals or {g: 1.0 for g in GOALS}
    total = sum(g.values())
    return Strategy(
        path=Path("strategy.toml"), organisation="Test AG", employees=100,
        goal_weights={k: v / total for k, v in g.items()}, goal_priorities=g,
        consistency_ratio=None, unknown_policy=policy, must_have=must_have or {},
        criteria_weights=weights or {}, criteria_file=None,
        vendors=[Vendor(name=n, platform="toy", url=f"https://{i}.example") for i, n in enumerate(vendors)],
    )


def facts(per_vendor: dict[str, dict[str, object]]) -> FactSet:
    """Observed facts; a value of ... (Ellipsis) makes the fact unknown."""
    out = {}
    for name, values in per_vendor.items():
        vf = VendorFacts(name=name, platform="toy", url="https://x.example")
        for f, v in values.items():
            if v is ...:
                vf.facts[f] = Fact(f, None, "unknown", reason="HTTP 403 from /api")
            else:
                vf.facts[f] = Fact(f, v, "observed", Evidence(
                    url="https://x.example/api", method="GET", status=200,
                    time="2026-01-01T00:00:00Z", path=f, excerpt=repr(v)))
        out[name] = vf
    return FactSet(vendors=out)
