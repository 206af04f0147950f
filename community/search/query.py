"""What a member typed in the search box, parsed once and compiled for each database.

The syntax is PostgreSQL's ``websearch_to_tsquery`` (what people know from web
search engines): words must all appear, ``"a quoted phrase"`` must appear in
that order, ``-word`` or ``-"a phrase"`` must not appear, and ``OR`` between
two groups of words accepts either (AND binds tighter than OR, as in
PostgreSQL). Everything else — parentheses, stray quotes, punctuation,
operators with nothing to apply to — separates words and means nothing, so any
text a person or a fuzzer sends parses to *some* query or to nothing.

The last word, when it stands on its own at the end (not quoted, not
excluded), also matches as a prefix, for search as you type: ``eyeli`` finds
"eyelid".

The parser never builds SQL by pasting text: words are reduced to runs of
letters and digits (``\\w``), so a compiled expression can only contain words,
the compiler's own operators and its own quoting; it is then passed to the
database as one bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from config.errors import Invalid

MAX_QUERY_LENGTH: Final = 500
MAX_TERMS: Final = 32

# A minus counts only right before a word or a quote ("-coffee"); a dash between spaces is punctuation.
_TOKEN = re.compile(r'"|-(?=[\w"])|\w+', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
_QUOTE: Final = '"'
_MINUS: Final = "-"


@dataclass(frozen=True)
class Term:
    """A word or, with several words, a phrase. ``prefix``: the last word typed, matched as a prefix too."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Group:
    """Terms that must all hold (the excluded ones must all be absent)."""

    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)


@dataclass(frozen=True)
class SearchQuery:
    """Groups joined by OR. Each group has at least one word to look for."""

    groups: tuple[Group, ...] = field(default_factory=tuple)

    @property
    def words(self) -> list[str]:
        return [word for group in self.groups for term in group.positive for word in term.words]


def parse(text: str) -> SearchQuery:
    """Parse the ``q`` parameter; 400 naming ``q`` when there is nothing to look for or too much."""
    if len(text) > MAX_QUERY_LENGTH:
        raise _invalid(f"Search for at most {MAX_QUERY_LENGTH} characters.", code="query_too_long")
    groups: list[list[Term]] = [[]]
    tokens = _TOKEN.findall(text)
    position = 0
    negate = False
    count = 0
    while position < len(tokens):
        item = tokens[position]
        position += 1
        if item == _QUOTE:
            words, position = _phrase(tokens, position)
            if words:
                groups[-1].append(Term(words, negated=negate))
                count += len(words)
            negate = False
        elif item == _MINUS:
            negate = position < len(tokens) and not _is_or(tokens[position])
        elif _is_or(item):
            # Between two words it is the operator; with nothing on one side it means nothing.
            if groups[-1] and _more_words(tokens, position):
                groups.append([])
        else:
            groups[-1].append(Term((item.casefold(),), negated=negate))
            count += 1
            negate = False
        if count > MAX_TERMS:
            raise _invalid(f"Search for at most {MAX_TERMS} words.", code="query_too_long")
    kept = [terms for terms in groups if any(not term.negated for term in terms)]
    if not kept:
        raise _invalid("Type at least one word to look for (a minus sign only excludes words).", code="query_empty")
    last = kept[-1][-1]
    if not last.negated and not last.is_phrase and _ends_with_word(text):
        kept[-1][-1] = Term(last.words, prefix=True)
    return SearchQuery(tuple(Group(tuple(terms)) for terms in kept))


def _phrase(tokens: list[str], position: int) -> tuple[tuple[str, ...], int]:
    """The words up to the closing quote, and the position after it. An unbalanced quote runs to
    the end, as PostgreSQL reads it."""
    words: list[str] = []
    while position < len(tokens) and tokens[position] != _QUOTE:
        if _WORD.fullmatch(tokens[position]):
            words.append(tokens[position].casefold())
        position += 1
    return tuple(words), position + 1


def _is_or(token: str) -> bool:
    return token.casefold() == "or"


def _more_words(tokens: list[str], position: int) -> bool:
    return any(_WORD.fullmatch(item) or item == _QUOTE for item in tokens[position:])


def _ends_with_word(text: str) -> bool:
    """Whether the member is still typing the last word: the text ends in a letter or digit."""
    return bool(text) and bool(_WORD.fullmatch(text[-1]))


def _invalid(detail: str, *, code: str) -> Invalid:
    return Invalid(detail, code=code, fields={"q": [detail]})


# --- PostgreSQL: a tsquery expression ----------------------------------------------------------------

STEMMED_CONFIG: Final = "support_circle"
PREFIX_CONFIG: Final = "support_circle_prefix"
MIN_PREFIX_LENGTH: Final = 3


def to_tsquery_sql(query: SearchQuery) -> tuple[str, list[str]]:
    """The query as a tsquery SQL expression and its parameters (every word is a bound parameter).

    Words and phrases go through ``plainto_tsquery``/``phraseto_tsquery`` with the
    stemming configuration, which reads them as plain text (no operators) and
    drops stop words; the operators come from here. A prefix word matches the
    unstemmed prefix of what was typed (``to_tsquery`` with ``:*`` and the
    configuration that only lowercases and unaccents) or the stem of the word.
    """
    params: list[str] = []

    def term_sql(term: Term) -> str:
        if term.is_phrase:
            params.append(" ".join(term.words))
            return f"phraseto_tsquery('{STEMMED_CONFIG}', %s)"
        (word,) = term.words
        params.append(word)
        stemmed = f"plainto_tsquery('{STEMMED_CONFIG}', %s)"
        if not term.prefix or len(word) < MIN_PREFIX_LENGTH:
            return stemmed
        params.append(f"'{word}':*")
        return f"({stemmed} || to_tsquery('{PREFIX_CONFIG}', %s))"

    groups = []
    for group in query.groups:
        parts = [term_sql(term) for term in group.positive]
        parts += [f"!!{term_sql(term)}" for term in group.negative]
        groups.append("(" + " && ".join(parts) + ")")
    return "(" + " || ".join(groups) + ")", params


# --- SQLite: an FTS5 MATCH expression -----------------------------------------------------------------


def to_fts5(query: SearchQuery) -> str:
    """The query as an FTS5 MATCH expression: words and phrases in double quotes, ``*`` for the prefix.

    Every word is a run of ``\\w`` characters, so it cannot close its quotes.
    """
    return " OR ".join(_fts_group(group) for group in query.groups)


def _fts_group(group: Group) -> str:
    expression = "(" + " AND ".join(_fts_term(term) for term in group.positive) + ")"
    for term in group.negative:
        expression = f"({expression} NOT {_fts_term(term)})"
    return expression


def _fts_term(term: Term) -> str:
    phrase = '"' + " ".join(term.words) + '"'
    if term.prefix and len(term.words[0]) >= MIN_PREFIX_LENGTH:
        return f"({phrase} OR {phrase}*)"
    return phrase
