"""The search box's syntax: parsed once, compiled for PostgreSQL and for SQLite's FTS5. No database."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Group,
    SearchQuery,
    Term,
    parse,
    to_fts5,
    to_tsquery_sql,
)
from config.errors import Invalid


def test_words_must_all_appear_and_the_last_one_is_also_a_prefix() -> None:
    assert parse("botox eyeli") == SearchQuery((Group((Term(("botox",)), Term(("eyeli",), prefix=True))),))


def test_a_finished_last_word_is_not_a_prefix() -> None:
    (group,) = parse("warm compress ").groups
    assert not any(term.prefix for term in group.terms)
    (group,) = parse("warm compress.").groups
    assert not any(term.prefix for term in group.terms)


def test_quoted_phrases_exclusions_and_or() -> None:
    parsed = parse('"warm compress" -coffee OR Sunglasses')
    assert parsed.groups == (
        Group((Term(("warm", "compress")), Term(("coffee",), negated=True))),
        Group((Term(("sunglasses",), prefix=True),)),
    )


def test_an_unbalanced_quote_runs_to_the_end_as_postgresql_reads_it() -> None:
    assert parse('botox "warm compress').groups == (Group((Term(("botox",)), Term(("warm", "compress")))),)


def test_punctuation_parentheses_and_stray_operators_only_separate_words() -> None:
    assert parse("(botox) -- - eyelid") == parse("botox eyelid")
    assert parse("botox -(eyelid") == parse("botox eyelid")
    assert parse("OR botox OR") == parse("botox")
    assert parse("botox - OR eyelid") == parse("botox OR eyelid")
    assert parse("1=1; DROP TABLE community_post; --") == parse("1 1 drop table community_post.")


@pytest.mark.parametrize(
    "text", ["", "   ", "-", '"', '""', "- - -", "OR", "((()))", "-botox", '-"warm compress"', "!!"]
)
def test_nothing_to_look_for_is_a_400_naming_q(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse(text)
    assert refused.value.code == "query_empty"
    assert "q" in refused.value.fields


def test_too_long_or_too_many_words_is_a_400_naming_q() -> None:
    with pytest.raises(Invalid) as refused:
        parse("a" * (MAX_QUERY_LENGTH + 1))
    assert refused.value.fields.keys() == {"q"}
    with pytest.raises(Invalid):
        parse(" ".join(["eyelid"] * (MAX_TERMS + 1)))
    assert parse(" ".join(["eyelid"] * MAX_TERMS))


def test_postgresql_gets_words_only_as_bound_parameters() -> None:
    sql, params = to_tsquery_sql(parse("eyelid's \"twitch o'clock\" -x' OR y); DROP TABLE x; --"))
    # What is left of the SQL once the placeholders are out is the compiler's own vocabulary.
    skeleton = re.sub(r"(plainto_|phraseto_|to_)tsquery\('support_circle(_prefix)?', %s\)", "Q", sql)
    assert re.fullmatch(r"[Q()|&! ]+", skeleton), skeleton
    for param in params:
        assert re.fullmatch(r"[\w ]+|'\w+':\*", param), param
    assert sql.count("%s") == len(params)


def test_a_short_last_word_is_not_expanded_as_a_prefix() -> None:
    # A prefix of one or two letters matches most of the vocabulary: too broad to be useful, and slow.
    _, params = to_tsquery_sql(parse("botox ey"))
    assert params == ["botox", "ey"]
    _, params = to_tsquery_sql(parse("botox eye"))
    assert params == ["botox", "eye", "'eye':*"]


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    connection.executemany(
        "INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)",
        [
            (1, "Warm compress", "A warm compress calms my eyelid twitching."),
            (2, "Coffee", "Coffee makes the twitching worse, so does the café."),
            (3, "", "Sunglasses outside help with bright light."),
        ],
    )
    return connection


def _fts_ids(connection: sqlite3.Connection, text: str) -> set[int]:
    return {row[0] for row in connection.execute("SELECT rowid FROM t WHERE t MATCH ?", [to_fts5(parse(text))])}


def test_fts5_reads_the_same_syntax(fts: sqlite3.Connection) -> None:
    assert _fts_ids(fts, "twitching") == {1, 2}
    assert _fts_ids(fts, "twitches -coffee") == {1}
    assert _fts_ids(fts, '"warm compress"') == {1}
    assert _fts_ids(fts, '"compress warm"') == set()
    assert _fts_ids(fts, "coffee OR sunglasses") == {2, 3}
    assert _fts_ids(fts, "eyeli") == {1}
    assert _fts_ids(fts, "cafe") == {2}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_parses_or_is_refused_and_compiles_to_valid_fts5(fts: sqlite3.Connection, text: str) -> None:
    refused: Invalid | None = None
    try:
        parsed = parse(text)
    except Invalid as refusal:
        refused = refusal
    if refused is not None:
        assert refused.fields.keys() == {"q"}
        return
    assert parsed.groups
    assert all(group.positive for group in parsed.groups)
    fts.execute("SELECT rowid FROM t WHERE t MATCH ?", [to_fts5(parsed)]).fetchall()
    sql, params = to_tsquery_sql(parsed)
    assert sql.count("%s") == len(params)
