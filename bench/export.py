"""Data-rights benchmark: the export, and then the erasure, of a member with 10,000 posts, on PostgreSQL.

    uv run python bench/export.py [--posts 10000] [--runs 7]

1. (Re)creates the database named by ``--database-url`` (only if its name
   contains "bench"), migrates, and bulk-inserts one long-standing member:
   ``--posts`` posts (a fifth of them opening their own topics, the rest
   replies in other members' topics), an earlier version for every fourth
   post, reactions, tip outcomes, follows, bookmarks, notifications, flags,
   digest deliveries and audit entries, among 200 other members' content.
2. Times ``GET /api/v1/me/export/`` end to end in-process (authentication,
   the service, DRF's JSON rendering), ``--runs`` times after a warm-up,
   with the query count. The floor, measured in the same run, is what any
   export costs at least: one query for the member's post bodies, encoded
   as JSON.
3. Times ``DELETE /api/v1/me/`` (``content: remove``) once, with its query
   count, and checks the counters against ``recount_topic`` afterwards.

Production settings (DEBUG off). Results go to ``bench/results/export-<time>.json``.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.digests import recreate_database  # noqa: E402

PASSWORD = "bench-export-password-1"  # noqa: S105 -- a throwaway member in a throwaway database


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/support_circle_bench_export")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=args.database_url,
        SMTP_URL="smtp://127.0.0.1:2599",
        SITE_URL="https://support-circle.example.org",
        LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="false",
    )
    os.environ.pop("REDIS_URL", None)  # tasks (the erasure email) stay in-process and are not sent
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(posts: int) -> tuple[int, dict[str, int]]:
    """The member and their history; returns the member's id and how many rows of each kind."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.consent import CURRENT_VERSIONS
    from accounts.models import ConsentRecord, Profile, User
    from audit.models import AuditEntry
    from community.erasure import recount_topics
    from community.models import (
        Board,
        BoardFollow,
        Bookmark,
        DigestDelivery,
        Notification,
        Post,
        PostRevision,
        Reaction,
        TipOutcome,
        Topic,
        TopicFollow,
    )
    from community.rendering import rendered_fields
    from community.services import ensure_demo_boards
    from moderation.models import Flag, QueueItem

    call_command("migrate", verbosity=0)
    ensure_demo_boards()
    boards = list(Board.objects.all())
    now = timezone.now()
    member = User.objects.create_user(
        username="long_standing", email="long.standing@example.org", password=PASSWORD, trust_level="trusted"
    )
    Profile.objects.create(user=member, bio="Living with blepharospasm since 2015.")
    ConsentRecord.objects.bulk_create(
        ConsentRecord(user=member, kind=kind, version=version, given_at=now)
        for kind, version in CURRENT_VERSIONS.items()
    )
    others = User.objects.bulk_create(
        # "!" is an unusable hash: these members never log in.
        User(username=f"neighbour_{i:03d}", email=f"neighbour_{i:03d}@example.org", password="!")  # noqa: S106
        for i in range(200)
    )
    fields = rendered_fields("A warm compress for ten minutes calms my eyelids. What helps you in the evening?")

    def topic(author: User, i: int, kind: str = "experience") -> Topic:
        return Topic(
            board=boards[i % len(boards)],
            author=author,
            author_name=author.username,
            title=f"Evenings with a twitch, week {i}",
            kind=kind,
            tags=["compress"],
        )

    others_topics = Topic.objects.bulk_create(
        topic(others[i % len(others)], i, "tip" if i % 5 == 0 else "experience") for i in range(1000)
    )
    Post.objects.bulk_create(
        Post(topic=t, author=t.author, author_name=t.author_name, is_first=True, **fields) for t in others_topics
    )
    own_count = posts // 5
    own_topics = Topic.objects.bulk_create(topic(member, i) for i in range(own_count))
    own_posts = [Post(topic=t, author=member, author_name=member.username, is_first=True, **fields) for t in own_topics]
    own_posts += [
        Post(
            topic=others_topics[i % len(others_topics)],
            author=member,
            author_name=member.username,
            is_first=False,
            **fields,
        )
        for i in range(posts - own_count)
    ]
    own_posts = Post.objects.bulk_create(own_posts, batch_size=2000)
    PostRevision.objects.bulk_create(
        (
            PostRevision(post=p, editor=member, editor_name=member.username, body="An earlier version.")
            for p in own_posts[::4]
        ),
        batch_size=2000,
    )
    firsts = list(Post.objects.filter(topic__in=others_topics, is_first=True))
    Reaction.objects.bulk_create(Reaction(post=p, user=member, kind="helpful") for p in firsts)
    Reaction.objects.bulk_create(
        Reaction(post=p, user=others[i % len(others)], kind="support") for i, p in enumerate(own_posts[:3000])
    )
    tips = [t for t in others_topics if t.kind == "tip"]
    TipOutcome.objects.bulk_create(TipOutcome(topic=t, user=member, helped=i % 3 != 0) for i, t in enumerate(tips))
    BoardFollow.objects.bulk_create(BoardFollow(user=member, board=b) for b in boards)
    TopicFollow.objects.bulk_create(TopicFollow(user=member, topic=t) for t in others_topics[:300])
    Bookmark.objects.bulk_create(Bookmark(user=member, topic=t) for t in others_topics[:100])
    Notification.objects.bulk_create(
        Notification(recipient=member, kind="reply", topic=t, message=f"Someone replied in “{t.title}”.")
        for t in own_topics[:1000]
    )
    for i, p in enumerate(firsts[:50]):
        item = QueueItem.objects.create(post=p, board_id=p.topic.board_id)
        Flag.objects.create(post=p, reporter=member, reason="off_topic", weight=3, queue_item=item)
        if i < 20:
            DigestDelivery.objects.create(user=member, period=f"weekly:2026-W{i + 1:02d}", status="sent")
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_label="system", action="screened", target_user_id=member.pk, post_id=p.pk)
        for p in own_posts[:500]
    )
    Topic.objects.filter(pk__in=[t.pk for t in others_topics]).update(last_activity_at=now - timedelta(days=1))
    # Bulk inserts skip the counters: set them from the rows, so the check after the erasure means something.
    recount_topics(Topic.objects.values_list("pk", flat=True), posts=Post.objects.values_list("pk", flat=True))
    counts = {"posts": Post.objects.filter(author=member).count(), "revisions": len(own_posts[::4])}
    return member.pk, counts


