"""What a guest leaves behind is theirs: their address never reaches a page anyone else
is served, their held comment never reaches a shared cache, and pages that list
comments cost the same for them as for any reader. Marked "guest" on the site and
in the admin."""

import pickle

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from comments import policy, services
from comments.models import Comment
from comments.threads import cache as thread_cache
from tests.pages import card_of, comment_element, page

ADDRESS = "hidden.guest@example.com"


@pytest.fixture
def guest(guests_held):
    """A browser of its own, for a reader without an account."""
    return Client()


def post_as_guest(client, article, *, body: str, parent=None):
    if parent is None:
        url = reverse("comments:comment-create", kwargs={"slug": article.slug})
    else:
        url = reverse("comments:comment-reply", kwargs={"pk": parent.pk})
    response = client.post(url, {"name": "Quiet Guest", "email": ADDRESS, "body": body})
    assert response.status_code == 302, response.content
    return Comment.objects.get(body=body)


def cached_text() -> str:
    """Every entry of the page cache, as text (threads' HTML is kept as UTF-8)."""

    def text(value) -> str:
        if isinstance(value, bytes):
            return value.decode(errors="replace")
        if isinstance(value, dict):
            return " ".join(text(item) for item in value.values())
        return str(value)

    store = caches[settings.FORUM_PAGE_CACHE]
    return " ".join(text(pickle.loads(value)) for value in store._cache.values())


def test_a_held_guest_comment_is_seen_by_the_browser_that_posted_it_and_moderators_only(
    reader, moderator
):
    posted_here = policy.Viewer.of(None, guest_comments=[5])
    held = {"status": policy.Status.PENDING, "author_id": None}

    assert policy.can_see(**held, viewer=posted_here, pk=5)
    assert not policy.can_see(**held, viewer=posted_here, pk=6)
    assert not policy.can_see(**held, viewer=policy.Viewer.of(None), pk=5)
    assert not policy.can_see(**held, viewer=policy.Viewer.of(reader, guest_comments=[5]), pk=5)
    assert policy.can_see(**held, viewer=policy.Viewer.of(moderator), pk=5)
    # Seeing it is all: nobody may edit or delete a comment without an author.
    for viewer in (posted_here, policy.Viewer.of(reader), policy.Viewer.of(moderator)):
        assert policy.delete_refusal(**held, viewer=viewer)
        assert policy.edit_refusal(**held, created=timezone.now(), viewer=viewer)


def test_a_guests_held_comment_never_reaches_the_shared_cache(guest, thread, article, reader):
    held = post_as_guest(guest, article, body="Held words", parent=thread["root"])

    assert comment_element(page(guest.get(article.get_absolute_url())), held) is not None
    guest.get(thread["root"].get_page_url())
    Client().get(article.get_absolute_url())
    signed_in = Client()
    signed_in.force_login(reader)
    signed_in.get(article.get_absolute_url())

    assert "Root" in cached_text()
    assert "Held words" not in cached_text()
    assert "Held words" not in Client().get(article.get_absolute_url()).content.decode()


def test_a_held_comment_appearing_after_the_check_is_never_stored(guest, thread, article):
    """The check that sends a guest with a held comment past the cache says no (say the
    comment was held again after it): their render shows the comment, so it must not
    be stored where other readers are served from."""
    held = post_as_guest(guest, article, body="Held again", parent=thread["reply"])
    viewer = policy.Viewer.of(None, guest_comments=[held.pk])
    real_check = thread_cache.viewer_has_comments
    thread_cache.viewer_has_comments = lambda article, viewer: False
    try:
        own = thread_cache.article_thread(
            article, user=None, sort=policy.sort_named(None), page=1, guest_comments=[held.pk]
        )
    finally:
        thread_cache.viewer_has_comments = real_check

    assert "Held again" in own.text
    assert viewer.guest_comments == {held.pk}
    assert "Held again" not in cached_text()
    assert "Held again" not in Client().get(article.get_absolute_url()).content.decode()


def test_once_approved_the_comment_is_shared_with_every_reader(guest, thread, article, moderator):
    held = post_as_guest(guest, article, body="Approved words")
    services.comments_approve(comments=[held], by=moderator)

    for browser in (guest, Client()):
        element = comment_element(page(browser.get(article.get_absolute_url())), held)
        assert element.select_one(".comment-author").get_text() == "Quiet Guest"
        assert element.select_one("header > small").get_text() == "guest"
        assert element.select_one(".comment-badge") is None
    assert "Approved words" in cached_text()


def test_the_address_appears_on_no_page_anyone_else_is_served(
    guest, thread, article, reader, moderator
):
    held = post_as_guest(guest, article, body="Where is it?", parent=thread["root"])
    services.comments_approve(comments=[held], by=moderator)
    signed_in = Client()
    signed_in.force_login(reader)
    staff = Client()
    staff.force_login(moderator)
    urls = [
        reverse("articles:article-list"),
        article.get_absolute_url(),
        held.get_page_url(),
        reverse("comments:comment-reply", kwargs={"pk": held.pk}),
    ]
    report = reverse("comments:comment-report", kwargs={"pk": held.pk})

    for browser in (Client(), signed_in, staff):
        for url in urls if browser not in (signed_in, staff) else [*urls, report]:
            response = browser.get(url)
            assert response.status_code == 200, url
            assert ADDRESS not in response.content.decode().lower(), url


