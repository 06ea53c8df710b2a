"""The page cache keeps each top-level thread on its own: a write re-renders only the
threads it touched, one request renders what is missing while others wait
briefly, and a cache that is local or down never makes a request wait for long.
"Newest" sorts threads by their latest published comment."""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import policy, services
from comments.threads import cache as thread_cache
from comments.trees.integrity import Problem, repair_trees
from tests.pages import card_of, page
from tests.redis_server import free_port

SORT = policy.sort_named(None)


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The text of every comment the page cache renders (a render may hold placeholders
    between threads: they are no comment, and have no comment's pk)."""
    bodies: list[str] = []

    def counting(render):
        def counted(nodes, links, **kwargs):
            bodies.extend(node.body_html for node in nodes if node.pk)
            return render(nodes, links, **kwargs)

        return counted

    for name in ("render_nodes", "render_unmarked"):  # a reader's own page; shared ones
        monkeypatch.setattr(thread_cache, name, counting(getattr(thread_cache, name)))
    return bodies


@pytest.fixture
def three_threads(article, reader) -> list:
    return [
        services.comment_create(article=article, author=reader, body=f"thread {n}")
        for n in range(3)
    ]


def bodies(response) -> list[str]:
    return [b.get_text() for b in page(response).select(".comment-body")]


def roots(response) -> list[str]:
    return [
        card_of(c).select_one(".comment-body").get_text()
        for c in page(response).select(".comment-thread > li.comment")
    ]


def test_a_reply_re_renders_only_its_own_thread(
    client, article, three_threads, other_reader, rendered
):
    url = article.get_absolute_url()
    client.get(url)
    assert rendered == ["<p>thread 0</p>", "<p>thread 1</p>", "<p>thread 2</p>"]
    rendered.clear()

    services.comment_create(
        article=article, parent=three_threads[1], author=other_reader, body="a reply"
    )
    response = client.get(url)

    assert rendered == ["<p>thread 1</p>", "<p>a reply</p>"]
    assert bodies(response) == ["thread 0", "thread 1", "a reply", "thread 2"]
    rendered.clear()
    assert bodies(client.get(url)) == ["thread 0", "thread 1", "a reply", "thread 2"]
    assert rendered == []


def test_signed_in_readers_also_re_render_only_the_thread_that_changed(
    client, article, three_threads, other_reader, django_user_model, rendered
):
    client.force_login(django_user_model.objects.create_user("x", password="a-long-passphrase"))
    url = article.get_absolute_url()
    client.get(url)
    rendered.clear()

    services.comment_edit(comment=three_threads[2], by=three_threads[2].author, body="changed")
    soup = page(client.get(url))

    assert rendered == ["<p>changed</p>"]
    assert len(soup.find_all("a", string="Report")) == 3


def test_moderation_across_several_threads_re_renders_each_thread_it_touched(
    client, article, three_threads, other_reader, moderator, rendered
):
    replies = [
        services.comment_create(article=article, parent=root, author=other_reader, body=f"re {n}")
        for n, root in enumerate(three_threads)
    ]
    url = article.get_absolute_url()
    client.get(url)
    rendered.clear()

    services.comments_remove(comments=[replies[0], replies[2]], by=moderator, reason="spam")
    response = client.get(url)

    assert sorted(rendered) == ["<p>thread 0</p>", "<p>thread 2</p>"]
    assert bodies(response) == ["thread 0", "thread 1", "re 1", "thread 2"]


def test_the_integrity_repair_re_renders_every_thread_of_the_article(
    client, article, three_threads, rendered
):
    url = article.get_absolute_url()
    client.get(url)
    rendered.clear()

    repair_trees([Problem(three_threads[0].tree_id, (article.pk,), "checked by hand")])
    response = client.get(url)

    assert len(rendered) == 3
    assert bodies(response) == ["thread 0", "thread 1", "thread 2"]


def test_a_new_thread_is_rendered_alone_and_counted_at_once(
    client, article, three_threads, reader, rendered
):
    url = article.get_absolute_url()
    client.get(url)
    rendered.clear()

    services.comment_create(article=article, author=reader, body="thread 3")
    response = client.get(url)

    assert rendered == ["<p>thread 3</p>"]
    assert page(response).find(id="comments-heading").get_text() == "4 comments"


def test_a_reader_waits_for_the_page_another_request_is_building(
    article, three_threads, monkeypatch, rendered
):
    """A second reader arriving while the first builds the page waits for it, then takes
    the page the first stored instead of rendering the threads again. The first
    renderer goes on only once the second is waiting: no timing is assumed."""
    render = thread_cache.render_unmarked
    wait_for = thread_cache._wait_for
    waiting = threading.Event()
    second: list = []

    def wait_and_say_so(cache, *, lock, key):
        waiting.set()
        found = wait_for(cache, lock=lock, key=key)
        second.append(("waited", found is not None))
        return found

    def read_page() -> None:
        second.append(thread_cache.article_thread(article, user=None, sort=SORT, page=1).text)

    waiter = threading.Thread(target=read_page)

    def render_while_the_other_waits(nodes, links, **kwargs):
        if waiter.ident is None:  # the first render call of the first reader
            waiter.start()
            assert waiting.wait(timeout=10)  # the second reader is waiting now
        return render(nodes, links, **kwargs)

    monkeypatch.setattr(thread_cache, "_wait_for", wait_and_say_so)
    monkeypatch.setattr(thread_cache, "render_unmarked", render_while_the_other_waits)
    first = thread_cache.article_thread(article, user=None, sort=SORT, page=1)
    waiter.join(timeout=10)

    assert second == [("waited", True), first.text]
    assert len(rendered) == 3  # the first reader's renders only


def test_a_reader_stops_waiting_for_a_renderer_that_takes_too_long(
    client, article, three_threads, monkeypatch, rendered
):
    """The first renderer is stuck (here: until the second reader is done); the
    second renders for itself once RENDER_WAIT_SECONDS have passed."""
    monkeypatch.setattr(thread_cache, "RENDER_WAIT_SECONDS", 0.2)
    render = thread_cache.render_unmarked
    waited = []
    stuck_once = []

    def stuck(nodes, links, **kwargs):
        if not stuck_once:
            stuck_once.append(True)
            started = time.monotonic()
            other = thread_cache.article_thread(article, user=None, sort=SORT, page=1)
            waited.append((time.monotonic() - started, other.text))
        return render(nodes, links, **kwargs)

    monkeypatch.setattr(thread_cache, "render_unmarked", stuck)
    first = thread_cache.article_thread(article, user=None, sort=SORT, page=1)

    ((seconds, html),) = waited
    assert seconds >= 0.2  # it waited its whole allowance, then rendered
    assert html == first.text
    assert len(rendered) == 6  # both rendered every thread


@pytest.fixture
def dead_redis_pages(settings):
    """The page cache on a Redis that is not there (nothing listens on the port)."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        **settings.CACHES,
        settings.FORUM_PAGE_CACHE: {
            "BACKEND": "forum.cache_backends.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"breaker_seconds": 60},
        },
    }
    return caches[settings.FORUM_PAGE_CACHE]


def test_pages_render_at_once_while_the_redis_cache_is_down(
    client, article, three_threads, dead_redis_pages, monkeypatch, rendered
):
    monkeypatch.setattr(thread_cache, "RENDER_WAIT_SECONDS", 5)
    url = article.get_absolute_url()
    for _ in range(3):
        started = time.monotonic()
        response = client.get(url)
        assert time.monotonic() - started < 2
        assert bodies(response) == ["thread 0", "thread 1", "thread 2"]
    assert len(rendered) == 9  # nothing stored, nothing waited for


def test_pages_work_with_a_cache_that_keeps_nothing(client, article, three_threads, settings):
    settings.CACHES = {
        **settings.CACHES,
        settings.FORUM_PAGE_CACHE: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    url = article.get_absolute_url()
    for _ in range(2):
        assert bodies(client.get(url)) == ["thread 0", "thread 1", "thread 2"]


def test_a_reply_costs_the_next_reader_the_page_list_and_one_threads_rows(
    client, article, three_threads, other_reader
):
    url = article.get_absolute_url()
    client.get(url)
    services.comment_create(article=article, parent=three_threads[0], author=other_reader, body="r")

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in captured]

    # The article (with its counts), the page's threads and their versions, the
    # changed thread's rows.
    assert tables == ['"articles_article"', '"comments_comment"', '"comments_comment"']
    assert f"IN ({three_threads[0].tree_id})" in captured[2]["sql"].replace("'", "")


def test_newest_puts_threads_with_new_published_replies_first(
    client, article, three_threads, other_reader, moderator, settings
):
    url = article.get_absolute_url()
    assert roots(client.get(url, {"sort": "newest"})) == ["thread 2", "thread 1", "thread 0"]

    reply = services.comment_create(
        article=article, parent=three_threads[0], author=other_reader, body="late reply"
    )
    assert roots(client.get(url, {"sort": "newest"})) == ["thread 0", "thread 2", "thread 1"]
    assert roots(client.get(url, {"sort": "oldest"})) == ["thread 0", "thread 1", "thread 2"]

    settings.FORUM_MODERATION = "pre"
    services.comment_create(
        article=article, parent=three_threads[1], author=other_reader, body="held reply"
    )
    assert roots(client.get(url, {"sort": "newest"})) == ["thread 0", "thread 2", "thread 1"]

    services.comments_remove(comments=[reply], by=moderator, reason="spam")
    assert roots(client.get(url, {"sort": "newest"})) == ["thread 2", "thread 1", "thread 0"]


def test_an_import_sets_each_new_threads_activity_and_version(article):
    services.comments_import(
        article=article,
        threads=[services.CommentDraft("a", "one", [services.CommentDraft("b", "two")])],
    )
    root = article.comments.get(level=0)
    version = Article.objects.get(pk=article.pk).comments_version

    assert root.tree_version == version
    assert root.last_activity == root.created


def author_of_the_first(client, article):
    card = page(client.get(article.get_absolute_url())).select_one("li.comment article")
    author = card.select_one(".comment-author")
    return author.name, author.get_text()


def test_a_renamed_reader_shows_their_new_name_in_cached_threads(client, article, three_threads):
    author = three_threads[0].author
    assert author_of_the_first(client, article) == ("a", "reader")  # cached now

    author.username = "renamed"
    author.save()

    assert author_of_the_first(client, article) == ("a", "renamed")


def test_a_deactivated_or_deleted_reader_is_no_longer_linked_in_cached_threads(
    client, article, three_threads
):
    author = three_threads[0].author
    assert author_of_the_first(client, article)[0] == "a"

    author.is_active = False
    author.save(update_fields=["is_active"])
    assert author_of_the_first(client, article) == ("span", "reader")

    author.is_active = True
    author.save()
    assert author_of_the_first(client, article)[0] == "a"
    author.delete()
    assert author_of_the_first(client, article) == ("span", "reader")


def test_a_change_of_depth_or_threads_per_page_is_never_served_from_the_old_pages(
    client, article, reader, settings
):
    root = services.comment_create(article=article, author=reader, body="root")
    services.comment_create(article=article, parent=root, author=reader, body="reply")
    services.comment_create(article=article, author=reader, body="second thread")
    assert "Continue this thread" not in client.get(article.get_absolute_url()).content.decode()

    settings.FORUM_MAX_VISIBLE_DEPTH = 0
    settings.FORUM_THREADS_PER_PAGE = 1

    shown = page(client.get(article.get_absolute_url()))
    assert "Continue this thread" in shown.get_text()
    assert len(shown.select(".comment-thread > li.comment")) == 1
