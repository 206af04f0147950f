"""Every write to community content goes through here.

Services are keyword-only, name the acting person ``actor``, are atomic, take
their own row locks and check after locking, validate before they write, and
keep the denormalised counters right with ``F()`` updates inside the
transaction. Refusals are domain errors (:mod:`config.errors`); the API maps
them to statuses. When the actor changes someone else's content, the service
writes the audit entry in the same transaction.

A post's status has one owner: :func:`apply_moderation` is how moderation (and
flag weight) changes it. It never screens and never queues: the moderator's
decision is the review. The author's own path is :func:`edit_post`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from accounts.selectors import lock_member
from audit import log
from audit.models import AuditAction
from community import limits
from community.audit_targets import post_audit_ids, post_snapshot, topic_audit_ids
from community.demo import DEMO_BOARDS
from community.models import (
    Board,
    BoardFollow,
    Bookmark,
    ContentStatus,
    GoneReason,
    Notification,
    NotificationKind,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    TipOutcome,
    Topic,
    TopicFollow,
    TopicKind,
    TopicTag,
)
from community.permissions import (
    check_can_edit_post,
    check_can_edit_topic,
    check_can_react,
    check_can_record_outcome,
    check_can_reply,
    check_can_start_topic,
    check_can_withdraw_post,
)
from community.rendering import body_digest, rendered_fields
from community.search import index as search_index
from config.errors import Conflict
from moderation.intake import screen_text, submit_for_review
from moderation.screening import Verdict, resources_for

DUPLICATE_WINDOW = timedelta(minutes=5)
WILSON_Z = 1.959963984540054  # 95% two-sided
REACTION_COUNTER = {
    ReactionKind.HELPFUL: "helpful_count",
    ReactionKind.SUPPORT: "support_count",
    ReactionKind.ME_TOO: "me_too_count",
}


@dataclass
class Screening:
    """What screening found in a new or edited post, as returned to the author."""

    status: str = ContentStatus.PUBLISHED
    reasons: list[dict[str, str]] = field(default_factory=list)
    resources: dict[str, Any] | None = None
    verdict: Verdict = field(default_factory=Verdict)


def screen_author_text(*, author: User, text: str, is_edit: bool = False) -> Screening:
    """Ask moderation for a verdict on the author's text (whether they may post is checked before)."""
    verdict = screen_text(author=author, text=text, is_edit=is_edit)
    return Screening(
        status=verdict.status,
        reasons=[{"reason": r.reason, "action": str(r.action)} for r in verdict.reasons],
        resources=resources_for(verdict),
        verdict=verdict,
    )


def after_screening(*, post: Post, screening: Screening) -> None:
    """Queue what needs review and support an author in crisis straight away."""
    submit_for_review(post=post, verdict=screening.verdict)
    if screening.resources is not None and post.author_id:
        notify(
            recipient_id=post.author_id,
            kind=NotificationKind.CRISIS_RESOURCES,
            post=post,
            topic=post.topic,
            message="You are not alone. Here are people you can talk to right now.",
            data={"resources": screening.resources},
        )


def wilson_lower_bound(helped: int, tried: int, z: float = WILSON_Z) -> float:
    """Lower bound of the Wilson score interval for helped/tried.

    A tip that helped 40 of 50 (0.67) outranks one that helped 2 of 2 (0.34):
    few outcomes mean a wide interval and a low bound.
    """
    if tried <= 0:
        return 0.0
    p = helped / tried
    z2 = z * z
    centre = p + z2 / (2 * tried)
    margin = z * math.sqrt((p * (1 - p) + z2 / (4 * tried)) / tried)
    return max(0.0, (centre - margin) / (1 + z2 / tried))


# --- Boards -------------------------------------------------------------------


@transaction.atomic
def ensure_demo_boards(*, actor: User | None = None) -> int:
    """Create the demo boards that are missing; never touches existing ones. Returns how many were created."""
    created = 0
    for position, spec in enumerate(DEMO_BOARDS):
        board, was_created = Board.objects.get_or_create(slug=spec["slug"], defaults={**spec, "position": position})
        if was_created:
            log.record(actor=actor, action=AuditAction.BOARD_CREATED, board_id=board.pk, reason=board.slug)
        created += was_created
    return created


