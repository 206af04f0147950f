"""Generate a large, self-consistent data set for the benchmarks in ``bench/``.

``python manage.py bench_data --members 5000 --topics 50000 --posts-per-topic 10``

Members are ``bench_00001``…; topics spread over the demo boards (optionally
most of them on one ``--hot-board``) with creation times over about two years;
threads vary in length around ``--posts-per-topic`` (the first post counts)
while the total is exactly topics x posts-per-topic. Counters are consistent
with the rows: ``manage.py recount`` repairs nothing afterwards.

Rows go in with ``COPY`` on PostgreSQL and batched ``executemany`` elsewhere,
bypassing the ORM (and ``auto_now_add``) for speed. Topic and post ids are
assigned here, after the current maximum: run it on a database nobody else is
writing to (a benchmark or development database), never on production.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import accumulate, islice
from operator import itemgetter
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Profile, TrustLevel, User
from community.models import (
    Board,
    ContentStatus,
    GoneReason,
    Post,
    Reaction,
    ReactionKind,
    SearchEntry,
    TipOutcome,
    Topic,
    TopicKind,
    TopicTag,
)
from community.rendering import RENDER_VERSION, body_digest, render_markdown
from community.search import index as search_index
from community.services import ensure_demo_boards, recount_topic, wilson_lower_bound
from community.tags import TAG_SLUGS

USERNAME_PREFIX = "bench_"

KIND_WEIGHTS = {TopicKind.EXPERIENCE: 0.35, TopicKind.QUESTION: 0.35, TopicKind.TIP: 0.30}
REACTION_WEIGHTS = {ReactionKind.SUPPORT: 0.45, ReactionKind.HELPFUL: 0.35, ReactionKind.ME_TOO: 0.20}
REACTED_SHARE = 0.4  # share of published posts with at least one reaction
TIP_WITH_OUTCOMES_SHARE = 0.7
REMOVED_REPLY_SHARE = 0.005  # withdrawn by their authors: placeholders in the thread
MEAN_REPLY_GAP_HOURS = 8.0
MAX_THREAD_LENGTH = 1000

OPENERS = {
    TopicKind.EXPERIENCE: [
        "My experience with",
        "Six months of",
        "Living with",
        "A good week despite",
        "Looking back on",
    ],
    TopicKind.QUESTION: ["Anyone else dealing with", "How do you handle", "Question about", "Is it normal to have"],
    TopicKind.TIP: ["What helped me with", "Tip for", "Small trick against", "Routine that eased"],
}
SUBJECTS = [
    "eyelid twitching at work",
    "spasms when I am tired",
    "botox wearing off early",
    "bright light sensitivity",
    "stress in the evening",
    "the first neurologist visit",
    "caffeine and spasms",
    "screen time and eye strain",
    "warm compresses",
    "sleeping badly before injections",
    "explaining it to my family",
    "the left side of my face",
    "driving at night",
    "physical therapy exercises",
    "waiting for a diagnosis",
    "talking about it at work",
]

BODY_TEMPLATES = [
    "Thank you for sharing this, it helps to know I am not alone.",
    "Same here. Mine gets **much worse** when I have not slept well.",
    (
        "I have had this for about three years now. What I noticed:\n\n"
        "- it is worse in the afternoon\n- coffee makes it worse\n- a warm compress for ten minutes helps a bit\n\n"
        "My neurologist suggested keeping a diary, which turned out to be *really* useful."
    ),
    (
        "Welcome! The first months are the hardest. Ask your doctor about the options, and be patient "
        "with yourself while you find what works.\n\nThere is a good overview on the "
        "[association's site](https://example.org/guides/living-with-spasms)."
    ),
    (
        "### What worked for me\n\n1. Fewer screens after 9 pm\n2. Sunglasses outside, even when cloudy\n"
        "3. Breathing exercises when I feel it starting\n\nNone of this is a cure, but together they made "
        "the bad days rarer. I still get my injections every three months."
    ),
    (
        "I was scared before my first injection, so here is how it went for me. The appointment took "
        "twenty minutes. It stung a little, like a bee sting, then nothing. The effect started after "
        "about a week and lasted close to three months. The only side effect was a slightly droopy "
        "eyelid for a few days.\n\n> Everyone reacts differently, so talk to your doctor.\n\n"
        "Happy to answer questions if anyone is about to start."
    ),
    (
        "Does anyone else find that spasms come in waves? I can go a whole week with almost nothing and "
        "then have three bad days in a row. I have tried to link it to sleep, stress and food, but I "
        "cannot find a pattern. Some days it is fine at work and bad at home, other days the opposite. "
        "I would love to hear how others track it, and whether a diary helped anyone make sense of it. "
        "My partner thinks it is mostly stress, my doctor is not sure."
    ),
    "Sending a hug. That sounds really hard, and you are doing well to keep going.",
]


# Besides the templates, each post mentions a few words from a long-tailed vocabulary, as real
# writing does: a handful of words are in a tenth of all posts, most in a few dozen. Search
# benchmarks pick common, rare and absent words from it (``vocabulary_word``).
VOCABULARY_SIZE = 20_000
ZIPF_EXPONENT = 1.07
EXTRA_WORDS = (1, 4)
_SYLLABLES = tuple(consonant + vowel for consonant in "bdklmnprstvz" for vowel in "aeiou")


def vocabulary_word(rank: int) -> str:
    """The ``rank``-th most frequent extra word (0-based): the same word for the same rank, always."""
    word = ""
    rank += 1
    while rank:
        rank, digit = divmod(rank, len(_SYLLABLES))
        word += _SYLLABLES[digit]
    return f"{word}x"


def _batched(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise CommandError(f"{model.__name__}.{name} is not a concrete column")
    return field.column


def _defaults_for_other_columns(model: type[models.Model], fields: Sequence[str]) -> tuple[list[str], list[Any]]:
    """Columns the generator does not set (added to the model later) and the value each gets: its default."""
    names: list[str] = []
    values: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.name in fields or field.primary_key:
            continue
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            value: Any = timezone.now()
        elif field.has_default() or field.null:
            value = field.get_default()
        else:
            raise CommandError(f"bench_data does not know what to put in {model.__name__}.{field.name}")
        names.append(field.name)
        values.append(field.get_db_prep_save(value, connection))
    return names, values


def _write_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert raw rows (values in ``fields`` order): COPY on PostgreSQL, executemany elsewhere."""
    extra_names, extra_values = _defaults_for_other_columns(model, fields)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in (*fields, *extra_names))
    width = len(fields) + len(extra_names)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *extra_values))
                    written += 1
            return written
        placeholders = ", ".join(["%s"] * width)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names come from model meta
        adapt = connection.ops.adapt_datetimefield_value
        for batch in _batched(rows, 2000):
            cursor.executemany(
                sql, [[adapt(v) if isinstance(v, datetime) else v for v in (*row, *extra_values)] for row in batch]
            )
            written += len(batch)
    return written


