"""pytest plugin for plugin authors: replay a recording through your plugin and run the
conformance kit (entry point ``pytest11``: ``zahnrad = "zahnrad.testing"``).

Installed with zahnrad, so every pytest session in the environment loads it: importing this
module does nothing but define fixtures (no hooks, no options, no zahnrad imports until a
fixture is used). Disable it with ``pytest -p no:zahnrad``.

Example (what ``zahnrad plugin new`` writes into ``tests/test_conformance.py``)::

    from pathlib import Path

    RECORDINGS = Path(__file__).parent / "recordings"

    def test_conformance(zahnrad_conformance):
        zahnrad_conformance("toywiki", RECORDINGS).assert_ok()

    def test_facts(zahnrad_replay):
        facts = zahnrad_replay("toywiki", RECORDINGS)["toywiki"]
        assert facts.facts["edit.anonymous"].value is True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def zahnrad_conformance() -> Any:
    """``check(platform, recordings, **kw) -> Report``: every conformance check, offline.

    ``report.ok`` says whether all passed, ``report.text()`` gives the readable verdict,
    ``report.assert_ok()`` fails the test with it, ``report.runs`` holds the replayed facts.
    Keyword arguments go to :func:`zahnrad.conformance.check_platform` (``secret_env``: more
    environment variables whose values must not appear in the recording).
    """

    def check(platform: str, recordings: str | Path, **kw: Any) -> Any:
        from zahnrad.conformance import check_platform

        return check_platform(platform, replay=Path(recordings), **kw)

    return check


@pytest.fixture
def zahnrad_replay() -> Any:
    """``replay(platform, recordings) -> {vendor name: VendorFacts}``: the plugin's facts, offline.

    Every recording of ``platform`` in the folder is replayed through the installed plugin with
    the credentials it was recorded with; no request leaves the machine.
    """

    def replay(platform: str, recordings: str | Path) -> dict[str, Any]:
        from zahnrad.conformance import check_platform

        return check_platform(platform, replay=Path(recordings)).runs

    return replay
