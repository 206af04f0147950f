"""The search index: what of a post can be found and by whom, kept current in the transaction that
changes it.

Each post has one :class:`~community.models.SearchEntry`: its words (PostgreSQL: a ``tsvector``
with the topic's title at weight A on the opening post and the post's text at weight B, GIN-indexed;
SQLite: the same two texts in the FTS5 table ``community_post_fts``) next to the facts search
filters on — topic, board, kind, author, time and :func:`search_state`. Searching then reads one
narrow table (plus the few boards), whatever the number of posts.

Who calls what, always inside the service's transaction:

- a new post, an edit, a redaction, a new title: :func:`index_post`;
- a post's status or its topic's changing: :func:`refresh_states`;
- an erasure: :func:`unindex_posts` (nothing of the text stays) and :func:`refresh_states`.

The indexed text is the sanitised HTML's text (:func:`plain_text`), what readers see and what
snippets are cut from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from itertools import islice
from typing import Final

from django.db import connection
from django.db.models import Case, OuterRef, Q, Subquery, Value, When

from community.models import ContentStatus, Post, SearchEntry, SearchState, Topic
from community.search.query import STEMMED_CONFIG

FTS_TABLE: Final = "community_post_fts"
BATCH: Final = 2000

# Tags after which the text continues on a new line: words either side must not run together.
_BLOCK_TAGS: Final = frozenset({"p", "br", "hr", "li", "pre", "blockquote", "h3", "h4", "h5", "ul", "ol"})
_CONTROL: Final = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n")
_OPEN: Final = (ContentStatus.PUBLISHED, ContentStatus.PENDING)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(body_html: str) -> str:
    """The text of a post's sanitised HTML, as readers see it: no markup, entities decoded, no control
    characters, whitespace collapsed within lines."""
    parser = _TextOf()
    parser.feed(body_html)
    parser.close()
    lines = "".join(parser.parts).translate(_CONTROL).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def search_state(post_status: str, topic_status: str) -> SearchState:
    """Who may find a post: published in a published topic (readers of the board); held in an open
    topic (its author and the board's moderators); anything else nobody."""
    if post_status == ContentStatus.PUBLISHED and topic_status == ContentStatus.PUBLISHED:
        return SearchState.PUBLISHED
    if post_status == ContentStatus.PENDING and topic_status in _OPEN:
        return SearchState.PENDING
    return SearchState.CLOSED


def _state_expression(post: str = "post__", topic: str = "post__topic__") -> Case:
    """:func:`search_state` as a database expression."""
    return Case(
        When(
            Q(**{f"{post}status": ContentStatus.PUBLISHED, f"{topic}status": ContentStatus.PUBLISHED}),
            then=Value(SearchState.PUBLISHED),
        ),
        When(
            Q(**{f"{post}status": ContentStatus.PENDING, f"{topic}status__in": _OPEN}), then=Value(SearchState.PENDING)
        ),
        default=Value(SearchState.CLOSED),
    )


# --- Writing entries -----------------------------------------------------------------------------------


def index_post(post: Post, topic: Topic) -> None:
    """(Re)index one post after its text changed, from the instances in hand (the topic with its
    title as it is now, saved or not)."""
    write_entries([_entry(post, topic)], [_text(post, topic)])


def index_posts(post_ids: Sequence[int]) -> int:
    """(Re)index posts from their rows as they are now. Returns how many were indexed."""
    done = 0
    for start in range(0, len(post_ids), BATCH):
        posts = list(
            Post.objects.filter(pk__in=post_ids[start : start + BATCH])
            .select_related("topic")
            .only("is_first", "body_html", "status", "created_at", "author_id", "topic__title", "topic__status",
                  "topic__kind", "topic__board_id")
        )  # fmt: skip
        write_entries([_entry(post, post.topic) for post in posts], [_text(post, post.topic) for post in posts])
        done += len(posts)
    return done


def _entry(post: Post, topic: Topic) -> SearchEntry:
    return SearchEntry(
        post_id=post.pk,
        topic_id=topic.pk,
        board_id=topic.board_id,
        kind=topic.kind,
        author_id=post.author_id,
        state=search_state(post.status, topic.status),
        created_at=post.created_at,
    )


def _text(post: Post, topic: Topic) -> tuple[int, str, str]:
    """What is indexed: the title on the opening post only, and the post's sanitised HTML."""
    return post.pk, topic.title if post.is_first else "", post.body_html


def write_entries(entries: list[SearchEntry], texts: Sequence[tuple[int, str, str]]) -> None:
    """Store entries (replacing any for the same posts) and their words, given as
    ``(post id, title, body_html)``."""
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=["topic", "board", "kind", "author", "state", "created_at"],
    )
    if connection.vendor != "postgresql":
        write_fts(texts)
        return
    rows = [(pk, title, plain_text(html)) for pk, title, html in texts]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE community_searchentry AS entry SET vector = {_VECTOR}
            FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS given(id, title, body)
            WHERE entry.post_id = given.id
            """,  # noqa: S608 - the configuration name is a constant
            [[row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]],
        )


def write_fts(texts: Sequence[tuple[int, str, str]]) -> None:
    """SQLite: (re)write the FTS5 rows of posts given as ``(post id, title, body_html)``."""
    rows = [(pk, title, plain_text(html)) for pk, title, html in texts]
    if not rows:
        return
    marks = ", ".join(["%s"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", [row[0] for row in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)", rows)  # noqa: S608


def refresh_states(*, post_ids: Iterable[int] = (), topic_ids: Iterable[int] = ()) -> None:
    """After statuses changed: recompute who may find these posts, and every post of these topics."""
    post_ids, topic_ids = list(post_ids), list(topic_ids)
    if not post_ids and not topic_ids:
        return
    state = Subquery(
        Post.objects.filter(pk=OuterRef("post_id")).annotate(s=_state_expression("", "topic__")).values("s")[:1]
    )
    SearchEntry.objects.filter(Q(post_id__in=post_ids) | Q(topic_id__in=topic_ids)).update(state=state)


def unindex_posts(post_ids: Sequence[int]) -> None:
    """Forget the words of these posts (an erasure): nothing of their text stays in the index."""
    for start in range(0, len(post_ids), BATCH):
        batch = list(post_ids[start : start + BATCH])
        SearchEntry.objects.filter(pk__in=batch).update(vector=None, state=SearchState.CLOSED)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)  # noqa: S608
    if connection.vendor == "sqlite" and post_ids:
        with connection.cursor() as cursor:
            # Deleted rows leave their tokens in FTS5's segments until they are merged: merge now.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608 - a constant


# The one definition of a post's vector: the title's words weigh A, the text's B.
_VECTOR: Final = (
    f"setweight(to_tsvector('{STEMMED_CONFIG}', given.title), 'A')"
    f" || setweight(to_tsvector('{STEMMED_CONFIG}', given.body), 'B')"
)


def search_vectors(texts: Sequence[tuple[int, str, str]]) -> list[str]:
    """PostgreSQL: the vectors of posts given as ``(post id, title, body_html)``, as text, in order,
    computed without writing anything (for bulk loads that COPY them in)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({_VECTOR})::text FROM unnest(%s::text[], %s::text[])"  # noqa: S608 - constants only
            " WITH ORDINALITY AS given(title, body, n) ORDER BY given.n",
            [[title for _, title, _ in texts], [plain_text(html) for _, _, html in texts]],
        )
        return [row[0] for row in cursor.fetchall()]


def rebuild() -> int:
    """Index every post from scratch (after rows were written around the services). Returns how many."""
    SearchEntry.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - a constant
    ids = Post.objects.order_by("pk").values_list("pk", flat=True).iterator(BATCH)
    done = 0
    while batch := list(islice(ids, BATCH)):
        done += index_posts(batch)
    return done