class Command(BaseCommand):
    help = "Generate a large benchmark data set (bench_ members, topics, posts, reactions, tip outcomes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=100, help="Bench members to create (default 100).")
        parser.add_argument("--topics", type=int, default=1000, help="Topics to create (default 1000).")
        parser.add_argument(
            "--posts-per-topic",
            type=int,
            default=10,
            help="Average posts per topic, first post included; total posts = topics x this (default 10).",
        )
        parser.add_argument("--boards", help="Comma-separated board slugs (default: every live board).")
        parser.add_argument("--hot-board", help="Board slug that gets --hot-share of the topics.")
        parser.add_argument("--hot-share", type=float, default=0.0, help="Share of topics on --hot-board (0-1).")
        parser.add_argument("--days", type=int, default=730, help="Spread creation times over this many days.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1): same seed, same data.")
        parser.add_argument(
            "--reset", action="store_true", help="First delete existing bench_ members and everything they wrote."
        )

    def handle(self, *args: object, **options: Any) -> None:
        members: int = options["members"]
        topics: int = options["topics"]
        per_topic: int = options["posts_per_topic"]
        hot_share: float = options["hot_share"]
        if members < 1 or topics < 0 or per_topic < 1 or options["days"] < 1:
            raise CommandError("--members and --posts-per-topic must be at least 1, --topics at least 0.")
        if not 0.0 <= hot_share <= 1.0:
            raise CommandError("--hot-share must be between 0 and 1.")
        if hot_share and not options["hot_board"]:
            raise CommandError("--hot-share needs --hot-board.")

        ensure_demo_boards()
        boards = self._boards(options["boards"])
        hot_board = None
        if options["hot_board"]:
            hot_board = next((board for board in boards if board.slug == options["hot_board"]), None)
            if hot_board is None:
                raise CommandError(f"--hot-board {options['hot_board']!r} is not among the chosen boards.")

        existing = User.objects.filter(username__startswith=USERNAME_PREFIX)
        if existing.exists():
            if not options["reset"]:
                raise CommandError(
                    f"Bench data already exists ({existing.count()} {USERNAME_PREFIX} members). "
                    "Run with --reset to delete it first, or use a fresh database."
                )
            self._timed("reset", self._reset)

        rng = random.Random(options["seed"])
        generator = _Generator(
            rng=rng,
            now=timezone.now(),
            days=options["days"],
            boards=boards,
            hot_board=hot_board,
            hot_share=hot_share,
        )
        started = time.perf_counter()
        with transaction.atomic():
            users = self._timed("members", lambda: self._create_members(members, generator))
            generator.members = users
            self._timed("generate", lambda: generator.generate(topics, per_topic))
            self._timed("write topics", lambda: _write_rows(Topic, _Generator.TOPIC_FIELDS, generator.topic_rows()))
            self._timed("write tags", lambda: _write_rows(TopicTag, ("topic", "tag"), generator.tag_rows()))
            self._timed("write posts", lambda: _write_rows(Post, _Generator.POST_FIELDS, generator.post_rows()))
            self._timed("search index", generator.write_search_index)
            self._timed(
                "write reactions",
                lambda: _write_rows(Reaction, ("post", "user", "kind", "created_at"), generator.reactions),
            )
            self._timed(
                "write tip outcomes",
                lambda: _write_rows(
                    TipOutcome, ("topic", "user", "helped", "created_at", "updated_at"), generator.outcomes
                ),
            )
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Topic, Post]):
                    cursor.execute(sql)
            committing = time.perf_counter()
        # PostgreSQL checks the (deferred) foreign keys of every row here.
        self.stdout.write(f"  commit: {time.perf_counter() - committing:.2f} s")
        self._timed("analyze", self._analyze)
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench data: {len(users)} members, {len(generator.topics)} topics, {len(generator.posts)} posts, "
                f"{len(generator.reactions)} reactions, {len(generator.outcomes)} tip outcomes "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )

    def _timed(self, label: str, work: Any) -> Any:
        started = time.perf_counter()
        result = work()
        count = f" ({result} rows)" if isinstance(result, int) else ""
        self.stdout.write(f"  {label}{count}: {time.perf_counter() - started:.2f} s")
        return result

    def _boards(self, slugs: str | None) -> list[Board]:
        boards = list(Board.objects.filter(is_archived=False).order_by("position", "pk"))
        if slugs:
            wanted = [slug.strip() for slug in slugs.split(",") if slug.strip()]
            by_slug = {board.slug: board for board in boards}
            missing = [slug for slug in wanted if slug not in by_slug]
            if missing:
                raise CommandError(f"Unknown or archived boards: {', '.join(missing)}")
            boards = [by_slug[slug] for slug in wanted]
        if not boards:
            raise CommandError("No live boards to put topics on.")
        return boards

    def _create_members(self, count: int, generator: _Generator) -> list[tuple[int, str]]:
        width = max(5, len(str(count)))
        password = make_password(None)  # one unusable hash for all: bench members never log in
        joined_from = generator.start - timedelta(days=30)
        users = [
            User(
                username=f"{USERNAME_PREFIX}{n:0{width}d}",
                email=f"{USERNAME_PREFIX}{n:0{width}d}@bench.invalid",
                password=password,
                trust_level=TrustLevel.MEMBER,
                date_joined=joined_from + timedelta(seconds=generator.rng.uniform(0, generator.span_seconds)),
            )
            for n in range(1, count + 1)
        ]
        User.objects.bulk_create(users, batch_size=1000)
        if any(user.pk is None for user in users):  # backends that cannot return ids from bulk inserts
            ids = dict(User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", "pk"))
            for user in users:
                user.pk = ids[user.username]
        Profile.objects.bulk_create([Profile(user=user) for user in users], batch_size=1000)
        return [(user.pk, user.username) for user in users]

    def _reset(self) -> None:
        bench_users = User.objects.filter(username__startswith=USERNAME_PREFIX)
        topic_ids = list(Topic.objects.filter(author__in=bench_users).values_list("pk", flat=True))
        for start in range(0, len(topic_ids), 2000):
            Topic.objects.filter(pk__in=topic_ids[start : start + 2000]).delete()
        # Whatever bench members left elsewhere (replies, reactions, outcomes) goes too; repair those topics.
        touched = set(Post.objects.filter(author__in=bench_users).values_list("topic_id", flat=True))
        touched |= set(Reaction.objects.filter(user__in=bench_users).values_list("post__topic_id", flat=True))
        touched |= set(TipOutcome.objects.filter(user__in=bench_users).values_list("topic_id", flat=True))
        Post.objects.filter(author__in=bench_users).delete()
        bench_users.delete()
        for topic_id in touched:
            recount_topic(topic_id=topic_id)

    def _analyze(self) -> None:
        with connection.cursor() as cursor:
            for model in (Topic, TopicTag, Post, SearchEntry, Reaction, TipOutcome):
                table = connection.ops.quote_name(model._meta.db_table)
                if connection.vendor == "postgresql":
                    # Outside a transaction VACUUM also sets the visibility map, as autovacuum would have.
                    cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
                elif connection.vendor == "sqlite":
                    cursor.execute(f"ANALYZE {table}")


class _Generator:
    """Builds the rows in memory; counters are derived from the rows themselves."""

    TOPIC_FIELDS = (
        "id",
        "board",
        "author",
        "author_name",
        "title",
        "kind",
        "tags",
        "status",
        "is_pinned",
        "is_locked",
        "reply_count",
        "helpful_count",
        "support_count",
        "me_too_count",
        "outcome_tried",
        "outcome_helped",
        "wilson_score",
        "created_at",
        "last_activity_at",
    )
    POST_FIELDS = (
        "id",
        "topic",
        "author",
        "author_name",
        "is_first",
        "body",
        "body_html",
        "render_version",
        "body_digest",
        "status",
        "gone_reason",
        "helpful_count",
        "support_count",
        "me_too_count",
        "created_at",
        "edited_at",
    )

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        days: int,
        boards: list[Board],
        hot_board: Board | None,
        hot_share: float,
    ) -> None:
        self.rng = rng
        self.now = now
        self.span_seconds = days * 86400.0
        self.start = now - timedelta(days=days)
        self.boards = boards
        self.hot_board = hot_board
        self.hot_share = hot_share if hot_board is not None else 0.0
        self.members: list[tuple[int, str]] = []
        # Rendered once and shared by every post that uses the template.
        self.bodies = [(text, render_markdown(text)) for text in BODY_TEMPLATES]
        self.vocabulary = [vocabulary_word(rank) for rank in range(VOCABULARY_SIZE)]
        self.vocabulary_weights = list(accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(VOCABULARY_SIZE)))
        self.topics: list[list[Any]] = []
        self.tags: list[tuple[int, str]] = []
        self.posts: list[list[Any]] = []
        self.reactions: list[tuple[int, int, str, datetime]] = []
        self.outcomes: list[tuple[int, int, bool, datetime, datetime]] = []

    # --- choices -------------------------------------------------------------------

    def _member(self) -> tuple[int, str]:
        # Skewed: a few members write much more than most, as in any forum.
        return self.members[int(len(self.members) * self.rng.random() ** 2)]

    def _board(self) -> Board:
        if self.hot_board is not None and self.rng.random() < self.hot_share:
            return self.hot_board
        others = [board for board in self.boards if board is not self.hot_board] or self.boards
        return self.rng.choice(others)

    def _later(self, moment: datetime, mean_hours: float) -> datetime:
        return min(self.now, moment + timedelta(hours=self.rng.expovariate(1 / mean_hours)))

    def _reply_counts(self, topics: int, per_topic: int) -> list[int]:
        """Replies per topic: geometric-like around the mean, summing exactly to topics x (per_topic - 1)."""
        target = topics * (per_topic - 1)
        if per_topic == 1 or topics == 0:
            return [0] * topics
        mean = per_topic - 1
        counts = [min(MAX_THREAD_LENGTH - 1, int(self.rng.expovariate(1 / mean) + 0.5)) for _ in range(topics)]
        total = sum(counts)
        while total != target:
            i = self.rng.randrange(topics)
            if total > target and counts[i] > 0:
                counts[i] -= 1
                total -= 1
            elif total < target and counts[i] < MAX_THREAD_LENGTH - 1:
                counts[i] += 1
                total += 1
        return counts

    # --- generation ----------------------------------------------------------------

    def generate(self, topic_count: int, per_topic: int) -> None:
        rng = self.rng
        kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        reaction_kinds, reaction_weights = list(REACTION_WEIGHTS), list(REACTION_WEIGHTS.values())
        tag_pool = sorted(TAG_SLUGS)
        # Forums grow: the creation-time density rises linearly towards today.
        created = sorted(
            self.start + timedelta(seconds=self.span_seconds * rng.random() ** 0.5) for _ in range(topic_count)
        )
        next_topic_id = (Topic.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        next_post_id = (Post.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        replies_per_topic = self._reply_counts(topic_count, per_topic)

        # Posts are collected per topic first, then ordered by time so ids and physical order follow
        # creation time, as they would on a live forum where threads interleave.
        pending_posts: list[tuple[datetime, int, int, int, bool, bool]] = []
        for index, created_at in enumerate(created):
            topic_id = next_topic_id + index
            author_id, author_name = self._member()
            kind = rng.choices(kinds, kind_weights)[0]
            tags = sorted(rng.sample(tag_pool, rng.choice((0, 1, 1, 2, 2, 3))))
            title = f"{rng.choice(OPENERS[kind])} {rng.choice(SUBJECTS)}"
            self.tags.extend((topic_id, tag) for tag in tags)
            # topic row; counters are filled in below from the posts, reactions and outcomes
            self.topics.append(
                [
                    topic_id,
                    self._board().pk,
                    author_id,
                    author_name,
                    title,
                    str(kind),
                    json.dumps(tags),
                    ContentStatus.PUBLISHED.value,
                    False,
                    False,
                    0,  # reply_count
                    0,  # helpful_count
                    0,  # support_count
                    0,  # me_too_count
                    0,  # outcome_tried
                    0,  # outcome_helped
                    0.0,  # wilson_score
                    created_at,
                    created_at,  # last_activity_at
                ]
            )
            pending_posts.append((created_at, index, author_id, rng.randrange(len(self.bodies)), True, False))
            replies = replies_per_topic[index]
            if replies:
                offsets: list[float] = []
                elapsed = 0.0
                for _ in range(replies):
                    elapsed += rng.expovariate(1 / (MEAN_REPLY_GAP_HOURS * 3600))
                    offsets.append(elapsed)
                room = (self.now - created_at).total_seconds()
                if elapsed > room:  # squeeze the thread so its last reply lands before now
                    scale = room * rng.uniform(0.5, 1.0) / elapsed
                    offsets = [offset * scale for offset in offsets]
                for offset in offsets:
                    removed = rng.random() < REMOVED_REPLY_SHARE
                    pending_posts.append(
                        (
                            created_at + timedelta(seconds=offset),
                            index,
                            self._member()[0],
                            rng.randrange(len(self.bodies)),
                            False,
                            removed,
                        )
                    )
            if kind == TopicKind.TIP and rng.random() < TIP_WITH_OUTCOMES_SHARE:
                self._outcomes(self.topics[index], rng)

        pending_posts.sort(key=itemgetter(0))
        names = dict(self.members)
        for offset, (created_at, index, author_id, body_index, is_first, removed) in enumerate(pending_posts):
            topic = self.topics[index]
            post_id = next_post_id + offset
            text, html, digest = self._body(body_index)
            counts = {ReactionKind.HELPFUL: 0, ReactionKind.SUPPORT: 0, ReactionKind.ME_TOO: 0}
            if not removed and rng.random() < REACTED_SHARE:
                how_many = min(len(self.members), 1 + int(rng.expovariate(1 / 1.5)))
                for member_index in rng.sample(range(len(self.members)), how_many):
                    reaction = rng.choices(reaction_kinds, reaction_weights)[0]
                    counts[reaction] += 1
                    self.reactions.append(
                        (post_id, self.members[member_index][0], reaction.value, self._later(created_at, 6))
                    )
            self.posts.append(
                [
                    post_id,
                    topic[0],
                    author_id,
                    names[author_id],
                    is_first,
                    text,
                    html,
                    RENDER_VERSION,
                    digest,
                    ContentStatus.REMOVED.value if removed else ContentStatus.PUBLISHED.value,
                    GoneReason.WITHDRAWN.value if removed else "",
                    counts[ReactionKind.HELPFUL],
                    counts[ReactionKind.SUPPORT],
                    counts[ReactionKind.ME_TOO],
                    created_at,
                    None,
                ]
            )
            topic[11] += counts[ReactionKind.HELPFUL]
            topic[12] += counts[ReactionKind.SUPPORT]
            topic[13] += counts[ReactionKind.ME_TOO]
            if not is_first:
                if not removed:
                    topic[10] += 1
                # Activity counts when a reply was posted, even if it was later withdrawn.
                topic[18] = max(topic[18], created_at)

    def _body(self, template_index: int) -> tuple[str, str, str]:
        """A template followed by a few words of the long-tailed vocabulary: text, HTML and digest."""
        template, template_html = self.bodies[template_index]
        count = self.rng.randint(*EXTRA_WORDS)
        extra = " ".join(self.rng.choices(self.vocabulary, cum_weights=self.vocabulary_weights, k=count))
        # A paragraph of lowercase words renders as <p>…</p> after the template's HTML.
        text = f"{template}\n\nAlso: {extra}."
        return text, f"{template_html}<p>Also: {extra}.</p>\n", body_digest(text)

    def _outcomes(self, topic: list[Any], rng: random.Random) -> None:
        tried = min(len(self.members), 1 + int(rng.expovariate(1 / 8)))
        success = rng.betavariate(3, 2)
        helped = 0
        for member_index in rng.sample(range(len(self.members)), tried):
            did_help = rng.random() < success
            helped += did_help
            when = self._later(topic[17], 24 * 14)
            self.outcomes.append((topic[0], self.members[member_index][0], did_help, when, when))
        topic[14] = tried
        topic[15] = helped
        topic[16] = wilson_lower_bound(helped, tried)

    # --- rows ----------------------------------------------------------------------

    def topic_rows(self) -> Iterator[list[Any]]:
        return iter(self.topics)

    def tag_rows(self) -> Iterator[tuple[int, str]]:
        return iter(self.tags)

    def post_rows(self) -> Iterator[list[Any]]:
        return iter(self.posts)

    def write_search_index(self) -> int:
        """One search entry per post, as the services would index it; on PostgreSQL the vectors are
        computed in batches and COPYed in with the rows."""
        topics = {topic[0]: topic for topic in self.topics}
        fields = ("post", "topic", "board", "kind", "author", "state", "created_at")
        written = 0
        for batch in _batched(self.posts, 5000):
            entries = []
            texts = []
            for post in batch:
                topic = topics[post[1]]
                state = search_index.search_state(post[9], topic[7])
                entries.append([post[0], topic[0], topic[1], topic[5], post[2], state.value, post[14]])
                texts.append((post[0], topic[4] if post[4] else "", post[6]))
            if connection.vendor == "postgresql":
                vectors = search_index.search_vectors(texts)
                written += _write_rows(
                    SearchEntry, (*fields, "vector"), ([*e, v] for e, v in zip(entries, vectors, strict=True))
                )
            else:
                written += _write_rows(SearchEntry, fields, entries)
                search_index.write_fts(texts)
        return written
