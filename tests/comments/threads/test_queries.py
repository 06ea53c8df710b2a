"""What pages cost in queries, which must not grow with the thread."""

import pytest
from django.core.cache import caches
from django.db import connection, router
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import policy, services
from comments.models import Comment
from comments.threads import selectors
from comments.threads.nodes import Node
from tests.pages import page

SIZES = [10, 10_000]


def queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def cold_and_warm(client, url: str) -> tuple[int, int]:
    for cache in caches.all():
        cache.clear()
    cold, _ = queries(client, url)
    warm, _ = queries(client, url)
    return cold, warm


# Queries per article page, (first view, next view), without REDIS_URL (sessions
# and the ban check in the database, rendered threads in each process's memory):
# anonymous: article (with its counts), then the thread (the page's threads with
# their versions, the rows of those not cached) until cached; signed in:
# + session, user, "has own comments here?", ban, their visit (read; written
# when new or a minute old), the comments they reported, their unread
# notifications (the bell) and their votes in the article (for the page's ETag and
# the page's threads' buttons: one read); moderators:
# session, user, article, ban, visit, reports, the bell, what needs attention (the
# "Moderate" button), their votes, and always their
# own render (2) with what only moderators read beside the comments: the open
# reports of the page's threads and the active bans of their authors (2; and the
# removals, when the page shows a removed comment: see test_in_the_thread.py).
EXPECTED = {
    None: (3, 1),
    "reader": (12, 9),
    "moderator": (14, 13),
}
# After a reply to one thread, the next view: as the first view, the rows read
# being the changed thread's only (the other threads come from the cache).
EXPECTED_AFTER_A_REPLY = {None: 3, "reader": 11}


@pytest.mark.django_db
def test_the_article_page_costs_exactly_the_same_queries_at_10_and_10000_comments(
    client, sized_articles, reader, moderator
):
    costs = {}
    for who in (None, reader, moderator):
        client.logout()
        if who:
            client.force_login(who)
        for size, article in sized_articles.items():
            costs[(who and who.username, size)] = cold_and_warm(client, article.get_absolute_url())

    assert costs == {(who, size): EXPECTED[who] for who in EXPECTED for size in SIZES}


@pytest.mark.django_db
def test_after_a_reply_the_next_view_costs_the_same_at_10_and_10000_comments(
    client, sized_articles, reader, other_reader
):
    costs = {}
    for who in (None, reader):
        client.logout()
        if who:
            client.force_login(who)
        for size, article in sized_articles.items():
            url = article.get_absolute_url()
            cold_and_warm(client, url)
            root = Comment.objects.filter(article=article, level=0).first()
            reply = services.comment_create(
                article=article, parent=root, author=other_reader, body=f"reply {size} {who}"
            )
            costs[(who and who.username, size)], response = queries(client, url)
            assert page(response).find(id=f"comment-{reply.pk}") is not None

    assert costs == {
        (who, size): EXPECTED_AFTER_A_REPLY[who] for who in EXPECTED_AFTER_A_REPLY for size in SIZES
    }


@pytest.mark.django_db
def test_every_page_of_threads_and_every_sort_costs_the_same(client, sized_articles):
    big = sized_articles[10_000].get_absolute_url()
    counts = {
        cold_and_warm(client, f"{big}?sort={sort}&page={number}")
        for sort in ("oldest", "newest", "replies")
        for number in (1, 2, 5)
    }
    assert counts == {EXPECTED[None]}, counts


@pytest.mark.django_db
def test_a_comments_own_page_costs_the_same_at_any_depth_and_size(client, sized_articles):
    counts = set()
    for article in sized_articles.values():
        for comment in (
            Comment.objects.filter(article=article, level=0).first(),
            Comment.objects.filter(article=article).order_by("-level").first(),
        ):
            count, response = queries(client, comment.get_page_url())
            assert page(response).find(id=f"comment-{comment.pk}") is not None
            counts.add(count)
    assert counts == {2}


