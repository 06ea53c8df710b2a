"""Reading big threads: the cache, paging by thread, sorting, the depth limit and
comment pages."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import policy, services
from comments.models import Comment
from comments.threads import cache as thread_cache
from tests.factories import establish
from tests.pages import card_of, comment_element, page, rendered_outline


def bodies(response) -> list[str]:
    return [b.get_text() for b in page(response).select(".comment-body")]


def test_every_kind_of_write_shows_at_once_despite_the_cache(
    client, article, reader, other_reader, moderator, settings, django_user_model
):
    settings.FORUM_REPORTS_TO_HOLD = 1
    url = article.get_absolute_url()
    first = services.comment_create(article=article, author=reader, body="first")
    assert bodies(client.get(url)) == ["first"]
    assert bodies(client.get(url)) == ["first"]  # now from the cache

    reply = services.comment_create(article=article, parent=first, author=other_reader, body="re")
    assert bodies(client.get(url)) == ["first", "re"]

    services.comment_edit(comment=reply, by=other_reader, body="re, edited")
    assert bodies(client.get(url)) == ["first", "re, edited"]

    services.comments_remove(comments=[first], by=moderator, reason="x")
    assert bodies(client.get(url)) == ["re, edited"]

    services.comments_restore(comments=[first], by=moderator)
    assert bodies(client.get(url)) == ["first", "re, edited"]

    services.comment_delete(comment=reply, by=other_reader)
    assert bodies(client.get(url)) == ["first"]

    reporter = establish(other_reader)
    services.comment_report(comment=first, reporter=reporter, reason="spam")  # held
    assert bodies(client.get(url)) == []

    services.comments_approve(comments=[first], by=moderator)
    assert bodies(client.get(url)) == ["first"]

    Article.objects.filter(pk=article.pk).update(comments_open=False)
    assert page(client.get(url)).find("a", string="Reply") is None


def test_one_readers_view_is_never_served_to_another(client, thread, article, other_reader):
    Comment.objects.filter(pk=thread["second"].pk).update(status="pending")
    services.comment_edit(comment=thread["root"], by=thread["root"].author, body="Root!")
    url = article.get_absolute_url()

    client.force_login(other_reader)  # the pending comment's author
    own_view = page(client.get(url))
    client.logout()
    anonymous = page(client.get(url))
    anonymous_again = page(client.get(url))

    assert comment_element(own_view, thread["second"]) is not None
    assert own_view.find("a", string="Delete") is not None
    for view in (anonymous, anonymous_again):
        assert comment_element(view, thread["second"]) is None
        assert view.find("a", string="Delete") is None
        assert view.find("a", string="Report") is None


def test_signed_in_readers_share_a_view_with_report_links_but_no_others_edit_links(
    client, thread, article, django_user_model
):
    url = article.get_absolute_url()
    for name in ("x", "y"):
        client.force_login(django_user_model.objects.create_user(name, password="pw-long-enough"))
        soup = page(client.get(url))
        assert len(soup.find_all("a", string="Report")) == 4
        assert soup.find("a", string="Edit") is None and soup.find("a", string="Delete") is None


@pytest.fixture
def many_threads(article, reader, settings):
    settings.FORUM_THREADS_PER_PAGE = 3
    threads = [
        services.comment_create(article=article, author=reader, body=f"thread {n}")
        for n in range(7)
    ]
    for n in range(3):  # thread 4 gets the most replies, thread 1 one
        services.comment_create(article=article, parent=threads[4], author=reader, body=f"r{n}")
    services.comment_create(article=article, parent=threads[1], author=reader, body="r-1")
    return threads


def roots(response) -> list[str]:
    return [
        card_of(c).select_one(".comment-body").get_text()
        for c in page(response).select(".comment-thread > li.comment")
    ]


def test_an_article_with_many_threads_is_paged_by_thread(client, article, many_threads):
    url = article.get_absolute_url()

    first, second, third = (client.get(url, {"page": n}) for n in (1, 2, 3))

    assert roots(first) == ["thread 0", "thread 1", "thread 2"]
    assert roots(second) == ["thread 3", "thread 4", "thread 5"]
    assert roots(third) == ["thread 6"]
    assert "r0" in bodies(second)  # replies come with their thread
    links = page(second).select(".pagination a")
    assert [a.get_text() for a in links] == ["← Previous", "1", "3", "Next →"]
    assert (
        page(second).select_one('.pagination a[rel="next"]')["href"] == "?sort=best&page=3#comments"
    )
    past_the_end = client.get(url, {"page": "99"})
    assert past_the_end.status_code == 302
    assert past_the_end["Location"] == f"{url}?sort=best&page=3#comments"
    assert roots(client.get(url, {"page": "99"}, follow=True)) == ["thread 6"]
    assert roots(client.get(url, {"page": "nonsense"}, follow=True)) == roots(first)
    assert page(first).find(id="comments-heading").get_text() == "11 comments"


def test_readers_sort_the_threads_and_every_comments_replies(client, article, many_threads):
    url = article.get_absolute_url()

    newest = client.get(url, {"sort": "newest"})
    replies = client.get(url, {"sort": "replies"})

    # Newest activity first: thread 1's reply came last, then thread 4's replies.
    assert roots(newest) == ["thread 1", "thread 4", "thread 6"]
    assert roots(replies) == ["thread 4", "thread 1", "thread 0"]
    assert [b for b in bodies(replies) if b.startswith("r")] == ["r0", "r1", "r2", "r-1"]
    # Each comment's replies follow the sort too: the newest first under Newest.
    assert [b for b in bodies(newest) if b.startswith("r")] == ["r-1", "r2", "r1", "r0"]
    assert roots(client.get(url, {"sort": "bogus"})) == ["thread 0", "thread 1", "thread 2"]


def test_posting_lands_on_the_page_that_holds_the_thread(reader_client, article, many_threads):
    url = reverse("comments:comment-reply", kwargs={"pk": many_threads[6].pk})
    response = reader_client.post(url, {"body": "late reply"})

    reply = Comment.objects.get(body="late reply")
    # The page of the thread in the order threads were started, which votes never change.
    assert response["Location"] == (
        f"{article.get_absolute_url()}?sort=oldest&page=3#comment-{reply.pk}"
    )


@pytest.fixture
def chain(article, reader, settings):
    """A single line of replies twelve deep: levels 0..11."""
    settings.FORUM_MAX_VISIBLE_DEPTH = 8
    node = services.comment_create(article=article, author=reader, body="level 0")
    nodes = [node]
    for level in range(1, 12):
        node = services.comment_create(
            article=article, parent=node, author=reader, body=f"level {level}"
        )
        nodes.append(node)
    return nodes


def test_replies_past_the_depth_limit_continue_on_the_comments_own_page(client, article, chain):
    soup = page(client.get(article.get_absolute_url()))

    assert [level for level, _ in rendered_outline(soup)] == list(range(9))
    cut = comment_element(soup, chain[8])
    link = cut.select_one("a.comment-continue")
    assert link.get_text() == "Continue this thread (3 more replies) →"  # levels 9-11
    assert link["href"] == chain[8].get_page_url()
    assert comment_element(soup, chain[9]) is None


def test_a_comments_page_shows_its_ancestors_and_its_subtree(client, article, chain):
    response = client.get(chain[8].get_page_url())
    soup = page(response)

    context = [a.get_text() for a in soup.select(".context-author")]
    assert context == ["reader"] * 8
    assert [b.get_text() for b in soup.select(".comment-thread .comment-body")] == [
        f"level {n}" for n in range(8, 12)
    ]
    assert comment_element(comment_element(soup, chain[8]), chain[11]) is not None


def test_a_deep_comment_links_to_its_own_page(chain):
    assert chain[9].get_absolute_url() == f"{chain[9].get_page_url()}#comment-{chain[9].pk}"
    assert chain[8].get_absolute_url().startswith(chain[8].article.get_absolute_url() + "#")


def test_a_hidden_comments_page_is_404_unless_replies_need_it(client, thread, moderator):
    services.comments_remove(comments=[thread["deep"]], by=moderator, reason="x")
    services.comments_remove(comments=[thread["reply"]], by=moderator, reason="x")
    assert client.get(thread["deep"].get_page_url()).status_code == 404

    services.comments_restore(comments=[thread["deep"]], by=moderator)
    soup = page(client.get(thread["reply"].get_page_url()))
    assert comment_element(soup, thread["reply"]).get_text().strip().startswith("[removed]")


def test_a_comment_page_under_an_earlier_releases_route_moves_to_its_own(
    client, thread, other_article
):
    old = f"{other_article.get_absolute_url()}comments/{thread['root'].pk}/?page=2"

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == (
        reverse("comments:comment-detail", args=[thread["root"].pk]) + "?page=2"
    )
    assert client.get(response["Location"]).status_code == 200


def test_page_numbers_that_do_not_exist_create_no_cache_entries(client, article, many_threads):
    """An attacker walking ?page=2…1001 with every sort must not fill the cache."""
    pages_cache = caches[settings.FORUM_PAGE_CACHE]
    url = article.get_absolute_url()
    for sort in ("oldest", "newest"):
        for number in range(1, 40):
            client.get(url, {"sort": sort, "page": number})
    for junk in ("0", "-1", "1e3", "nonsense"):
        assert client.get(url, {"page": junk}).status_code == 302

    stored = [key for key in pages_cache._cache if ":forum:thread:" in key]
    assert len(stored) == 2 * 3  # two sorts, three real pages each


def test_a_comment_landing_between_the_checks_and_the_rows_is_never_shared(
    article, reader, other_reader, django_user_model, settings, monkeypatch
):
    """The reader's first comment commits after the "has comments here?" check but
    before the rows are read: their page shows it (held, with Edit/Delete), and that
    page must not be stored where other signed-in readers are served from, not even
    for a reader whose request read the article row at the same moment."""
    services.comment_create(article=article, author=other_reader, body="Someone else's")
    settings.FORUM_MODERATION = "pre"
    bystander = django_user_model.objects.create_user("bystander", password="x-long-passphrase")
    as_read_by_both = Article.objects.get(pk=article.pk)  # before the comment lands
    oldest = policy.sort_named(None)

    def lands_right_after_the_check(article, viewer):
        services.comment_create(article=article, author=reader, body="My held comment")
        return False

    monkeypatch.setattr(thread_cache, "viewer_has_comments", lands_right_after_the_check)
    own = thread_cache.article_thread(as_read_by_both, user=reader, sort=oldest, page=1)
    monkeypatch.undo()
    assert "My held comment" in own.text

    seen = thread_cache.article_thread(as_read_by_both, user=bystander, sort=oldest, page=1)
    assert "Someone else's" in seen.text
    assert "My held comment" not in seen.text


# What moderators see in the thread (held reasons, guests' addresses, reports, bans,
# Approve and Undo, the way to what needs them) is theirs alone.

MODERATORS_ONLY = (
    ".comment-mod, .comment-reports, .comment-reported, .comment-banned, "
    ".comment-next-attention, form.comment-act, nav.attention-nav, form.undo-approval"
)


@pytest.fixture
def everything_a_moderator_sees(
    thread, article, other_reader, moderator, django_user_model, settings
):
    """A reported comment, a banned author, a held comment and a held guest's."""
    ana = django_user_model.objects.create_user("ana", password="pw-long-enough")
    services.comment_report(comment=thread["reply"], reporter=ana, reason="abuse", note="rude")
    services.users_ban(users=[other_reader], by=moderator, reason="trolling")
    settings.FORUM_MODERATION = "pre"
    services.comment_create(article=article, parent=thread["root"], author=ana, body="Held")
    settings.FORUM_MODERATION = "post"
    settings.FORUM_GUEST_COMMENTS = "held"
    services.comment_create_as_guest(
        article=article, name="Gus", email="gus@example.com", body="Guest", ip="203.0.113.9"
    )
    return thread


