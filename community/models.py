"""Community content. Invariants live here; every write goes through ``services``."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class Board(models.Model):
    """A topic board. Members-only boards (``is_public=False``) are invisible to visitors."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_public = models.BooleanField(default=True)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ModeratorScope(models.Model):
    """Limits a moderator to some boards. A moderator with no scope rows moderates every board."""

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_scopes")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="moderator_scopes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["moderator", "board"], name="moderator_scope_once")]

    def __str__(self) -> str:
        return f"{self.moderator} on {self.board}"


class TopicKind(models.TextChoices):
    EXPERIENCE = "experience", "Experience"
    TIP = "tip", "Tip"
    QUESTION = "question", "Question"


class ContentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Pending review"
    HIDDEN = "hidden", "Hidden pending review"
    REMOVED = "removed", "Removed"


class GoneReason(models.TextChoices):
    """Why a post is no longer shown; the placeholder text others see comes from this."""

    WITHDRAWN = "withdrawn", "Withdrawn by its author"
    FLAGGED = "flagged", "Hidden while moderators review reports"
    MODERATED = "moderated", "Removed by moderators for breaking the community guidelines"
    HIDDEN_BY_MODERATORS = "hidden", "Hidden by moderators"
    AUTHOR_ERASED = "author_erased", "Removed at the author's request"


class Topic(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    author_name = models.CharField(max_length=30)
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=TopicKind.choices)
    # Display copy of the tags; TopicTag rows are what filters use.
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    reply_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    outcome_tried = models.PositiveIntegerField(default=0)
    outcome_helped = models.PositiveIntegerField(default=0)
    # Wilson lower bound (95%) of helped/tried, kept current with the counters.
    wilson_score = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["board", "status", "-created_at"], name="topic_board_latest"),
            models.Index(fields=["board", "status", "-last_activity_at"], name="topic_board_active"),
            models.Index(fields=["board", "status", "-helpful_count"], name="topic_board_helpful"),
            models.Index(fields=["kind", "status", "-wilson_score"], name="topic_tips_ranked"),
            models.Index(fields=["author", "-created_at"], name="topic_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(outcome_helped__lte=models.F("outcome_tried")), name="helped_le_tried"),
        ]

    def __str__(self) -> str:
        return self.title


class TopicTag(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tag_rows")
    tag = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "tag"], name="topic_tag_once")]
        indexes = [models.Index(fields=["tag", "topic"], name="topictag_by_tag")]

    def __str__(self) -> str:
        return self.tag


class Post(models.Model):
    """One message in a topic. The first post of a topic is its body."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    author_name = models.CharField(max_length=30)
    is_first = models.BooleanField(default=False)
    body = models.TextField(max_length=20_000)
    body_html = models.TextField()
    render_version = models.PositiveSmallIntegerField()
    # Hash of the normalised body, to refuse the same text twice in a row.
    body_digest = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    gone_reason = models.CharField(max_length=16, choices=GoneReason.choices, blank=True)
    # Set by screening for dosage or stop-medication advice and miracle-cure claims.
    medical_notice = models.BooleanField(default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["topic", "created_at"], name="post_topic_thread"),
            models.Index(fields=["author", "-created_at"], name="post_author_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["topic"], condition=Q(is_first=True), name="one_first_post_per_topic"),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in topic {self.topic_id}"


class SearchState(models.TextChoices):
    """Who may find a post, from its status and its topic's (``community.search.index.search_state``)."""

    PUBLISHED = "published", "Published in a published topic"
    PENDING = "pending", "Held, in a topic still open"
    CLOSED = "closed", "Hidden or removed, or in a hidden or removed topic: found by nobody"


class SearchEntry(models.Model):
    """The search index of one post: its words and the facts search filters on, in one narrow row.

    Written only by ``community.search.index``, in the transaction that changes the post, its status
    or its topic's. The words are a ``tsvector`` on PostgreSQL (GIN-indexed by migration 0009);
    SQLite keeps them in the FTS5 table ``community_post_fts`` and leaves ``vector`` empty.
    """

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=16, choices=TopicKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=SearchState.choices)
    created_at = models.DateTimeField()
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            # Matching posts newest first, when a word is too common for the GIN index to narrow it.
            models.Index(fields=["created_at"], name="search_entry_recent"),
        ]

    def __str__(self) -> str:
        return f"Search entry of post {self.post_id}"


class PostRevision(models.Model):
    """The text of a post before an edit. Kept for moderators; never shown to members."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    editor_name = models.CharField(max_length=30)
    body = models.TextField()
    title = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ReactionKind(models.TextChoices):
    HELPFUL = "helpful", "Helpful"
    SUPPORT = "support", "Support (a hug)"
    ME_TOO = "me_too", "Me too"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class TipOutcome(models.Model):
    """ "I tried this tip: it helped / it did not help". One per member per tip."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="outcomes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tip_outcomes")
    helped = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="outcome_once_per_member")]

    def __str__(self) -> str:
        return f"{'helped' if self.helped else 'did not help'} on tip {self.topic_id}"


class BoardFollow(models.Model):
    """A member follows a board: their digest then covers followed boards only (none followed: every board)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_follows")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="board_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows board {self.board_id}"


class TopicFollow(models.Model):
    """A member follows a topic: they are told about new replies in it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows topic {self.topic_id}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="bookmark_once")]

    def __str__(self) -> str:
        return f"{self.user_id} bookmarked topic {self.topic_id}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", "Reply in your topic"
    FOLLOWED_REPLY = "followed_reply", "Reply in a topic you follow"
    POST_APPROVED = "post_approved", "Your post was approved"
    MODERATION_DECISION = "moderation_decision", "A moderator decision about your content"
    CRISIS_RESOURCES = "crisis_resources", "Support resources"
    URGENT_REVIEW = "urgent_review", "An urgent item in the moderation queue"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor_name = models.CharField(max_length=30, blank=True)
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (nothing new)"


class DigestDelivery(models.Model):
    """One member's digest for one period. The unique row is what makes delivery happen at most once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries")
    # "daily:2026-11-21" or "weekly:2026-W47", in the member's own time zone.
    period = models.CharField(max_length=24)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_member_and_period")]
        indexes = [models.Index(fields=["status", "claimed_at"], name="digest_delivery_status")]

    def __str__(self) -> str:
        return f"{self.period} for {self.user_id}: {self.status}"


class IdempotencyRecord(models.Model):
    """The first answer to a create request sent with an ``Idempotency-Key``.

    A retry with the same key and body gets this answer back instead of
    creating a second topic, post or flag. Kept 24 hours.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_member")]

    def __str__(self) -> str:
        return f"{self.scope} ({self.key})"


class DigestTally(models.Model):
    """How many digests of a period ended in each status, kept after the deliveries themselves are purged."""

    period = models.CharField(max_length=24)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "status"], name="digest_tally_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.status}: {self.count}"
