"""Start-up time of `zahnrad --help` next to `python -c pass`.

Procurement teams run zahnrad in scripts; a CLI that imports pandas just to print help wastes
seconds on every call. Prints the median of several runs of each and their ratio.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def median_seconds(cmd: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    base = median_seconds([sys.executable, "-c", "pass"])
    cli = median_seconds([sys.executable, "-m", "zahnrad", "--help"])
    heavy = median_seconds([sys.executable, "-c", "import pandas, openpyxl, jinja2"])
    print(f"python -c pass          {base * 1000:7.1f} ms")
    print(f"zahnrad --help          {cli * 1000:7.1f} ms  ({cli / base:.1f}x python -c pass)")
    print(f"import pandas+openpyxl+jinja2 {heavy * 1000:7.1f} ms  (what --help avoids)")


if __name__ == "__main__":
    main()
