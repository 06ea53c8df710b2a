"""What keeps one search from costing the database seconds: the words it may hold,
and, on PostgreSQL, how many comments it reads."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from comments.services import CommentDraft, comments_import
from search import queries
from tests.pages import page

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="full-text search needs PostgreSQL"
)


def search(client, q: str):
    return client.get(reverse("search:search"), {"q": q})


def message(response) -> str:
    return page(response).select_one(".search-message").get_text()


def links(response) -> list[str]:
    return [a["href"] for a in page(response).select("li.search-hit a.search-hit-link")]


def test_a_query_of_more_words_than_the_limit_is_refused_and_runs_nothing(
    client, db, settings, django_assert_num_queries
):
    settings.FORUM_SEARCH_MAX_WORDS = 3

    with django_assert_num_queries(0):
        response = search(client, "pelican heron or egret gull")

    assert response.status_code == 200
    assert message(response) == "That search has too many words: use at most 3."


def test_repeated_words_count_once(client, article, settings):
    settings.FORUM_SEARCH_MAX_WORDS = 3
    comments_import(article=article, threads=[CommentDraft(author_name="r", body="Pelican.")])

    response = search(client, "pelican Pelican pelican PELICAN pelican")

    assert response.status_code == 200
    assert len(links(response)) == 1


@pytest.mark.parametrize("q", ["-pelican", "-pelican -heron", "pelican or -heron", '-"a pelican"'])
def test_a_query_with_nothing_to_look_for_is_refused_and_runs_nothing(
    client, db, q, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = search(client, q)

    assert response.status_code == 200
    assert message(response) == (
        "Add a word to look for: words with a minus sign (-word) only leave results out."
    )


@postgres_only
@pytest.mark.parametrize("q", ["the", "the -pelican", "pelican or the of"])
def test_on_postgresql_a_query_of_only_very_common_words_is_refused(client, article, q):
    comments_import(
        article=article, threads=[CommentDraft(author_name="r", body="The pelican of the bay.")]
    )

    response = search(client, q)

    assert response.status_code == 200
    assert "too common" in message(response)


def phrase_far_down(article, *, before: int) -> None:
    """`before` comments holding "pelican" and "heron" apart, then one holding the
    phrase "pelican heron", in the order the index yields them."""
    drafts = [CommentDraft(author_name="r", body=f"Pelican {n}, heron.") for n in range(before)]
    comments_import(
        article=article, threads=[*drafts, CommentDraft(author_name="r", body="Pelican heron!")]
    )


@postgres_only
def test_on_postgresql_a_phrase_is_looked_for_among_so_many_comments_and_the_page_says_so(
    client, article, settings
):
    settings.FORUM_SEARCH_SCAN = 5
    phrase_far_down(article, before=10)

    response = search(client, '"pelican heron"')

    assert links(response) == []
    text = page(response).select_one(".search-count").get_text()
    assert "looked at" in text
    assert "add a word" in text


@postgres_only
def test_on_postgresql_a_phrase_within_the_comments_looked_at_is_found(client, article):
    phrase_far_down(article, before=10)

    response = search(client, '"pelican heron"')

    assert len(links(response)) == 1
    assert "looked at" not in page(response).select_one(".search-count").get_text()


def index_conditions(plan: str, index: str) -> list[str]:
    """The conditions a plan's scans of `index` test (the line after each scan)."""
    lines = plan.splitlines()
    return [lines[n + 1] for n, line in enumerate(lines) if f"Index Scan on {index}" in line]


@postgres_only
@pytest.mark.parametrize("q", ['"pelican pelican pelican"', "pelican -heron", '"pelican heron"'])
def test_on_postgresql_the_index_is_asked_only_for_plain_words(article, q, settings):
    settings.FORUM_SEARCH_SCAN = 5
    phrase_far_down(article, before=20)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are tiny
        plan = queries.explain(q, analyze=True)

    conditions = index_conditions(plan, "comment_search_idx")
    assert conditions
    # Never the phrase, which PostgreSQL would recheck on every row the index finds
    # (rebuilding each row's text vector), nor an exclusion, for which the index
    # would read every match of the excluded word.
    assert not [c for c in conditions if "<->" in c or "!" in c]
    assert "Rows Removed by Index Recheck" not in plan
    # The phrase and the exclusion are checked on at most FORUM_SEARCH_SCAN rows.
    checked = re.findall(r"Function Scan on to_tsvector .* loops=(\d+)\)", plan)
    assert checked
    assert all(int(loops) <= 5 for loops in checked)
