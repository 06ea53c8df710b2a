"""Sorting by votes (comments.threads.ranking, policy's sorts): what ranks where, at
every level of a thread; an order that holds still for readers paging through while
votes arrive; points that reach the page without re-rendering its threads."""

import pytest
from django.conf import settings

from comments import policy, services
from comments.models import Comment
from comments.threads import ranking
from tests.factories import give_votes, voters
from tests.pages import comment_element, page, rendered_outline
from tests.seed_data import SEED_OUTLINE


def top_level(soup) -> list[str]:
    return [
        li.select_one(".comment-body").get_text()
        for li in soup.select(".comment-thread > li.comment")
    ]


def bodies(element) -> list[str]:
    return [b.get_text() for b in element.select(":scope li.comment .comment-body")]


@pytest.fixture
def clock(monkeypatch):
    """The clock ranking epochs are read from, moved on by `clock.advance(epochs)`."""

    class Clock:
        now = ranking.clock()

        def advance(self, epochs: int = 1) -> None:
            self.now += epochs * settings.FORUM_RANK_SECONDS

    moved = Clock()
    monkeypatch.setattr(ranking, "clock", lambda: moved.now)
    return moved


def test_wilson_trusts_many_votes_more_than_few():
    assert policy.wilson(10, 0) > policy.wilson(40, 20)  # 10 of 10 outranks 40 of 60
    assert policy.wilson(0, 0) == 0.0
    assert policy.wilson(1, 0) < policy.wilson(10, 0)
    assert policy.controversy(10, 10) > policy.controversy(20, 2) > 0
    assert policy.controversy(30, 0) == 0.0


def test_the_seed_thread_reads_in_its_original_order_under_best(client, seeded_article):
    assert policy.default_sort().key == "best"
    default = page(client.get(seeded_article.get_absolute_url()))
    oldest = page(client.get(seeded_article.get_absolute_url() + "?sort=oldest"))
    assert rendered_outline(default) == rendered_outline(oldest) == SEED_OUTLINE


@pytest.fixture
def voted_threads(article, reader):
    """Four threads: "ten of ten", "forty of sixty", "unvoted", "disliked" (2 of 9)."""
    crowd = voters(60)
    made = {}
    for body, up, down in [
        ("forty of sixty", 40, 20),
        ("unvoted", 0, 0),
        ("ten of ten", 10, 0),
        ("disliked", 2, 7),
    ]:
        made[body] = services.comment_create(article=article, author=reader, body=body)
        give_votes(made[body], up=up, down=down, crowd=crowd)
    return made


def test_best_top_and_controversial_rank_the_threads_by_their_votes(client, voted_threads, article):
    url = article.get_absolute_url()
    assert top_level(page(client.get(url))) == [
        "ten of ten",
        "forty of sixty",
        "disliked",
        "unvoted",
    ]
    assert top_level(page(client.get(url + "?sort=top"))) == [
        "forty of sixty",
        "ten of ten",
        "unvoted",
        "disliked",
    ]
    assert top_level(page(client.get(url + "?sort=controversial")))[:2] == [
        "forty of sixty",
        "disliked",
    ]
    assert top_level(page(client.get(url + "?sort=oldest"))) == [
        "forty of sixty",
        "unvoted",
        "ten of ten",
        "disliked",
    ]


def test_every_comments_replies_follow_the_sort(client, article, reader, other_reader):
    crowd = voters(6)
    root = services.comment_create(article=article, author=reader, body="root")
    first = services.comment_create(article=article, parent=root, author=other_reader, body="a")
    second = services.comment_create(article=article, parent=root, author=other_reader, body="b")
    third = services.comment_create(article=article, parent=root, author=other_reader, body="c")
    deep_one = services.comment_create(article=article, parent=first, author=reader, body="a1")
    deep_two = services.comment_create(article=article, parent=first, author=reader, body="a2")
    give_votes(third, up=5, crowd=crowd)
    give_votes(second, up=2, down=1, crowd=crowd)
    give_votes(deep_two, up=1, crowd=crowd)
    url = article.get_absolute_url()

    def replies(sort: str) -> list[str]:
        element = comment_element(page(client.get(f"{url}?sort={sort}")), root)
        return bodies(element)

    assert replies("best") == ["c", "b", "a", "a2", "a1"]
    assert replies("top") == ["c", "b", "a", "a2", "a1"]
    assert replies("oldest") == ["a", "a1", "a2", "b", "c"]
    assert replies("newest") == ["c", "b", "a", "a2", "a1"]
    assert deep_one.body == "a1"