# --- Topics and posts -----------------------------------------------------------


def _lock_author(author: User) -> User:
    # Serialises one member's writes so limit counts and duplicate checks hold under parallel requests.
    return lock_member(author.pk)


def _check_not_duplicate(*, author: User, digest: str, topic: Topic | None = None, board: Board | None = None) -> None:
    since = timezone.now() - DUPLICATE_WINDOW
    recent = Post.objects.filter(author=author, body_digest=digest, created_at__gte=since)
    recent = recent.filter(topic=topic) if topic is not None else recent.filter(topic__board=board, is_first=True)
    if recent.exists():
        raise Conflict("You just posted this same text here. It is already there.", code="duplicate_post")


def _new_post(
    *, topic: Topic, author: User, body: str, is_first: bool, screening: Screening, digest: str | None = None
) -> Post:
    return Post.objects.create(
        topic=topic,
        author=author,
        author_name=author.username,
        is_first=is_first,
        status=screening.status,
        medical_notice=screening.verdict.medical_notice,
        **rendered_fields(body, digest=digest),
    )


def _set_tags(topic: Topic, tags: list[str]) -> None:
    TopicTag.objects.filter(topic=topic).exclude(tag__in=tags).delete()
    existing = set(TopicTag.objects.filter(topic=topic).values_list("tag", flat=True))
    TopicTag.objects.bulk_create(TopicTag(topic=topic, tag=tag) for tag in tags if tag not in existing)


@transaction.atomic
def create_topic(
    *, actor: User, board: Board, title: str, kind: str, tags: list[str], body: str
) -> tuple[Topic, Post, Screening]:
    """Start a topic; its first post is ``body``. Returns the topic, its first post and the screening."""
    author = _lock_author(actor)
    check_can_start_topic(author, board)
    limits.check_posting_limits(author=author, creating="topic")
    # For topics the duplicate check looks at title and body together.
    digest = body_digest(f"{title}\n{body}")
    _check_not_duplicate(author=author, digest=digest, board=board)
    screening = screen_author_text(author=author, text=f"{title}\n\n{body}")
    now = timezone.now()
    topic = Topic.objects.create(
        board=board,
        author=author,
        author_name=author.username,
        title=title,
        kind=kind,
        tags=sorted(tags),
        status=screening.status,
        last_activity_at=now,
    )
    _set_tags(topic, tags)
    post = _new_post(topic=topic, author=author, body=body, is_first=True, screening=screening, digest=digest)
    search_index.index_post(post, topic)
    after_screening(post=post, screening=screening)
    return topic, post, screening


@transaction.atomic
def create_reply(*, actor: User, topic: Topic, body: str) -> tuple[Post, Screening]:
    author = _lock_author(actor)
    check_can_reply(author, topic)
    limits.check_posting_limits(author=author, creating="reply")
    _check_not_duplicate(author=author, digest=body_digest(body), topic=topic)
    screening = screen_author_text(author=author, text=body)
    post = _new_post(topic=topic, author=author, body=body, is_first=False, screening=screening)
    search_index.index_post(post, topic)
    if post.status == ContentStatus.PUBLISHED:
        _publish_reply_effects(post=post)
    after_screening(post=post, screening=screening)
    return post, screening


def _publish_reply_effects(*, post: Post) -> None:
    """What a reply becoming visible does: counters, activity time, the topic author's notification."""
    Topic.objects.filter(pk=post.topic_id).update(
        reply_count=F("reply_count") + 1, last_activity_at=Greatest(F("last_activity_at"), post.created_at)
    )
    topic = post.topic
    # Read again after the update (which waited for any lock on the topic): its author may have
    # erased their account meanwhile, and a notification must not point at an erased member.
    topic.author_id = Topic.objects.filter(pk=topic.pk).values_list("author_id", flat=True).first()
    if topic.author_id and topic.author_id != post.author_id:
        notify(
            recipient_id=topic.author_id,
            kind=NotificationKind.REPLY,
            topic=topic,
            post=post,
            actor_name=post.author_name,
            message=f"{post.author_name} replied in your topic “{topic.title}”.",
        )
    followers = TopicFollow.objects.filter(topic=topic).exclude(user_id__in=[topic.author_id, post.author_id])
    Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=NotificationKind.FOLLOWED_REPLY,
            topic=topic,
            post=post,
            actor_name=post.author_name,
            message=f"{post.author_name} replied in “{topic.title}”, which you follow."[:500],
        )
        for user_id in followers.values_list("user_id", flat=True)[:1000]
    )


