"""A reader's profile: who they are and what they wrote that everyone may read; and
their own comments, held ones too, to download."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from tests.pages import comment_element, page

URL = reverse("comments:my-comments")


def profile_url(user_or_name) -> str:
    name = getattr(user_or_name, "username", user_or_name)
    return reverse("comments:profile", kwargs={"username": name})


def entries(response) -> list:
    return page(response).select("li.profile-comment")


def test_the_profile_shows_the_reader_when_they_joined_and_what_they_wrote(
    client, article, other_article, reader
):
    get_user_model().objects.filter(pk=reader.pk).update(
        date_joined=dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC)
    )
    older = services.comment_create(article=article, author=reader, body="First **words**.")
    newer = services.comment_create(
        article=other_article, author=reader, body="Later.\n\nA second paragraph."
    )
    Comment.objects.filter(pk=older.pk).update(created=timezone.now() - dt.timedelta(days=2))

    soup = page(client.get(profile_url(reader)))

    assert soup.h1.get_text() == "reader"
    joined = soup.find("time", string="November 2026")
    assert joined.parent.get_text(" ", strip=True).startswith("Joined November 2026")
    assert joined["datetime"] == "2026-11"
    assert "2 comments" in soup.header.get_text()
    items = soup.select("li.profile-comment")
    assert [i.select_one(".profile-comment-article").get_text() for i in items] == [
        "Elsewhere",
        "A quiet week in the valley",
    ]
    assert [i.select_one(".comment-body").get_text() for i in items] == [
        "Later. A second paragraph.",
        "First words.",
    ]
    links = [i.find("a", string="Read it in the thread →")["href"] for i in items]
    assert links == [newer.get_absolute_url(), older.get_absolute_url()]
    shown = dt.datetime.strptime(items[0].time["datetime"], "%Y-%m-%dT%H:%M:%S%z")
    assert shown == newer.created.replace(microsecond=0)


def test_removed_held_deleted_and_others_comments_are_not_listed(
    client, article, reader, other_reader, moderator, settings
):
    shown = services.comment_create(article=article, author=reader, body="Shown")
    removed = services.comment_create(article=article, author=reader, body="Removed")
    services.comments_remove(comments=[removed], by=moderator, reason="Spam")
    deleted = services.comment_create(article=article, author=reader, body="Deleted")
    services.comment_delete(comment=deleted, by=reader)
    services.comment_create(article=article, author=other_reader, body="Someone else's")
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="Held")
    assert held.status == Comment.Status.PENDING

    for viewer in (None, reader, moderator):
        client.logout()
        if viewer:
            client.force_login(viewer)
        response = client.get(profile_url(reader))
        assert [i.select_one(".comment-body").get_text() for i in entries(response)] == [shown.body]
        assert "1 comment" in page(response).header.get_text()


def test_a_reader_with_no_comments_has_a_profile_too(client, reader):
    response = client.get(profile_url(reader))

    assert response.status_code == 200
    assert "0 comments" in page(response).header.get_text()
    assert "No comments yet." in page(response).get_text()


@pytest.mark.parametrize("name", ["j.doe@example.com", "a+b-c_d", "Zoë", "Иван"])
def test_usernames_with_dots_signs_and_any_letters_have_profiles(client, db, name):
    get_user_model().objects.create_user(name, password="a-long-passphrase-1")

    response = client.get(profile_url(name))

    assert response.status_code == 200
    assert page(response).h1.get_text() == name


def test_unknown_and_inactive_readers_have_no_profile(client, reader):
    assert client.get(profile_url("nobody")).status_code == 404
    assert client.get(profile_url("READER")).status_code == 404  # the exact name only
    reader.is_active = False
    reader.save()

    assert client.get(profile_url(reader)).status_code == 404


@pytest.fixture
def prolific(article, reader, settings):
    """The reader with 45 comments, one a second older than the next."""
    settings.FORUM_PROFILE_COMMENTS_PER_PAGE = 20
    start = timezone.now() - dt.timedelta(hours=1)
    for n in range(45):
        comment = services.comment_create(article=article, author=reader, body=f"Number {n}")
        Comment.objects.filter(pk=comment.pk).update(created=start + dt.timedelta(seconds=n))
    return reader


def test_comments_are_paged_newest_first(client, prolific):
    first = entries(client.get(profile_url(prolific)))
    last = entries(client.get(profile_url(prolific) + "?page=3"))

    assert len(first) == 20
    assert first[0].select_one(".comment-body").get_text() == "Number 44"
    assert [e.select_one(".comment-body").get_text() for e in last] == [
        f"Number {n}" for n in range(4, -1, -1)
    ]
    pager = page(client.get(profile_url(prolific) + "?page=2")).select_one("nav.mt-4")
    assert pager.find("a", rel="next")["href"] == "?page=3"


@pytest.mark.parametrize(("asked", "nearest"), [("9", 3), ("0", 1), ("abc", 1)])
def test_a_page_that_does_not_exist_redirects_to_the_nearest(client, prolific, asked, nearest):
    response = client.get(profile_url(prolific), {"page": asked})

    assert response.status_code == 302
    assert response["Location"] == f"{profile_url(prolific)}?page={nearest}"


@pytest.mark.parametrize("count", [1, 30])
def test_the_profile_costs_the_same_queries_however_many_comments(
    client, article, reader, django_assert_num_queries, count
):
    for n in range(count):
        services.comment_create(article=article, author=reader, body=f"Number {n}")

    # The user, the count of their comments, the page of them with their articles.
    with django_assert_num_queries(3):
        response = client.get(profile_url(reader))

    assert len(entries(response)) == min(count, 20)


def test_each_link_lands_on_the_thread_page_that_shows_the_comment(
    client, article, reader, other_reader, settings
):
    settings.FORUM_THREADS_PER_PAGE = 2
    settings.FORUM_MAX_VISIBLE_DEPTH = 2
    threads = [
        services.comment_create(article=article, author=other_reader, body=f"Thread {n}")
        for n in range(5)
    ]
    on_page_3 = services.comment_create(
        article=article, parent=threads[4], author=reader, body="On page 3"
    )
    parent = threads[0]
    for depth in range(1, 5):
        parent = services.comment_create(
            article=article, parent=parent, author=reader, body=f"Depth {depth}"
        )
    deep = parent

    items = entries(client.get(profile_url(reader)))
    links = {
        i.select_one(".comment-body").get_text(): i.find("a", string="Read it in the thread →")[
            "href"
        ]
        for i in items
    }

    assert links["On page 3"] == (
        f"{article.get_absolute_url()}?sort=oldest&page=3#comment-{on_page_3.pk}"
    )
    assert links["Depth 4"] == f"{deep.get_page_url()}#comment-{deep.pk}"
    for body, link in links.items():
        comment = Comment.objects.get(body=body)
        assert link == comment.get_absolute_url()
        path, anchor = link.split("#")
        assert comment_element(page(client.get(path)), comment)["id"] == anchor


def test_the_navbar_names_the_signed_in_reader_with_a_link_to_their_profile(reader_client, reader):
    soup = page(reader_client.get(reverse("articles:article-list")))

    link = soup.select_one("nav.navbar").find("a", string="reader")
    assert link["href"] == profile_url(reader)
    assert link.parent.get_text(" ", strip=True) == "Signed in as reader"


def test_only_the_reader_sees_links_to_their_email_addresses_and_password(
    client, reader, other_reader
):
    client.force_login(reader)
    own = page(client.get(profile_url(reader))).header
    client.force_login(other_reader)
    others = page(client.get(profile_url(reader))).header

    assert own.find("a", string="Email addresses")["href"] == reverse("account_email")
    assert own.find("a", string="Password")["href"] == reverse("account_change_password")
    assert others.find("a", string="Email addresses") is None


def test_downloading_your_comments_needs_an_account(client, thread):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_reader_downloads_their_own_visible_and_held_comments_only(
    client, thread, reader, moderator, settings
):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=thread["root"].article, author=reader, body="Held one")
    services.comment_delete(comment=thread["deep"], by=reader)
    client.force_login(reader)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="comments-reader.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["user"] == "reader"
    by_id = {c["id"]: c for c in data["comments"]}
    assert set(by_id) == {thread["root"].pk, held.pk}  # not the deleted one, nobody else's
    assert by_id[held.pk]["status"] == "pending"
    assert by_id[thread["root"].pk]["text"] == "Root"
    assert by_id[thread["root"].pk]["article"]["slug"] == "a-quiet-week"


def test_the_settings_page_links_to_the_download(client, reader):
    client.force_login(reader)

    page = client.get(reverse("notifications:settings")).content.decode()

    assert f'href="{URL}"' in page
