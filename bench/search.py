"""Search benchmark on PostgreSQL at a million posts.

    uv run python bench/search.py [--reuse-data] [--runs 300]

1. Unless ``--reuse-data``: (re)creates the database named by ``--database-url``
   (only if its name contains "bench"), migrates and runs ``manage.py
   bench_data`` for 10,000 members, 100,000 topics and 1,000,000 posts (each
   post a template plus a few words of a long-tailed vocabulary, so there are
   common, rare and absent words).
2. ``GET /api/v1/search/`` end to end in-process (URL routing, authentication,
   validation, the queries, DRF's JSON rendering; no sockets), anonymous and
   signed in, for an absent word, a rare word (about 100 posts), a common word
   (a third of all posts), a three-word phrase and a prefix being typed.
   Cases are interleaved, ``--runs`` each after a warm-up; query counts kept.
3. The floor, in the same run: the bare GIN lookup of the same words
   (``SELECT post_id … WHERE vector @@ query LIMIT 25``), no ranking, no
   visibility, no snippets — what any search costs at least.
4. ``EXPLAIN (ANALYZE, BUFFERS)`` of each case's candidate query.
5. What the index adds to creating a post: ``create_reply`` through the
   service (screening, limits, the post, its counters, the index), and the
   indexing step alone on the same posts.

Production settings (DEBUG off), PostgreSQL's default configuration.
Results go to ``bench/results/search-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.digests import recreate_database  # noqa: E402

ROUND = 30
ATTEMPTS = 5


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--replies", type=int, default=200, help="posts created to time the index's cost")
    parser.add_argument("--reuse-data", action="store_true")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/support_circle_bench_search")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=args.database_url,
        SMTP_URL="smtp://127.0.0.1:2599",
        SITE_URL="https://support-circle.example.org",
        LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="false",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    os.environ.pop("REDIS_URL", None)  # in-process: the cache (throttle, sessions) is local memory
    import django

    django.setup()


def generate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command(
        "bench_data",
        members=10_000,
        topics=100_000,
        posts_per_topic=10,
        hot_board="coping-tips",
        hot_share=0.6,
    )
    return time.perf_counter() - started


def forget_earlier_writers() -> int:
    """With --reuse-data: take out the replies an earlier run's indexing step added, and their writers,
    so every run searches what bench_data wrote. Returns how many posts went."""
    from accounts.models import User
    from community.models import Post
    from community.services import recount_topic

    writers = User.objects.filter(username__startswith="bench_writer_")
    topics = set(Post.objects.filter(author__in=writers).values_list("topic_id", flat=True))
    deleted, _ = Post.objects.filter(author__in=writers).delete()
    writers.delete()
    for topic_id in topics:
        recount_topic(topic_id=topic_id)
    return deleted


def pick_words() -> dict[str, str]:
    """The cases, by what the data holds: a word in about 100 posts, one in about a third of them."""
    from django.db import connection

    from community.management.commands.bench_data import VOCABULARY_SIZE, vocabulary_word

    def documents(word: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM community_searchentry WHERE vector @@ plainto_tsquery('support_circle', %s)",
                [word],
            )
            return int(cursor.fetchone()[0])

    rare = min(
        (vocabulary_word(rank) for rank in range(2000, VOCABULARY_SIZE, 997)), key=lambda w: abs(documents(w) - 100)
    )
    return {
        "absent": "zyzzogeton",
        "rare": rare,
        "common": "doctor",
        "phrase": '"warm compress for"',
        "prefix": "eyeli",
    }


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": round(ordered[-1], 2)}


def time_searches(words: dict[str, str], runs: int, database_url: str) -> dict[str, Any]:
    """Every case ``runs`` times, interleaved, in rounds of :data:`ROUND` runs. A round during which other
    processes took more than a quarter of a CPU, or PostgreSQL checkpointed, is measured again (at most
    :data:`ATTEMPTS` times), as ``bench/run.py`` does: on two shared CPUs a neighbour's burst is not the
    code's latency. The rounds measured again are counted in the results."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.settings import api_settings

    from accounts.models import User
    from bench.run import CpuWatch

    anonymous = Client()
    member = Client()
    reader = User.objects.filter(username__startswith="bench_").order_by("pk").first()
    assert reader is not None, "no bench_ members: run without --reuse-data"
    member.force_login(reader)
    clients = {"anonymous": anonymous, "member": member}
    facts: dict[str, dict[str, Any]] = {}

    def one(viewer: str, case: str, into: dict[str, list[float]]) -> None:
        started = time.perf_counter()
        response = clients[viewer].get("/api/v1/search/", {"q": words[case]}, secure=True)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        into.setdefault(f"{case} / {viewer}", []).append(elapsed)

    def count(viewer: str, case: str) -> None:
        """Queries and results of one request, outside the timings: logging queries costs time itself."""
        connection.queries_log.clear()  # a full log (9,000 entries) would make the count below 0
        with CaptureQueriesContext(connection) as queries:
            response = clients[viewer].get("/api/v1/search/", {"q": words[case]}, secure=True)
        results = len(response.json()["results"])
        facts[f"{case} / {viewer}"] = {"q": words[case], "results": results, "queries": len(queries)}

    def round_of(count: int) -> dict[str, list[float]]:
        samples: dict[str, list[float]] = {}
        for _ in range(count):
            for viewer in clients:
                for case in words:
                    one(viewer, case, samples)
        return samples

    # The throttle stays on (its cache reads and writes are part of a search) but at a rate no round reaches;
    # clearing the cache instead would also drop the member's cached session, which production keeps in Redis.
    api_settings.DEFAULT_THROTTLE_RATES["search"] = "1000000/min"  # type: ignore[assignment]
    cache.clear()
    round_of(10)  # warm-up
    for viewer in clients:
        for case in words:
            count(viewer, case)
    kept, disturbed = undisturbed_rounds(round_of, runs, CpuWatch(None, database_url))
    return {
        "rounds_measured_again": len(disturbed),
        "disturbances": disturbed,
        **{key: {**facts[key], **percentiles(values)} for key, values in kept.items()},
    }


