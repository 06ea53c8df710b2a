"""Posting a new comment, through the form on the article page and through the
service: who may, where it lands, the text's rules, the CSRF token, closed articles."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import names
from comments import services, text
from comments.models import Comment
from tests.pages import comment_element, page


def reply_url(comment) -> str:
    return reverse("comments:comment-reply", kwargs={"pk": comment.pk})


def create_url(article) -> str:
    return reverse("comments:comment-create", kwargs={"slug": article.slug})


def test_a_logged_out_reader_sees_links_to_log_in_and_sign_up_that_come_back(client, article):
    soup = page(client.get(article.get_absolute_url()))

    assert soup.find(id="comment-form") is None
    login = soup.select_one(".new-comment").find("a", string="Log in")["href"]
    assert login.startswith(reverse("account_login"))
    assert "next=/articles/a-quiet-week/" in login


def test_a_signed_in_reader_posts_a_new_thread_and_lands_on_it(reader_client, article):
    response = reader_client.post(create_url(article), {"body": "A new thread."})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.body, comment.level, comment.author_name) == ("A new thread.", 0, "reader")
    soup = page(reader_client.get(article.get_absolute_url()))
    assert comment_element(soup, comment).select_one(".comment-body").get_text() == "A new thread."


def test_the_author_name_is_taken_from_the_account(article, reader):
    comment = services.comment_create(article=article, author=reader, body="hi")
    assert comment.author_name == "reader"
    assert comment.display_name == "reader"


@pytest.mark.parametrize(
    "body, error",
    [
        ("", "Write something before posting."),
        ("   \n  ", "Write something before posting."),
        ("x" * 10_001, "limited to 10,000 characters"),
    ],
    ids=["empty", "whitespace", "too long"],
)
def test_bad_text_shows_the_form_again_with_an_error_and_stores_nothing(
    reader_client, thread, article, body, error
):
    for url in (create_url(article), reply_url(thread["root"])):
        response = reader_client.post(url, {"body": body})

        assert response.status_code == 200
        soup = page(response)
        assert error in soup.find("form", id="comment-form").get_text()
    assert Comment.objects.count() == 4


def test_text_of_exactly_the_limit_is_accepted(reader_client, article):
    response = reader_client.post(create_url(article), {"body": "y" * 10_000})
    assert response.status_code == 302


@pytest.mark.parametrize("body", ["", "   \n\t  ", "x" * 10_001])
def test_empty_or_over_long_text_is_refused_and_nothing_is_stored(article, reader, body):
    with pytest.raises(ValidationError):
        services.comment_create(article=article, author=reader, body=body)
    assert Comment.objects.count() == 0


def test_text_is_stored_trimmed_with_unix_line_endings(article, reader):
    comment = services.comment_create(article=article, author=reader, body="  a\r\nb\r\n\r\nc  ")
    assert comment.body == "a\nb\n\nc"


def test_a_post_without_a_csrf_token_is_refused(reader, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = client.post(create_url(article), {"body": "forged"})

    assert response.status_code == 403
    assert b"security token" in response.content
    assert Comment.objects.count() == 0


def test_posting_to_a_closed_article_is_refused_with_a_message(reader_client, thread, article):
    article.comments_open = False
    article.save()

    for url in (create_url(article), reply_url(thread["root"])):
        response = reader_client.post(url, {"body": "too late"})
        assert response.status_code == 403
        assert b"Comments are closed on this article." in response.content
    assert Comment.objects.count() == 4
    soup = page(reader_client.get(article.get_absolute_url()))
    assert soup.find(id="comment-form") is None
    assert soup.find("a", string="Reply") is None


def test_posting_to_a_closed_article_is_refused(article, reader):
    article.comments_open = False
    article.save()

    with pytest.raises(services.CommentsClosed):
        services.comment_create(article=article, author=reader, body="x")
    assert Comment.objects.count() == 0


def test_a_post_checks_and_renders_its_text_once_and_a_guests_name_once(
    client, article, settings, monkeypatch
):
    """The form checks only what a field can; the service checks the text (rendering
    it) and the guest's name (one look-alike query) once."""
    settings.FORUM_GUEST_COMMENTS = "held"
    renders, lookalikes = [], []
    render = text._markdown.render
    monkeypatch.setattr(
        text._markdown, "render", lambda *a, **k: renders.append(1) or render(*a, **k)
    )
    check = names._refuse_lookalike
    monkeypatch.setattr(
        names, "_refuse_lookalike", lambda *a, **k: lookalikes.append(1) or check(*a, **k)
    )

    response = client.post(
        create_url(article),
        {"name": "Nizam", "email": "nizam@example.com", "body": "Once, *please*."},
    )

    assert response.status_code == 302
    assert (len(renders), len(lookalikes)) == (1, 1)
