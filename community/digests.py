"""Digest emails: who is due, what each member hears about, and delivery at most once.

Selection happens in SQL, a batch's content is built with a fixed number of
queries, and each (member, period) delivery is a ``DigestDelivery`` row with
a unique constraint and a status guard, so a retry, a redelivered task, a
duplicate beat tick or two workers never send the same digest twice.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.models import DigestFrequency, Profile, User
from accounts.selectors import consents_to_health_data
from community.models import BoardFollow, ContentStatus, DeliveryStatus, DigestDelivery, Post, Topic, TopicKind
from community.permissions import can_see_welcome_list, members_listed_filter
from community.selectors import welcome_topics
from config.mail import Stencil

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 3
STALE_SENDING = timedelta(minutes=15)
# Longer than the longest wait before a retry (15 minutes): a pending row older than this has no
# batch coming for it (the worker holding its batch died, or the retry was lost with the broker).
STALE_PENDING = timedelta(minutes=30)
WINDOW = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
SUBJECT = {
    DigestFrequency.DAILY: "Your daily Support Circle summary",
    DigestFrequency.WEEKLY: "Your weekly Support Circle summary",
}
TOPICS_SHOWN = 8
TIPS_SHOWN = 5
EXCERPT_CHARS = 240


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def period_for(frequency: str, local: datetime) -> str:
    if frequency == DigestFrequency.DAILY:
        return f"daily:{local.date().isoformat()}"
    year, week, _ = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def due_members(now: datetime, *, frequency: str | None = None, force: bool = False) -> dict[str, list[int]]:
    """Members whose digest is due now, grouped by period. One query per call, whatever the number of time zones.

    Due means: health-data consent in force, daily or weekly digests on, not paused, the member's local hour
    is their ``digest_hour`` (any hour with ``force``), and for weekly digests
    it is Monday where they live. Members who already have a row for the
    period are left out in SQL.
    """
    zones = list(
        Profile.objects.exclude(digest_frequency=DigestFrequency.OFF).values_list("timezone", flat=True).distinct()
    )
    frequencies = [frequency] if frequency else [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
    condition = Q(pk__in=[])
    period_of: dict[tuple[str, str], str] = {}
    for name in zones:
        local = now.astimezone(zone(name))
        for freq in frequencies:
            if freq == DigestFrequency.WEEKLY and local.weekday() != 0 and not force:
                continue
            period_of[(name, freq)] = period_for(freq, local)
            clause = Q(timezone=name, digest_frequency=freq)
            if not force:
                clause &= Q(digest_hour=local.hour)
            condition |= clause & ~Q(
                user__digest_deliveries__period=period_of[(name, freq)],
            )
    profiles = (
        Profile.objects.filter(condition)
        .filter(Q(digest_paused_until__isnull=True) | Q(digest_paused_until__lt=now.date()))
        .filter(consents_to_health_data("user_id"), user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "timezone", "digest_frequency")
    )
    due: dict[str, list[int]] = defaultdict(list)
    for user_id, tz_name, freq in profiles:
        due[period_of[(tz_name, freq)]].append(user_id)
    return dict(due)


def batches(ids: list[int], size: int = BATCH_SIZE) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


# --- Claiming ------------------------------------------------------------------------------------


def claim(user_ids: list[int], period: str, now: datetime) -> list[int]:
    """Create the batch's delivery rows (once) and move the pending ones to "sending".

    Returns the members this call claimed. Rows another worker holds are
    skipped (``SKIP LOCKED`` on PostgreSQL), so two workers with the same
    ids split them instead of both sending.
    """
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user_id=user_id, period=period) for user_id in user_ids], ignore_conflicts=True
    )
    with transaction.atomic():
        rows = list(
            DigestDelivery.objects.select_for_update(skip_locked=True)
            .filter(user_id__in=user_ids, period=period, status=DeliveryStatus.PENDING)
            .values_list("pk", "user_id")
        )
        DigestDelivery.objects.filter(pk__in=[pk for pk, _ in rows], status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return [user_id for _, user_id in rows]


def finish(user_ids: list[int], period: str, status: str, error: str = "") -> int:
    """Move "sending" rows to their outcome; the status guard makes a late or repeated call a no-op."""
    values: dict[str, Any] = {"status": status, "error": error[:300]}
    if status == DeliveryStatus.SENT:
        values["sent_at"] = timezone.now()
    return DigestDelivery.objects.filter(user_id__in=user_ids, period=period, status=DeliveryStatus.SENDING).update(
        **values
    )


def release(user_ids: list[int], period: str) -> int:
    """Put claimed rows back to "pending" so a retry can claim them again."""
    return DigestDelivery.objects.filter(user_id__in=user_ids, period=period, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING
    )


def reconcile_stale(now: datetime) -> int:
    """Resolve rows left in "sending" by a crash.

    Whether the message reached the mail server is unknown, and a digest must
    never arrive twice, so such rows are marked failed and logged, not resent.
    """
    stale = DigestDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_SENDING)
    count = stale.update(status=DeliveryStatus.FAILED, error="interrupted while sending; not resent")
    if count:
        logger.warning("marked %d interrupted digest deliveries as failed", count)
    return count


def stale_pending(now: datetime) -> dict[str, list[int]]:
    """Members whose row waits in "pending" with no batch coming, by period: created, or last put
    back for a retry, more than :data:`STALE_PENDING` ago. Sending them again is safe: claiming
    decides who is sent, once."""
    since = now - STALE_PENDING
    rows = DigestDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(claimed_at__lt=since) | Q(claimed_at__isnull=True, created_at__lt=since)
    )
    waiting: dict[str, list[int]] = {}
    for period, user_id in rows.order_by("period", "user_id").values_list("period", "user_id"):
        waiting.setdefault(period, []).append(user_id)
    return waiting


# --- Content -------------------------------------------------------------------------------------


@dataclass
class DigestContent:
    member: User
    discreet: bool
    frequency: str
    new_topics: list[dict[str, Any]] = field(default_factory=list)
    more_topics: int = 0
    helpful_tips: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    welcome: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        # Top tips alone are not news: without anything new for the member, nothing is sent.
        return not (self.new_topics or self.replies or self.welcome)


def build_contents(user_ids: list[int], period: str, now: datetime) -> list[DigestContent]:
    """Each member's digest for the batch, with a fixed number of queries (not one per member)."""
    frequency = DigestFrequency(period.split(":", 1)[0])
    window = WINDOW[frequency]
    # Checked again at sending time: a member may have withdrawn consent since the batch was queued.
    members = list(
        User.objects.filter(consents_to_health_data(), pk__in=user_ids, is_active=True).select_related("profile")
    )
    if not members:
        return []
    since_of = {m.pk: max(m.profile.last_digest_at or now - window, now - window, m.date_joined) for m in members}
    earliest = min(since_of.values())

    topics = list(
        Topic.objects.filter(members_listed_filter(), created_at__gte=earliest, created_at__lt=now)
        .select_related("board")
        .order_by("-created_at")[:500]
    )
    excerpts = dict(
        Post.objects.filter(topic__in=topics, is_first=True, status=ContentStatus.PUBLISHED).values_list(
            "topic_id", "body"
        )
    )
    tips = list(
        Topic.objects.filter(
            members_listed_filter(), kind=TopicKind.TIP, outcome_tried__gt=0, last_activity_at__gte=now - window
        )
        .select_related("board")
        .order_by("-wilson_score", "-outcome_tried")[:TIPS_SHOWN]
    )
    reply_rows = (
        Post.objects.filter(
            topic__author_id__in=user_ids,
            is_first=False,
            status=ContentStatus.PUBLISHED,
            created_at__gte=earliest,
            created_at__lt=now,
            topic__status=ContentStatus.PUBLISHED,
        )
        .exclude(author=F("topic__author"))
        .values("topic_id", "topic__title", "topic__author_id", "created_at")
    )
    replies_by_member: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in reply_rows:
        member_id = row["topic__author_id"]
        if row["created_at"] < since_of.get(member_id, now):
            continue
        entry = replies_by_member[member_id].setdefault(
            row["topic_id"], {"topic": row["topic_id"], "title": row["topic__title"], "count": 0}
        )
        entry["count"] += 1
    welcome = _welcome_rows(now)
    followed: dict[int, set[int]] = defaultdict(set)
    for user_id, board_id in BoardFollow.objects.filter(user_id__in=user_ids).values_list("user_id", "board_id"):
        followed[user_id].add(board_id)

    contents = []
    for member in members:
        discreet = member.profile.digest_discreet
        since = since_of[member.pk]
        boards = followed.get(member.pk)  # none followed: every board the member can see
        fresh = [
            t
            for t in topics
            if t.created_at >= since and t.author_id != member.pk and (not boards or t.board_id in boards)
        ]
        content = DigestContent(member=member, discreet=discreet, frequency=frequency)
        content.new_topics = [_topic_entry(t, excerpts.get(t.pk, ""), discreet) for t in fresh[:TOPICS_SHOWN]]
        content.more_topics = max(0, len(fresh) - TOPICS_SHOWN)
        content.helpful_tips = [_topic_entry(t, "", discreet) for t in tips]
        content.replies = list(replies_by_member.get(member.pk, {}).values())
        if can_see_welcome_list(member):
            content.welcome = [w for w in welcome if w["author_id"] != member.pk]
        contents.append(content)
    return contents


