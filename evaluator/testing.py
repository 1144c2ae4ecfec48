"""pytest plugin for plugin authors: replay a recording through your plugin and run the
conformance kit (entry point ``pytest11``: ``zahnrad = "zahnrad.testing"``).

Installed with zahnrad, so every pytest session in the environment loads it: importing this
module does nothing but define fixtures and helpers (no hooks, no options, no zahnrad imports until a
fixture is used). Disable it with ``pytest -p no:zahnrad``.

Example (what ``zahnrad plugin new`` writes into ``tests/test_conformance.py``)::

    from pathlib import Path

    RECORDINGS = Path(__file__).parent / "recordings"

    def test_conformance(zahnrad_conformance):
        zahnrad_conformance("toywiki", RECORDINGS).assert_ok()

    def test_facts(zahnrad_replay):
        facts = zahnrad_replay("toywiki", RECORDINGS)["toywiki"]
        assert facts.facts["edit.anonymous"].value is True

Helpers for tests that make their own recordings from ``responses`` fixtures (plain functions,
``from zahnrad.testing import record_probe, ...``):

- :func:`strategy_for`, :func:`strategy_toml`: vendors as a strategy (object, file text);
- :func:`record_probe`: record them with ``zahnrad probe --record`` against mocked HTTP;
- :func:`update_recordings`, :func:`recorded_exchanges`: keep the committed recordings current;
- :func:`assert_no_secrets`: no credential in a recording;
- :func:`replay_vendor`, :func:`fact_values`: a replay gives the facts of the live run;
- :func:`fact_state`, :func:`assert_facts`, :func:`assert_evidence`: a run's facts;
- :func:`assert_declarations_documented`: what a platform declares.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

UPDATE_ENV = "ZAHNRAD_UPDATE_RECORDINGS"


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


# -- helpers for tests that record their own fixtures ---------------------------------------------
@contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """Set ``env`` in ``os.environ`` for the block, then restore what was there (or nothing)."""
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def strategy_for(vendors: Iterable[Any]) -> Any:
    """A strategy holding nothing but ``vendors`` (no goals, criteria or weights): enough for
    :func:`record_probe` and :func:`zahnrad.runner.probe_strategy`, which only probe."""
    from zahnrad.strategy import Strategy

    return Strategy(path=None, organisation="T", employees=None, goal_weights={},
                    goal_priorities={}, consistency_ratio=None, unknown_policy="neutral",
                    must_have={}, criteria_weights={}, criteria_file=None, vendors=list(vendors))


def strategy_toml(vendors: Iterable[Any]) -> str:
    """The text of a strategy file holding ``vendors`` (equal goal weights, nothing else): what
    ``zahnrad probe`` needs to probe or record them. Strings are written as JSON strings, which
    TOML reads alike; options hold strings, numbers and booleans."""
    from zahnrad.strategy import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, GOALS

    def table(d: Mapping[str, Any]) -> str:
        return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in d.items()) + " }"

    lines = ["[organisation]", 'name = "zahnrad test recordings"', "[goals]",
             *(f"{g} = 3" for g in GOALS)]
    for v in vendors:
        lines += ["", "[[vendors]]", f"name = {json.dumps(v.name)}",
                  f"platform = {json.dumps(v.platform)}"]
        lines += [f"url = {json.dumps(v.url)}"] if v.url else []
        lines += [f"credentials = {table(v.credentials)}"] if v.credentials else []
        lines += [f"timeout = {v.timeout}"] if v.timeout != DEFAULT_TIMEOUT else []
        lines += [f"deadline = {v.deadline}"] if v.deadline != DEFAULT_DEADLINE else []
        lines += [f"options = {table(v.options)}"] if v.options else []
    return "\n".join(lines) + "\n"


def record_probe(strategy: Any, folder: str | Path, *, routes: Callable[[Any], None],
                 env: Mapping[str, str] | None = None) -> Any:
    """Record a strategy's vendors into ``folder`` with ``zahnrad probe --record``, against
    mocked HTTP: the way recordings are made by hand, so the command must succeed.

    ``strategy``: a strategy file, a :class:`~zahnrad.strategy.Strategy` or a list of
    :class:`~zahnrad.strategy.Vendor` (written to a file with :func:`strategy_toml`).
    ``routes(rs)`` adds the answers to a ``responses.RequestsMock`` (requests it does not
    answer fail); ``env`` (credential variables) is set for the probe and restored afterwards.
    Returns the :class:`~zahnrad.facts.FactSet` of the run.
    """
    import responses

    from zahnrad.cli import main
    from zahnrad.facts import load_facts

    with tempfile.TemporaryDirectory(prefix="zahnrad-record-") as tmp:
        if not isinstance(strategy, (str, Path)):
            text = strategy_toml(getattr(strategy, "vendors", strategy))
            strategy = Path(tmp) / "strategy.toml"
            strategy.write_text(text, "utf-8")
        out = Path(tmp) / "run"
        with _environment(env or {}), \
                responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
            routes(rs)
            code = main(["probe", str(strategy), "-o", str(out), "--record", str(folder), "-q"])
        assert code == 0, f"zahnrad probe {strategy} exited with {code}"
        return load_facts(out / "facts.json")


def recorded_exchanges(folder: str | Path) -> dict[str, Any]:
    """The recordings in ``folder`` (file name -> content) without the times of the exchanges,
    which differ on every run: two recordings of the same fixtures compare equal."""
    out = {}
    for p in sorted(Path(folder).glob("*.json")):
        data = json.loads(p.read_text("utf-8"))
        for ex in data["exchanges"]:
            ex.pop("time")
        out[p.name] = data
    return out


def update_recordings(made: str | Path, committed: str | Path) -> None:
    """Copy the fresh recordings in ``made`` over the ``committed`` ones, but only when the
    environment variable ``ZAHNRAD_UPDATE_RECORDINGS`` is set (the deliberate way to accept a
    change in what a plugin asks)."""
    if os.environ.get(UPDATE_ENV):
        Path(committed).mkdir(parents=True, exist_ok=True)
        for p in Path(made).glob("*.json"):
            (Path(committed) / p.name).write_text(p.read_text("utf-8"), "utf-8")


def assert_no_secrets(where: str | Path, secrets: Iterable[str]) -> None:
    """Fail, naming the file and the secret, if a recording (``where``: one file, or a folder of
    them) contains one of ``secrets`` (credential values, user names, the real host that the
    recording replaced by {base})."""
    secrets = list(secrets)
    where = Path(where)
    for p in [where] if where.is_file() else sorted(where.glob("*.json")):
        text = p.read_text("utf-8")
        for i, secret in enumerate(secrets):  # the message names it by position, never by value
            assert secret not in text, f"{p.name} contains secret #{i + 1} of {len(secrets)}"


def replay_vendor(vendor: Any, recordings: str | Path, platform: Any = None) -> Any:
    """Probe ``vendor`` (a :class:`~zahnrad.strategy.Vendor`) from its recording in the folder
    ``recordings``, offline and without credentials in the environment; its ``VendorFacts``.

    ``platform`` defaults to the installed platform the vendor names; a vendor without a URL is
    replayed at the platform's default URL. Fails when the folder holds no recording of it."""
    from zahnrad.catalog import load_catalog
    from zahnrad.recording import Replayer
    from zahnrad.registry import registry
    from zahnrad.runner import probe_vendor

    platform = platform or registry()[vendor.platform]
    replayer = Replayer(Path(recordings))
    assert replayer.load(vendor.name, vendor.url or platform.default_url or ""), \
        f"no recording of {vendor.name!r} in {recordings}"
    with replayer.active():
        return probe_vendor(vendor, platform, load_catalog(), replay=True, environ={})