def _unpublish_reply_effects(*, post: Post) -> None:
    Topic.objects.filter(pk=post.topic_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)


def lock_post(post_id: int) -> Post:
    """The post with its topic and board, its row locked. Call inside a transaction."""
    return Post.objects.select_for_update(of=("self",)).select_related("topic__board").get(pk=post_id)


@transaction.atomic
def edit_post(*, actor: User, post: Post, body: str) -> tuple[Post, Screening]:
    """Change a post's text, keeping the previous text as a revision.

    The author's edit is screened like a new post. A moderator editing someone
    else's post (on a board they moderate) is a moderation action: not screened,
    not queued, audited.
    """
    post = lock_post(post.pk)
    check_can_edit_post(actor, post)
    if body == post.body:
        return post, Screening(status=post.status)
    if post.author_id != actor.pk:
        apply_moderation(actor=actor, post=post, action=AuditAction.POST_EDITED, new_body=body)
        return post, Screening(status=post.status)
    screening = screen_author_text(author=actor, text=body, is_edit=True)
    _revise_body(post=post, editor=actor, body=body)
    post.medical_notice = screening.verdict.medical_notice
    post.save(update_fields=["medical_notice"])
    if screening.verdict.held and post.status == ContentStatus.PUBLISHED and not actor.is_moderator:
        # New personal details or links in an edit are held like a new post would be.
        _change_post_status(post=post, status=ContentStatus.PENDING)
    after_screening(post=post, screening=screening)
    screening.status = post.status
    return post, screening


def _revise_body(*, post: Post, editor: User, body: str) -> None:
    """Keep the current text as a revision and store the new one. Needs the post locked."""
    PostRevision.objects.create(post=post, editor=editor, editor_name=editor.username, body=post.body)
    for name, value in rendered_fields(body).items():
        setattr(post, name, value)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "render_version", "body_digest", "edited_at"])
    search_index.index_post(post, post.topic)


@transaction.atomic
def withdraw_post(*, actor: User, post: Post) -> bool:
    """The author takes their post down. Returns False when it was already gone."""
    post = lock_post(post.pk)
    check_can_withdraw_post(actor, post)
    if post.status == ContentStatus.REMOVED:
        return False
    if post.is_first and post.status != ContentStatus.PENDING:
        # The opening post of a live topic leaves a placeholder; the replies stay readable.
        post.status, post.gone_reason = ContentStatus.REMOVED, GoneReason.WITHDRAWN
        post.save(update_fields=["status", "gone_reason"])
        return True
    return _change_post_status(post=post, status=ContentStatus.REMOVED, gone_reason=GoneReason.WITHDRAWN)


@dataclass(frozen=True)
class AuthorNotice:
    """What the author is told about a moderation action (a notification)."""

    kind: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def apply_moderation(
    *,
    actor: User | None,
    post: Post,
    action: AuditAction,
    status: str | None = None,
    gone_reason: str = "",
    new_body: str | None = None,
    reason: str = "",
    note: str = "",
    queue_item_id: int | None = None,
    notice: AuthorNotice | None = None,
) -> bool:
    """The one way moderation changes a post: its status (with counters and the topic), its text
    (a redaction or a moderator's edit, kept as a revision), the author's notification, and the audit
    entry, in one transaction. ``actor`` None is the system (flag weight).

    It never screens and never queues: the moderator's decision is the review. ``status`` None
    keeps the status. Returns whether the post changed. Takes the post's row lock.
    """
    post = lock_post(post.pk)
    before = post_snapshot(post)
    changed = False
    if new_body is not None and new_body != post.body:
        if actor is None:
            raise ValueError("Only a moderator changes a post's text.")
        _revise_body(post=post, editor=actor, body=new_body)
        changed = True
    if status is not None:
        changed = _change_post_status(post=post, status=status, gone_reason=gone_reason) or changed
    if notice is not None and post.author_id:
        notify(
            recipient_id=post.author_id,
            kind=notice.kind,
            topic=post.topic,
            post=post,
            message=notice.message,
            data=notice.data,
        )
    log.record(
        actor=actor,
        action=action,
        queue_item_id=queue_item_id,
        reason=reason,
        note=note,
        before=before,
        after={**post_snapshot(post), **({"edited": True} if new_body is not None else {})},
        **post_audit_ids(post),
    )
    return changed


