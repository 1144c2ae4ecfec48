"""Session-scoped pytest fixtures that start real platform servers on 127.0.0.1.

Loaded as a plugin (tests/conftest.py: ``pytest_plugins = ["servers.fixtures"]``).
Each fixture starts its server once per session, in a directory from
``tmp_path_factory``, and stops it (by PID) at session end, also when tests fail.
A platform that is not installed makes the fixture skip, or fail when
ZAHNRAD_REQUIRE_SERVERS=1.  Every test that uses one of these fixtures gets the
``realserver`` marker.

Fixtures (each yields a ``servers.Server``):
- mediawiki_open, mediawiki_locked
- dokuwiki_open, dokuwiki_restricted, dokuwiki_api_off
- synapse_open, synapse_closed
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from . import dokuwiki, mediawiki, synapse
from .common import Server, ServerStartError, Timer

SERVER_FIXTURES = (
    "mediawiki_open",
    "mediawiki_locked",
    "dokuwiki_open",
    "dokuwiki_restricted",
    "dokuwiki_api_off",
    "synapse_open",
    "synapse_closed",
)


_PORT_TAKEN = ("Address already in use", "Failed to listen")


def _serve(name: str, start: Callable[[], tuple[Server, Callable[[], None]]]) -> Iterator[Server]:
    with Timer(name):
        for attempt in range(3):
            try:
                server, stop = start()
                break
            except ServerStartError as exc:
                # The free port was taken between choosing and binding it: try another.
                if attempt == 2 or not any(s in str(exc) for s in _PORT_TAKEN):
                    raise
    try:
        yield server
    finally:
        stop()


# --------------------------------------------------------------------------- MediaWiki


@pytest.fixture(scope="session")
def mediawiki_open(tmp_path_factory) -> Iterator[Server]:
    yield from _serve(
        "mediawiki_open", lambda: mediawiki.start("open", tmp_path_factory.mktemp("mediawiki-open"))
    )


@pytest.fixture(scope="session")
def mediawiki_locked(tmp_path_factory) -> Iterator[Server]:
    yield from _serve(
        "mediawiki_locked",
        lambda: mediawiki.start("locked", tmp_path_factory.mktemp("mediawiki-locked")),
    )


# --------------------------------------------------------------------------- DokuWiki


@pytest.fixture(scope="session")
def _dokuwiki_code(tmp_path_factory):
    """One copy of the DokuWiki code per session, shared by all DokuWiki instances."""
    with Timer("dokuwiki code copy"):
        return dokuwiki.prepare_code(tmp_path_factory.mktemp("dokuwiki-code"))


@pytest.fixture(scope="session")
def dokuwiki_open(tmp_path_factory, _dokuwiki_code) -> Iterator[Server]:
    yield from _serve(
        "dokuwiki_open",
        lambda: dokuwiki.start("open", tmp_path_factory.mktemp("dokuwiki-open"), _dokuwiki_code),
    )


@pytest.fixture(scope="session")
def dokuwiki_restricted(tmp_path_factory, _dokuwiki_code) -> Iterator[Server]:
    yield from _serve(
        "dokuwiki_restricted",
        lambda: dokuwiki.start(
            "restricted", tmp_path_factory.mktemp("dokuwiki-restricted"), _dokuwiki_code
        ),
    )


@pytest.fixture(scope="session")
def dokuwiki_api_off(tmp_path_factory, _dokuwiki_code) -> Iterator[Server]:
    yield from _serve(
        "dokuwiki_api_off",
        lambda: dokuwiki.start(
            "api-off", tmp_path_factory.mktemp("dokuwiki-api-off"), _dokuwiki_code
        ),
    )


# --------------------------------------------------------------------------- Synapse


@pytest.fixture(scope="session")
def synapse_open(tmp_path_factory) -> Iterator[Server]:
    yield from _serve(
        "synapse_open", lambda: synapse.start("open", tmp_path_factory.mktemp("synapse-open"))
    )


@pytest.fixture(scope="session")
def synapse_closed(tmp_path_factory) -> Iterator[Server]:
    yield from _serve(
        "synapse_closed", lambda: synapse.start("closed", tmp_path_factory.mktemp("synapse-closed"))
    )


# --------------------------------------------------------------------------- hooks


def pytest_collection_modifyitems(config, items):
    for item in items:
        if set(getattr(item, "fixturenames", ())) & set(SERVER_FIXTURES):
            item.add_marker(pytest.mark.realserver)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not Timer.durations:
        return
    terminalreporter.section("real-server start-up times")
    for name, secs in Timer.durations.items():
        terminalreporter.write_line(f"{name:<24} {secs:6.2f} s")
    terminalreporter.write_line(f"{'total':<24} {sum(Timer.durations.values()):6.2f} s")