def test_the_order_holds_still_for_a_reader_paging_through_while_votes_arrive(
    client, article, reader, clock, settings
):
    settings.FORUM_THREADS_PER_PAGE = 3
    crowd = voters(12)
    threads = [
        services.comment_create(article=article, author=reader, body=f"thread {n}")
        for n in range(6)
    ]
    for n, thread in enumerate(threads):
        give_votes(thread, up=n, crowd=crowd)  # thread 5 best, thread 0 last
    url = article.get_absolute_url()
    first = page(client.get(url))
    assert top_level(first) == ["thread 5", "thread 4", "thread 3"]
    next_link = first.select_one("a[rel=next]")["href"]

    # Votes arrive: thread 0 would now come first, thread 5 last.
    give_votes(threads[0], up=12, crowd=crowd)
    give_votes(threads[5], down=12, crowd=crowd)
    clock.advance(1)  # and a new epoch has begun
    second = page(client.get(url + next_link))

    assert top_level(second) == ["thread 2", "thread 1", "thread 0"]  # none twice, none missed
    assert top_level(page(client.get(url)))[0] == "thread 0"  # a fresh look: the new order


def test_votes_re_render_a_thread_at_most_once_an_epoch_and_reach_the_page_at_once(
    client, article, reader, clock
):
    comment = services.comment_create(article=article, author=reader, body="Worth it")
    url = article.get_absolute_url()
    crowd = voters(6)
    give_votes(comment, up=1, crowd=crowd)
    first = client.get(url)  # rendered with the epoch's first vote, and cached
    assert comment_element(page(first), comment).select_one(".points").get_text() == "1 point"

    give_votes(comment, up=3, down=1, crowd=crowd[1:])  # more votes, the same epoch
    response = client.get(url)

    # The thread came from the cache, its baked points as they were…
    assert response.context["thread"].nodes == []
    assert comment_element(page(response), comment).select_one(".points").get_text() == "1 point"
    # …and the page says what changed since, for forum.js to show.
    assert response.context["votes"]["points"] == {comment.pk: (4, 1)}

    clock.advance(1)  # the next epoch: the points are baked in, once
    baked = client.get(url)
    assert comment_element(page(baked), comment).select_one(".points").get_text() == "3 points"
    assert client.get(url).context["thread"].nodes == []


def test_a_comment_at_or_below_the_threshold_is_folded_and_opens_on_demand(
    client, article, reader, settings
):
    settings.FORUM_COLLAPSE_AT_SCORE = -2
    low = services.comment_create(article=article, author=reader, body="Spam-ish")
    fine = services.comment_create(article=article, author=reader, body="Fine")
    give_votes(low, up=1, down=3)
    give_votes(fine, up=1, down=2)

    soup = page(client.get(article.get_absolute_url()))

    fold = comment_element(soup, low).select_one(":scope > details")
    assert not fold.has_attr("open")
    assert fold.summary.get_text() == "reader · -2 points · comment score below threshold"
    assert fold.select_one(".comment-body").get_text() == "Spam-ish"  # there, folded
    assert comment_element(soup, fine).select_one(":scope > details").has_attr("open")


def test_a_permalink_lands_on_its_thread_whatever_the_sort(client, article, reader, settings):
    settings.FORUM_THREADS_PER_PAGE = 2
    threads = [
        services.comment_create(article=article, author=reader, body=f"thread {n}")
        for n in range(5)
    ]
    give_votes(threads[4], up=5)  # first under Best

    url = Comment.objects.get(pk=threads[1].pk).get_absolute_url()

    assert url == f"{article.get_absolute_url()}?sort=oldest&page=1#comment-{threads[1].pk}"
    soup = page(client.get(url.split("#")[0]))
    assert comment_element(soup, threads[1]) is not None
