"""What erasing a member means for community content (called by ``privacy.services`` only).

With ``remove`` every post they wrote becomes a placeholder ("Removed at the author's
request") with its text wiped, and their topics lose their titles; with ``keep`` the
posts stay readable under "former member". Either way their revisions, reactions, tip
outcomes, follows, bookmarks, notifications, digest deliveries and idempotency records
go, other members' notifications stop naming them, and every counter they moved is
recomputed from the rows. Set-based: the number of queries does not grow with the
number of posts, so a member with years of posts is erased in one request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Replace

from accounts.models import User
from community.models import (
    BoardFollow,
    Bookmark,
    ContentStatus,
    DigestDelivery,
    GoneReason,
    IdempotencyRecord,
    Notification,
    Post,
    PostRevision,
    Reaction,
    TipOutcome,
    Topic,
    TopicFollow,
    TopicKind,
    TopicTag,
)
from community.search import index as search_index
from community.services import REACTION_COUNTER, wilson_lower_bound

FORMER_MEMBER = "former member"
ERASED_TITLE = "Removed at the author's request"
CHUNK = 500


def erase_member_content(*, member: User, remove: bool) -> dict[str, int]:
    """Needs the member's row locked, inside the erasure's transaction. Returns counts for the audit entry."""
    own_posts = Post.objects.filter(author=member)
    own_topics = Topic.objects.filter(author=member)
    touched = set(own_posts.values_list("topic_id", flat=True).distinct())
    reacted_posts = set(Reaction.objects.filter(user=member).values_list("post_id", flat=True))
    reacted = Post.objects.filter(pk__in=Reaction.objects.filter(user=member).values("post_id"))
    touched |= set(reacted.values_list("topic_id", flat=True).distinct())
    touched |= set(TipOutcome.objects.filter(user=member).values_list("topic_id", flat=True))
    counts = {"posts": own_posts.count(), "topics": own_topics.count()}

    counts["revisions_wiped"] = PostRevision.objects.filter(post__author=member).delete()[0]
    # Their edits of others' posts (as a moderator) stay as revisions, without their name.
    PostRevision.objects.filter(editor=member).update(editor=None, editor_name=FORMER_MEMBER)
    _forget_in_others_notifications(member=member, remove=remove)
    if remove:
        _remove_posts(member=member)
    own_posts.update(author=None, author_name=FORMER_MEMBER)
    own_topics.update(author=None, author_name=FORMER_MEMBER)

    counts["reactions"] = Reaction.objects.filter(user=member).delete()[0]
    counts["tip_outcomes"] = TipOutcome.objects.filter(user=member).delete()[0]
    for model in (BoardFollow, TopicFollow, Bookmark, DigestDelivery, IdempotencyRecord):
        model.objects.filter(user=member).delete()
    Notification.objects.filter(recipient=member).delete()
    recount_topics(touched, posts=reacted_posts)
    return counts


def _remove_posts(*, member: User) -> None:
    """Wipe the text of every post and topic title the member wrote, leaving placeholders.

    The opening post of a topic others replied to stays as a placeholder so the replies keep
    their thread; a topic nobody else replied in is removed with it.
    """
    own_topics = Topic.objects.filter(author=member)
    others_replied = Post.objects.filter(topic=OuterRef("pk"), is_first=False, status=ContentStatus.PUBLISHED).exclude(
        author=member
    )
    own_topics.exclude(Q(status=ContentStatus.PUBLISHED) & Q(Exists(others_replied))).update(
        status=ContentStatus.REMOVED
    )
    own_topics.update(title=ERASED_TITLE, tags=[])
    TopicTag.objects.filter(topic__author=member).delete()
    own_post_ids = list(Post.objects.filter(author=member).values_list("pk", flat=True))
    search_index.unindex_posts(own_post_ids)
    Post.objects.filter(author=member).update(
        body="",
        body_html="",
        body_digest="",
        status=ContentStatus.REMOVED,
        gone_reason=GoneReason.AUTHOR_ERASED,
        medical_notice=False,
    )
    # Others' replies in the topics removed with them are no longer found either.
    search_index.refresh_states(topic_ids=own_topics.values_list("pk", flat=True))


def _forget_in_others_notifications(*, member: User, remove: bool) -> None:
    """Other members' notifications about the member's posts: gone with the posts (``remove``), or no
    longer naming them (``keep``)."""
    about_them = Notification.objects.exclude(recipient=member).filter(
        Q(post__author=member) | Q(topic__author=member) | Q(actor_name=member.username)
    )
    if remove:
        about_them.delete()
        return
    about_them.filter(actor_name=member.username).update(
        actor_name=FORMER_MEMBER, message=Replace("message", Value(member.username), Value(FORMER_MEMBER))
    )


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _count_of(model: type[Reaction] | type[Post] | type[TipOutcome], link: str, **filters: Any) -> Coalesce:
    rows = model.objects.filter(**{link: OuterRef("pk")}, **filters).order_by().values(link)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), Value(0))


def recount_topics(topic_ids: Iterable[int], *, posts: Iterable[int] = ()) -> None:
    """Recompute the reaction counters of ``posts``, then every counter and the Wilson score of
    ``topic_ids``, from the rows. A fixed number of queries per 500 ids."""
    for chunk in _chunks(posts):
        Post.objects.filter(pk__in=chunk).update(
            **{column: _count_of(Reaction, "post", kind=kind) for kind, column in REACTION_COUNTER.items()}
        )
    for chunk in _chunks(topic_ids):
        sums = {
            column: Coalesce(
                Subquery(
                    Post.objects.filter(topic=OuterRef("pk"))
                    .order_by()
                    .values("topic")
                    .annotate(total=Sum(column))
                    .values("total")[:1]
                ),
                Value(0),
            )
            for column in REACTION_COUNTER.values()
        }
        Topic.objects.filter(pk__in=chunk).update(
            **sums,
            reply_count=_count_of(Post, "topic", is_first=False, status=ContentStatus.PUBLISHED),
            outcome_tried=_count_of(TipOutcome, "topic"),
            outcome_helped=_count_of(TipOutcome, "topic", helped=True),
        )
        changed = []
        for tip in Topic.objects.filter(pk__in=chunk, kind=TopicKind.TIP).only(
            "pk", "outcome_helped", "outcome_tried", "wilson_score"
        ):
            score = wilson_lower_bound(tip.outcome_helped, tip.outcome_tried)
            if score != tip.wilson_score:
                tip.wilson_score = score
                changed.append(tip)
        Topic.objects.bulk_update(changed, ["wilson_score"])