def test_pages_with_a_guests_own_data_are_private_and_others_are_not(guest, article):
    anonymous = Client().get(article.get_absolute_url())
    assert "private" not in anonymous.get("Cache-Control", "")

    post_as_guest(guest, article, body="Mine")

    for url in (article.get_absolute_url(), Comment.objects.get().get_page_url()):
        response = guest.get(url)
        assert response["Cache-Control"] == "private"
        assert "Cookie" in response["Vary"]


def test_imported_and_guest_authors_are_marked_guest_and_readers_are_not(
    client, seeded_article, reader
):
    mine = services.comment_create(article=seeded_article, author=reader, body="Registered")

    soup = page(client.get(seeded_article.get_absolute_url()))

    imported = Comment.objects.filter(article=seeded_article, imported=True)
    for comment in imported:
        assert card_of(comment_element(soup, comment)).select_one("header > small")
    card = card_of(comment_element(soup, mine))
    assert card.select_one("header > small") is None
    assert card.select_one(".comment-author").get_text() == "reader"


# The admin: "guest" and the address, for moderators.


def test_the_moderation_queue_shows_guest_and_the_address(guest, article, moderator_client):
    held = post_as_guest(guest, article, body="Please approve me")
    changelist = reverse("admin:comments_comment_changelist")

    row = page(moderator_client.get(changelist)).select("#result_list tbody tr")[0]
    author = row.select_one(".field-author_display")
    assert author.select_one(".comment-guest").get_text() == "guest"
    assert ADDRESS in author.get_text()
    assert row.select_one(".field-status").get_text() == "Pending review"
    found = page(moderator_client.get(changelist, {"q": ADDRESS})).select("#result_list tbody tr")
    assert len(found) == 1

    change = page(moderator_client.get(reverse("admin:comments_comment_change", args=[held.pk])))
    assert ADDRESS in change.select_one(".field-author_email").get_text()
    assert "127.0.0.1" in change.select_one(".field-author_ip").get_text()
    assert "posted without an account" in change.select_one(".field-guest").get_text()


def test_a_moderator_approves_a_guests_comment_from_the_queue(guest, article, moderator_client):
    held = post_as_guest(guest, article, body="Approve from the queue")
    changelist = reverse("admin:comments_comment_changelist")

    moderator_client.post(changelist, {"action": "approve_comments", "_selected_action": [held.pk]})

    held.refresh_from_db()
    assert held.status == "published"
    assert comment_element(page(Client().get(article.get_absolute_url())), held) is not None


# What pages that list comments cost, whoever reads them.

SIZES = [10, 10_000]


def queries(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return len(captured)


def cold_and_warm(browser, url: str) -> tuple[int, int]:
    for each in caches.all():
        each.clear()
    return queries(browser, url), queries(browser, url)


# Anonymous readers with the guest form: as without it (article, then the page's
# threads and their rows until cached). A guest with a held comment there: the
# session, the article, "held comments of theirs here?", then their own render (the
# page's threads, their rows) every time; a guest whose comments were all decided:
# the session, the article and that check, then served from the cache.
EXPECTED = {"anonymous": (3, 1), "guest, held": (5, 5), "guest, decided": (5, 3)}


@pytest.mark.django_db
def test_the_article_page_costs_the_same_for_guests_at_10_and_10000_comments(
    sized_articles, guests_held, moderator
):
    costs = {}
    for size, article in sized_articles.items():
        url = article.get_absolute_url()
        costs[("anonymous", size)] = cold_and_warm(Client(), url)
        browser = Client()
        root = Comment.objects.filter(article=article, level=0).first()
        held = post_as_guest(browser, article, body=f"held {size}", parent=root)
        browser.get(url)  # the confirmation shown once
        costs[("guest, held", size)] = cold_and_warm(browser, url)
        services.comments_approve(comments=[held], by=moderator)
        costs[("guest, decided", size)] = cold_and_warm(browser, url)
        Comment.objects.filter(pk=held.pk).update(status=Comment.Status.DELETED)

    assert costs == {(who, size): EXPECTED[who] for who in EXPECTED for size in SIZES}


def test_a_guests_name_and_address_last_only_until_the_browser_closes(guest, article):
    post_as_guest(guest, article, body="Remember me briefly")

    cookie = guest.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert guest.session.get_expire_at_browser_close()


def test_a_guests_name_and_address_are_forgotten_after_a_day(guest, article):
    post_as_guest(guest, article, body="Remember me briefly")
    form = reverse("comments:article", kwargs={"slug": article.slug})
    assert page(guest.get(form)).find("input", {"name": "email"})["value"] == ADDRESS

    later = timezone.now() + timezone.timedelta(hours=25)
    with freeze_time(later):
        soup = page(guest.get(form))

    assert soup.find("input", {"name": "email"}).get("value") is None
    assert "Remember me briefly" not in soup.get_text()  # the held comment, no longer theirs


def test_logging_in_drops_what_the_session_remembered_of_the_guest(guest, article, reader):
    post_as_guest(guest, article, body="As a guest first")

    guest.post(reverse("account_login"), {"login": "reader", "password": "a-long-passphrase-1"})

    assert "_auth_user_id" in guest.session
    assert "forum_guest" not in guest.session
    guest.post(reverse("account_logout"))
    form = page(guest.get(reverse("comments:article", kwargs={"slug": article.slug})))
    assert form.find("input", {"name": "email"}).get("value") is None
