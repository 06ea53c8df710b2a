"""The vote endpoint: the thread's up and down buttons post `up=<pk>` or `down=<pk>` to
it; with JavaScript the answer is JSON, without it a redirect back to the comment."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, Vote

VOTE = reverse("comments:vote")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def voter_client(client, voter):
    client.force_login(voter)
    return client


def votes_of(comment) -> tuple[int, int]:
    comment.refresh_from_db()
    return comment.up, comment.down


def test_the_vote_route_is_short_and_named():
    assert VOTE == "/c/vote/"


def test_a_vote_with_javascript_answers_the_new_points_and_the_readers_vote(voter_client, comment):
    response = voter_client.post(VOTE, {"up": comment.pk}, **JSON)

    assert response.status_code == 200
    assert response.json() == {"comment": comment.pk, "up": 1, "down": 0, "points": 1, "mine": 1}
    assert votes_of(comment) == (1, 0)


def test_pressing_the_other_button_changes_the_vote(voter_client, comment):
    voter_client.post(VOTE, {"up": comment.pk}, **JSON)
    response = voter_client.post(VOTE, {"down": comment.pk}, **JSON)

    assert response.json() == {"comment": comment.pk, "up": 0, "down": 1, "points": -1, "mine": -1}
    assert Vote.objects.get(comment=comment).value == -1


def test_pressing_the_same_button_again_takes_the_vote_back(voter_client, comment):
    voter_client.post(VOTE, {"down": comment.pk}, **JSON)
    response = voter_client.post(VOTE, {"down": comment.pk}, **JSON)

    assert response.json() == {"comment": comment.pk, "up": 0, "down": 0, "points": 0, "mine": 0}
    assert not Vote.objects.filter(comment=comment).exists()


def test_without_javascript_a_vote_returns_the_reader_to_the_comment(voter_client, comment):
    response = voter_client.post(VOTE, {"up": comment.pk})

    assert response.status_code == 303
    assert response["Location"] == comment.get_absolute_url()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert votes_of(comment) == (1, 0)


def test_a_guest_is_sent_to_log_in_and_back_to_the_comment(client, comment):
    response = client.post(VOTE, {"up": comment.pk})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [comment.get_absolute_url()]
    assert not Vote.objects.exists()


def test_a_guest_voting_with_javascript_is_told_to_log_in(client, comment):
    response = client.post(VOTE, {"up": comment.pk}, **JSON)

    assert response.status_code == 403
    assert response.json() == {"error": "Log in to vote."}


def test_a_vote_is_a_post(voter_client, comment):
    assert voter_client.get(VOTE, {"up": comment.pk}).status_code == 405
    assert not Vote.objects.exists()


def test_a_vote_without_the_pages_csrf_token_is_refused(voter, comment):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(voter)

    response = browser.post(VOTE, {"up": comment.pk}, **JSON)

    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_past_the_vote_rate_javascript_gets_429_with_retry_after(voter_client, comment, settings):
    settings.FORUM_VOTE_RATE = "2/m"
    for _ in range(2):
        assert voter_client.post(VOTE, {"up": comment.pk}, **JSON).status_code == 200

    response = voter_client.post(VOTE, {"up": comment.pk}, **JSON)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"].startswith("You are voting too fast. Wait ")
    assert votes_of(comment) == (0, 0)  # up, then taken back; the third not taken


def test_past_the_vote_rate_without_javascript_the_reader_is_told_at_the_comment(
    voter_client, comment, settings
):
    settings.FORUM_VOTE_RATE = "1/m"
    voter_client.post(VOTE, {"up": comment.pk})

    response = voter_client.post(VOTE, {"down": comment.pk}, follow=True)

    [(url, status)] = response.redirect_chain
    assert status == 303 and url == comment.get_absolute_url()
    assert [str(m) for m in response.context["messages"]][-1].startswith("You are voting too fast.")
    assert votes_of(comment) == (1, 0)


@pytest.mark.parametrize(
    "data",
    [{}, {"up": "x"}, {"up": "-3"}, {"up": "١٢"}, {"sideways": "1"}],
    ids=["nothing", "not a number", "negative", "other digits", "no such button"],
)
def test_a_vote_that_names_no_comment_is_a_bad_request(voter_client, comment, data):
    assert voter_client.post(VOTE, data, **JSON).status_code == 400
    assert voter_client.post(VOTE, data).status_code == 400
    assert not Vote.objects.exists()


def test_both_buttons_at_once_is_a_bad_request(voter_client, comment):
    response = voter_client.post(VOTE, {"up": comment.pk, "down": comment.pk}, **JSON)
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_vote_on_a_missing_comment_is_not_found(voter_client):
    response = voter_client.post(VOTE, {"up": 987654}, **JSON)
    assert response.status_code == 404
    assert response.json() == {"error": "This comment is not available."}
    assert voter_client.post(VOTE, {"up": 987654}).status_code == 404


def test_a_vote_on_ones_own_comment_is_refused_with_the_reason(client, comment, author):
    client.force_login(author)

    response = client.post(VOTE, {"up": comment.pk}, **JSON)
    page = client.post(VOTE, {"up": comment.pk})

    assert response.status_code == 403
    assert response.json() == {"error": "You cannot vote on your own comment."}
    assert page.status_code == 403
    assert "You cannot vote on your own comment." in page.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REMOVED])
def test_a_vote_on_a_comment_not_published_is_refused(voter_client, comment, status):
    Comment.objects.filter(pk=comment.pk).update(status=status)

    response = voter_client.post(VOTE, {"down": comment.pk}, **JSON)

    assert response.status_code == 403
    assert response.json() == {"error": "Only published comments take votes."}
    assert not Vote.objects.exists()


def test_a_banned_reader_is_told_why_and_until_when(voter_client, voter, comment, moderator):
    services.users_ban(users=[voter], by=moderator, reason="Vote ring")

    response = voter_client.post(VOTE, {"up": comment.pk}, **JSON)

    assert response.status_code == 403
    error = response.json()["error"]
    assert error.startswith("You are banned") and "Vote ring" in error
    assert not Vote.objects.exists()


def test_without_javascript_a_vote_returns_to_the_page_voted_on(voter_client, comment):
    page = f"{comment.article.get_absolute_url()}?sort=top&page=1"

    response = voter_client.post(VOTE, {"up": comment.pk, "next": page})

    assert response.status_code == 303
    assert response["Location"] == f"{page}#comment-{comment.pk}"


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)"]
)
def test_a_next_page_elsewhere_returns_to_the_comment_instead(voter_client, comment, elsewhere):
    response = voter_client.post(VOTE, {"up": comment.pk, "next": elsewhere})

    assert response["Location"] == comment.get_absolute_url()


def test_the_vote_buttons_belong_to_a_form_on_the_article_and_the_comments_page(
    voter_client, comment
):
    from tests.pages import page as parsed

    for url in (comment.article.get_absolute_url(), comment.get_page_url()):
        html = parsed(voter_client.get(url))
        form = html.find("form", id="votes")
        assert form["action"] == VOTE and form["method"] == "post", url
        assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
        up = html.find("button", attrs={"form": "votes", "name": "up", "value": str(comment.pk)})
        assert up["aria-label"] == "Vote up the comment by author", url
        assert up.get_text() == "▲" and up["aria-pressed"] == "false"


def test_the_readers_own_votes_are_shown_pressed_on_every_page(voter_client, comment):
    from tests.pages import page as parsed

    voter_client.post(VOTE, {"down": comment.pk})

    for url in (comment.article.get_absolute_url(), comment.get_page_url()):
        html = parsed(voter_client.get(url))
        pressed = html.find("style", id="own-votes").get_text()
        assert f'button[form="votes"][name="down"][value="{comment.pk}"]' in pressed, url
        assert f'[name="up"][value="{comment.pk}"]' not in pressed
        points = html.find(id=f"comment-{comment.pk}").select_one(".points")
        assert points is not None and points.get_text() == "-1 point", url
