"""Concurrent probing: 20 vendors, every response delayed by 100 ms.

Prints the wall time of probing all vendors concurrently (the runner's way), next to probing them
one after another and next to the lower bound: the slowest vendor's own chain of requests
(here 3 sequential requests of 100 ms each). Target: within 1.5x of the lower bound.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from faultserver import STATUS, FaultServer  # noqa: E402

from zahnrad.catalog import load_catalog  # noqa: E402
from zahnrad.platforms import Platform  # noqa: E402
from zahnrad.runner import probe_strategy, probe_vendor  # noqa: E402
from zahnrad.strategy import Strategy, Vendor  # noqa: E402

VENDORS = 20
DELAY = 0.1
CHAIN = 3  # sequential requests per vendor


def probe(ctx) -> None:
    for step in range(CHAIN):
        reply, data = ctx.get_json(f"step{step}.json")
    ctx.observe("edit.anonymous", bool(data["anonymous_edit"]), reply, "anonymous_edit")


def main() -> None:
    server = FaultServer().start()

    def delayed(r) -> None:
        time.sleep(DELAY)
        r.send_json(STATUS)

    for step in range(CHAIN):
        server.routes[f"/step{step}.json"] = delayed
    platform = Platform(name="bench", display_name="Bench", kind="other", version="0", probe=probe,
                        facts=("edit.anonymous",), plugin="bench")
    vendors = [Vendor(name=f"v{i:02d}", platform="bench", url=server.url) for i in range(VENDORS)]
    strategy = Strategy(path=None, organisation="Bench", employees=None, goal_weights={},
                        goal_priorities={}, consistency_ratio=None, unknown_policy="neutral",
                        must_have={}, criteria_weights={}, criteria_file=None, vendors=vendors)
    catalog = load_catalog()

    import zahnrad.registry as reg

    reg.registry()["bench"] = platform  # the bench platform alongside the installed ones

    t = time.perf_counter()
    facts = probe_strategy(strategy, quiet=True, catalog=catalog)
    concurrent = time.perf_counter() - t
    assert all(v.facts["edit.anonymous"].value is True for v in facts.vendors.values())

    t = time.perf_counter()
    for v in vendors:
        probe_vendor(v, platform, catalog)
    sequential = time.perf_counter() - t
    server.stop()

    bound = CHAIN * DELAY
    print(f"{VENDORS} vendors, {CHAIN} sequential requests each, {DELAY * 1000:.0f} ms per response")
    print(f"lower bound (slowest vendor's chain) {bound:6.2f} s")
    print(f"concurrent (zahnrad probe)           {concurrent:6.2f} s  "
          f"({concurrent / bound:.2f}x the bound; target <= 1.5x)")
    print(f"one after another                    {sequential:6.2f} s  "
          f"({sequential / concurrent:.1f}x slower than concurrent)")


if __name__ == "__main__":
    main()
