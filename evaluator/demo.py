"""The bundled example: a strategy, recordings (or facts) and answers that ship with zahnrad."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class DemoInputs:
    strategy: Path
    answers: Path
    facts: Path | None
    replay: Path | None


def demo_dir() -> Path:
    return Path(str(resources.files("zahnrad").joinpath("demo")))


def demo_inputs() -> DemoInputs:
    """Prefer recordings replayed through the real plugins; fall back to bundled facts."""
    d = demo_dir()
    recordings = d / "recordings"
    if recordings.is_dir() and any(recordings.iterdir()):
        return DemoInputs(d / "strategy.toml", d / "answers.csv", None, recordings)
    return DemoInputs(d / "strategy.toml", d / "answers.csv", d / "facts.json", None)
