"""A banned author's comments in a moderator's thread: marked with the ban's end, and
offering "Lift ban" (with an optional reason) instead of "Ban author"."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Ban, ModerationAction
from tests.pages import card_of, comment_element, page

pytestmark = pytest.mark.django_db


def action_url(comment, action: str) -> str:
    return reverse(f"comments:comment-{action}", kwargs={"pk": comment.pk})


def element_of(client, comment):
    return comment_element(page(client.get(comment.article.get_absolute_url())), comment)


def marker_of(element) -> str | None:
    marker = card_of(element).select_one(":scope > header .comment-banned")
    return marker.get_text() if marker is not None else None


def links_of(element) -> dict[str, str]:
    """A comment's own action links: {visible label: accessible name}."""
    footer = card_of(element).select_one(":scope > footer")
    return {a.get_text(): a["aria-label"] for a in footer.select(":scope > a")}


def test_a_banned_authors_comments_say_until_when(moderator_client, thread, moderator, settings):
    settings.TIME_ZONE = "UTC"
    ends = timezone.now().replace(microsecond=0) + timedelta(days=7)
    services.users_ban(users=[thread["reply"].author], by=moderator, reason="x", ends=ends)

    for comment in (thread["reply"], thread["second"]):  # both by other
        assert marker_of(element_of(moderator_client, comment)) == (
            f"banned until {ends:%-d %b %Y, %H:%M} UTC"
        )
    assert marker_of(element_of(moderator_client, thread["root"])) is None  # by reader


def test_a_permanent_ban_says_permanently_and_outlasts_a_shorter_one(
    moderator_client, thread, moderator
):
    author = thread["reply"].author
    services.users_ban(
        users=[author], by=moderator, reason="a day", ends=timezone.now() + timedelta(days=1)
    )
    services.users_ban(users=[author], by=moderator, reason="for good")

    assert marker_of(element_of(moderator_client, thread["reply"])) == "banned permanently"


def test_a_lifted_ban_marks_nothing_any_more(moderator_client, thread, moderator):
    [ban] = services.users_ban(users=[thread["reply"].author], by=moderator, reason="x")
    assert marker_of(element_of(moderator_client, thread["reply"])) == "banned permanently"
    services.ban_lift(ban=ban, by=moderator)

    item = element_of(moderator_client, thread["reply"])
    assert marker_of(item) is None
    assert "Ban author" in links_of(item)


def test_a_banned_authors_comments_offer_lift_ban_instead_of_ban(
    moderator_client, thread, moderator
):
    services.users_ban(users=[thread["reply"].author], by=moderator, reason="x")

    links = links_of(element_of(moderator_client, thread["reply"]))
    assert list(links) == ["Reply", "Remove", "Lift ban"]
    assert links["Lift ban"] == "Lift the ban on other, the author"


def test_lifting_a_ban_from_the_thread_asks_an_optional_reason_and_logs_it(
    moderator_client, thread, moderator
):
    author = thread["reply"].author
    services.users_ban(users=[author], by=moderator, reason="x")
    url = action_url(thread["reply"], "lift-ban")

    form = page(moderator_client.get(url))
    assert form.select_one("h1").get_text() == "Lift the ban on this comment’s author?"
    assert not form.select_one("#id_reason").has_attr("required")
    response = moderator_client.post(url, {"reason": "Apologised"}, follow=True)

    assert "The ban on other is lifted." in response.content.decode()
    assert not Ban.objects.active().filter(user=author).exists()
    entry = ModerationAction.objects.get(kind="unban")
    assert (entry.actor, entry.user, entry.reason) == (moderator, author, "Apologised")
    assert "Ban author" in links_of(element_of(moderator_client, thread["reply"]))


def test_lifting_in_place_without_a_reason_answers_with_the_card_offering_ban_again(
    moderator_client, thread, moderator
):
    services.users_ban(users=[thread["reply"].author], by=moderator, reason="x")

    response = moderator_client.post(
        action_url(thread["reply"], "lift-ban"), {"reason": ""}, HTTP_ACCEPT="application/json"
    )

    answer = json.loads(response.content)
    assert answer["message"] == "The ban on other is lifted."
    assert "Ban author" in answer["card"] and "comment-banned" not in answer["card"]
    assert ModerationAction.objects.get(kind="unban").reason == ""


def test_lifting_the_ban_of_an_author_who_is_not_banned_is_refused_saying_why(
    moderator_client, thread
):
    response = moderator_client.post(
        action_url(thread["reply"], "lift-ban"), HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 409
    assert json.loads(response.content)["message"] == (
        "other is not banned: there is no ban to lift."
    )
    assert not ModerationAction.objects.filter(kind="unban").exists()


def test_banning_an_author_who_is_banned_already_is_refused_saying_until_when(
    moderator_client, thread, moderator
):
    services.users_ban(users=[thread["reply"].author], by=moderator, reason="x")

    response = moderator_client.post(
        action_url(thread["reply"], "ban"),
        {"reason": "again", "duration": "1d"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409
    assert json.loads(response.content)["message"] == (
        "other is banned permanently already: lift that ban to ban them anew."
    )
    assert Ban.objects.count() == 1


def test_a_guests_comment_has_no_ban_to_lift(moderator_client, article, settings):
    settings.FORUM_GUEST_COMMENTS = "held"
    guest = services.comment_create_as_guest(
        article=article, name="Gus", email="gus@example.com", body="Hi", ip="203.0.113.9"
    )
    response = moderator_client.post(action_url(guest, "lift-ban"), follow=True)
    assert (
        "Gus has no account (a guest or an imported author): there is no ban to lift."
        in response.content.decode()
    )


def test_readers_never_see_who_is_banned(client, reader, thread, moderator):
    services.users_ban(users=[thread["reply"].author], by=moderator, reason="x")
    signed_in = Client()
    signed_in.force_login(reader)
    for browser in (client, signed_in):
        html = browser.get(thread["reply"].article.get_absolute_url()).content.decode()
        assert "comment-banned" not in html and "banned permanently" not in html
        assert "Lift ban" not in html
    assert signed_in.post(action_url(thread["reply"], "lift-ban")).status_code == 403
    assert Ban.objects.active().count() == 1


def test_the_ban_page_shows_the_authors_history_and_earlier_bans(
    moderator_client, thread, moderator, reader
):
    services.comments_remove(comments=[thread["deep"]], by=moderator, reason="Spam")
    earlier = Ban.objects.create(
        user=reader,
        reason="Insults in the spring",
        starts=timezone.now() - timedelta(days=40),
        ends=timezone.now() - timedelta(days=33),
        created_by=moderator,
    )

    soup = page(moderator_client.get(action_url(thread["root"], "ban")))

    row = soup.select_one(".author-history-row")
    assert row.select_one(".author-history-name").get_text() == "reader"
    figures = [row.select_one(f".author-history-{k}").get_text() for k in ("published", "removed")]
    assert figures == ["1", "1"]
    assert row.select_one(".author-history-ban-reason").get_text() == earlier.reason
    assert row.select_one(".author-history-ban-by").get_text() == "moderator"
    # Only where a ban is decided: not on the removal page.
    assert (
        page(moderator_client.get(action_url(thread["root"], "remove"))).select_one(
            ".author-history"
        )
        is None
    )
