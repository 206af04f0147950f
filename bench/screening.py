"""Screening speed: a 20,000-character post, and what screening adds to an ordinary create.

    uv run python bench/screening.py [--runs 300]

Posts are assembled from the labelled corpus's ordinary and medical sentences
(so the model and every pattern do real work), with one crisis sentence in the
middle of the long post. Each figure is the distribution of ``--runs`` timed
calls after a warm-up, in milliseconds: median, p95, p99, max. The floor,
measured in the same run on the same text, is one pass of a word regular
expression over it (what any text processing costs at least), so figures from
runs on machines of different speed can be compared by their ratio to it.

Screening itself never touches the database, so no PostgreSQL is needed here;
the create request it adds to is benchmarked in BENCHMARKS.md's API runs.
Results go to ``bench/results/screening-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def distribution(call: Callable[[], object], runs: int) -> dict[str, float]:
    for _ in range(10):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - started) / 1e6)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 3),
        "p99_ms": round(samples[int(0.99 * (len(samples) - 1))], 3),
        "max_ms": round(samples[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    from moderation.classifier import default_model, load_corpus
    from moderation.screening import AuthorFacts, screen
    from moderation.textnorm import normalise

    started = time.perf_counter()
    model = default_model()
    load_seconds = time.perf_counter() - started

    rng = random.Random(20261121)
    everyday = [e.text for e in load_corpus() if e.label in ("ordinary", "medical_safe")]
    long_post = ""
    while len(long_post) < 20_000:
        long_post += rng.choice(everyday).rstrip(".") + ". "
    middle = len(long_post) // 2
    long_post = long_post[:middle] + " Some days I dont want to be alive anymore. " + long_post[middle:]
    long_post = long_post[:20_000]
    ordinary = " ".join(rng.sample(everyday, 4))[:600]

    member = AuthorFacts(trust_level="member", published_posts=40)
    now = datetime.now(UTC)
    words = re.compile(r"\w+")
    figures = {
        "floor_word_regex_20k": distribution(lambda: words.findall(long_post), args.runs),
        "normalise_20k": distribution(lambda: normalise(long_post), args.runs),
        "model_20k": distribution(lambda: model.score(long_post), args.runs),
        "screen_20k": distribution(lambda: screen(long_post, member, now=now, model=model), args.runs),
        "screen_ordinary": distribution(lambda: screen(ordinary, member, now=now, model=model), args.runs),
    }
    verdict = screen(long_post, member, now=now, model=model)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "runs": args.runs,
        "model_load_seconds": round(load_seconds, 3),
        "long_post_chars": len(long_post),
        "ordinary_post_chars": len(ordinary),
        "long_post_priority": str(verdict.queue_priority),
        "figures": figures,
        "ratio_to_floor_screen_20k": round(
            figures["screen_20k"]["median_ms"] / figures["floor_word_regex_20k"]["median_ms"], 1
        ),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"screening-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
