"""How fast this machine is right now: a fixed CPU-bound loop, timed the same way in every run.

Figures from runs on different days (or twenty minutes apart) on a shared virtual machine are not
comparable by themselves: the same code took 3.6 ms of CPU per request in one run and 5 ms in the
next (BENCHMARKS.md). Every benchmark therefore times this loop in the same run, before and after its
measurements, so a result can be read as "N requests a second on a machine that ran the loop in M ms".

The loop is what a request asks of the interpreter, without I/O: building dicts and lists, formatting
and joining strings, calling small functions, sorting, and encoding JSON (C code). It is timed

* on one process (``single``): the speed one gunicorn worker sees;
* on one process per CPU at once (``all``): when this is much slower than ``single``, the CPUs share
  something (hyperthreads of one core, a busy host), and a saturated benchmark runs at that speed.

``index`` is :data:`REFERENCE_MS` divided by the single-process median: 1.0 is as fast as the
benchmark machine on a quiet morning when the loop was introduced, 0.5 half as fast.

    python -m bench.calibrate [--rounds 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# The single-process median on the 2-vCPU machine of BENCHMARKS.md, quiet: three readings of 25.3 to
# 28.7 ms on 2026-11-22 at 08:40 UTC. (The same machine has run it in 15.6 ms, see BENCHMARKS.md.)
REFERENCE_MS = 26.0
ITERATIONS = 400


def _row(i: int) -> dict[str, Any]:
    return {"id": i, "title": f"Topic {i} about coping", "author": f"member_{i % 97}", "count": i * 7 % 13}


def _work() -> int:
    total = 0
    for n in range(ITERATIONS):
        rows = [_row(n * 25 + i) for i in range(25)]
        rows.sort(key=lambda row: (row["count"], -row["id"]))
        text = "".join(f"<li>{row['title']} by {row['author']}</li>" for row in rows)
        total += len(json.dumps(rows)) + len(text.replace("Topic", "topic"))
    return total


def one_loop() -> float:
    """Milliseconds of wall time for one loop (the process is alone on its CPU or it is not: that is the point)."""
    began = time.perf_counter()
    _work()
    return (time.perf_counter() - began) * 1000


def _loops(rounds: int) -> list[float]:
    one_loop()  # warm the caches
    return [one_loop() for _ in range(rounds)]


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
    }


def _steal_and_busy() -> tuple[int, int] | None:
    """Jiffies stolen by the hypervisor, and all jiffies, from /proc/stat (Linux only)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    numbers = [int(value) for value in fields]
    return (numbers[7] if len(numbers) > 7 else 0), sum(numbers)


def calibrate(rounds: int = 15) -> dict[str, Any]:
    """Single-process and all-CPU timings of the loop, with the hypervisor's steal over the same time."""
    before = _steal_and_busy()
    single = _loops(rounds)
    cpus = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(cpus) as pool:
        parallel = [t for times in pool.map(_loops, [rounds] * cpus) for t in times]
    after = _steal_and_busy()
    result: dict[str, Any] = {"single": _summary(single), "all": _summary(parallel), "cpus": cpus}
    result["index"] = round(REFERENCE_MS / result["single"]["median_ms"], 3)
    result["all_vs_single"] = round(result["all"]["median_ms"] / result["single"]["median_ms"], 3)
    if before and after and after[1] > before[1]:
        result["steal_share"] = round((after[0] - before[0]) / (after[1] - before[1]), 4)
    return result


def describe(result: dict[str, Any]) -> str:
    return (
        f"calibration loop {result['single']['median_ms']} ms on one CPU (index {result['index']}), "
        f"{result['all']['median_ms']} ms on all {result['cpus']} at once "
        f"(x{result['all_vs_single']}), steal {result.get('steal_share', '?')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = calibrate(args.rounds)
    print(json.dumps(result, indent=2) if args.json else describe(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
