"""The queue's actions: tree-aware approval, spam clean-up by author, dismissing
reports, and messages that name what each action touched."""

import pytest
from django.urls import reverse

from comments import services
from comments.models import Ban, Comment, ModerationAction, Report
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")
Status = Comment.Status


def select(action: str, comments, **extra):
    return {"action": action, "_selected_action": [c.pk for c in comments], **extra}


def messages_of(response) -> list[tuple[str, str]]:
    """(level, text) of each message the admin shows."""
    return [
        (" ".join(item["class"]), item.get_text())
        for item in page(response).select(".messagelist li")
    ]


def hold(*comments) -> None:
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=Status.PENDING)


def test_approve_with_held_replies_approves_the_held_comments_of_the_subtree(
    moderator_client, moderator, thread
):
    hold(thread["root"], thread["deep"], thread["second"])

    done = moderator_client.post(
        CHANGELIST, select("approve_subtrees", [thread["root"]]), follow=True
    )

    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "Root": "published",
        "Reply": "published",
        "Deep": "published",
        "Second root": "pending",  # another thread
    }
    logged = ModerationAction.objects.filter(kind="approve_subtree", actor=moderator)
    assert set(logged.values_list("comment", flat=True)) == {thread["root"].pk, thread["deep"].pk}
    assert messages_of(done) == [
        (
            "success",
            f"Approved 2 comments (the selected and their held replies): "
            f"#{thread['root'].pk} by reader, #{thread['deep'].pk} by reader.",
        )
    ]


def test_approve_with_held_replies_says_so_when_nothing_was_held(moderator_client, thread):
    done = moderator_client.post(
        CHANGELIST, select("approve_subtrees", [thread["root"]]), follow=True
    )
    assert messages_of(done) == [
        (
            "warning",
            "Approved nothing: nothing in the selected comments or their replies is held.",
        )
    ]


@pytest.fixture
def spammer(django_user_model):
    return django_user_model.objects.create_user("spammer", password="a-long-passphrase")


def test_remove_every_comment_by_these_authors_asks_then_cleans_up_the_whole_site(
    moderator_client, moderator, thread, other_article, article, spammer, reader
):
    spam = [
        services.comment_create(article=article, author=spammer, body="Buy pills"),
        services.comment_create(
            article=article, parent=thread["reply"], author=spammer, body="Cheap pills"
        ),
        services.comment_create(article=other_article, author=spammer, body="Pills elsewhere"),
    ]
    held = services.comment_create(article=other_article, author=spammer, body="More pills")
    hold(held)
    withdrawn = services.comment_create(article=article, author=spammer, body="Oops")
    services.comment_delete(comment=withdrawn, by=spammer)

    asked = moderator_client.post(CHANGELIST, select("remove_by_authors", [spam[0]]))

    assert asked.status_code == 200
    listed = [li.get_text() for li in page(asked).select(".action-authors li")]
    assert listed == ["spammer: 4 comments"]
    assert not Comment.objects.filter(status=Status.REMOVED).exists()

    done = moderator_client.post(
        CHANGELIST,
        select("remove_by_authors", [spam[0]], apply="1", reason="Pill spam"),
        follow=True,
    )

    removed = set(Comment.objects.filter(status=Status.REMOVED))
    assert removed == {*spam, held}
    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.DELETED
    assert not Comment.objects.filter(author=reader, status=Status.REMOVED).exists()
    log = ModerationAction.objects.filter(kind="remove_author")
    assert sorted(log.values_list("comment", flat=True)) == sorted(c.pk for c in removed)
    assert {(e.actor, e.reason, e.user) for e in log} == {(moderator, "Pill spam", spammer)}
    (message,) = messages_of(done)
    assert message[0] == "success"
    named = ", ".join(f"#{c.pk} by spammer" for c in sorted(removed, key=lambda c: c.pk))
    assert message[1] == f"Removed 4 comments by spammer: {named}."


def test_remove_every_comment_by_an_imported_author_warns_that_there_is_no_account(
    moderator_client, seeded_article
):
    imported = Comment.objects.filter(article=seeded_article).first()

    done = moderator_client.post(
        CHANGELIST, select("remove_by_authors", [imported], apply="1", reason="x"), follow=True
    )

    assert messages_of(done) == [("warning", "Removed nothing: 1 imported comment has no account.")]
    assert not Comment.objects.filter(status=Status.REMOVED).exists()


