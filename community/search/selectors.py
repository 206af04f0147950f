"""Search: the topics whose posts match, best first, each with its best-matching post and a snippet.

How a search runs (a fixed number of queries, whatever the words):

1. **Candidates**, from the search index (``SearchEntry``, one narrow row per
   post): the matching posts the viewer may find
   (:func:`~community.permissions.searchable_entries_filter`), with the
   filters, created no later than the search's ``as_of`` time (fixed by the
   first page, so later pages rank the same set): the
   :data:`RECENT_CANDIDATES` newest. When fewer posts match, that is all of
   them; a search matching more ranks within the newest 300, and a
   member narrows a common word with another or a filter. When those span
   fewer than :data:`ENOUGH_TOPICS` topics (one long thread repeating the
   words), up to two more reads take the next newest matches in other topics.
   Tips' Wilson scores come with their rows.
2. **Ranking**, in Python over the candidates, per post::

       score = text rank * (1 + WILSON_WEIGHT * Wilson score of the topic, for tips)
                         * 1 / (1 + age in days / RECENCY_HALF_LIFE_DAYS)

   The text rank is PostgreSQL's ``ts_rank`` (title matches weigh 1.0, text
   0.4, normalised by the post's length) or SQLite's ``bm25`` (title column
   2.5 * the text's). A topic ranks by its best post; ``newest`` ranks topics
   by their newest matching post instead.
3. **A page** by keyset over (score or time, topic id), the cursor holding
   the position and ``as_of``.
4. **Details and snippets** of that page only: PostgreSQL's ``ts_headline``
   over the sanitised HTML (markup dropped), SQLite's ``snippet()`` over the
   FTS5 copy of the plain text; escaped, the matched words in ``<mark>``.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from django.db import connection
from django.db.models import BooleanField, Case, Exists, FloatField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from community.models import Post, SearchEntry, Topic, TopicKind, TopicTag
from community.permissions import Viewer, searchable_entries_filter
from community.search import query as search_query
from community.search.index import FTS_TABLE
from community.search.query import STEMMED_CONFIG, SearchQuery
from config.errors import cursor_refusal

RECENT_CANDIDATES: Final = 300
# When the newest matches span fewer topics than this, read further (at most twice more) past them.
ENOUGH_TOPICS: Final = 100
MORE_CANDIDATE_READS: Final = 2
WILSON_WEIGHT: Final = 1.0
RECENCY_HALF_LIFE_DAYS: Final = 365.0
# SQLite's bm25 weights per FTS5 column (title, body), as PostgreSQL's A and B weights (1.0, 0.4).
FTS_WEIGHTS: Final = (2.5, 1.0)

SORTS: Final = ("relevance", "newest")
MAX_CURSOR_LENGTH: Final = 200

# Markers around matched words in a snippet: control characters, which the sanitiser and plain_text()
# leave out of the text, so they can only come from the highlighter. The text is escaped, then they
# become <mark>.
_START: Final = "\x02"
_STOP: Final = "\x03"
_HEADLINE_OPTIONS: Final = (
    f'StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class Filters:
    board: str | None = None
    tag: str | None = None
    kind: str | None = None


@dataclass
class _Candidate:
    post_id: int
    topic_id: int
    key: float


@dataclass(frozen=True)
class Page:
    results: list[dict[str, Any]]
    next_cursor: str | None
    previous_cursor: str | None


def search(
    user: Viewer,
    query: SearchQuery,
    *,
    filters: Filters = Filters(),
    sort: str = "relevance",
    cursor: str | None = None,
    page_size: int = 25,
) -> Page:
    position = _decode_cursor(cursor, sort) if cursor else None
    as_of = position.as_of if position else timezone.now()
    ranked = _ranked_topics(user, query, filters=filters, sort=sort, as_of=as_of)
    page, has_before, has_after = _slice(ranked, position, page_size)
    results = _details(page, query)
    previous_cursor = next_cursor = None
    if page and has_before:
        previous_cursor = _encode_cursor(_Position(sort, as_of, page[0].key, page[0].topic_id, backwards=True))
    if page and has_after:
        next_cursor = _encode_cursor(_Position(sort, as_of, page[-1].key, page[-1].topic_id, backwards=False))
    return Page(results, next_cursor, previous_cursor)


# --- 1 and 2: candidates and ranking ---------------------------------------------------------------


def _findable(user: Viewer, *, filters: Filters, as_of: datetime) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.filter(searchable_entries_filter(user), created_at__lte=as_of)
    if filters.board:
        entries = entries.filter(board__slug=filters.board)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.tag:
        entries = entries.filter(Exists(TopicTag.objects.filter(topic=OuterRef("topic_id"), tag=filters.tag)))
    return entries


def _match_and_rank(query: SearchQuery) -> tuple[RawSQL, RawSQL]:
    """The database's "this post matches" condition and its text rank, the words as bound parameters."""
    if connection.vendor == "postgresql":
        tsquery, params = search_query.to_tsquery_sql(query)
        vector = '"community_searchentry"."vector"'
        return (
            RawSQL(f"{vector} @@ {tsquery}", params, output_field=BooleanField()),  # noqa: S611 - words are params
            RawSQL(f"ts_rank({vector}, {tsquery}, 1)", params, output_field=FloatField()),  # noqa: S611
        )
    expression = search_query.to_fts5(query)
    title_weight, body_weight = FTS_WEIGHTS
    entry = '"community_searchentry"."post_id"'
    return (
        RawSQL(  # noqa: S611 - the expression is a bound parameter
            f"{entry} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608
            [expression],
            output_field=BooleanField(),
        ),
        RawSQL(  # noqa: S611 - the expression is a bound parameter
            f"(SELECT -bm25({FTS_TABLE}, {title_weight}, {body_weight}) FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND rowid = {entry})",
            [expression],
            output_field=FloatField(),
        ),
    )


