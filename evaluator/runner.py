"""The probe runner: every vendor of a strategy, concurrently, each within its own deadline.

Each vendor gets its own thread and ``requests.Session``. A vendor that fails, hangs or
misbehaves never stops the others: whatever it could not establish is unknown with the reason,
and the summary names the incomplete vendors. A probe that overruns its deadline is abandoned and
its context closed, so late answers cannot change the facts after the fact.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .catalog import Catalog, load_catalog, type_ok
from .facts import Fact, FactSet, VendorFacts
from .http import ProbeError, make_session
from .platforms import Platform
from .probe import ProbeContext
from .strategy import Strategy, Vendor

DEADLINE_MARGIN = 1.0


def fact_validator(catalog: Catalog) -> Callable[[str, Any], str | None]:
    """Reject facts outside the catalog (except ``x-VENDOR.`` facts) or of the wrong type."""

    def validate(name: str, value: Any) -> str | None:
        if name.startswith("x-"):
            return None
        fd = catalog.facts.get(name)
        if fd is None:
            return f"fact {name!r} is not in the fact catalog (rejected)"
        if value is not None and not type_ok(fd.type, value):
            return f"fact {name!r} must be a {fd.type}, got {type(value).__name__} {value!r:.60} (rejected)"
        return None

    return validate


#: What a plugin raises when an answer is not shaped as it expects (a list for an object, a
#: missing key, a string where it wanted a number).
SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def _plugin_failure(platform: Platform, ctx: ProbeContext, exc: Exception) -> str:
    """The reason for facts a plugin left open by raising: the answer's shape, or its own bug."""
    from .redact import scrub_text

    detail = scrub_text(f"{type(exc).__name__}: {exc}", ctx.secrets)[:300]
    if isinstance(exc, SHAPE_ERRORS) and ctx.last_url:
        return (f"the answer from {ctx.last_url} did not have the shape plugin "
                f"{platform.plugin} expects ({detail})")
    return f"plugin {platform.plugin} failed: {detail}"


def probe_vendor(
    vendor: Vendor,
    platform: Platform,
    catalog: Catalog,
    *,
    recorder: Any = None,
    replay: bool = False,
    environ: dict[str, str] | None = None,
) -> VendorFacts:
    """Probe one vendor and return its facts; never raises for platform misbehaviour."""
    started = time.monotonic()
    deadline_at = started + vendor.deadline
    session = make_session(vendor.ca_bundle, retry_after_cap=min(5.0, vendor.deadline / 4),
                           deadline_at=deadline_at)
    ctx_holder: dict[str, ProbeContext] = {}

    def secrets() -> tuple[str, ...]:
        return ctx_holder["ctx"].secrets if "ctx" in ctx_holder else ()

    hook = None
    if recorder is not None:
        # Which credentials were set: a replay (``zahnrad plugin check``) takes the same path.
        env = os.environ if environ is None else environ
        used = tuple(k for k, var in vendor.credentials.items() if env.get(var))
        hook = recorder.exchange_hook(vendor.name, platform.name, secrets, credentials=used)
    ctx = ProbeContext(vendor, platform, session, deadline_at=deadline_at,
                       validate=fact_validator(catalog), on_exchange=hook, replay=replay,
                       environ=environ)
    ctx_holder["ctx"] = ctx
    vf = VendorFacts(
        name=vendor.name, platform=platform.name, url=vendor.url or platform.default_url,
        plugin={"name": platform.plugin, "version": platform.version,
                "distribution": platform.distribution},
    )
    for d in platform.declared:
        ctx.declare(d.fact, d.value, d.url, d.note)
    failure: list[str] = []

    def run() -> None:
        from .recording import set_current_vendor

        set_current_vendor(vendor.name)
        try:
            if platform.needs_url and not ctx.base_url:
                raise ProbeError("no url given for this vendor")
            if platform.probe is not None:
                platform.probe(ctx)
        except ProbeError as exc:
            failure.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - a plugin bug must not stop the run
            failure.append(_plugin_failure(platform, ctx, exc))

    worker = threading.Thread(target=run, name=f"probe-{vendor.name}", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline_at - time.monotonic()) + DEADLINE_MARGIN)
    with ctx._lock:
        ctx.closed = True
        timed_out = worker.is_alive()
        facts = dict(ctx.facts)
        problems = list(ctx.problems)
        errors = list(dict.fromkeys(ctx.errors))
    session.close()
    if timed_out:
        failure.append(f"deadline of {vendor.deadline:g} s reached")
    reason = failure[0] if failure else "not established by the plugin"
    for name in platform.all_facts():
        if name not in facts:
            facts[name] = Fact(name, None, "unknown", reason=reason)
    vf.facts = facts
    vf.problems = problems + errors + failure
    vf.complete = not failure and not errors
    return vf