def assert_declarations_documented(platform: str) -> None:
    """Every fact the installed ``platform`` declares is a catalog fact of the right type (or an
    ``x-PLATFORM.`` fact), with an https documentation URL and a note, and is not also among
    the facts its probe observes (a fact is observed or declared, not both)."""
    from zahnrad.catalog import load_catalog, type_ok
    from zahnrad.registry import registry

    facts = load_catalog().facts
    plat = registry()[platform]
    for d in plat.declared:
        if not d.fact.startswith(f"x-{plat.name}."):  # platform-specific: not in the catalog
            assert d.fact in facts, d.fact
            assert type_ok(facts[d.fact].type, d.value), d
        assert d.url.startswith("https://"), d
        assert d.note.strip(), d
    assert not set(plat.facts) & {d.fact for d in plat.declared}


def assert_facts(vf: Any, expected: Mapping[str, Any]) -> None:
    """Every fact in ``expected`` is known (observed or declared) with that value; the failure
    lists each one that is not, with what was found instead (the reason, for an unknown one)."""
    got = {n: f.value for n, f in vf.facts.items() if f.source != "unknown"}
    wrong = {k: (got.get(k, "unknown: " + (vf.facts[k].reason or "") if k in vf.facts else
                 "missing"), v) for k, v in expected.items() if got.get(k, ...) != v}
    assert not wrong, wrong


def assert_evidence(vf: Any) -> None:
    """Every observed fact carries the request that showed it: URL, method, status, time, path
    and the excerpt read (a live run's counterpart of the kit's ``evidence`` check)."""
    for f in vf.facts.values():
        if f.source == "observed":
            ev = f.evidence
            assert ev.url and ev.method and ev.status and ev.time and ev.path, f
            assert ev.excerpt is not None, f


def fact_state(vf: Any, fact: str) -> tuple[str, Any, str | None]:
    """One fact as (source, value, reason): ``("observed", 5, None)``, ``("unknown", None,
    "HTTP 403 from …")``; a single comparison checks all three."""
    f = vf.facts[fact]
    return (f.source, f.value, f.reason)


def fact_values(vf: Any) -> dict[str, tuple[str, Any]]:
    """Fact name -> (source, value): what a replay must reproduce of a live run (evidence
    times and URLs differ)."""
    return {n: (f.source, f.value) for n, f in vf.facts.items()}