@pytest.mark.django_db
def test_a_reader_with_comments_of_their_own_gets_a_fresh_page_at_the_same_cost(
    client, sized_articles, reader
):
    counts = set()
    for article in sized_articles.values():
        root = Comment.objects.filter(article=article, level=0).first()
        services.comment_create(article=article, parent=root, author=reader, body="mine")
        client.force_login(reader)
        counts.add(cold_and_warm(client, article.get_absolute_url()))
        Comment.objects.filter(author=reader).delete()
    # Their own edit links and held comments: rendered for them alone, every time.
    assert counts == {(12, 11)}, counts


@pytest.mark.django_db
def test_a_moderators_page_costs_the_same_whatever_the_reports_bans_and_holds(
    client, article, moderator, django_user_model, settings
):
    """What only moderators see (open reports, bans, held reasons, guests' addresses)
    is read in a fixed number of queries, never one per comment, report or author."""
    authors = [
        django_user_model.objects.create_user(f"author{n}", password="pw-long-enough")
        for n in range(5)
    ]
    reporters = [
        django_user_model.objects.create_user(f"reporter{n}", password="pw-long-enough")
        for n in range(5)
    ]
    comments = [
        services.comment_create(article=article, author=author, body=f"by {author}")
        for author in authors
    ]
    settings.FORUM_GUEST_COMMENTS = "held"
    settings.FORUM_MODERATION = "pre"
    held = [
        services.comment_create(article=article, parent=comments[0], author=authors[1], body="h"),
        services.comment_create_as_guest(
            article=article, name="Gus", email="gus@example.com", body="g", ip="203.0.113.1"
        ),
    ]
    settings.FORUM_MODERATION = "post"
    client.force_login(moderator)
    url = article.get_absolute_url()
    queries(client, url)  # the first view records the visit

    services.comment_report(comment=comments[0], reporter=reporters[0], reason="spam")
    services.users_ban(users=[authors[0]], by=moderator, reason="x")
    few, response = queries(client, url)
    assert len(page(response).select(".comment-reports")) == 1

    for comment in comments[1:]:
        for reporter in reporters:
            services.comment_report(comment=comment, reporter=reporter, reason="abuse", note="!")
    services.users_ban(users=authors[1:], by=moderator, reason="x")
    many, response = queries(client, url)
    soup = page(response)
    assert len(soup.select(".comment-reports")) == 5
    assert len(soup.select(".comment-banned")) == 5 + 1  # every author's comment, the held too
    assert len(soup.select(".comment-held-reason")) == len(held)

    assert few == many == EXPECTED["moderator"][1]


# The page's two queries are compiled by the ORM once per shape (selectors._compiled)
# and run with each page's values: the SQL and parameters must be exactly what the ORM
# builds for those values, and they must go where the router sends reads.


@pytest.mark.django_db
def test_a_compiled_page_query_is_the_query_the_orm_builds_for_its_values():
    for columns in (Node.COLUMNS, Node.MODERATOR_COLUMNS):
        for trees in ([7], [3, 41, 5], list(range(100, 200)), list(range(1, 1500))):
            _, sql, params = selectors._run_compiled(("trees", columns, len(trees)), (12, *trees))
            built = (
                Comment.objects.filter(article_id=12, tree_id__in=trees)
                .order_by("tree_id", "lft")
                .values_list(*columns)
            )
            assert (sql, tuple(params)) == built.query.sql_with_params()
    for sort in policy.SORTS.values():
        for start in (0, 100, 300):
            _, sql, params = selectors._run_compiled(("roots", sort.key, start, 100), (12,))
            built = (
                Comment.objects.filter(article_id=12, level=0)
                .order_by(*sort.order_by)
                .values_list("tree_id", "tree_version", "tree_voted_at")[start : start + 100]
            )
            assert (sql, tuple(params)) == built.query.sql_with_params()


@pytest.mark.django_db
def test_a_page_reads_its_threads_where_the_router_sends_reads(
    client, monkeypatch, django_user_model
):
    article = Article.objects.create(title="Routed", slug="routed", body="Body.")
    author = django_user_model.objects.create_user("gus", password="pw-long-enough")
    services.comment_create(article=article, author=author, body="hello")
    asked = []
    real = router.db_for_read

    def db_for_read(model, **hints):
        asked.append(model)
        return real(model, **hints)

    monkeypatch.setattr(router, "db_for_read", db_for_read)
    assert "hello" in client.get(article.get_absolute_url()).content.decode()
    assert asked.count(Comment) >= 2  # the page's threads, and their rows
