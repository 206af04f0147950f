"""The seam between community and moderation.

Community asks :func:`screen_text` for a verdict on new or edited text and
hands anything that needs review to :func:`submit_for_review`. Nothing else
in moderation is called by community code.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit import log
from audit.models import AuditAction
from community.audit_targets import post_audit_ids
from community.models import ContentStatus, Post
from moderation.alerts import alert_if_urgent
from moderation.models import (
    PRIORITY_RANK,
    ItemKind,
    ItemStatus,
    QueueItem,
    ScreeningCategory,
    ScreeningTerm,
)
from moderation.screening import AuthorFacts, Verdict, WordLists, screen, wordlists

CATEGORY_FIELD = {
    ScreeningCategory.CRISIS: "crisis",
    ScreeningCategory.STOP_MEDICATION: "stop_medication",
    ScreeningCategory.MIRACLE_CURE: "miracle_cure",
    ScreeningCategory.SELLING: "selling",
    ScreeningCategory.BLOCKED_DOMAIN: "blocked_domains",
}


def load_word_lists() -> WordLists:
    """The default lists plus the active terms moderators added in the admin."""
    extra: dict[str, list[str]] = {name: [] for name in CATEGORY_FIELD.values()}
    for category, phrase in ScreeningTerm.objects.filter(is_active=True).values_list("category", "phrase"):
        extra[CATEGORY_FIELD[ScreeningCategory(category)]].append(phrase.lower())
    return WordLists(
        crisis=wordlists.CRISIS + tuple(extra["crisis"]),
        stop_medication=wordlists.STOP_MEDICATION + tuple(extra["stop_medication"]),
        miracle_cure=wordlists.MIRACLE_CURE + tuple(extra["miracle_cure"]),
        selling=wordlists.SELLING + tuple(extra["selling"]),
        blocked_domains=wordlists.BLOCKED_DOMAINS + tuple(extra["blocked_domains"]),
    )


def author_facts(author: User, *, is_edit: bool = False) -> AuthorFacts:
    published = Post.objects.filter(author=author, status=ContentStatus.PUBLISHED).count()
    return AuthorFacts(
        trust_level=author.trust_level,
        # An edit is not one of the "first posts": only new posts are held for that reason.
        published_posts=published if not is_edit else max(published, 2),
        is_moderator=author.is_moderator,
    )


def screen_text(*, author: User, text: str, is_edit: bool = False) -> Verdict:
    return screen(text, author_facts(author, is_edit=is_edit), now=timezone.now(), words=load_word_lists())


def open_item_for_update(post: Post, kind: str = ItemKind.CONTENT) -> tuple[QueueItem, bool]:
    """The post's open item of this kind, locked; created when there is none. Returns (item, created)."""
    existing = QueueItem.objects.select_for_update().filter(post=post, kind=kind, status=ItemStatus.OPEN).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return QueueItem.objects.create(post=post, board_id=post.topic.board_id, kind=kind), True
    except IntegrityError:
        # Another request opened it a moment ago: join that one.
        return QueueItem.objects.select_for_update().get(post=post, kind=kind, status=ItemStatus.OPEN), False


def raise_priority(item: QueueItem, priority: str) -> None:
    if PRIORITY_RANK[priority] < item.priority_rank:  # type: ignore[index]
        item.priority = priority
        item.priority_rank = PRIORITY_RANK[priority]  # type: ignore[index]


def add_reasons(item: QueueItem, reasons: list[dict[str, str]]) -> None:
    known = {(r.get("reason"), r.get("detail")) for r in item.reasons}
    item.reasons = item.reasons + [r for r in reasons if (r.get("reason"), r.get("detail")) not in known]


@transaction.atomic
def submit_for_review(*, post: Post, verdict: Verdict) -> QueueItem | None:
    """Queue a post that screening held or marked for review. Returns the open item, or None if nothing to review."""
    priority = verdict.queue_priority
    if priority is None:
        return None
    item, _ = open_item_for_update(post)
    raise_priority(item, priority)
    add_reasons(item, [reason.as_dict() for reason in verdict.reasons])
    item.version += 1
    item.save()
    alert_if_urgent(item)
    log.record(
        actor=None,
        action=AuditAction.SCREENED,
        queue_item_id=item.pk,
        **post_audit_ids(post),
        reason=", ".join(r.reason for r in verdict.reasons),
        after={"priority": item.priority, "status": post.status},
    )
    return item
