from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Ban, Comment, ModerationAction, Report
from tests.factories import establish
from tests.pages import comment_element, page


def report_url(comment) -> str:
    return reverse(
        "comments:comment-report", kwargs={"slug": comment.article.slug, "pk": comment.pk}
    )


@pytest.fixture
def readers(django_user_model):
    """Established readers: their reports count toward the automatic hold."""
    return [
        establish(django_user_model.objects.create_user(f"r{n}", password="a-long-passphrase"))
        for n in range(4)
    ]


def test_signed_in_readers_see_report_on_others_comments_only(client, thread, reader, article):
    assert page(client.get(article.get_absolute_url())).find("a", string="Report") is None

    client.force_login(reader)
    soup = page(client.get(article.get_absolute_url()))

    own = comment_element(soup, thread["root"]).select_one(".comment-actions")
    others = comment_element(soup, thread["reply"]).select_one(".comment-actions")
    assert "Report" not in own.get_text()
    assert others.find("a", string="Report")["href"] == report_url(thread["reply"])


def test_a_reader_reports_with_a_reason_and_a_note(client, thread, reader):
    client.force_login(reader)
    reply = thread["reply"]

    assert client.get(report_url(reply)).status_code == 200
    response = client.post(report_url(reply), {"reason": "abuse", "note": "Name-calling"})

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason, report.note) == (
        reply,
        reader,
        "abuse",
        "Name-calling",
    )


def test_one_report_per_reader_per_comment(client, thread, reader):
    client.force_login(reader)
    client.post(report_url(thread["reply"]), {"reason": "spam"})

    again = client.post(report_url(thread["reply"]), {"reason": "abuse"})

    assert again.status_code == 200
    assert "already reported" in page(again).get_text()
    assert Report.objects.count() == 1


def test_an_unknown_reason_is_a_form_error(client, thread, reader):
    client.force_login(reader)
    response = client.post(report_url(thread["reply"]), {"reason": "because"})
    assert response.status_code == 200
    assert Report.objects.count() == 0


def test_enough_reports_hold_the_comment_and_log_it(thread, readers, settings):
    settings.FORUM_REPORTS_TO_HOLD = 3
    reply = thread["reply"]

    for reader in readers[:2]:
        services.comment_report(comment=reply, reporter=reader, reason="spam")
        reply.refresh_from_db()
        assert reply.status == Comment.Status.PUBLISHED
    services.comment_report(comment=reply, reporter=readers[2], reason="abuse")

    reply.refresh_from_db()
    assert reply.status == Comment.Status.PENDING
    entry = ModerationAction.objects.get(kind="hold")
    assert entry.actor is None and entry.comment == reply and "3 reports" in entry.reason


def test_authors_cannot_report_their_own_comment(thread, reader):
    with pytest.raises(ValidationError):
        services.comment_report(comment=thread["root"], reporter=reader, reason="spam")


def ban(user, *, days: float | None = 1, reason: str = "Spamming links") -> Ban:
    ends = None if days is None else timezone.now() + timedelta(days=days)
    return Ban.objects.create(user=user, reason=reason, ends=ends)


def test_a_banned_user_can_read_but_not_post_with_the_reason_and_end_shown(
    reader_client, reader, thread, article
):
    ban(reader, days=2)
    create = reverse("comments:comment-create", kwargs={"slug": article.slug})
    reply = reverse(
        "comments:comment-reply", kwargs={"slug": article.slug, "pk": thread["reply"].pk}
    )

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

    assert as_banned.select(".comment-actions a") == []
    assert as_banned.find(string=lambda text: "You are banned" in text)
    assert as_bystander.find("a", string="Reply") and as_bystander.find("a", string="Report")


def test_the_heading_tells_an_author_their_comment_awaits_moderation(
    reader_client, article, reader, settings
):
    settings.FORUM_MODERATION = "pre"
    services.comment_create(article=article, author=reader, body="Held for now")

    heading = page(reader_client.get(article.get_absolute_url())).find(id="comments-heading")

    assert " ".join(heading.get_text().split()) == "0 comments and 1 awaiting moderation"
