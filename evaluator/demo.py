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
    """Recordings replayed through the real plugins when every demo vendor has one.

    Falls back to the bundled facts.json otherwise (a partial install or a vendor added to the
    demo before its recording exists), so the demo always runs offline.
    """
    import tomllib

    from .recording import recording_file

    d = demo_dir()
    strategy = d / "strategy.toml"
    recordings = d / "recordings"
    names = [v["name"] for v in tomllib.loads(strategy.read_text("utf-8")).get("vendors", [])]
    if names and all(recording_file(recordings, n).exists() for n in names):
        return DemoInputs(strategy, d / "answers.csv", None, recordings)
    return DemoInputs(strategy, d / "answers.csv", d / "facts.json", None)
