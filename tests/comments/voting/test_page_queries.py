"""An article page costs the same queries at 10 and 10,000 comments under every sort,
for every kind of reader, once its comments have votes (and some this very epoch,
whose points the page lists beside its cached HTML)."""

import time

import pytest
from django.test import Client

from comments import policy
from comments.models import Comment
from comments.threads import ranking
from tests.comments.threads.test_queries import cold_and_warm
from tests.conftest import SIZES
from tests.factories import give_votes, voters

# (first view, next view) per kind of reader, under each sort. Over the counts of
# an article without votes (tests/comments/threads/test_queries.py): the points of
# the comments voted on this epoch (1 on a first view, then kept in the cache until
# the next vote that moves points); under a sort by votes, on a
# first view, the order of the threads drawn for this epoch (1, then kept in the
# cache). The rest is as without votes (a reader's first view writes their visit).
RANKED = {"anonymous": (5, 1), "voter": (14, 9), "moderator": (16, 13)}
UNRANKED = {"anonymous": (4, 1), "voter": (13, 9), "moderator": (15, 13)}


@pytest.fixture
def voted(sized_articles, moderator, settings, monkeypatch):
    """Each article with votes on a thread's root and on its deepest comment, one of
    them cast by `voter`, who reads the page; the test's clock held in the epoch the
    votes were cast in (a long one), so no request finds them an epoch old: a query
    the page makes only for votes of this epoch would then be left out, whatever the
    page costs."""
    settings.FORUM_RANK_SECONDS = 10**6
    now = time.time()
    monkeypatch.setattr(ranking, "clock", lambda: now)
    crowd = voters(3)
    for article in sized_articles.values():
        root = Comment.objects.filter(article=article, level=0).order_by("tree_id").last()
        deep = Comment.objects.filter(article=article).order_by("-level", "-pk").first()
        give_votes(root, up=2, down=1, crowd=crowd)
        give_votes(deep, up=1, crowd=crowd[2:])
    return crowd[2]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", list(policy.SORTS))
def test_every_sort_costs_the_same_queries_at_10_and_10000_comments(
    sort, sized_articles, voted, moderator
):
    browsers = {"anonymous": Client(), "voter": Client(), "moderator": Client()}
    browsers["voter"].force_login(voted)
    browsers["moderator"].force_login(moderator)
    costs = {}
    for who, browser in browsers.items():
        for size, article in sized_articles.items():
            url = f"{article.get_absolute_url()}?sort={sort}"
            costs[(who, size)] = cold_and_warm(browser, url)

    expected = RANKED if policy.SORTS[sort].ranked else UNRANKED
    assert costs == {(who, size): expected[who] for who in expected for size in SIZES}
