"""Search: what it finds (only what everyone may see), how it shows it, its limits."""

import pytest
from django.db import connection
from django.urls import resolve, reverse

from articles.models import Article
from comments import services
from comments.models import Comment
from search import queries
from tests.pages import page

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="full-text ranking needs PostgreSQL"
)


def search(client, q: str, **params):
    return client.get(reverse("search:search"), {"q": q, **params})


def permalink(comment) -> str:
    return reverse("comments:comment-permalink", kwargs={"pk": comment.pk})


def hits(response) -> list:
    assert response.status_code == 200
    return page(response).select("li.search-hit")


def links(response) -> list[str]:
    return [hit.select_one("a.search-hit-link")["href"] for hit in hits(response)]


def test_titles_article_text_and_comments_are_found(client, article, other_article, reader):
    other_article.body = "The marmalade harvest was late."
    other_article.save()
    comment = services.comment_create(
        article=article, author=reader, body="I prefer **marmalade** to jam."
    )
    titled = Article.objects.create(title="Marmalade at dawn", slug="dawn", body="Toast.")

    found = links(search(client, "marmalade"))

    assert sorted(found) == sorted(
        [
            titled.get_absolute_url(),
            other_article.get_absolute_url(),
            permalink(comment),
        ]
    )
    assert found[0] == titled.get_absolute_url()  # a title counts most


def test_a_comment_hit_links_to_the_comment_in_its_thread(client, article, reader):
    comment = services.comment_create(article=article, author=reader, body="Quinces are fine.")

    (hit,) = hits(search(client, "quinces"))

    link = hit.select_one("a.search-hit-link")
    assert link["href"] == permalink(comment)
    assert client.get(link["href"])["Location"] == comment.get_absolute_url()
    assert "reader" in link.get_text()
    assert article.title in link.get_text()


def test_held_removed_and_deleted_comments_are_never_found_even_by_their_author(
    client, article, reader, moderator, settings
):
    removed = services.comment_create(article=article, author=reader, body="Zanzibar removed")
    services.comments_remove(comments=[removed], by=moderator, reason="Spam")
    deleted = services.comment_create(article=article, author=reader, body="Zanzibar deleted")
    services.comment_delete(comment=deleted, by=reader)
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="Zanzibar held")
    assert held.status == Comment.Status.PENDING

    assert hits(search(client, "zanzibar")) == []
    client.force_login(reader)
    assert hits(search(client, "zanzibar")) == []
    client.force_login(moderator)
    assert hits(search(client, "zanzibar")) == []


def test_snippets_mark_the_words_found_and_escape_everything_else(client, article, reader):
    services.comment_create(
        article=article, author=reader, body="Is 5 < 6 & the walrus > all? A <b>walrus</b> says so."
    )

    (hit,) = hits(search(client, "walrus"))

    snippet = hit.select_one(".search-snippet")
    assert {element.name for element in snippet.find_all(True)} == {"mark"}
    assert {mark.get_text().lower() for mark in snippet.find_all("mark")} == {"walrus"}
    assert "5 < 6 & the walrus > all" in snippet.get_text()


def test_a_query_typed_with_markup_is_shown_as_text(client, db):
    response = search(client, "<b>bold</b>")

    assert b"<b>bold</b>" not in response.content
    assert page(response).select_one("#search-q")["value"] == "<b>bold</b>"


@pytest.mark.parametrize(
    ("q", "message"), [("", "Type a word"), ("  ", "Type a word"), ("a", "at least 2")]
)
def test_an_empty_or_too_short_query_gets_a_message_and_runs_no_query(
    client, db, q, message, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = search(client, q)

    assert message in page(response).select_one(".search-message").get_text()
    assert hits(response) == []


def test_a_query_over_the_length_limit_is_refused_with_a_message(
    client, db, settings, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = search(client, "word " * 50)

    assert "too long" in page(response).select_one(".search-message").get_text()


def make_comments(article, author, count: int, text: str) -> list[Comment]:
    return [
        services.comment_create(article=article, author=author, body=f"{text} number {n}")
        for n in range(count)
    ]


def test_results_come_twenty_a_page_and_a_page_past_the_end_goes_to_the_last(
    client, article, moderator
):
    make_comments(article, moderator, 25, "Pelican")

    first, second = search(client, "pelican"), search(client, "pelican", page=2)
    assert len(hits(first)) == 20
    assert len(hits(second)) == 5
    assert set(links(first)).isdisjoint(links(second))
    assert page(first).select_one('a[rel="next"]')["href"] == "?q=pelican&page=2"
    response = search(client, "pelican", page=9)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('search:search')}?q=pelican&page=2"
    assert search(client, "pelican", page="abc")["Location"].endswith("page=1")


@pytest.mark.parametrize("count", [1, 25])
def test_a_search_costs_the_same_queries_however_many_it_finds(
    client, article, moderator, count, django_assert_num_queries, settings
):
    # The rate limit's counts in memory, as in Redis: in the database cache they
    # would be queries too, of the cache's table.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    article.body = "Pelican country."
    article.save()
    make_comments(article, moderator, count, "Pelican")

    # The hits (kind, id, rank), the page's articles, its comments; on PostgreSQL
    # also SET LOCAL statement_timeout, in a transaction of the search's own (here
    # a savepoint and its release, inside the test's transaction).
    with django_assert_num_queries(3 if connection.vendor == "sqlite" else 6):
        assert len(hits(search(client, "pelican"))) == min(count + 1, 20)


def test_only_so_many_matching_comments_are_ranked(client, article, moderator, settings):
    settings.FORUM_SEARCH_CANDIDATES = 3
    comments = make_comments(article, moderator, 5, "Heron")

    response = search(client, "heron")

    found = links(response)
    assert len(found) == 3
    if connection.vendor == "sqlite":  # the newest; PostgreSQL takes the index's first
        assert sorted(found) == sorted(permalink(c) for c in comments[-3:])
    assert "add a word" in page(response).select_one(".search-count").get_text()


@postgres_only
def test_on_postgresql_words_match_their_other_forms_and_the_best_match_comes_first(
    client, article, moderator
):
    once = services.comment_create(article=article, author=moderator, body="A swimmer swims.")
    often = services.comment_create(
        article=article, author=moderator, body="Swimming, swimming, we swam and swim."
    )
    services.comment_create(article=article, author=moderator, body="Nothing to see.")

    assert links(search(client, "swim")) == [permalink(often), permalink(once)]
    assert links(search(client, '"swimmer swims"')) == [permalink(once)]
    assert links(search(client, "swim -swimmer")) == [permalink(often)]


@postgres_only
def test_on_postgresql_search_reads_the_full_text_indexes(article):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # the test tables are tiny
        plan = queries.explain("pelican")
        cursor.execute("SET enable_seqscan = on")

    assert "article_search_idx" in plan
    assert "comment_search_idx" in plan


def test_the_navigation_bar_has_a_labelled_search_form(client, article):
    soup = page(client.get(article.get_absolute_url()))

    form = soup.select_one("nav form[role=search]")
    assert form["method"] == "get"
    assert resolve(form["action"]).url_name == "search"
    field = form.select_one("input[name=q]")
    assert soup.select_one(f'label[for="{field["id"]}"]').get_text().strip()
    assert form.select_one("button[type=submit]") is not None
