"""A vote costs the same few queries on an article of 10 comments as on one of 10,000:
it reads and writes its comment, its thread's root and its article, never the thread."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.conftest import SIZES
from tests.factories import voters

JSON = {"HTTP_ACCEPT": "application/json"}
# A vote through the service, inside the test's transaction (a savepoint and its
# release): the ban, the article's lock (PostgreSQL only), the comment's row, the
# voter's standing (a published comment), their vote, its write, the comment's
# tallies, its thread's root, its article, and whether any of their votes waits
# for a recount.
SERVICE_QUERIES = 2 + 9 + (connection.vendor == "postgresql")
# Through the endpoint: the comment, the session and the user, the rate limit's
# counters (eleven statements on the database cache; none with Redis), then the
# service (which reads the reader's vote under the lock, to toggle it).
VIEW_QUERIES = 3 + 11 + SERVICE_QUERIES


def deepest(article) -> Comment:
    return Comment.objects.filter(article=article).order_by("-level", "-pk").first()


def vote_cost(**vote) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.comment_vote(**vote)
    return len(queries)


def post_cost(browser, data) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.post(reverse("comments:vote"), data, **JSON).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_vote_costs_the_same_queries_at_10_and_10000_comments(sized_articles):
    ana, bob = voters(2)
    costs = {}
    for size, article in sized_articles.items():
        target = deepest(article)
        for name, voter, value in [
            ("cast", ana, 1),
            ("change", ana, -1),
            ("take back", ana, 0),
            ("another", bob, 1),
        ]:
            costs[(name, size)] = vote_cost(comment=target, voter=voter, value=value)

    assert costs == {
        (name, size): SERVICE_QUERIES
        for name in ("cast", "change", "take back", "another")
        for size in SIZES
    }


@pytest.mark.django_db
def test_a_vote_through_the_endpoint_costs_the_same_at_10_and_10000_comments(sized_articles):
    [voter] = voters(1)
    browser = Client()
    browser.force_login(voter)
    costs = {}
    for size, article in sized_articles.items():
        target = deepest(article)
        # Cast, change, take back.
        costs[size] = [post_cost(browser, {press: target.pk}) for press in ("up", "down", "down")]

    assert costs == {size: [VIEW_QUERIES] * 3 for size in SIZES}
