"""What is new to a returning reader (comments.threads.visits): the rule, what the
article page says, and the new-comment counts in lists of discussions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment, Visit
from comments.threads import visits
from tests.pages import page

MINUTE = dt.timedelta(minutes=1)


def written_at(comment: Comment, moment: dt.datetime) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(created=moment)
    comment.refresh_from_db()
    return comment


def test_a_first_view_marks_nothing_new(db, article, reader):
    assert visits.record_visit(user=reader, article=article) == visits.Reading()


def test_a_return_after_four_minutes_marks_what_came_since_and_a_reload_keeps_it(
    db, article, reader, other_reader
):
    start = timezone.now().replace(microsecond=0)
    visits.record_visit(user=reader, article=article, now=start)
    before = written_at(
        services.comment_create(article=article, author=other_reader, body="Before"),
        start - MINUTE,
    )
    after = written_at(
        services.comment_create(article=article, author=other_reader, body="After"),
        start + MINUTE,
    )
    mine = written_at(
        services.comment_create(article=article, author=reader, body="Mine"), start + MINUTE
    )

    back = visits.record_visit(user=reader, article=article, now=start + 4 * MINUTE)
    reload = visits.record_visit(
        user=reader, article=article, now=start + 4 * MINUTE + dt.timedelta(seconds=5)
    )

    assert back == visits.Reading(since=start, new=1)
    assert reload == back
    assert before.created < back.since < after.created  # and `mine` is not counted
    assert mine.author == reader


def test_views_less_than_two_minutes_apart_are_one_run_however_long(db, article, reader):
    start = timezone.now().replace(microsecond=0)
    visits.record_visit(user=reader, article=article, now=start)
    visits.record_visit(user=reader, article=article, now=start + 3 * MINUTE)  # a return
    for minutes in range(4, 30):  # reading on, a view a minute
        reading = visits.record_visit(user=reader, article=article, now=start + minutes * MINUTE)
        assert reading.since == start
    later = visits.record_visit(user=reader, article=article, now=start + 40 * MINUTE)
    assert later.since == start + 29 * MINUTE


def test_new_is_counted_by_the_second_as_the_threads_times_show_it(
    db, article, reader, other_reader
):
    """The markup shows a comment's time to the second and the browser marks what is
    later than `since`: the server's count agrees, comment for comment."""
    start = timezone.now().replace(microsecond=0) - 10 * MINUTE
    visits.record_visit(
        user=reader, article=article, now=start + dt.timedelta(microseconds=500_000)
    )
    same_second = written_at(
        services.comment_create(article=article, author=other_reader, body="Same second"),
        start + dt.timedelta(microseconds=700_000),
    )
    next_second = written_at(
        services.comment_create(article=article, author=other_reader, body="Next second"),
        start + dt.timedelta(seconds=1),
    )

    back = visits.record_visit(user=reader, article=article)

    assert back.since == start
    assert back.new == 1
    shown = {c.pk: c.created.replace(microsecond=0) for c in (same_second, next_second)}
    assert [pk for pk, second in shown.items() if second > back.since] == [next_second.pk]


def test_comments_readers_may_not_see_are_not_counted_new(
    db, article, reader, other_reader, moderator
):
    start = timezone.now() - 10 * MINUTE
    visits.record_visit(user=reader, article=article, now=start)
    removed = services.comment_create(article=article, author=other_reader, body="Spam")
    services.comments_remove(comments=[removed], by=moderator, reason="Spam")
    services.comment_create(article=article, author=other_reader, body="Fine")

    assert visits.record_visit(user=reader, article=article).new == 1


def test_the_article_page_says_how_many_are_new_and_since_when(
    client, article, reader, other_reader
):
    client.force_login(reader)
    client.get(article.get_absolute_url())
    Visit.objects.filter(user=reader).update(seen=timezone.now() - 4 * MINUTE)
    for body in ("One", "Two"):
        services.comment_create(article=article, author=other_reader, body=body)

    soup = page(client.get(article.get_absolute_url()))

    bar = soup.find(id="new-comments")
    assert bar.get_text(" ", strip=True) == "2 new comments since you last looked"
    assert (bar.get("hidden"), bar["data-new"]) == (None, "2")
    since = dt.datetime.fromisoformat(soup.find(id="comments")["data-since"])
    assert since == Visit.objects.get(user=reader).since


