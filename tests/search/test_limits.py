"""Search's own limits: how often a client may search, and how long a search may run."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.services import CommentDraft, comments_import
from tests.pages import page


def search(client, q: str, **meta):
    return client.get(reverse("search:search"), {"q": q}, **meta)


def message(response) -> str:
    return page(response).select_one(".search-message").get_text()


def test_searching_past_the_rate_gets_429_with_the_wait_and_the_query_kept(
    client, article, settings
):
    settings.FORUM_SEARCH_RATE = "2/h"
    assert search(client, "pelican").status_code == 200
    assert search(client, "heron").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        over = search(client, "egret")

    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 3600
    assert f"Wait {over['Retry-After']} seconds" in message(over)
    assert page(over).select_one("#search-q")["value"] == "egret"
    assert page(over).select("li.search-hit") == []
    # Only the rate limit's counters were read: no search ran.
    assert not [q for q in queries.captured_queries if "comments_comment" in q["sql"]]


def test_the_rate_is_per_address_when_signed_out(client, article, settings):
    settings.FORUM_SEARCH_RATE = "2/h"
    for _ in range(2):
        search(client, "pelican", REMOTE_ADDR="203.0.113.1")

    assert search(client, "pelican", REMOTE_ADDR="203.0.113.1").status_code == 429
    assert search(client, "pelican", REMOTE_ADDR="203.0.113.2").status_code == 200


def test_a_signed_in_reader_is_limited_per_account_from_any_address(
    reader_client, article, settings
):
    settings.FORUM_SEARCH_RATE = "2/h"
    search(reader_client, "pelican", REMOTE_ADDR="203.0.113.1")
    search(reader_client, "pelican", REMOTE_ADDR="203.0.113.2")

    assert search(reader_client, "pelican", REMOTE_ADDR="203.0.113.3").status_code == 429


@pytest.mark.parametrize("refused", ["", "a", "-pelican"])
def test_a_refused_query_does_not_count_toward_the_rate(client, article, settings, refused):
    settings.FORUM_SEARCH_RATE = "2/h"
    for _ in range(5):
        assert search(client, refused).status_code == 200

    assert search(client, "pelican").status_code == 200
    assert search(client, "heron").status_code == 200


BIRDS = ["pelican", "heron", "egret", "gull", "tern", "stork", "crane", "ibis"]


def slow_to_search(article, count: int = 400) -> str:
    """Long comments naming every bird at their end, never in the order of the phrase
    returned: LIKE reads each comment nearly whole for every bird (SQLite), and each
    comment's whole text is parsed to check the phrase (PostgreSQL)."""
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 120
    birds = " and ".join(reversed(BIRDS))
    comments_import(
        article=article,
        threads=[
            CommentDraft(author_name="reader", body=f"{filler} {birds}") for _ in range(count)
        ],
    )
    return '"' + " ".join(BIRDS) + '"'


def test_a_search_past_the_time_limit_answers_503_and_frees_the_connection(
    client, article, settings
):
    phrase = slow_to_search(article)
    settings.FORUM_SEARCH_TIMEOUT_MS = 1

    response = search(client, phrase)

    assert response.status_code == 503
    assert message(response) == "This search took too long. Try fewer or rarer words."
    assert page(response).select_one("#search-q")["value"] == phrase
    assert page(response).select("li.search-hit") == []
    # The time limit ended with the search: the connection runs long queries again.
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
            " SELECT count(*) FROM n"
        )
        assert cursor.fetchone()[0] == 100_000
    settings.FORUM_SEARCH_TIMEOUT_MS = 60_000
    assert search(client, phrase).status_code == 200