def _ranked_topics(
    user: Viewer, query: SearchQuery, *, filters: Filters, sort: str, as_of: datetime
) -> list[_Candidate]:
    match, rank = _match_and_rank(query)
    # A tip's Wilson score rides along with its posts (looked up for tip rows only, after the limit).
    wilson = Case(
        When(kind=TopicKind.TIP, then=Subquery(Topic.objects.filter(pk=OuterRef("topic_id")).values("wilson_score"))),
        default=Value(0.0),
        output_field=FloatField(),
    )
    matching = (
        _findable(user, filters=filters, as_of=as_of)
        .filter(match)
        .annotate(text_rank=rank, age=_seconds_before(as_of), wilson=wilson)
        .order_by("-created_at", "-post_id")
        .values_list("post_id", "topic_id", "age", "text_rank", "wilson")
    )
    rows = read = list(matching[:RECENT_CANDIDATES])
    # One busy thread saying the words again and again must not crowd every other topic out: while the
    # candidates span few topics and there may be more, read the next newest matches in other topics.
    for _ in range(MORE_CANDIDATE_READS):
        topics = {row[1] for row in rows}
        if len(read) < RECENT_CANDIDATES or len(topics) >= ENOUGH_TOPICS:
            break
        read = list(matching.exclude(topic_id__in=sorted(topics))[:RECENT_CANDIDATES])
        rows = rows + read
    best: dict[int, _Candidate] = {}
    for post_id, topic_id, age, text_rank, tip_score in rows:
        # Newest first is least age first; the cursor's as_of keeps ages the same from page to page.
        key = score(text_rank, tip_score or 0.0, age / 86400) if sort == "relevance" else -age
        current = best.get(topic_id)
        if current is None or (key, -post_id) > (current.key, -current.post_id):
            best[topic_id] = _Candidate(post_id, topic_id, key)
    return sorted(best.values(), key=lambda c: (c.key, c.topic_id), reverse=True)


