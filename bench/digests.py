"""Digest benchmark: 100,000 members on PostgreSQL, one Celery worker, a local SMTP sink.

    uv run python bench/digests.py --members 100000

1. (Re)creates the database named by ``--database-url`` (only if its name
   contains "bench"), migrates, and bulk-inserts members with weekly digests
   in a few time zones, plus a week of topics and replies so that digests
   have something to say.
2. Times the selection (``due_members``) in SQL, median of several runs.
3. Counts the queries one batch of 100 takes (content and delivery).
4. Starts the SMTP sink and one Celery worker (``--concurrency`` processes), then ``--runs`` times:
   forgets the period's deliveries, enqueues it as the beat tick does, and waits until every
   member's delivery row is resolved: wall time, emails per second, CPU per email (the worker's
   processes, the sink, the rest of the machine: mostly PostgreSQL) and a progress curve. The sink
   checks what it receives (``bench/smtp_sink.py``); the median run is reported.
5. The machine's speed (``bench/calibrate.py``) before and after.

All traffic stays on 127.0.0.1; every wait is bounded. Results go to
``bench/results/digests-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/digests.py`` too
    sys.path.insert(0, str(ROOT))

from bench.calibrate import calibrate, describe  # noqa: E402 -- after the path is set

RESULTS = ROOT / "bench" / "results"
ZONES = ["UTC", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=400, help="topics created in the week before the digest")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/support_circle_bench_digests")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--smtp-port", type=int, default=2526)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes in the one Celery worker")
    parser.add_argument("--timeout", type=int, default=900, help="give up waiting after this many seconds")
    parser.add_argument("--reuse-data", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="deliveries of the whole period, one after another")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    # Production settings (DEBUG off), as a real worker runs; the secret is for this run only.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        SMTP_URL=f"smtp://127.0.0.1:{args.smtp_port}",
        SITE_URL="https://support-circle.example.org",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to recreate {name!r}: the name must contain 'bench'")
    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def generate(members: int, topics: int) -> dict[str, float]:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.consent import CURRENT_VERSIONS
    from accounts.models import ConsentRecord, Profile, User, new_unsubscribe_token
    from community.models import Post, Topic
    from community.rendering import RENDER_VERSION, body_digest, render_markdown
    from community.services import ensure_demo_boards

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ensure_demo_boards()
    from community.models import Board

    boards = list(Board.objects.all())
    now = timezone.now()
    joined = now - timedelta(days=60)
    batch = 5000
    for start in range(0, members, batch):
        users = [
            User(
                username=f"reader_{i:06d}",
                email=f"reader_{i:06d}@example.org",
                password="!",  # noqa: S106 -- an unusable hash: these members never log in
                date_joined=joined,
                trust_level="member",
            )
            for i in range(start, min(members, start + batch))
        ]
        User.objects.bulk_create(users, batch_size=batch)
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(user_ids), batch):
        # The signup consents: without health-data consent in force no digest is due.
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(user_id=user_id, kind=kind, version=version, given_at=joined)
                for user_id in user_ids[start : start + batch]
                for kind, version in CURRENT_VERSIONS.items()
            ],
            batch_size=batch,
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user_id=user_id,
                    digest_frequency="weekly",
                    digest_hour=8,
                    timezone=ZONES[index % len(ZONES)],
                    digest_discreet=index % 4 == 0,
                    unsubscribe_token=new_unsubscribe_token(),
                )
                for index, user_id in enumerate(user_ids[start : start + batch], start=start)
            ],
            batch_size=batch,
        )
    seeded = time.perf_counter()

    body = "Ten minutes with a **warm compress** before bed helps my eyelids settle. Talk to your doctor first."
    html, digest = render_markdown(body), body_digest(body)
    authors = user_ids[:topics]
    created = Topic.objects.bulk_create(
        [
            Topic(
                board=boards[i % len(boards)],
                author_id=authors[i],
                author_name=f"reader_{i:06d}",
                title=f"What helped me this week, number {i}",
                kind="tip" if i % 3 == 0 else "experience",
                outcome_tried=10 + i % 7,
                outcome_helped=5 + i % 5,
                wilson_score=0.2 + (i % 50) / 100,
                reply_count=1,
            )
            for i in range(topics)
        ]
    )
    Topic.objects.filter(pk__in=[t.pk for t in created]).update(
        created_at=now - timedelta(days=2), last_activity_at=now - timedelta(days=1)
    )
    posts = [
        Post(
            topic=t,
            author_id=t.author_id,
            author_name=t.author_name,
            is_first=True,
            body=body,
            body_html=html,
            render_version=RENDER_VERSION,
            body_digest=digest,
        )
        for t in created
    ] + [
        Post(
            topic=t,
            author_id=user_ids[-(i + 1)],
            author_name="reply",
            body="Same here, thank you.",
            body_html="<p>Same here, thank you.</p>",
            render_version=RENDER_VERSION,
            body_digest="x",
        )
        for i, t in enumerate(created)
    ]
    Post.objects.bulk_create(posts, batch_size=2000)
    Post.objects.update(created_at=now - timedelta(days=1))
    return {"members_seconds": seeded - started, "content_seconds": time.perf_counter() - seeded}


def time_selection(runs: int = 7) -> dict[str, float]:
    from django.utils import timezone

    from community import digests

    now = timezone.now()
    timings, due = [], {}
    for _ in range(runs):
        started = time.perf_counter()
        due = digests.due_members(now, frequency="weekly", force=True)
        timings.append(time.perf_counter() - started)
    return {
        "median_seconds": statistics.median(timings),
        "max_seconds": max(timings),
        "runs": runs,
        "members_selected": sum(len(ids) for ids in due.values()),
        "periods": len(due),
    }


def count_batch_queries() -> dict[str, int]:
    """Queries for one batch of 100, content and delivery, against a throwaway period (mail kept in memory)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from accounts.models import Profile, User
    from community import digests
    from community.models import DigestDelivery

    ids = list(User.objects.order_by("pk").values_list("pk", flat=True)[1000:1100])
    now = timezone.now()
    with CaptureQueriesContext(connection) as content:
        digests.build_contents(ids, "weekly:query-count", now)
    with (
        override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}),
        CaptureQueriesContext(connection) as whole,
    ):
        result = digests.deliver_batch(ids, "weekly:query-count", now=now)
    DigestDelivery.objects.filter(period="weekly:query-count").delete()
    Profile.objects.filter(user_id__in=ids).update(last_digest_at=None)
    return {"content_queries": len(content), "batch_queries": len(whole), "sent_in_batch": len(result.sent)}


