"""What a ban does to a reader: they still read, but cannot post, reply, edit or report,
and are told why and until when; an expired or lifted ban no longer applies, and
staff are never banned."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Ban, Comment, ModerationAction
from tests.pages import page


def ban(user, *, days: float | None = 1, reason: str = "Spamming links") -> Ban:
    ends = None if days is None else timezone.now() + timedelta(days=days)
    return Ban.objects.create(user=user, reason=reason, ends=ends)


def test_a_banned_user_can_read_but_not_post_with_the_reason_and_end_shown(
    reader_client, reader, thread, article
):
    ban(reader, days=2)
    create = reverse("comments:comment-create", kwargs={"slug": article.slug})
    reply = reverse("comments:comment-reply", kwargs={"pk": thread["reply"].pk})

    article_page = reader_client.get(article.get_absolute_url())
    posted = reader_client.post(create, {"body": "let me in"})
    replied = reader_client.post(reply, {"body": "let me in"})

    assert article_page.status_code == 200
    notice = page(article_page).select_one(".new-comment").get_text()
    assert "You are banned until" in notice and "Spamming links" in notice
    assert page(article_page).find(id="comment-form") is None
    for response in (posted, replied):
        assert response.status_code == 403
        assert "You are banned until" in response.content.decode()
        assert "Spamming links" in response.content.decode()
    assert not Comment.objects.filter(body="let me in").exists()


def test_a_banned_user_cannot_edit_or_report(reader, other_reader, thread):
    ban(reader, days=None)

    with pytest.raises(services.Banned, match="permanently"):
        services.comment_edit(comment=thread["root"], by=reader, body="changed")
    with pytest.raises(services.Banned):
        services.comment_report(comment=thread["reply"], reporter=reader, reason="spam")


def test_a_banned_reader_is_offered_neither_reply_nor_report_and_others_still_are(
    client, thread, article, other_reader, django_user_model
):
    bystander = django_user_model.objects.create_user("bystander", password="x-long-passphrase")
    banned = django_user_model.objects.create_user("banned", password="x-long-passphrase")
    ban(banned)

    client.force_login(banned)
    as_banned = page(client.get(article.get_absolute_url()))
    client.force_login(bystander)
    as_bystander = page(client.get(article.get_absolute_url()))

    assert as_banned.select("li.comment footer a") == []
    assert as_banned.find(string=lambda text: "You are banned" in text)
    assert as_bystander.find("a", string="Reply") and as_bystander.find("a", string="Report")


def test_an_expired_or_lifted_ban_no_longer_applies(reader, article, moderator):
    old = Ban.objects.create(
        user=reader,
        reason="old",
        starts=timezone.now() - timedelta(days=3),
        ends=timezone.now() - timedelta(days=1),
    )
    current = ban(reader)
    services.ban_lift(ban=current, by=moderator)

    assert services.comment_create(article=article, author=reader, body="back").pk
    assert old.pk and ModerationAction.objects.filter(kind="unban", user=reader).exists()


def test_staff_are_not_banned_by_the_ban_action(moderator, reader):
    bans = services.users_ban(users=[moderator, reader], by=moderator, reason="x")
    assert [b.user for b in bans] == [reader]