def _change_post_status(*, post: Post, status: str, gone_reason: str = "") -> bool:
    """Move a post to another status and keep the topic and its counters in step.

    The opening post carries its topic's status. A reply entering or leaving
    "published" moves the reply count (and, when published, notifies the
    topic's author). Needs the post locked by the caller. Returns False when
    nothing changed.
    """
    gone_reason = gone_reason if status in (ContentStatus.HIDDEN, ContentStatus.REMOVED) else ""
    if post.status == status and post.gone_reason == gone_reason:
        return False
    was_published = post.status == ContentStatus.PUBLISHED
    post.status, post.gone_reason = status, gone_reason
    post.save(update_fields=["status", "gone_reason"])
    if post.is_first:
        Topic.objects.filter(pk=post.topic_id).update(status=status)
        post.topic.status = status
        # Who may find every post of the topic changes with it, in this transaction.
        search_index.refresh_states(topic_ids=[post.topic_id])
    else:
        search_index.refresh_states(post_ids=[post.pk])
        if was_published and status != ContentStatus.PUBLISHED:
            _unpublish_reply_effects(post=post)
        elif not was_published and status == ContentStatus.PUBLISHED:
            _publish_reply_effects(post=post)
    return True


@transaction.atomic
def update_topic(*, actor: User, topic: Topic, changes: dict[str, Any]) -> tuple[Topic, Screening]:
    """Edit a topic's title and tags (author or moderator), pin or lock it (moderators).

    An author's new title is screened like a post: it is what visitors and digests show first.
    What would hold a new post (contact details, links) holds the topic's opening post, and with
    it the topic; warning signs and medical advice queue it. A moderator changing someone else's
    topic, or pinning or locking any, is a moderation action: not screened, audited.
    Returns the topic and the title's screening.
    """
    topic = Topic.objects.select_for_update(of=("self",)).select_related("board").get(pk=topic.pk)
    check_can_edit_topic(actor, topic, changes)
    moderating = topic.author_id != actor.pk
    before = _topic_state(topic)
    fields: list[str] = []
    screening = Screening(status=topic.status)
    if "title" in changes and changes["title"] != topic.title:
        screening = _retitle(actor=actor, topic=topic, title=changes["title"], screen=not moderating)
        fields.append("title")
    if "tags" in changes and sorted(changes["tags"]) != topic.tags:
        topic.tags = sorted(changes["tags"])
        _set_tags(topic, topic.tags)
        fields.append("tags")
    for api_name, model_name in (("pinned", "is_pinned"), ("locked", "is_locked")):
        if api_name in changes and changes[api_name] != getattr(topic, model_name):
            setattr(topic, model_name, changes[api_name])
            fields.append(model_name)
    if not fields:
        return topic, screening
    topic.save(update_fields=fields)
    if moderating or {"is_pinned", "is_locked"} & set(fields):
        after = _topic_state(topic)
        log.record(
            actor=actor,
            action=AuditAction.TOPIC_CHANGED,
            reason=", ".join(fields),
            before={name: value for name, value in before.items() if after[name] != value},
            after={name: value for name, value in after.items() if before[name] != value},
            **topic_audit_ids(topic),
        )
    return topic, screening


def _topic_state(topic: Topic) -> dict[str, Any]:
    return {"title": topic.title, "tags": topic.tags, "pinned": topic.is_pinned, "locked": topic.is_locked}


