"""Posting limits, shared by the cache throttles and the database check.

The cache throttle answers cheaply before any work is done; the database
count, taken under a lock on the author's row, is what holds when parallel
requests race past the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import TrustLevel, User
from community.models import Post, Topic
from config.errors import RateLimited

Creating = Literal["topic", "reply"]

BURST_SECONDS = 5
DAY = timedelta(days=1)


@dataclass(frozen=True)
class DailyCap:
    topics: int
    replies: int | None


CAPS = {TrustLevel.NEW: DailyCap(topics=3, replies=10)}
DEFAULT_CAP = DailyCap(topics=20, replies=None)


def daily_cap(user: User, creating: Creating) -> int | None:
    cap = CAPS.get(TrustLevel(user.trust_level), DEFAULT_CAP)
    return cap.topics if creating == "topic" else cap.replies


def too_many(detail: str, retry_after: float) -> RateLimited:
    seconds = max(1, int(retry_after + 0.999))
    return RateLimited(detail, code="rate_limited", retry_after=seconds, extra={"retry_after": seconds})


def check_posting_limits(*, author: User, creating: Creating) -> None:
    """Refuse with a 429 when the author is over a posting limit.

    The caller must hold a lock on the author's row (``select_for_update``),
    so two parallel posts by one member are counted one after the other.
    """
    if author.is_moderator:
        return
    now = timezone.now()
    last = Post.objects.filter(author=author).order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and (now - last).total_seconds() < BURST_SECONDS:
        raise too_many(
            f"Please wait a few seconds between posts (one every {BURST_SECONDS} seconds).",
            BURST_SECONDS - (now - last).total_seconds(),
        )
    cap = daily_cap(author, creating)
    if cap is None:
        return
    since = now - DAY
    recent: QuerySet[Topic] | QuerySet[Post]
    if creating == "topic":
        recent = Topic.objects.filter(author=author, created_at__gte=since)
    else:
        recent = Post.objects.filter(author=author, is_first=False, created_at__gte=since)
    times = list(recent.order_by("created_at").values_list("created_at", flat=True)[:cap])
    if len(times) >= cap:
        noun = "topics" if creating == "topic" else "replies"
        raise too_many(
            f"You have reached today's limit of {cap} new {noun}. It resets as your oldest one turns 24 hours old.",
            (times[0] + DAY - now).total_seconds(),
        )
