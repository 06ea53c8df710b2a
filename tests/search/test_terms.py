"""How a query is read: its words, phrases, exclusions and `or`s, repeats dropped."""

import pytest
from django.db import connection

from search.terms import parse

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="websearch_to_tsquery is PostgreSQL's"
)

# Queries as readers type them, with their odd corners: operators PostgreSQL skips,
# an unclosed quote, `or` at either end or glued to a word, doubled minus signs.
TYPED = [
    "pelican",
    "pelican heron",
    '"pelican heron" egret',
    "pelican -heron",
    'pelican -"heron egret"',
    "pelican or heron",
    "pelican heron or egret -gull",
    "(pelican or heron) egret",
    "pelican|heron & !egret",
    '"pelican heron',
    'pelican"heron egret"',
    "or pelican",
    "pelican or",
    "pelican or or heron",
    "pelican or-heron",
    "pelican OR heron",
    "pelican --heron",
    "e-mail foo.com/bar 3.14",
    "o'brien 'quoted words'",
    "pelican, Pelican PELICAN",
    "pelican or pelican",
    "the pelican of the bay",
]


TEXTS = [
    "pelican heron egret",
    "heron pelican",
    "pelican gull",
    "egret",
    "the pelican of the bay",
    "e-mail foo.com/bar 3.14 o'brien quoted words",
    "pelican",
    "heron or-heron gull",
]


def matches(text: str, websearch: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('english', %s) @@ websearch_to_tsquery('english', %s)",
            [text, websearch],
        )
        return cursor.fetchone()[0]


@postgres_only
@pytest.mark.parametrize("typed", TYPED)
def test_on_postgresql_the_query_searched_means_what_was_typed(db, typed):
    searched = parse(typed).websearch

    assert [matches(text, searched) for text in TEXTS] == [
        matches(text, typed) for text in TEXTS
    ], searched


def lexemes(text: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [text])
        return set(cursor.fetchone()[0])


@postgres_only
@pytest.mark.parametrize("typed", TYPED)
def test_on_postgresql_every_word_wanted_is_in_whatever_the_query_finds(db, typed):
    """Some alternative's wanted words are all in every text the whole query matches:
    so the index may be asked for those words first, and the rest checked after."""
    terms = parse(typed)
    wanted = [lexemes(words) for words in terms.wanted]
    for text in TEXTS:
        if matches(text, terms.websearch):
            assert any(words <= lexemes(text) for words in wanted), text


def test_repeated_words_are_dropped_where_that_keeps_the_meaning():
    assert parse("pelican Pelican PELICAN").websearch == '"pelican"'
    assert parse("pelican heron or heron pelican").websearch == '"pelican" "heron"'
    # In a phrase a repeat is part of what is asked for.
    assert parse('"pelican pelican"').websearch == '"pelican pelican"'
    # `pelican or pelican heron` is `pelican`, but dropping across alternatives
    # would change other queries' meaning: only whole repeated alternatives go.
    assert parse("pelican or pelican heron").websearch == '"pelican" or "pelican" "heron"'


def test_words_count_once_per_alternative():
    assert parse("pelican pelican heron").word_count == 2
    assert parse('"pelican pelican pelican"').word_count == 1
    assert parse("pelican heron or pelican egret").word_count == 4
    assert parse("pelican -heron").word_count == 2


def test_every_alternative_must_look_for_a_word():
    assert parse("pelican -heron").looks_for_something
    assert not parse("-heron").looks_for_something
    assert not parse("pelican or -heron").looks_for_something
    assert not parse('-"pelican heron"').looks_for_something
    assert parse("pelican or").looks_for_something