def test_a_reader_with_nothing_new_gets_no_count(client, article, reader):
    client.force_login(reader)
    soup = page(client.get(article.get_absolute_url()))
    assert soup.find(id="new-comments").has_attr("hidden")
    assert not soup.find(id="comments").has_attr("data-since")


def _read_long_ago(reader, *articles) -> None:
    for each in articles:
        visits.record_visit(user=reader, article=each, now=timezone.now() - 60 * MINUTE)


def _new_counts_shown(soup, selector: str) -> list[str]:
    return [count.get_text() for count in soup.select(f"{selector} .new-count")]


@pytest.fixture
def discussions(db, reader, other_reader):
    """Three articles: one the reader read before with two new comments (and one of
    their own), one read with nothing new, one never read (with a comment)."""
    read, quiet, unread = (
        Article.objects.create(title=f"Discussion {n}", slug=f"discussion-{n}", body="Text")
        for n in (1, 2, 3)
    )
    _read_long_ago(reader, read, quiet)
    for body in ("New one", "New two"):
        services.comment_create(article=read, author=other_reader, body=body)
    services.comment_create(article=read, author=reader, body="Mine, not new to me")
    services.comment_create(article=unread, author=other_reader, body="Never read")
    return read, quiet, unread


def test_new_counts_are_one_query_for_any_number_of_discussions(discussions, reader):
    read, _quiet, _unread = discussions
    with CaptureQueriesContext(connection) as captured:
        counts = visits.new_counts(user=reader, article_ids=[a.pk for a in discussions])
    assert counts == {read.pk: 2}
    assert len(captured) == 1


def test_the_home_page_shows_new_counts_at_one_query_more(client, discussions, reader):
    url = reverse("articles:article-list")
    client.force_login(reader)
    with CaptureQueriesContext(connection) as with_counts:
        soup = page(client.get(url))
    assert _new_counts_shown(soup, ".article-summary") == ["2 new"]
    summary = soup.select_one(".article-summary:has(.new-count)")
    assert summary.h2.get_text(strip=True) == "Discussion 1"

    Visit.objects.all().delete()
    with CaptureQueriesContext(connection) as without:
        soup = page(client.get(url))
    assert _new_counts_shown(soup, ".article-summary") == []
    assert len(with_counts) == len(without)  # the same one query, whatever it finds

    for n in range(4, 15):
        Article.objects.create(title=f"More {n}", slug=f"more-{n}", body="Text")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(without)


def test_the_home_page_costs_readers_who_are_not_signed_in_nothing_more(client, discussions):
    soup = page(client.get(reverse("articles:article-list")))
    assert _new_counts_shown(soup, ".article-summary") == []


def test_a_profile_and_search_results_show_the_discussions_new_counts(
    client, discussions, reader, other_reader
):
    client.force_login(reader)

    profile = page(client.get(reverse("comments:profile", args=[other_reader.username])))
    results = page(client.get(reverse("search:search"), {"q": "new"}))

    # Their two comments in the discussion with news; the search finds the reader's own too.
    assert _new_counts_shown(profile, ".profile-comment") == ["2 new", "2 new"]
    assert _new_counts_shown(results, ".search-hit") == ["2 new"] * 3


def test_profiles_and_search_results_use_the_threads_time_labels(client, article, reader):
    comment = services.comment_create(article=article, author=reader, body="Findable words")
    thread = page(client.get(article.get_absolute_url())).select_one(
        f"#comment-{comment.pk} a:has(> time) time"
    )
    profile = page(client.get(reverse("comments:profile", args=[reader.username])))
    results = page(client.get(reverse("search:search"), {"q": "findable"}))

    for soup in (profile, results):
        time = soup.select_one("main time[datetime$='Z']")
        assert (time["datetime"], time.get_text()) == (thread["datetime"], thread.get_text())