def _retitle(*, actor: User, topic: Topic, title: str, screen: bool) -> Screening:
    """Set a new title, keeping the old one as a revision of the opening post. Needs the topic locked."""
    first = topic.posts.select_for_update().filter(is_first=True).first()
    if first is not None:
        first.topic = topic  # so a hold moves this instance's status too
        PostRevision.objects.create(
            post=first, editor=actor, editor_name=actor.username, body=first.body, title=topic.title
        )
    topic.title = title
    if first is not None:
        search_index.index_post(first, topic)
    if not screen:
        return Screening(status=topic.status)
    screening = screen_author_text(author=actor, text=title, is_edit=True)
    if first is not None:
        if screening.verdict.held and first.status == ContentStatus.PUBLISHED and not actor.is_moderator:
            _change_post_status(post=first, status=ContentStatus.PENDING)
        after_screening(post=first, screening=screening)
    screening.status = topic.status
    return screening


# --- Reactions and outcomes -------------------------------------------------------


def _reaction_counts(post_id: int) -> dict[str, int]:
    helpful, support, me_too = Post.objects.values_list("helpful_count", "support_count", "me_too_count").get(
        pk=post_id
    )
    return {ReactionKind.HELPFUL: helpful, ReactionKind.SUPPORT: support, ReactionKind.ME_TOO: me_too}


@transaction.atomic
def add_reaction(*, actor: User, post: Post, kind: str) -> tuple[bool, dict[str, int]]:
    """React to a post. Returns (created, counts); reacting twice changes nothing."""
    actor = lock_member(actor.pk)
    check_can_react(actor, post)
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=actor, kind=kind)
    except IntegrityError:
        return False, _reaction_counts(post.pk)
    column = REACTION_COUNTER[ReactionKind(kind)]
    Post.objects.filter(pk=post.pk).update(**{column: F(column) + 1})
    Topic.objects.filter(pk=post.topic_id).update(**{column: F(column) + 1})
    return True, _reaction_counts(post.pk)


@transaction.atomic
def remove_reaction(*, actor: User, post: Post, kind: str) -> tuple[bool, dict[str, int]]:
    lock_member(actor.pk)
    deleted, _ = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
    if deleted:
        column = REACTION_COUNTER[ReactionKind(kind)]
        Post.objects.filter(pk=post.pk, **{f"{column}__gt": 0}).update(**{column: F(column) - 1})
        Topic.objects.filter(pk=post.topic_id, **{f"{column}__gt": 0}).update(**{column: F(column) - 1})
    return bool(deleted), _reaction_counts(post.pk)


def _refresh_wilson(topic_id: int) -> Topic:
    topic = Topic.objects.get(pk=topic_id)
    score = wilson_lower_bound(topic.outcome_helped, topic.outcome_tried)
    if score != topic.wilson_score:
        topic.wilson_score = score
        topic.save(update_fields=["wilson_score"])
    return topic


@transaction.atomic
def record_outcome(*, actor: User, topic: Topic, helped: bool) -> tuple[bool, Topic]:
    """Record "I tried this tip: it helped / it did not". Changing one's answer moves the counts."""
    actor = lock_member(actor.pk)
    # Lock the tip: the Wilson score is computed from counters that must not move meanwhile.
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    check_can_record_outcome(actor, topic)
    outcome = TipOutcome.objects.filter(topic=topic, user=actor).first()
    if outcome is not None and outcome.helped == helped:
        return False, _refresh_wilson(topic.pk)
    if outcome is None:
        TipOutcome.objects.create(topic=topic, user=actor, helped=helped)
        Topic.objects.filter(pk=topic.pk).update(
            outcome_tried=F("outcome_tried") + 1, outcome_helped=F("outcome_helped") + int(helped)
        )
    else:
        outcome.helped = helped
        outcome.save(update_fields=["helped", "updated_at"])
        Topic.objects.filter(pk=topic.pk).update(outcome_helped=F("outcome_helped") + (1 if helped else -1))
    return True, _refresh_wilson(topic.pk)