def _welcome_rows(now: datetime) -> list[dict[str, Any]]:
    return [
        {"topic": t.pk, "title": t.title, "board": t.board.name, "author_id": t.author_id} for t in welcome_topics()[:5]
    ]


def _topic_entry(topic: Topic, body: str, discreet: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "topic": topic.pk,
        "title": topic.title,
        "board": topic.board.name,
        "kind": topic.kind,
        "url": f"{settings.SITE_URL}/topics/{topic.pk}",
    }
    if topic.kind == TopicKind.TIP:
        entry["helped"], entry["tried"] = topic.outcome_helped, topic.outcome_tried
    if not discreet:
        entry["author"] = topic.author_name
        text = " ".join(body.split())
        entry["excerpt"] = text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
    return entry


# --- Email ---------------------------------------------------------------------------------------


def unsubscribe_url(member: User) -> str:
    return f"{settings.SITE_URL}/digest/unsubscribe/{member.profile.unsubscribe_token}/"


def _shared_key(content: DigestContent) -> tuple:
    return (
        content.discreet,
        tuple(t["topic"] for t in content.new_topics),
        content.more_topics,
        tuple(t["topic"] for t in content.helpful_tips),
        tuple(w["topic"] for w in content.welcome),
    )


HEADERS = {
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Auto-Submitted": "auto-generated",
    "Precedence": "bulk",
}


