"""The bundled example: a strategy, recorded probe runs and answers that ship with zahnrad.

The demo replays the recordings through the real plugins, so it exercises the same code as a
live run, offline. ``facts.json`` beside them is what `zahnrad probe` writes for that replay: an
example of the facts file `zahnrad evaluate --facts` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class DemoInputs:
    strategy: Path
    answers: Path
    replay: Path


def demo_dir() -> Path:
    return Path(str(resources.files("zahnrad").joinpath("demo")))


def demo_inputs() -> DemoInputs:
    d = demo_dir()
    return DemoInputs(d / "strategy.toml", d / "answers.csv", d / "recordings")
