"""A comment's own admin page: what it says, where it sits, what was done about it,
its earlier versions, and buttons to act on it there."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comments import services
from comments.models import Ban, Comment, ModerationAction, Report
from tests.pages import page

Status = Comment.Status


def change_url(comment) -> str:
    return reverse("admin:comments_comment_change", args=[comment.pk])


def moderate_url(comment) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk])


def buttons(soup) -> list[str]:
    return [b.get_text() for b in soup.select(".moderation-buttons button")]


def cell(row, field: str) -> str:
    return row.select_one(f".field-{field}").get_text().strip()


def messages_of(response) -> list[str]:
    return [item.get_text() for item in page(response).select(".messagelist li")]


@pytest.fixture
def reported_deep(thread, django_user_model, moderator):
    """The deepest comment, reported by two readers, one report already dismissed."""
    ana, bob = (
        django_user_model.objects.create_user(name, password="a-long-passphrase")
        for name in ("ana", "bob")
    )
    services.comment_report(comment=thread["deep"], reporter=ana, reason="spam")
    services.reports_dismiss(comments=[thread["deep"]], by=moderator)
    services.comment_report(comment=thread["deep"], reporter=bob, reason="abuse", note="Rude")
    return thread["deep"]


def test_the_change_form_loads_and_comments_cannot_be_added_or_deleted_here(
    moderator_client, seeded_article
):
    comment = Comment.objects.filter(article=seeded_article).first()

    change = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert change.status_code == 200
    assert moderator_client.get(reverse("admin:comments_comment_add")).status_code == 403
    delete = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert moderator_client.get(delete).status_code == 403


def test_the_page_shows_the_text_its_thread_its_reports_and_its_history(
    moderator_client, reported_deep, thread
):
    soup = page(moderator_client.get(change_url(reported_deep)))

    assert soup.select_one(".field-rendered_body .comment-body").get_text() == "Deep"
    context = soup.select_one(".field-thread_context")
    assert context.select_one(".queue-parent .comment-body").get_text() == "Reply"
    assert context.select_one(".queue-earlier .comment-body").get_text() == "Root"
    assert context.select_one("p.queue-replies").get_text() == "no replies"
    reports = {
        cell(row, "reporter"): (cell(row, "state"), cell(row, "handled_by"))
        for row in soup.select("#reports-group tbody tr.has_original")
    }
    assert reports == {
        "ana": ("Dismissed: the comment was fine", "moderator"),
        "bob": ("Open", "-"),
    }
    history = soup.select_one("#moderation_actions-group").get_text()
    assert "Reports dismissed" in history


def test_the_replies_count_on_the_page_counts_the_whole_subtree(moderator_client, thread):
    soup = page(moderator_client.get(change_url(thread["root"])))
    assert soup.select_one(".field-thread_context p.queue-replies").get_text() == "2 replies below"


def test_moderators_see_a_comments_earlier_versions_in_the_admin(moderator_client, article, reader):
    comment = services.comment_create(article=article, author=reader, body="Original words")
    services.comment_edit(comment=comment, by=reader, body="Softer words")

    change = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert "Original words" in page(change).select_one("#revisions-group").get_text()


def test_the_buttons_offered_follow_the_comments_state(
    moderator_client, moderator, reported_deep, thread
):
    assert buttons(page(moderator_client.get(change_url(reported_deep)))) == [
        "Remove…",
        "Ban author…",
        "Dismiss reports",
    ]
    Comment.objects.filter(pk=thread["reply"].pk).update(status=Status.PENDING)
    assert buttons(page(moderator_client.get(change_url(thread["reply"])))) == [
        "Approve",
        "Remove…",
        "Ban author…",
    ]
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="x")
    assert buttons(page(moderator_client.get(change_url(thread["root"])))) == [
        "Restore",
        "Ban author…",
    ]
    own = services.comment_create(article=thread["root"].article, author=moderator, body="Mine")
    assert buttons(page(moderator_client.get(change_url(own)))) == ["Remove…"]


def test_approve_from_the_page_approves_and_comes_back_to_it(moderator_client, thread):
    Comment.objects.filter(pk=thread["reply"].pk).update(status=Status.PENDING)

    response = moderator_client.post(moderate_url(thread["reply"]), {"action": "approve_comments"})

    assert response.status_code == 302
    assert response["Location"] == change_url(thread["reply"])
    thread["reply"].refresh_from_db()
    assert thread["reply"].status == Status.PUBLISHED
    followed = moderator_client.get(response["Location"])
    assert messages_of(followed) == [f"Approved 1 comment: #{thread['reply'].pk} by other."]


def test_remove_from_the_page_asks_for_a_reason_first(moderator_client, moderator, reported_deep):
    asked = moderator_client.post(moderate_url(reported_deep), {"action": "remove_comments"})

    assert asked.status_code == 200
    form = page(asked).select_one("#content-main form")
    assert form.find("textarea", attrs={"name": "reason"}) is not None
    assert page(asked).select_one(".cancel-link")["href"] == change_url(reported_deep)
    reported_deep.refresh_from_db()
    assert reported_deep.status == Status.PUBLISHED

    done = moderator_client.post(
        moderate_url(reported_deep),
        {"action": "remove_comments", "apply": "1", "reason": "Rude"},
    )

    assert done["Location"] == change_url(reported_deep)
    reported_deep.refresh_from_db()
    assert reported_deep.status == Status.REMOVED
    assert ModerationAction.objects.get(kind="remove").reason == "Rude (1 report resolved)"


def test_restore_ban_and_dismiss_from_the_page(moderator_client, moderator, reported_deep, reader):
    moderator_client.post(moderate_url(reported_deep), {"action": "dismiss_reports"})
    assert not Report.objects.open().exists()

    moderator_client.post(
        moderate_url(reported_deep),
        {"action": "ban_authors", "apply": "1", "reason": "Rude", "duration": "7d"},
    )
    assert Ban.objects.get().user == reader

    services.comments_remove(comments=[reported_deep], by=moderator, reason="x")
    moderator_client.post(moderate_url(reported_deep), {"action": "restore_comments"})
    reported_deep.refresh_from_db()
    assert reported_deep.status == Status.PUBLISHED


def test_an_action_that_does_not_apply_now_is_refused(moderator_client, thread):
    response = moderator_client.post(moderate_url(thread["root"]), {"action": "restore_comments"})
    assert response.status_code == 400
    assert moderator_client.get(moderate_url(thread["root"])).status_code == 405


def test_staff_who_may_only_view_comments_get_no_buttons_and_cannot_act(
    client, django_user_model, thread
):
    clerk = django_user_model.objects.create_user("clerk", password="x-long-passphrase")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(clerk)

    soup = page(client.get(change_url(thread["root"])))

    assert soup.select_one(".field-rendered_body") is not None
    assert buttons(soup) == []
    response = client.post(moderate_url(thread["root"]), {"action": "remove_comments"})
    assert response.status_code == 403
    thread["root"].refresh_from_db()
    assert thread["root"].status == Status.PUBLISHED