def test_banning_an_imported_author_is_a_warning_not_a_success(moderator_client, seeded_article):
    imported = Comment.objects.filter(article=seeded_article).first()

    done = moderator_client.post(
        CHANGELIST,
        select("ban_authors", [imported], apply="1", reason="x", duration="1d"),
        follow=True,
    )

    assert messages_of(done) == [
        ("warning", "Banned nobody: 1 imported comment has no account to ban.")
    ]


def test_banning_says_who_was_banned_until_when_and_who_was_not(
    moderator_client, thread, moderator, article, seeded_article
):
    own = services.comment_create(article=article, author=moderator, body="House rules")
    imported = Comment.objects.filter(article=seeded_article).first()

    done = moderator_client.post(
        CHANGELIST,
        select(
            "ban_authors",
            [thread["root"], thread["reply"], own, imported],
            apply="1",
            reason="x",
            duration="forever",
        ),
        follow=True,
    )

    assert messages_of(done) == [
        (
            "success",
            "Banned other, reader. (Permanently.) Not banned: moderator is staff; "
            "1 imported comment has no account to ban.",
        )
    ]


def test_dismiss_reports_closes_them_and_names_the_comments(
    moderator_client, moderator, thread, other_reader
):
    services.comment_report(comment=thread["root"], reporter=other_reader, reason="spam")

    done = moderator_client.post(
        CHANGELIST, select("dismiss_reports", [thread["root"], thread["second"]]), follow=True
    )

    assert Report.objects.get().state == Report.State.DISMISSED
    assert ModerationAction.objects.get().kind == "dismiss_reports"
    assert messages_of(done) == [
        (
            "success",
            f"Dismissed the open reports on 1 comment: #{thread['root'].pk} by reader. "
            "Left 1 as it was (no open reports).",
        )
    ]


def test_messages_name_up_to_ten_comments_then_count_the_rest(
    moderator_client, article, reader, settings
):
    settings.FORUM_MODERATION = "pre"
    held = [
        services.comment_create(article=article, author=reader, body=f"Held {n}") for n in range(12)
    ]

    done = moderator_client.post(CHANGELIST, select("approve_comments", held), follow=True)

    named = ", ".join(f"#{c.pk} by reader" for c in held[:10])
    assert messages_of(done) == [("success", f"Approved 12 comments: {named} and 2 more.")]


def test_an_action_that_changes_nothing_warns_and_says_why(moderator_client, thread):
    done = moderator_client.post(
        CHANGELIST, select("restore_comments", [thread["root"], thread["reply"]]), follow=True
    )
    assert messages_of(done) == [
        ("warning", "Restored nothing: the 2 selected comments were not removed.")
    ]


def test_a_partly_applied_action_says_what_it_left_alone(moderator_client, moderator, thread):
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="x")

    done = moderator_client.post(
        CHANGELIST,
        select("remove_comments", [thread["root"], thread["reply"]], apply="1", reason="y"),
        follow=True,
    )

    assert messages_of(done) == [
        (
            "success",
            f"Removed 1 comment: #{thread['reply'].pk} by other. "
            "Left 1 as it was (already removed or deleted).",
        )
    ]


def test_lifting_bans_names_the_users(moderator_client, moderator, reader, other_reader):
    bans = services.users_ban(users=[reader, other_reader], by=moderator, reason="x")

    done = moderator_client.post(
        reverse("admin:comments_ban_changelist"),
        {"action": "lift_bans", "_selected_action": [b.pk for b in bans]},
        follow=True,
    )

    assert messages_of(done) == [("success", "Lifted 2 bans: other, reader.")]


def test_a_ban_with_a_reason_as_long_as_the_form_allows_is_logged_whole_and_its_end_kept(
    moderator_client, thread, other_reader
):
    reason = "x" * 500

    done = moderator_client.post(
        CHANGELIST,
        select("ban_authors", [thread["reply"]], apply="1", reason=reason, duration="7d"),
        follow=True,
    )

    assert done.status_code == 200
    assert Ban.objects.get(user=other_reader).reason == reason
    logged = ModerationAction.objects.get(kind=ModerationAction.Kind.BAN).reason
    assert len(logged) <= 500 and logged.endswith(")") and "(until " in logged


def test_banning_costs_the_same_queries_for_one_user_or_five(
    moderator, django_user_model, django_assert_num_queries
):
    users = [django_user_model.objects.create_user(f"u{n}") for n in range(6)]
    with django_assert_num_queries(4):
        services.users_ban(users=users[:1], by=moderator, reason="spam")
    with django_assert_num_queries(4):
        services.users_ban(users=users[1:], by=moderator, reason="spam")
