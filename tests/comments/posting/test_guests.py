"""Guests, readers without an account, comment with a name and an email address where
FORUM_GUEST_COMMENTS=held, and a moderator approves each comment (unless
FORUM_GUEST_TRUST trusts a returning address): through the same form rules, limits
and tree as everyone."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import resolve, reverse

from comments import services
from comments.models import Comment
from tests.guests import GUEST, create_url, post_as_guest, reply_url
from tests.pages import actions_of, comment_element, page
from tests.trees import assert_valid_trees


def form_errors(response) -> str:
    return page(response).find("form", id="comment-form").get_text()


# Off: nothing changes for readers who are not signed in.


def test_with_guest_comments_off_signed_out_readers_are_asked_to_log_in(client, thread, article):
    soup = page(client.get(article.get_absolute_url()))
    assert soup.find(id="comment-form") is None
    assert soup.select_one(".new-comment").find("a", string="Log in") is not None

    reply = client.get(reply_url(thread["root"]))
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("account_login"))

    refused = post_as_guest(client, create_url(article))
    assert refused.status_code == 403  # the session-ended page, the text handed back
    assert page(refused).find("textarea").get_text().strip() == GUEST["body"]
    assert client.post(create_url(article), {}).status_code == 302
    assert not Comment.objects.filter(author=None).exists()


def test_the_service_refuses_guests_when_guest_comments_are_off(article):
    with pytest.raises(PermissionDenied):
        services.comment_create_as_guest(
            article=article, name="Nizam", email="n@example.com", body="Hi", ip="127.0.0.1"
        )
    assert Comment.objects.count() == 0


# Held: the form, and what a guest's comment becomes.


def test_the_new_comment_form_for_guests_is_a_form_with_a_textarea_outside_any_comment(
    client, thread, article, guests_held
):
    soup = page(client.get(article.get_absolute_url()))

    form = soup.find("form", id="comment-form")
    assert form["action"] == create_url(article)
    assert form.find("textarea", attrs={"name": "body"}) is not None
    assert form.find_parent("li", class_="comment") is None
    assert form.find("input", attrs={"name": "name"})["maxlength"] == "200"
    assert form.find("input", attrs={"name": "email"})["type"] == "email"
    assert form.find("input", attrs={"name": "website"}).find_parent(class_="hp-field")
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    assert "Your comment will appear after a moderator approves it." in form.get_text()
    links = {a.get_text(): a["href"] for a in form.select(".guest-intro a")}
    assert set(links) == {"log in", "sign up"}
    for href in links.values():
        path, _, query = href.partition("?")
        resolve(path)
        assert query == "next=/articles/a-quiet-week/%23comment-form"
    assert soup.find("label", attrs={"for": "id_name"}).get_text().strip().startswith("Name")
    assert soup.find("label", attrs={"for": "id_email"}).get_text().strip().startswith("Email")


def test_a_guest_posts_a_comment_that_waits_for_a_moderator_and_only_they_see_it(
    client, article, guests_held
):
    response = post_as_guest(client, create_url(article), name="  Nizam of the Valley ")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.author, comment.author_name, comment.author_email) == (
        None,
        "Nizam of the Valley",
        "nizam@example.com",
    )
    assert (comment.status, comment.imported, comment.author_ip) == ("pending", False, "127.0.0.1")
    assert (comment.body, comment.level) == ("First, as a guest.", 0)

    own = client.get(response["Location"])
    soup = page(own)
    mine = comment_element(soup, comment)
    assert mine.select_one(".comment-badge").get_text() == "awaiting moderation"
    assert mine.select_one(".comment-author").get_text() == "Nizam of the Valley"
    assert "awaiting moderation" in soup.select_one("#messages").get_text()
    assert soup.find(id="comments-heading").get_text(" ", strip=True) == (
        "0 comments and 1 awaiting moderation"
    )
    assert own["Cache-Control"] == "private"

    stranger = page(Client().get(article.get_absolute_url()))
    assert comment_element(stranger, comment) is None
    assert "First, as a guest." not in stranger.get_text()


def test_the_guest_form_comes_back_filled_in_with_the_guests_name_and_address_only(
    client, article, guests_held
):
    post_as_guest(client, create_url(article))

    mine = page(client.get(article.get_absolute_url())).find("form", id="comment-form")
    assert mine.find("input", attrs={"name": "name"})["value"] == "Nizam of the Valley"
    assert mine.find("input", attrs={"name": "email"})["value"] == "nizam@example.com"
    assert mine.find("textarea").get_text().strip() == ""
    theirs = page(Client().get(article.get_absolute_url())).find("form", id="comment-form")
    assert theirs.find("input", attrs={"name": "name"}).get("value") is None
    assert theirs.find("input", attrs={"name": "email"}).get("value") is None


def test_a_guest_replies_from_the_reply_page_and_the_tree_stays_valid(
    client, thread, article, guests_held
):
    page_for_guest = page(client.get(reply_url(thread["deep"])))
    form = page_for_guest.find("form", id="comment-form")
    assert form["action"] == reply_url(thread["deep"])
    assert form.find("input", attrs={"name": "name"}).has_attr("autofocus")
    assert "log in" in form.select_one(".guest-intro").get_text()

    response = post_as_guest(client, reply_url(thread["deep"]), body="A guest's answer")

    reply = Comment.objects.get(body="A guest's answer")
    assert response.status_code == 302
    assert (reply.parent, reply.level, reply.author, reply.status) == (
        thread["deep"],
        3,
        None,
        "pending",
    )
    assert_valid_trees()
    soup = page(client.get(article.get_absolute_url()))
    assert comment_element(comment_element(soup, thread["deep"]), reply) is not None


def test_a_guests_pending_reply_past_the_depth_limit_shows_on_its_own_page_to_them_only(
    client, thread, guests_held
):
    guests_held.FORUM_MAX_VISIBLE_DEPTH = 1
    response = post_as_guest(client, reply_url(thread["deep"]), body="Far down")
    reply = Comment.objects.get(body="Far down")

    assert response["Location"] == reply.get_absolute_url()
    assert comment_element(page(client.get(reply.get_page_url())), reply) is not None
    assert Client().get(reply.get_page_url()).status_code == 404


def test_a_signed_in_reader_still_posts_as_themselves(reader_client, reader, article, guests_held):
    form = page(reader_client.get(article.get_absolute_url())).find("form", id="comment-form")
    assert form.find("input", attrs={"name": "name"}) is None

    reader_client.post(create_url(article), {"body": "Mine"})

    assert Comment.objects.get().author == reader


def test_preview_works_for_guests_and_stores_nothing(client, article, guests_held):
    response = post_as_guest(client, create_url(article), body="**bold**", preview="1")

    assert response.status_code == 200
    assert page(response).select_one(".comment-preview strong").get_text() == "bold"
    assert Comment.objects.count() == 0


# The same rules as everyone's.


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"name": ""}, "Enter the name to show with your comment."),
        ({"name": "   "}, "Enter the name to show with your comment."),
        ({"name": "\u200b\u3164"}, "Enter the name to show with your comment."),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"name": "Ana\x07"}, "control characters"),
        ({"name": "Ana\u202enimda"}, "control characters"),
        ({"name": "ad\u200bmin"}, "control characters"),
        ({"email": ""}, "Enter your email address"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"body": ""}, "Write something before posting."),
        ({"body": "\u200b&nbsp;"}, "Write something before posting."),
        ({"body": "x" * 10_001}, "limited to 10,000 characters"),
    ],
    ids=[
        "no name",
        "blank name",
        "invisible name",
        "long name",
        "bell",
        "direction override",
        "zero-width space",
        "no email",
        "bad email",
        "no text",
        "invisible text",
        "long text",
    ],
)
def test_bad_fields_come_back_with_an_error_and_nothing_is_stored(
    client, thread, article, guests_held, fields, error
):
    for url in (create_url(article), reply_url(thread["root"])):
        response = post_as_guest(client, url, **fields)

        assert response.status_code == 200
        assert error in form_errors(response)
    assert not Comment.objects.filter(author=None).exists()


def test_a_name_of_exactly_the_limit_is_kept_as_written(client, article, guests_held):
    name = "Willing Conscience (The Truths " + "é" * 169
    assert post_as_guest(client, create_url(article), name=name).status_code == 302
    assert Comment.objects.get().author_name == name


@pytest.mark.parametrize(
    "name",
    ["reader", "READER", "Reader", "\uff52\uff45\uff41\uff44\uff45\uff52", "r\u0435ader"],
    ids=["exact", "upper case", "capitalised", "full-width", "cyrillic e"],
)
def test_a_name_that_could_pass_for_a_registered_reader_is_refused(
    client, article, reader, guests_held, name
):
    response = post_as_guest(client, create_url(article), name=name)

    assert response.status_code == 200
    errors = form_errors(response)
    assert "name of a registered reader" in errors or "look-alike letters" in errors
    assert not Comment.objects.exists()


def test_a_filled_honeypot_is_refused_and_stores_nothing(client, article, guests_held):
    response = post_as_guest(client, create_url(article), website="spam.biz")

    assert response.status_code == 200
    assert "could not be sent" in page(response).get_text()
    assert Comment.objects.count() == 0


def test_guests_are_limited_per_ip_address_and_keep_their_text(
    client, thread, article, guests_held
):
    guests_held.FORUM_COMMENT_RATE = "2/m"
    for n in range(2):
        response = post_as_guest(client, create_url(article), body=f"guest post {n}")
        assert response.status_code == 302

    over = post_as_guest(Client(), create_url(article), body="one too many", email="b@example.com")
    over_reply = post_as_guest(client, reply_url(thread["root"]), body="one more too many")

    for response, text in ((over, "one too many"), (over_reply, "one more too many")):
        assert response.status_code == 429
        form = page(response).find("form", id="comment-form")
        assert "posting too fast" in form.get_text()
        assert form.find("textarea").get_text().strip() == text
    assert not Comment.objects.filter(body__contains="too many").exists()
    elsewhere = post_as_guest(client, create_url(article), body="from elsewhere", ip="10.0.0.7")
    assert elsewhere.status_code == 302


def test_the_same_text_from_the_same_address_or_ip_within_a_minute_is_refused(
    client, article, guests_held
):
    post_as_guest(client, create_url(article), body="Same words.")

    same_address = post_as_guest(client, create_url(article), body=" same WORDS.", ip="10.0.0.8")
    same_ip = post_as_guest(client, create_url(article), body="Same words.", email="x@example.com")
    elsewhere = post_as_guest(
        client, create_url(article), body="Same words.", email="y@example.com", ip="10.0.0.9"
    )

    for response in (same_address, same_ip):
        assert response.status_code == 200
        assert "same text less than a minute ago" in form_errors(response)
    assert elsewhere.status_code == 302
    assert Comment.objects.count() == 2


def test_posting_to_a_closed_article_is_refused(client, thread, article, guests_held):
    article.comments_open = False
    article.save()

    for url in (create_url(article), reply_url(thread["root"])):
        response = post_as_guest(client, url)
        assert response.status_code == 403
        assert b"Comments are closed on this article." in response.content
    assert page(client.get(article.get_absolute_url())).find(id="comment-form") is None
    assert not Comment.objects.filter(author=None).exists()


def test_a_guest_post_without_a_csrf_token_is_refused_and_with_the_pages_token_accepted(
    article, guests_held
):
    browser = Client(enforce_csrf_checks=True)
    forged = browser.post(create_url(article), GUEST)
    assert forged.status_code == 403

    form = page(browser.get(article.get_absolute_url())).find("form", id="comment-form")
    token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    sent = browser.post(create_url(article), {**GUEST, "csrfmiddlewaretoken": token})

    assert sent.status_code == 302
    assert Comment.objects.get().author_name == GUEST["name"]


# Guests cannot edit or delete, and see no such links.


def test_guest_comments_cannot_be_edited_or_deleted_by_anyone(client, article, reader, guests_held):
    post_as_guest(client, create_url(article))
    comment = Comment.objects.get()
    kwargs = {"pk": comment.pk}

    card = comment_element(page(client.get(article.get_absolute_url())), comment)
    assert set(actions_of(card)) <= {"Reply", "Report"}
    for route in ("comments:comment-edit", "comments:comment-delete"):
        url = reverse(route, kwargs=kwargs)
        assert client.get(url).status_code == 302  # to log in
        # Not signed in, with text: the text handed back with a link to log in.
        assert client.post(url, {"body": "changed"}).status_code == 403
        signed_in = Client()
        signed_in.force_login(reader)
        assert signed_in.post(url, {"body": "changed"}).status_code == 404
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("First, as a guest.", "pending")
    assert comment.edit_refusal(None) and comment.delete_refusal(None)
    assert comment.edit_refusal(reader) and comment.delete_refusal(reader)


@pytest.mark.parametrize(
    "name, error",
    [
        ("Forum Security Team: your account will be deleted, see http://evil.test", "web address"),
        ("see www.evil.test", "web address"),
        ("evil.test", "web address"),
        ("mail me at bob@evil.test", "web address"),
        ("Forum Security Team", "the site’s name"),
        ("The FORUM team", "the site’s name"),
        ("Moderator", "moderators or staff"),
        ("site admin", "moderators or staff"),
    ],
    ids=["url", "www", "host", "address", "site name", "site name in capitals", "role", "admin"],
)
def test_a_guest_name_with_a_web_address_or_the_sites_name_is_refused(
    client, article, guests_held, name, error
):
    response = post_as_guest(client, create_url(article), name=name)

    assert response.status_code == 200
    assert error in form_errors(response)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("name", ["J. R. R. Tolkien", "Dr. No", "Anne-Marie O’Neil", "Zoë"])
def test_ordinary_names_with_dots_and_marks_are_accepted(client, article, guests_held, name):
    assert post_as_guest(client, create_url(article), name=name).status_code == 302
    assert Comment.objects.get().author_name == name


@pytest.mark.parametrize(
    "name",
    ["\u0430\u04cf\u0456\u0441\u0435", "\u13aa\u13de\u13c6\u13df\u13ac"],
    ids=["cyrillic", "cherokee"],
)
def test_a_guest_name_wholly_in_another_script_that_reads_as_a_readers_is_refused(
    client, article, guests_held, name
):
    get_user_model().objects.create_user("alice", password="a-long-passphrase-0")

    response = post_as_guest(client, create_url(article), name=name)

    assert "name of a registered reader" in form_errors(response)
    assert not Comment.objects.exists()