def readers_clients(reader, moderator, django_user_model) -> dict[str, Client]:
    """Every kind of reader: anonymous, one with comments of their own in the thread
    (a page rendered for them), one without (a shared page), and a banned one."""
    bystander = django_user_model.objects.create_user("zed", password="pw-long-enough")
    banned = django_user_model.objects.create_user("bea", password="pw-long-enough")
    week = timezone.now() + timedelta(days=7)
    services.users_ban(users=[banned], by=moderator, reason="x", ends=week)
    clients = {"anonymous": Client()}
    for who, user in (("own comments", reader), ("reader", bystander), ("banned", banned)):
        clients[who] = Client()
        clients[who].force_login(user)
    return clients


def assert_nothing_of_the_moderators(response) -> None:
    soup = page(response)
    assert soup.select(MODERATORS_ONLY) == []
    html = response.content.decode()
    for text in (
        "Reported ×",
        "rude",
        "Lift ban",
        "banned permanently",
        "gus@example.com",
        "203.0.113.9",
        "Pre-moderation",
        "Next needing attention",
        "undo-approval",
    ):
        assert text not in html, text


def test_a_reader_right_after_a_moderator_gets_none_of_the_moderators_view(
    client, article, reader, moderator, django_user_model, everything_a_moderator_sees
):
    url = article.get_absolute_url()
    readers = readers_clients(reader, moderator, django_user_model)
    before = {who: browser.get(url) for who, browser in readers.items()}

    client.force_login(moderator)
    moderators = page(client.get(url))
    assert len(moderators.select(".comment-mod")) == 3  # reported, held, the guest's
    assert moderators.select_one(".comment-banned").get_text() == "banned permanently"

    for who, browser in readers.items():
        response = browser.get(url)
        assert_nothing_of_the_moderators(response)
        # The same page, with the same headers, as before a moderator looked.
        assert dict(response.headers.items()) == dict(before[who].headers.items())
        assert sorted(response.cookies) == sorted(before[who].cookies)
        assert page(response).select_one("ol.comment-thread") == page(before[who]).select_one(
            "ol.comment-thread"
        )
        assert_nothing_of_the_moderators(
            browser.get(everything_a_moderator_sees["reply"].get_page_url())
        )