def _seconds_before(as_of: datetime) -> RawSQL:
    """How long before ``as_of`` each post was written, in seconds, worked out by the database: hundreds
    of candidates need no datetime objects in Python."""
    if connection.vendor == "postgresql":
        return RawSQL(
            'EXTRACT(EPOCH FROM (%s::timestamptz - "community_searchentry"."created_at"))::float8',
            [as_of],
            output_field=FloatField(),
        )
    # SQLite stores times as UTC text, which julianday() reads.
    return RawSQL(
        '(julianday(%s) - julianday("community_searchentry"."created_at")) * 86400.0',
        [as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")],
        output_field=FloatField(),
    )


def score(text_rank: float | None, wilson: float, age_days: float) -> float:
    """A post's relevance: see the module docstring."""
    return (text_rank or 0.0) * (1 + WILSON_WEIGHT * wilson) / (1 + max(0.0, age_days) / RECENCY_HALF_LIFE_DAYS)


def _slice(ranked: list[_Candidate], position: _Position | None, page_size: int) -> tuple[list[_Candidate], bool, bool]:
    """The page after (or, going back, before) the position, and whether there is more either side."""
    if position is None:
        return ranked[:page_size], False, len(ranked) > page_size
    mark = (position.key, position.topic_id)
    if position.backwards:
        before = [c for c in ranked if (c.key, c.topic_id) > mark]
        page = before[-page_size:]
        return page, len(before) > page_size, True
    after = [c for c in ranked if (c.key, c.topic_id) < mark]
    return after[:page_size], True, len(after) > page_size


# --- 4: what a result shows ---------------------------------------------------------------------------


def _details(page: list[_Candidate], query: SearchQuery) -> list[dict[str, Any]]:
    """What each result of the page shows, its snippet included: one query on PostgreSQL, two on SQLite."""
    if not page:
        return []
    posts = Post.objects.filter(pk__in=[c.post_id for c in page])
    if connection.vendor == "postgresql":
        tsquery, params = search_query.to_tsquery_sql(query)
        # ts_headline reads the sanitised HTML as HTML: markup out, entities kept (unescaped in marked()).
        headline = f'ts_headline(\'{STEMMED_CONFIG}\', "community_post"."body_html", {tsquery}, %s)'
        posts = posts.annotate(snippet=RawSQL(headline, [*params, _HEADLINE_OPTIONS]))  # noqa: S611 - params only
        fields = ["snippet"]
    else:
        fields = []
    rows = {
        row["pk"]: row
        for row in posts.values(
            "pk",
            "topic_id",
            "author_name",
            "created_at",
            "topic__title",
            "topic__kind",
            "topic__board__slug",
            "topic__outcome_helped",
            "topic__outcome_tried",
            *fields,
        )
    }
    # A post deleted since the candidates were read (its topic deleted) drops out of the page.
    page = [candidate for candidate in page if candidate.post_id in rows]
    if connection.vendor == "postgresql":
        snippets = {pk: marked(html.unescape(row["snippet"] or "")) for pk, row in rows.items()}
    else:
        snippets = _fts_snippets(query, [c.post_id for c in page])
    results = []
    for candidate in page:
        row = rows[candidate.post_id]
        result: dict[str, Any] = {
            "topic": row["topic_id"],
            "title": row["topic__title"],
            "board": row["topic__board__slug"],
            "kind": row["topic__kind"],
            "post": candidate.post_id,
            "author": row["author_name"],
            "created_at": row["created_at"],
            "snippet": snippets.get(candidate.post_id, ""),
        }
        if row["topic__kind"] == TopicKind.TIP:
            result["outcomes"] = {"helped": row["topic__outcome_helped"], "tried": row["topic__outcome_tried"]}
        results.append(result)
    return results


def _fts_snippets(query: SearchQuery, post_ids: list[int]) -> dict[int, str]:
    """SQLite: each post's matching passage from the FTS5 table's copy of its plain text."""
    if not post_ids:
        return {}
    marks = ", ".join(["%s"] * len(post_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 1, char(2), char(3), ' … ', 24) FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
            [search_query.to_fts5(query), *post_ids],
        )
        return {pk: marked(fragment or "") for pk, fragment in cursor.fetchall()}


def marked(fragment: str) -> str:
    """Escape a highlighted fragment (on one line) and turn the highlighter's markers into <mark>
    elements, paired."""
    text = html.escape(" ".join(fragment.split()))
    if text.count(_START) != text.count(_STOP):
        return text.replace(_START, "").replace(_STOP, "")
    return text.replace(_START, "<mark>").replace(_STOP, "</mark>")


# --- 3: the cursor ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Position:
    sort: str
    as_of: datetime
    key: float
    topic_id: int
    backwards: bool


def _encode_cursor(position: _Position) -> str:
    data = {
        "s": position.sort,
        "a": position.as_of.timestamp(),
        "k": position.key,
        "t": position.topic_id,
        "b": position.backwards,
    }
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> _Position:
    """The position a cursor this search issued holds; anything else is a 400 ``invalid_cursor``."""
    if len(cursor) > MAX_CURSOR_LENGTH:  # ours are about 110 characters; a long one could nest deeply
        raise cursor_refusal()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, dict) or set(data) != {"s", "a", "k", "t", "b"} or data["s"] != sort:
            raise ValueError
        as_of, key, topic_id, backwards = data["a"], data["k"], data["t"], data["b"]
        numbers_ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (as_of, key))
        if not numbers_ok or not math.isfinite(as_of) or not math.isfinite(key):
            raise ValueError
        if not isinstance(topic_id, int) or isinstance(topic_id, bool) or not isinstance(backwards, bool):
            raise ValueError
        moment = datetime.fromtimestamp(as_of, tz=UTC)
    except (ValueError, TypeError, OverflowError, OSError, binascii.Error, UnicodeDecodeError):
        raise cursor_refusal() from None
    return _Position(sort, moment, float(key), topic_id, backwards)