def probe_strategy(
    strategy: Strategy,
    *,
    record: Path | None = None,
    replay: Path | None = None,
    quiet: bool = False,
    only: set[str] | None = None,
    on_done: Callable[[VendorFacts], None] | None = None,
    catalog: Catalog | None = None,
) -> FactSet:
    """Probe the strategy's vendors concurrently (``only``: a subset by name)."""
    from .registry import platform_for

    catalog = catalog or load_catalog(strategy.criteria_file)
    vendors = [v for v in strategy.vendors if only is None or v.name in only]
    platforms = {v.name: platform_for(v) for v in vendors}
    recorder = replayer = None
    if record is not None:
        from .recording import Recorder

        recorder = Recorder(record)
    if replay is not None:
        from .recording import Replayer

        replayer = Replayer(replay)
        for v in vendors:
            replayer.load(v.name, (v.url or platforms[v.name].default_url or ""))

    results: dict[str, VendorFacts] = {}
    lock = threading.Lock()
    # on_done is called for one vendor at a time: `zahnrad probe` saves facts.json from it, and
    # two vendors finishing together would otherwise race, the older snapshot renamed last.
    done_lock = threading.Lock()
    started = time.monotonic()

    def one(v: Vendor) -> None:
        vf = probe_vendor(v, platforms[v.name], catalog, recorder=recorder,
                          replay=replayer is not None)
        with lock:
            results[v.name] = vf
        if on_done is not None:
            with done_lock:
                on_done(vf)

    finished: queue.SimpleQueue[str] = queue.SimpleQueue()

    def run_all(progress: Callable[[], None]) -> None:
        def worker(v: Vendor) -> None:
            try:
                one(v)
            finally:
                finished.put(v.name)

        for v in vendors:
            threading.Thread(target=worker, args=(v,), name=f"vendor-{v.name}", daemon=True).start()
        # Each vendor thread ends by itself (probe_vendor enforces the deadline); waking on every
        # finished vendor, not on a polling interval, keeps the wall time at the slowest vendor's.
        for _ in vendors:
            while True:
                try:
                    finished.get(timeout=0.25)
                    break
                except queue.Empty:
                    progress()
            progress()
        progress()

    if replayer is not None:
        with replayer.active():
            _with_progress(vendors, results, run_all, quiet)
    else:
        _with_progress(vendors, results, run_all, quiet)
    if recorder is not None:
        recorder.save()
    elapsed = time.monotonic() - started
    ordered = {v.name: results[v.name] for v in vendors}
    if not quiet:
        _summary(ordered, elapsed)
    return FactSet(vendors=ordered)


def _with_progress(vendors: list[Vendor], results: dict[str, VendorFacts],
                   run_all: Callable[[Callable[[], None]], None], quiet: bool) -> None:
    if quiet or not sys.stderr.isatty() or not vendors:
        run_all(lambda: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .textsafe import terminal

    with Progress(TextColumn("probing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=Console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task("", total=len(vendors))

        def update() -> None:
            running = [v.name for v in vendors if v.name not in results]
            bar.update(task, completed=len(results),
                       description=terminal("running: " + ", ".join(running[:4])
                                            + (" …" if len(running) > 4 else "")) if running else "")

        run_all(update)


def _summary(results: dict[str, VendorFacts], elapsed: float) -> None:
    from .textsafe import terminal

    incomplete = [v for v in results.values() if not v.complete]
    observed = sum(1 for v in results.values() for f in v.facts.values() if f.source == "observed")
    line = f"Probed {len(results)} vendor(s) in {elapsed:.1f} s: {observed} facts observed"
    if incomplete:
        line += "; incomplete: " + "; ".join(
            f"{v.name} ({v.problems[-1] if v.problems else 'unknown reason'})" for v in incomplete)
    print(terminal(line), file=sys.stderr)
    for v in results.values():
        for p in v.problems:
            if p.startswith("plugin ") and "rejected" in p:
                print(terminal(f"warning: {v.name}: {p}"), file=sys.stderr)
