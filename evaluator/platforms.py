"""What a plugin registers: a platform it can probe, its static declarations and its probe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .probe import ProbeContext

KINDS = ("wiki", "enterprise social network", "team chat", "intranet suite", "file sharing",
         "forum", "other")


@dataclass(frozen=True)
class Declared:
    """A fact the plugin knows from the vendor's documentation, not from the live API."""

    fact: str
    value: Any
    url: str
    note: str = ""


@dataclass
class Platform:
    """A platform a plugin can probe.

    ``facts`` lists what the probe may establish: facts it does not report in a run become unknown
    ("not established"), never absent. ``credentials`` documents the logical credential keys the
    probe reads (a strategy maps them to environment variables) and what each unlocks.
    """

    name: str
    display_name: str
    kind: str
    version: str
    probe: Callable[[ProbeContext], None] | None = None
    facts: tuple[str, ...] = ()
    declared: tuple[Declared, ...] = ()
    docs_url: str | None = None
    credentials: dict[str, str] = field(default_factory=dict)
    needs_url: bool = True
    default_url: str | None = None
    plugin: str = ""  # set by the plugin manager: registering plugin's name
    distribution: str = ""  # "zahnrad (built-in)" or the installing package's name

    def all_facts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.facts + tuple(d.fact for d in self.declared)))
