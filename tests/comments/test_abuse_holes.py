"""Regression tests for the holes an adversarial probe found (issue 8): moderation
bypasses, report bombing, unlimited edits, empty-looking comments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from comments import services
from comments.models import Comment, ModerationAction, Revision
from tests.factories import establish
from tests.pages import page

Status = Comment.Status


def edit_url(comment) -> str:
    return reverse("comments:comment-edit", kwargs={"slug": comment.article.slug, "pk": comment.pk})


def report_url(comment) -> str:
    kwargs = {"slug": comment.article.slug, "pk": comment.pk}
    return reverse("comments:comment-report", kwargs=kwargs)


# 1. Edits bypass moderation.


def test_under_pre_moderation_an_approved_comment_edited_into_spam_is_held_again(
    article, reader, moderator, settings
):
    settings.FORUM_MODERATION = "pre"
    comment = services.comment_create(article=article, author=reader, body="A fair point.")
    services.comments_approve(comments=[comment], by=moderator)

    services.comment_edit(comment=comment, by=reader, body="BUY CHEAP PILLS")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert Comment.objects.filter(article=article).published().count() == 0


def test_a_held_comment_keeps_the_text_the_moderators_saw(article, reader, other_reader, settings):
    settings.FORUM_REPORTS_TO_HOLD = 1
    comment = services.comment_create(article=article, author=reader, body="You are all idiots")
    services.comment_report(comment=comment, reporter=establish(other_reader), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING

    services.comment_edit(comment=comment, by=reader, body="What a polite discussion.")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert list(Revision.objects.filter(comment=comment).values_list("body", flat=True)) == [
        "You are all idiots"
    ]
    entry = ModerationAction.objects.get(comment=comment, kind=ModerationAction.Kind.EDIT)
    assert entry.actor == reader


def test_a_plain_edit_under_post_moderation_stays_published_and_keeps_a_revision(article, reader):
    comment = services.comment_create(article=article, author=reader, body="Frist")
    services.comment_edit(comment=comment, by=reader, body="First")

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.PUBLISHED, "First")
    assert comment.revisions.get().body == "Frist"


# 3. An author can overwrite a moderator's removal.


def test_an_author_cannot_delete_or_edit_a_comment_a_moderator_removed(
    reader_client, article, reader, moderator
):
    comment = services.comment_create(article=article, author=reader, body="Over the line")
    services.comments_remove(comments=[comment], by=moderator, reason="Abuse")

    with pytest.raises(PermissionDenied, match="A moderator removed this comment"):
        services.comment_delete(comment=comment, by=reader)
    delete_url = reverse("comments:comment-delete", kwargs={"slug": article.slug, "pk": comment.pk})
    refused = reader_client.post(delete_url)
    edit = reader_client.get(edit_url(comment))

    assert refused.status_code == 403 and edit.status_code == 403
    assert "A moderator removed this comment" in page(refused).get_text()
    assert "A moderator removed this comment" in page(edit).get_text()
    comment.refresh_from_db()
    assert comment.status == Status.REMOVED


# 6. Edits have no rate limit.


def test_edits_are_rate_limited_and_the_text_comes_back(reader_client, article, reader, settings):
    settings.FORUM_EDIT_RATE = "2/m"
    comment = services.comment_create(article=article, author=reader, body="v0")

    for n in (1, 2):
        assert reader_client.post(edit_url(comment), {"body": f"v{n}"}).status_code == 302
    over = reader_client.post(edit_url(comment), {"body": "v3 lovingly written"})

    assert over.status_code == 429
    assert "editing too fast" in page(over).get_text()
    assert page(over).find("textarea").get_text().strip() == "v3 lovingly written"
    comment.refresh_from_db()
    assert comment.body == "v2"


# 7. Visually empty comments.


@pytest.mark.parametrize(
    "body",
    [
        "\u200b\u200b\u200b",
        "\ufeff",
        "\u3164\u3164",
        "\u2800",
        "&nbsp;&nbsp;",
        "&#8203;",
        "[]()",
        "\u200d \u2060 \u00ad",
    ],
)
def test_a_comment_with_nothing_visible_is_refused(article, reader, body):
    with pytest.raises(ValidationError, match="Write something before posting"):
        services.comment_create(article=article, author=reader, body=body)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["ok", "👍", "[link](https://example.com)", "`x`", "ä"])
def test_short_visible_comments_are_accepted(article, reader, body):
    assert services.comment_create(article=article, author=reader, body=body).pk


# 4. Report bombing.


@pytest.fixture
def ring(django_user_model):
    """Three fresh accounts, as a report-bombing ring would use."""
    return [
        django_user_model.objects.create_user(f"ring{n}", password="x-long-passphrase")
        for n in range(3)
    ]


def trusted(user, article):
    return establish(user)


def test_reports_from_fresh_accounts_do_not_hold_a_comment(article, reader, ring):
    comment = services.comment_create(article=article, author=reader, body="Unpopular opinion")
    for reporter in ring:
        services.comment_report(comment=comment, reporter=reporter, reason="spam")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert comment.reports.count() == 3  # still there for the moderators


def test_reports_from_established_readers_still_hold_a_comment(article, reader, ring):
    comment = services.comment_create(article=article, author=reader, body="Actual spam")
    for reporter in ring:
        trusted(reporter, article)
        services.comment_report(comment=comment, reporter=reporter, reason="spam")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_moderators_comment_is_never_held_by_reports(article, moderator, ring):
    comment = services.comment_create(article=article, author=moderator, body="House rules")
    for reporter in ring:
        services.comment_report(
            comment=comment, reporter=trusted(reporter, article), reason="abuse"
        )

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_one_set_of_reporters_can_hold_only_a_few_comments_an_hour(article, reader, ring, settings):
    settings.FORUM_AUTO_HOLDS_PER_HOUR = 2
    ring = [trusted(reporter, article) for reporter in ring]
    targets = [
        services.comment_create(article=article, author=reader, body=f"Target {n}")
        for n in range(4)
    ]
    for target in targets:
        for reporter in ring:
            services.comment_report(comment=target, reporter=reporter, reason="spam")

    statuses = [Comment.objects.get(pk=t.pk).status for t in targets]
    assert statuses == [Status.PENDING, Status.PENDING, Status.PUBLISHED, Status.PUBLISHED]


def test_a_report_costs_the_same_queries_after_one_reporter_or_five(
    article, reader, django_user_model, django_assert_num_queries, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 10
    few = services.comment_create(article=article, author=reader, body="Reported by few")
    many = services.comment_create(article=article, author=reader, body="Reported by many")
    readers = [
        establish(django_user_model.objects.create_user(f"r{n}", password="x-long-passphrase"))
        for n in range(7)
    ]
    services.comment_report(comment=few, reporter=readers[0], reason="spam")
    for reporter in readers[1:6]:
        services.comment_report(comment=many, reporter=reporter, reason="spam")

    with django_assert_num_queries(9):
        services.comment_report(comment=few, reporter=readers[6], reason="spam")
    with django_assert_num_queries(9):
        services.comment_report(comment=many, reporter=readers[6], reason="spam")


def test_reports_are_rate_limited_per_reader(client, article, reader, other_reader, settings):
    settings.FORUM_REPORT_RATE = "2/h"
    client.force_login(other_reader)
    targets = [
        services.comment_create(article=article, author=reader, body=f"Target {n}")
        for n in range(3)
    ]

    codes = [
        client.post(report_url(t), {"reason": "spam", "note": ""}).status_code for t in targets
    ]

    assert codes == [302, 302, 429]
    assert targets[2].reports.count() == 0


# Smaller holes.


def test_staff_without_the_moderation_permission_do_not_see_held_comments(
    client, article, reader, django_user_model, settings
):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="Waiting")
    clerk = django_user_model.objects.create_user("clerk", password="x-long-passphrase")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)

    assert "Waiting" not in page(client.get(article.get_absolute_url())).get_text()
    assert held.status == Status.PENDING


def test_the_same_text_in_another_case_is_a_duplicate(article, reader):
    services.comment_create(article=article, author=reader, body="First!")
    with pytest.raises(ValidationError, match="same text"):
        services.comment_create(article=article, author=reader, body="  FIRST!  ")


def test_the_admin_shows_the_rendered_comment_and_who_reported_it(
    moderator_client, article, reader, other_reader
):
    comment = services.comment_create(article=article, author=reader, body="*Tom* & Jerry")
    services.comment_report(comment=comment, reporter=other_reader, reason="spam")

    change = page(moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])))
    queue = page(moderator_client.get(reverse("admin:comments_comment_changelist")))

    body = change.select_one(".comment-body")
    assert body.find("em").get_text() == "Tom" and "<p>" not in body.get_text()
    assert queue.select_one(".field-reporters").get_text() == "other"


def test_earlier_in_this_thread_is_escaped_once(client, article, reader, other_reader):
    root = services.comment_create(article=article, author=reader, body="Tom & Jerry <3")
    reply = services.comment_create(article=article, parent=root, author=other_reader, body="Yes")

    soup = page(client.get(reply.get_page_url()))

    assert soup.select_one(".context-excerpt").get_text() == "Tom & Jerry <3"


def test_moderators_see_a_comments_earlier_versions_in_the_admin(moderator_client, article, reader):
    comment = services.comment_create(article=article, author=reader, body="Original words")
    services.comment_edit(comment=comment, by=reader, body="Softer words")

    change = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert "Original words" in page(change).select_one("#revisions-group").get_text()


def test_earlier_in_this_thread_keeps_paragraphs_apart(client, article, reader, other_reader):
    root = services.comment_create(article=article, author=reader, body="First.\n\nSecond.\nThird.")
    reply = services.comment_create(article=article, parent=root, author=other_reader, body="Yes")

    soup = page(client.get(reply.get_page_url()))

    assert soup.select_one(".context-excerpt").get_text() == "First. Second. Third."