def _jiffies(pids: list[int]) -> float:
    """CPU (user + system, in clock ticks) the processes used so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


def _machine_jiffies() -> tuple[int, int]:
    numbers = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = numbers[3] + numbers[4]
    return sum(numbers) - idle, sum(numbers)


def _sink_report(count_file: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(count_file.read_text()))
    except (OSError, ValueError):
        return {"messages": 0}


def reset_period() -> None:
    """Back to "nobody has had this week's digest", so the next run sends all of them again; then
    ``VACUUM ANALYZE``, so each run starts with the planner statistics autovacuum would keep (fresh
    bulk inserts left PostgreSQL estimating 2 consent rows for 100,000 and choosing a plan that
    read them all for every batch) and without the last run's dead rows."""
    from django.db import connection

    from accounts.models import Profile
    from community.models import DigestDelivery

    DigestDelivery.objects.all().delete()
    Profile.objects.update(last_digest_at=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def deliver_once(args: argparse.Namespace, members: int, worker: subprocess.Popen, count_file: Path) -> dict[str, Any]:
    """Enqueue the period as the beat tick does and wait until every member's row is resolved."""
    from django.db import connection
    from django.db.models import Count

    from community.models import DigestDelivery
    from community.tasks import enqueue_digests

    reset_period()
    connection.close()
    received_before = int(_sink_report(count_file).get("messages", 0))
    worker_pids = [worker.pid, *_children(worker.pid)]
    sink_pids = [int(pid) for pid in args.sink_pids]
    clock = os.sysconf("SC_CLK_TCK")
    cpu_before = {"worker": _jiffies(worker_pids), "sink": _jiffies(sink_pids)}
    machine_before = _machine_jiffies()
    started = time.perf_counter()
    enqueue_digests.delay(frequency="weekly", force=True)
    curve = []
    done = 0
    while time.perf_counter() - started < args.timeout:
        time.sleep(1)
        counts = dict(DigestDelivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        done = counts.get("sent", 0) + counts.get("skipped", 0) + counts.get("failed", 0)
        curve.append({"seconds": round(time.perf_counter() - started, 1), "resolved": done, **counts})
        if done >= members:
            break
    elapsed = time.perf_counter() - started
    connection.close()
    worker_pids = [worker.pid, *_children(worker.pid)]
    cpu = {
        "worker": _jiffies(worker_pids) - cpu_before["worker"],
        "sink": _jiffies(sink_pids) - cpu_before["sink"],
    }
    machine_after = _machine_jiffies()
    # The rest of the machine: PostgreSQL's backends (which come and go with the worker's connections),
    # Redis, this script's polling, and anything else running.
    cpu["rest"] = machine_after[0] - machine_before[0] - cpu["worker"] - cpu["sink"]
    time.sleep(1.5)  # the sink writes its report every second
    sink = _sink_report(count_file)
    counts = dict(DigestDelivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    sent = counts.get("sent", 0)
    cpus = os.cpu_count() or 1
    return {
        "wall_seconds": round(elapsed, 1),
        "resolved": done,
        "statuses": counts,
        "smtp_received": int(sink.get("messages", 0)) - received_before,
        "sink": sink,
        "emails_per_second": round(sent / elapsed, 1) if elapsed else 0,
        "cpu_ms_per_email": {
            name: round(jiffies / clock * 1000 / sent, 3) if sent else None for name, jiffies in cpu.items()
        }
        | {
            "machine": round((machine_after[0] - machine_before[0]) / clock * 1000 / sent, 3) if sent else None,
        },
        "cpus_busy": round(
            (machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1]) * cpus, 2
        ),
        "curve": curve[:: max(1, len(curve) // 40)],
    }


def run_worker(args: argparse.Namespace, members: int) -> list[dict[str, Any]]:
    """The SMTP sink and one Celery worker, started once; ``--runs`` deliveries of the whole period."""
    count_file = RESULTS / "smtp-count.json"
    count_file.unlink(missing_ok=True)
    env = {**os.environ}
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(args.smtp_port), str(count_file)]
    )
    args.sink_pids = [sink.pid]
    # The benchmark has a Redis database of its own (flushed at start): the default queue is private to it.
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--pool=prefork"]
    command += [f"--concurrency={args.concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    log = (RESULTS / "digest-worker.log").open("w")
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    runs = []
    try:
        time.sleep(6)  # the worker connects and forks
        for number in range(args.runs):
            run = deliver_once(args, members, worker, count_file)
            runs.append(run)
            print(f"run {number + 1}:", {k: v for k, v in run.items() if k not in ("curve", "sink")}, flush=True)
    finally:
        for process in (worker, sink):
            process.send_signal(signal.SIGTERM)
        for process in (worker, sink):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    return runs


def main() -> None:
    args = parse()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.reuse_data:
        recreate_database(args.database_url)
    setup_django(args)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    results: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "members": args.members,
        "concurrency": args.concurrency,
    }
    if not args.reuse_data:
        results["generation"] = generate(args.members, args.topics)
        print("generated", results["generation"], flush=True)
    reset_period()  # a reused data set starts from "never had a digest"
    due = time_selection(runs=1)["members_selected"]
    if due != args.members:
        raise SystemExit(f"{due} of {args.members} members are due: the data does not match --members")
    before = calibrate()
    results["calibration_before"] = before
    print(describe(before), flush=True)
    results["selection"] = time_selection()
    print("selection", results["selection"], flush=True)
    results["queries"] = count_batch_queries()
    print("queries", results["queries"], flush=True)
    runs = run_worker(args, args.members)
    results["runs"] = runs
    after = calibrate()
    results["calibration_after"] = after
    print(describe(after), flush=True)
    walls = [float(run["wall_seconds"]) for run in runs]
    middle = sorted(runs, key=lambda run: float(run["wall_seconds"]))[len(runs) // 2]
    results["median"] = {
        "wall_seconds": statistics.median(walls),
        "walls": walls,
        "emails_per_second": middle["emails_per_second"],
        "cpu_ms_per_email": middle["cpu_ms_per_email"],
    }
    print("median", results["median"], flush=True)
    out = RESULTS / f"digests-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print("wrote", out)


if __name__ == "__main__":
    main()