def test_a_moderators_page_is_never_stored_for_readers(
    client, article, reader, moderator, django_user_model, everything_a_moderator_sees
):
    pages_cache = caches[settings.FORUM_PAGE_CACHE]
    client.force_login(moderator)
    for _ in range(2):
        assert len(page(client.get(article.get_absolute_url())).select(".comment-mod")) == 3
    assert [key for key in pages_cache._cache if ":forum:" in key] == []

    for browser in readers_clients(reader, moderator, django_user_model).values():
        browser.get(article.get_absolute_url())
    stored = [key for key in pages_cache._cache if ":forum:thread:" in key or ":forum:tree:" in key]
    variants = {
        key.rsplit(":", 1)[1] if ":forum:tree:" in key else key.split(":")[-3] for key in stored
    }
    assert variants == {"anon", "reader", "banned"}
    for key in stored:
        entry = pages_cache.get(key.split(":", 2)[2])
        html = (entry["shared"] if isinstance(entry, dict) else entry).decode()
        assert "comment-mod" not in html and "Reported" not in html


def test_reports_and_bans_leave_readers_markup_byte_for_byte_the_same(
    article, thread, reader, moderator, django_user_model
):
    def readers_threads() -> list[str]:
        for cache in caches.all():
            cache.clear()
        oldest = policy.sort_named(None)
        return [
            thread_cache.article_thread(article, user=user, sort=oldest, page=1).text
            for user in (None, reader)
        ]

    before = readers_threads()
    ana = django_user_model.objects.create_user("ana", password="pw-long-enough")
    services.comment_report(comment=thread["reply"], reporter=ana, reason="spam", note="x")
    services.users_ban(users=[thread["reply"].author], by=moderator, reason="x")
    assert readers_threads() == before
    moderators = thread_cache.article_thread(
        article, user=moderator, sort=policy.sort_named(None), page=1
    ).text
    assert "Reported ×1: spam" in moderators and "banned permanently" in moderators


def test_only_a_page_of_many_threads_lays_threads_out_as_they_are_scrolled_to(
    client, article, reader
):
    """The stylesheet skips the layout of off-screen threads on a list marked long:
    more than ten threads (static/css/forum.css). A short page is laid out whole."""

    def thread_list():
        caches[settings.FORUM_PAGE_CACHE].clear()
        return page(client.get(article.get_absolute_url())).select_one("ol.comment-thread")

    for n in range(10):
        services.comment_create(article=article, author=reader, body=f"thread {n}")
    assert "is-long" not in thread_list()["class"]

    services.comment_create(article=article, author=reader, body="the eleventh")
    assert "is-long" in thread_list()["class"]
