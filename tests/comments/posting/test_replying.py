"""Replying to a comment: the reply page, the reply nested under its parent, and
replies refused when signed out or to a missing, removed or other article's comment."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.pages import comment_element, page
from tests.trees import assert_valid_trees


def reply_url(comment) -> str:
    return reverse("comments:comment-reply", kwargs={"pk": comment.pk})


def test_the_reply_page_shows_the_parent_and_the_form(reader_client, thread):
    response = reader_client.get(reply_url(thread["deep"]))

    soup = page(response)
    assert response.status_code == 200
    assert comment_element(soup, thread["deep"]).select_one(".comment-body").get_text() == "Deep"
    assert soup.find("form", id="comment-form")["action"] == reply_url(thread["deep"])


def test_replying_at_depth_nests_the_reply_under_its_parent(reader_client, thread, article):
    response = reader_client.post(reply_url(thread["deep"]), {"body": "Deeper still"})

    reply = Comment.objects.get(body="Deeper still")
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{reply.pk}"
    assert reply.parent == thread["deep"] and reply.level == 3
    soup = page(reader_client.get(article.get_absolute_url()))
    deep = comment_element(soup, thread["deep"])
    assert comment_element(deep, reply) is not None
    assert_valid_trees()


def test_reply_requires_login_and_comes_back_to_the_reply_page(client, thread):
    url = reply_url(thread["root"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert client.post(url, {"body": "sneaky"}).status_code == 403  # refused; text handed back
    assert not Comment.objects.filter(body="sneaky").exists()


def test_a_reply_sent_after_the_session_ended_comes_back_with_its_text(client, thread):
    url = reverse(
        "comments:comment-reply",
        kwargs={"pk": thread["root"].pk},
    )

    response = client.post(url, {"body": "A long, careful answer"})

    assert response.status_code == 403
    soup = page(response)
    assert soup.find("textarea").get_text().strip() == "A long, careful answer"
    assert soup.find("a", string="log in")["href"].startswith(reverse("account_login"))
    assert Comment.objects.count() == 4


def test_replying_to_a_missing_comment_is_404(reader_client, article):
    missing = reverse("comments:comment-reply", kwargs={"pk": 999999})
    assert reader_client.get(missing).status_code == 404
    response = reader_client.post(missing, {"body": "x"})
    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_a_reply_through_an_earlier_releases_route_is_sent_on_to_the_comments_own(
    reader_client, thread, other_article
):
    """A comment's routes name the comment alone: the longer route of earlier releases,
    whatever article its path names, sends a reply on (308) to the comment's own."""
    old = f"{other_article.get_absolute_url()}comments/{thread['root'].pk}/reply/"

    response = reader_client.post(old, {"body": "x"})

    assert response.status_code == 308
    assert response["Location"] == reverse("comments:comment-reply", args=[thread["root"].pk])
    assert Comment.objects.count() == 4


def test_replying_to_a_removed_comment_is_404(reader_client, thread, moderator):
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="Off-topic")

    assert reader_client.post(reply_url(thread["root"]), {"body": "x"}).status_code == 404
    assert Comment.objects.count() == 4


def test_a_reply_to_a_comment_of_another_article_is_refused(thread, other_article, reader):
    with pytest.raises(ValidationError):
        services.comment_create(
            article=other_article, parent=thread["root"], author=reader, body="x"
        )
    assert Comment.objects.filter(article=other_article).count() == 0
    assert_valid_trees()


def test_a_removed_comment_takes_no_replies(thread, article, reader, moderator):
    services.comments_remove(comments=[thread["reply"]], by=moderator, reason="Off-topic")

    with pytest.raises(ValidationError):
        services.comment_create(article=article, parent=thread["reply"], author=reader, body="x")