@transaction.atomic
def remove_outcome(*, actor: User, topic: Topic) -> tuple[bool, Topic]:
    lock_member(actor.pk)
    Topic.objects.select_for_update().filter(pk=topic.pk).first()
    outcome = TipOutcome.objects.filter(topic=topic, user=actor).first()
    if outcome is None:
        return False, _refresh_wilson(topic.pk)
    outcome.delete()
    Topic.objects.filter(pk=topic.pk).update(
        outcome_tried=F("outcome_tried") - 1, outcome_helped=F("outcome_helped") - int(outcome.helped)
    )
    return True, _refresh_wilson(topic.pk)


# --- Follows and bookmarks -------------------------------------------------------------


@transaction.atomic
def set_follow(*, actor: User, target: Board | Topic, on: bool) -> bool:
    """Follow or unfollow a board or topic. Returns False when it was already so (idempotent)."""
    lock_member(actor.pk)
    if isinstance(target, Board):
        return _toggle(BoardFollow, on, user=actor, board=target)
    return _toggle(TopicFollow, on, user=actor, topic=target)


@transaction.atomic
def set_bookmark(*, actor: User, topic: Topic, on: bool) -> bool:
    lock_member(actor.pk)
    return _toggle(Bookmark, on, user=actor, topic=topic)


def _toggle(model: type[BoardFollow | TopicFollow | Bookmark], on: bool, **fields: Any) -> bool:
    rows = model.objects.filter(**fields)
    if not on:
        deleted, _ = rows.delete()
        return bool(deleted)
    if rows.exists():
        return False
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False  # a parallel request made it first
    return True


# --- Notifications ------------------------------------------------------------------


def notify(
    *,
    recipient_id: int,
    kind: str,
    message: str,
    topic: Topic | None = None,
    post: Post | None = None,
    actor_name: str = "",
    data: dict[str, Any] | None = None,
) -> Notification:
    return Notification.objects.create(
        recipient_id=recipient_id,
        kind=kind,
        topic=topic,
        post=post,
        actor_name=actor_name,
        message=message[:500],
        data=data or {},
    )


@transaction.atomic
def mark_notifications_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Mark the given notifications (or all) as read. Returns how many changed."""
    lock_member(actor.pk)
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# --- Repairs -------------------------------------------------------------------------


@transaction.atomic
def recount_topic(*, topic_id: int) -> bool:
    """Recompute a topic's and its posts' counters from the rows. Returns True when anything was off."""
    topic = Topic.objects.select_for_update().get(pk=topic_id)
    changed = False
    posts = Post.objects.filter(topic_id=topic_id).annotate(
        n_helpful=Count("reactions", filter=Q(reactions__kind=ReactionKind.HELPFUL)),
        n_support=Count("reactions", filter=Q(reactions__kind=ReactionKind.SUPPORT)),
        n_me_too=Count("reactions", filter=Q(reactions__kind=ReactionKind.ME_TOO)),
    )
    totals: dict[str, int] = {"helpful_count": 0, "support_count": 0, "me_too_count": 0}
    for post in posts:
        actual: dict[str, int] = {
            "helpful_count": post.n_helpful,
            "support_count": post.n_support,
            "me_too_count": post.n_me_too,
        }
        for column, value in actual.items():
            totals[column] += value
        if any(getattr(post, column) != value for column, value in actual.items()):
            Post.objects.filter(pk=post.pk).update(**actual)
            changed = True
    outcomes = TipOutcome.objects.filter(topic_id=topic_id)
    expected: dict[str, float] = {
        **totals,
        "reply_count": Post.objects.filter(topic_id=topic_id, is_first=False, status=ContentStatus.PUBLISHED).count(),
        "outcome_tried": outcomes.count(),
        "outcome_helped": outcomes.filter(helped=True).count(),
    }
    helped, tried = int(expected["outcome_helped"]), int(expected["outcome_tried"])
    expected["wilson_score"] = wilson_lower_bound(helped, tried) if topic.kind == TopicKind.TIP else 0.0
    off = {column: value for column, value in expected.items() if getattr(topic, column) != value}
    if off:
        Topic.objects.filter(pk=topic_id).update(**off)
        changed = True
    return changed