def undisturbed_rounds(
    round_of: Callable[[int], dict[str, list[float]]], runs: int, watch: Any
) -> tuple[dict[str, list[float]], list[dict[str, float]]]:
    """``runs`` samples per case in rounds of :data:`ROUND`, each round measured again (at most
    :data:`ATTEMPTS` times) while other processes took over a quarter of a CPU or PostgreSQL checkpointed."""
    kept: dict[str, list[float]] = {}
    disturbed: list[dict[str, float]] = []
    for start in range(0, runs, ROUND):
        for attempt in range(ATTEMPTS):
            watch.start()
            samples = round_of(min(ROUND, runs - start))
            cpu = watch.stop()
            if cpu and (cpu["others_cpus"] > 0.25 or cpu.get("pg_checkpoints", 0)) and attempt + 1 < ATTEMPTS:
                disturbed.append(cpu)
                continue
            for key, values in samples.items():
                kept.setdefault(key, []).extend(values)
            break
    return kept, disturbed


def time_floor(words: dict[str, str], runs: int) -> dict[str, Any]:
    from django.db import connection

    def floor_query(q: str) -> tuple[str, str]:
        if q.startswith('"'):
            return "phraseto_tsquery('support_circle', %s)", q.strip('"')
        if q == "eyeli":
            return "to_tsquery('support_circle_prefix', %s)", "'eyeli':*"
        return "plainto_tsquery('support_circle', %s)", q

    result = {}
    for case, q in words.items():
        function, word = floor_query(q)
        sql = f"SELECT post_id FROM community_searchentry WHERE vector @@ {function} LIMIT 25"  # noqa: S608
        times = []
        for i in range(runs + 10):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, [word])
                cursor.fetchall()
            if i >= 10:
                times.append((time.perf_counter() - started) * 1000)
        result[case] = percentiles(times)
    return result


def explain(words: dict[str, str]) -> dict[str, str]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plans = {}
    for case, q in words.items():
        cache.clear()  # the search throttle
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            Client().get("/api/v1/search/", {"q": q}, secure=True)
        sql = queries.captured_queries[0]["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans[case] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


def time_indexing(replies: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from accounts.consent import CURRENT_VERSIONS
    from accounts.models import ConsentRecord, Role, User
    from community import services
    from community.models import Topic
    from community.search import index as search_index

    name = f"bench_writer_{secrets.token_hex(3)}"
    writer = User.objects.create_user(username=name, email=f"{name}@bench.invalid", role=Role.MODERATOR)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(user=writer, kind=kind, version=version, given_at=timezone.now())
        for kind, version in CURRENT_VERSIONS.items()
    )
    topic = Topic.objects.filter(status="published", is_locked=False, board__is_archived=False).order_by("-pk").first()
    assert topic is not None

    def timed(work: Callable[[], Any]) -> tuple[float, Any]:
        started = time.perf_counter()
        with transaction.atomic():
            value = work()
        return (time.perf_counter() - started) * 1000, value

    creates, indexes = [], []
    for n in range(replies):
        # None of the searched words: a later run on the same data searches what bench_data wrote.
        body = f"Reply {n}: sunglasses outside helped today. Day {secrets.token_hex(4)}."
        ms, (post, _) = timed(partial(services.create_reply, actor=writer, topic=topic, body=body))
        creates.append(ms)
        ms, _ = timed(partial(search_index.index_post, post, topic))
        indexes.append(ms)
    create, index = statistics.median(creates), statistics.median(indexes)
    return {
        "create_reply_ms": percentiles(creates),
        "index_step_ms": percentiles(indexes),
        "index_share_of_create": round(index / create, 3),
        "index_added_to_create_without_it": round(index / (create - index), 3),
    }


def main() -> None:
    args = parse()
    setup_django(args)
    generated = None
    if not args.reuse_data:
        recreate_database(args.database_url)
        generated = round(generate(), 1)
    else:
        forget_earlier_writers()
    from django.db import connection

    from community.models import Post, SearchEntry

    words = pick_words()
    data = {
        "posts": Post.objects.count(),
        "search_entries": SearchEntry.objects.count(),
        "generated_s": generated,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('community_searchentry')),"
            " pg_size_pretty(pg_relation_size('search_entry_words')), current_setting('server_version')"
        )
        data["table_size"], data["gin_size"], data["postgresql"] = cursor.fetchone()
        for case in ("rare", "common"):
            cursor.execute(
                "SELECT count(*) FROM community_searchentry WHERE vector @@ plainto_tsquery('support_circle', %s)",
                [words[case]],
            )
            data[f"{case}_matches"] = cursor.fetchone()[0]
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "data": data,
        "words": words,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"search-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    stages: dict[str, Callable[[], Any]] = {
        "search": partial(time_searches, words, args.runs, args.database_url),
        "floor": partial(time_floor, words, args.runs),
        "plans": partial(explain, words),
        "indexing": partial(time_indexing, args.replies),
    }
    for name, stage in stages.items():
        result[name] = stage()
        path.write_text(json.dumps(result, indent=2))  # what was measured survives a later stage failing
    print(json.dumps({k: v for k, v in result.items() if k != "plans"}, indent=2))
    for case, plan in result["plans"].items():
        print(f"\n--- {case}\n{plan}")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
