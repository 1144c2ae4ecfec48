"""Shared helpers for the real-server fixtures.

Servers run on 127.0.0.1 only, each in its own session (``setsid``) so that the
process and every worker it forks share one process group whose id is the PID we
keep.  They are stopped by that PID (SIGTERM, then SIGKILL), never by name.
Their stdio goes to a log file: a server that inherits the caller's stdout can make
``subprocess.run(capture_output=True)`` hang until it exits.
"""

from __future__ import annotations

import atexit
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REQUIRE_ENV = "ZAHNRAD_REQUIRE_SERVERS"

# Repository root (tests/servers/common.py -> repo).
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    platform: str  # "mediawiki" | "dokuwiki" | "matrix"
    config: str  # e.g. "open", "locked"
    url: str  # base URL, e.g. "http://127.0.0.1:41234"
    credentials: dict[str, str]  # env var NAME -> value (member account)
    cred_names: dict[str, str]  # logical key -> env var NAME
    log: Path

    def cred(self, key: str) -> str:
        """Value of a logical credential key, e.g. ``server.cred("password")``."""
        return self.credentials[self.cred_names[key]]


class ServerStartError(RuntimeError):
    """A platform is installed but could not be started or prepared."""


# --------------------------------------------------------------------------- skip / fail


def servers_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def unavailable(reason: str) -> None:
    """Skip the test for a platform that is not installed; fail under ZAHNRAD_REQUIRE_SERVERS=1."""
    reason = " ".join(reason.split())  # one line
    if servers_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- small helpers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def secret_hex(nbytes: int = 16) -> str:
    """Random lower-case hex.

    With nbytes >= 16 it also fits MediaWiki's bot password rule ^[0-9a-w]{32,}$.
    """
    return secrets.token_hex(nbytes)


def env_name(prefix: str, config: str, key: str) -> str:
    """``env_name("ZW_MW", "api-off", "user")`` -> ``"ZW_MW_API_OFF_USER"``."""
    cfg = config.upper().replace("-", "_")
    return f"{prefix}_{cfg}_{key.upper()}"


def make_credentials(prefix: str, config: str, values: Mapping[str, tuple[str, str]]):
    """values: logical key -> (env suffix, value). Returns (credentials, cred_names)."""
    credentials: dict[str, str] = {}
    cred_names: dict[str, str] = {}
    for logical, (suffix, value) in values.items():
        name = env_name(prefix, config, suffix)
        cred_names[logical] = name
        credentials[name] = value
    return credentials, cred_names


def log_tail(log: Path, lines: int = 30) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _command_line(argv: Sequence[str], redact: Iterable[str]) -> str:
    line = " ".join(map(str, argv))
    for value in redact:
        if value:
            line = line.replace(value, "***")
    return f"\n$ {line}\n"


def run_checked(
    argv: Sequence[str],
    *,
    log: Path,
    cwd: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
    what: str | None = None,
    redact: Iterable[str] = (),
) -> None:
    """Run a setup command, appending its output to ``log``; raise ServerStartError on failure.

    Values in ``redact`` (passwords on the command line) are masked in the logged command.
    """
    what = what or Path(argv[0]).name
    with open(log, "ab") as fh:
        fh.write(_command_line(argv, redact).encode())
        fh.flush()
        try:
            rc = subprocess.run(
                list(argv),
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=fh,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                start_new_session=True,
            ).returncode
        except subprocess.TimeoutExpired:
            raise ServerStartError(
                f"{what} timed out after {timeout} s; log {log}:\n{log_tail(log)}"
            ) from None
    if rc != 0:
        raise ServerStartError(f"{what} exited with {rc}; log {log}:\n{log_tail(log)}")


# --------------------------------------------------------------------------- processes

_running: dict[int, subprocess.Popen] = {}


_WATCHDOG_CODE = r"""
import os, signal, sys, time
groups = set()
for line in sys.stdin:
    line = line.strip()
    if line[:1] == "+":
        groups.add(int(line[1:]))
    elif line[:1] == "-":
        groups.discard(int(line[1:]))
# EOF: the test process is gone without stopping these servers.
def alive(g):
    try:
        os.killpg(g, 0)
        return True
    except OSError:
        return False
for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 0)):
    for g in list(groups):
        try:
            os.killpg(g, sig)
        except OSError:
            groups.discard(g)
    end = time.monotonic() + wait
    while groups and time.monotonic() < end:
        groups = {g for g in groups if alive(g)}
        time.sleep(0.1)
"""
_watchdog: subprocess.Popen | None = None