def time_export(member_id: int, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    member = User.objects.get(pk=member_id)
    client = Client()
    client.force_login(member)

    def export() -> tuple[float, int, int]:
        User.objects.filter(pk=member_id).update(data_exported_at=None)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/api/v1/me/export/", secure=True)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        return elapsed * 1000, len(response.content), len(queries)

    def floor() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, body, created_at FROM community_post WHERE author_id = %s", [member_id])
            json.dumps([[pk, body, created.isoformat()] for pk, body, created in cursor.fetchall()])
        return (time.perf_counter() - started) * 1000

    export()
    floor()
    samples, floors, size, query_count = [], [], 0, 0
    for _ in range(runs):
        ms, size, query_count = export()
        samples.append(ms)
        floors.append(floor())
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
        "max_ms": round(samples[-1], 1),
        "floor_median_ms": round(statistics.median(floors), 1),
        "ratio_to_floor": round(statistics.median(samples) / statistics.median(floors), 1),
        "bytes": size,
        "queries": query_count,
    }


def time_erasure(member_id: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from community.models import Post, Topic
    from community.services import recount_topic

    client = Client()
    client.force_login(User.objects.get(pk=member_id))
    touched = list(Topic.objects.filter(posts__author_id=member_id).values_list("pk", flat=True).distinct())
    body = json.dumps({"password": PASSWORD, "content": "remove"})
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.delete("/api/v1/me/", body, content_type="application/json", secure=True)
        elapsed = time.perf_counter() - started
    assert response.status_code == 204, response.content[:300]
    off = sum(recount_topic(topic_id=pk) for pk in touched[:300])
    return {
        "ms": round(elapsed * 1000, 1),
        "queries": len(queries),
        "posts_left_with_text": Post.objects.filter(author__isnull=True)
        .exclude(body="")
        .filter(gone_reason="author_erased")
        .count(),
        "topics_checked_by_recount": min(300, len(touched)),
        "topics_with_a_wrong_counter": off,
    }


def main() -> None:
    args = parse()
    setup_django(args)
    recreate_database(args.database_url)
    started = time.perf_counter()
    member_id, counts = generate(args.posts)
    generated = time.perf_counter() - started
    export = time_export(member_id, args.runs)
    erasure = time_erasure(member_id)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "data": {**counts, "generated_s": round(generated, 1)},
        "export": export,
        "erasure": erasure,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"export-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