def stencil_for(frequency: str) -> Stencil:
    """What every digest of a batch shares: subject, sender, fixed headers, MIME structure."""
    return Stencil(subject=SUBJECT[DigestFrequency(frequency)], headers=HEADERS)


def render_message(
    content: DigestContent,
    period: str,
    shared: dict[tuple, tuple[str, str]] | None = None,
    stencil: Stencil | None = None,
) -> EmailMultiAlternatives:
    """The member's email. ``shared`` caches the sections many members of a batch have in common,
    ``stencil`` what every email of the batch has in common."""
    member = content.member
    context: dict[str, Any] = {
        "content": content,
        "member": member,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url(member),
        "preferences_url": f"{settings.SITE_URL}/settings/digest",
    }
    key = _shared_key(content)
    cache = shared if shared is not None else {}
    if key not in cache:
        cache[key] = (
            render_to_string("digests/_shared.txt", context),
            mark_safe(render_to_string("digests/_shared.html", context)),  # noqa: S308 -- rendered by our template
        )
    context["shared_text"], context["shared_html"] = cache[key]
    return (stencil or stencil_for(content.frequency)).email(
        to=member.email,
        text=render_to_string("digests/digest.txt", context),
        html=render_to_string("digests/digest.html", context),
        headers={"List-Unsubscribe": f"<{unsubscribe_url(member)}>"},
    )


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def deliver_batch(user_ids: list[int], period: str, *, now: datetime | None = None) -> BatchResult:
    """Send the batch's digests. Each member is isolated: one failure does not stop the others."""
    now = now or timezone.now()
    result = BatchResult()
    claimed = claim(user_ids, period, now)
    if not claimed:
        return result
    contents = build_contents(claimed, period, now)
    built = {c.member.pk for c in contents}
    result.skipped += [uid for uid in claimed if uid not in built]
    attempts = dict(
        DigestDelivery.objects.filter(user_id__in=claimed, period=period).values_list("user_id", "attempts")
    )
    shared: dict[tuple, tuple[str, str]] = {}
    stencil = stencil_for(period.split(":", 1)[0])
    mailer = mailers.default
    try:
        mailer.open()
    except (smtplib.SMTPException, OSError):
        # The mail server is unreachable: nothing was sent, so the whole batch goes back for a retry.
        logger.warning("digest %s: mail server unreachable, %d members back to pending", period, len(claimed))
        release(claimed, period)
        raise
    try:
        for content in contents:
            member_id = content.member.pk
            if content.is_empty:
                result.skipped.append(member_id)
                continue
            try:
                mailer.send_messages([render_message(content, period, shared, stencil)])
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("digest %s for member %s failed: %s", period, member_id, type(exc).__name__)
                (result.failed if attempts.get(member_id, 1) >= MAX_ATTEMPTS else result.retry).append(member_id)
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    mailer.close()
                    mailer.open()
            else:
                result.sent.append(member_id)
    finally:
        mailer.close()
    finish(result.sent, period, DeliveryStatus.SENT)
    finish(result.skipped, period, DeliveryStatus.SKIPPED)
    finish(result.failed, period, DeliveryStatus.FAILED, "mail server refused the message")
    release(result.retry, period)
    Profile.objects.filter(user_id__in=result.sent).update(last_digest_at=now)
    return result


@transaction.atomic
def unsubscribe(*, token: str) -> bool | None:
    """Turn digests off for the token's member. None for an unknown token, False when already off."""
    profile = Profile.objects.select_for_update().filter(unsubscribe_token=token).first()
    if profile is None:
        return None
    if profile.digest_frequency == DigestFrequency.OFF:
        return False
    profile.digest_frequency = DigestFrequency.OFF
    profile.save(update_fields=["digest_frequency", "updated_at"])
    return True