def _watch(line: str) -> None:
    """Tell the watchdog about a started (+PGID) or stopped (-PGID) server.

    The watchdog is a small process reading a pipe from this process.  If the test
    process dies without stopping its servers (e.g. SIGKILL), the pipe reaches EOF
    and the watchdog stops the remaining process groups, PHP workers included.
    """
    global _watchdog
    try:
        if _watchdog is None or _watchdog.poll() is not None:
            _watchdog = subprocess.Popen(
                [sys.executable, "-c", _WATCHDOG_CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
                text=True,
            )
        _watchdog.stdin.write(line + "\n")
        _watchdog.stdin.flush()
    except (OSError, ValueError):
        pass


def start_process(
    argv: Sequence[str],
    *,
    log: Path,
    cwd: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    redact: Iterable[str] = (),
) -> subprocess.Popen:
    """Start a server in its own session/process group with stdio to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as fh:
        fh.write(_command_line(argv, redact).encode())
        fh.flush()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    _running[proc.pid] = proc
    _watch(f"+{proc.pid}")
    return proc


def _signal_group(pid: int, sig: int) -> None:
    # The process called setsid(), so its process group id is its PID.
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _group_alive(pid: int) -> bool:
    """True while a live (non-zombie) process is left in the process group ``pid``."""
    proc_dir = Path("/proc")
    if proc_dir.is_dir():
        for entry in proc_dir.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid pgrp ...": comm may contain spaces, so split after ")".
            fields = stat[stat.rfind(")") + 2 :].split()
            if len(fields) > 2 and fields[2] == str(pid) and fields[0] not in ("Z", "X"):
                return True
        return False
    try:
        os.killpg(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started with :func:`start_process`: SIGTERM to its group, then SIGKILL."""
    pid = proc.pid
    if proc.poll() is None or _group_alive(pid):
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc.poll()
            if proc.returncode is not None and not _group_alive(pid):
                break
            time.sleep(0.05)
        else:
            _signal_group(pid, signal.SIGKILL)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    try:
        proc.wait(timeout=1)
    except subprocess.TimeoutExpired:
        pass
    _running.pop(pid, None)
    _watch(f"-{pid}")


@atexit.register
def _stop_leftovers() -> None:  # pragma: no cover - safety net only
    for proc in list(_running.values()):
        stop_process(proc, timeout=3)


@contextmanager
def stop_on_failure(proc: subprocess.Popen) -> Iterator[None]:
    """Stop a just-started server if preparing it fails (the error goes on): no server outlives
    a start function that raised."""
    try:
        yield
    except BaseException:
        stop_process(proc)
        raise


def running_server(platform: str, config: str, url: str, log: Path, proc: subprocess.Popen,
                   prefix: str, values: Mapping[str, tuple[str, str]]
                   ) -> tuple[Server, Callable[[], None]]:
    """What a start function returns: the :class:`Server`, its credentials in variables named
    ``PREFIX_CONFIG_SUFFIX`` (``values``: logical key -> (suffix, value), as for
    :func:`make_credentials`), and the function that stops it."""
    credentials, cred_names = make_credentials(prefix, config, values)
    server = Server(platform=platform, config=config, url=url, credentials=credentials,
                    cred_names=cred_names, log=log)
    return server, lambda: stop_process(proc)


def wait_until_answers(
    url: str,
    *,
    proc: subprocess.Popen,
    log: Path,
    timeout: float = 60.0,
    ok: Callable[[requests.Response], bool] | None = None,
    method: str = "GET",
    **kwargs,
) -> requests.Response:
    """Poll ``url`` until it answers (by default: any HTTP status below 500).

    Raises ServerStartError with the log tail if the process dies or time runs out.
    """
    ok = ok or (lambda r: r.status_code < 500)
    deadline = time.monotonic() + timeout
    last = "no answer"
    delay = 0.05
    while True:
        if proc.poll() is not None:
            raise ServerStartError(
                f"server exited with {proc.returncode} before {url} answered; "
                f"log {log}:\n{log_tail(log)}"
            )
        try:
            r = requests.request(method, url, timeout=5, **kwargs)
            if ok(r):
                return r
            last = f"HTTP {r.status_code}: {r.text[:200]!r}"
        except requests.RequestException as exc:
            last = f"{type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            raise ServerStartError(
                f"{url} did not answer within {timeout} s ({last}); log {log}:\n{log_tail(log)}"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


class Timer:
    """Records start-up durations, reported at the end of the session."""

    durations: dict[str, float] = {}

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.t0 = time.monotonic()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            Timer.durations[self.name] = time.monotonic() - self.t0
        return False
