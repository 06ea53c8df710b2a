"""The queue's actions on the selected comments: remove with a reason and restore,
approve, ban their authors, dismiss reports, lift bans; each logged, with a message
that names what it touched and what it left alone."""

from django.urls import reverse

from comments import services
from comments.models import Ban, Comment, ModerationAction, Report
from tests.comments.moderation.changelist import CHANGELIST, messages_of, select
from tests.pages import page
from tests.trees import assert_valid_trees

Status = Comment.Status


def test_remove_asks_for_a_reason_then_removes_and_logs_and_restore_undoes_it(
    moderator_client, moderator, seeded_article
):
    chosen = list(Comment.objects.filter(author_name="RichardD"))

    asked = moderator_client.post(CHANGELIST, select("remove_comments", chosen))
    assert asked.status_code == 200
    assert page(asked).find("textarea", attrs={"name": "reason"}) is not None
    assert not Comment.objects.filter(status="removed").exists()

    done = moderator_client.post(
        CHANGELIST,
        select("remove_comments", chosen, apply="1", reason="Personal attacks"),
        follow=True,
    )

    named = ", ".join(f"#{c.pk} by RichardD" for c in sorted(chosen, key=lambda c: c.pk))
    assert f"Removed {len(chosen)} comments: {named}." in done.content.decode()
    removed = Comment.objects.filter(status="removed")
    assert set(removed) == set(chosen)
    assert Comment.objects.count() == 13
    log = ModerationAction.objects.filter(kind="remove")
    assert log.count() == len(chosen)
    assert {(e.actor, e.reason) for e in log} == {(moderator, "Personal attacks")}

    moderator_client.post(CHANGELIST, select("restore_comments", chosen))

    assert not Comment.objects.filter(status="removed").exists()
    assert ModerationAction.objects.filter(kind="restore").count() == len(chosen)


def test_remove_and_restore_change_only_the_status(thread, moderator):
    root = thread["root"]
    assert services.comments_remove(comments=[root], by=moderator, reason="Off-topic") == [root]
    root.refresh_from_db()
    assert root.status == Comment.Status.REMOVED
    assert Comment.objects.count() == 4

    assert services.comments_restore(comments=[root], by=moderator) == [root]
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED
    assert_valid_trees()


def test_approve_publishes_held_comments_and_logs_it(moderator_client, moderator, thread):
    thread["second"].status = Comment.Status.PENDING
    thread["second"].save()

    moderator_client.post(CHANGELIST, select("approve_comments", [thread["second"]]))

    thread["second"].refresh_from_db()
    assert thread["second"].status == Comment.Status.PUBLISHED
    entry = ModerationAction.objects.get(kind="approve")
    assert (entry.actor, entry.comment) == (moderator, thread["second"])


def test_ban_authors_bans_them_with_reason_and_length_and_logs_it(
    moderator_client, moderator, thread, reader
):
    response = moderator_client.post(
        CHANGELIST,
        select(
            "ban_authors",
            [thread["root"], thread["deep"]],
            apply="1",
            reason="Repeated abuse",
            duration="7d",
        ),
        follow=True,
    )

    ban = Ban.objects.get()
    assert messages_of(response) == [
        ("success", f"Banned reader (until {ban.ends.day} {ban.ends:%b %Y, %H:%M} UTC).")
    ]
    assert (ban.user, ban.reason, ban.created_by) == (reader, "Repeated abuse", moderator)
    assert 6.9 < (ban.ends - ban.starts).total_seconds() / 86400 < 7.1
    entry = ModerationAction.objects.get(kind="ban")
    assert entry.user == reader and entry.reason.startswith("Repeated abuse")


def test_the_ban_message_quotes_the_end_of_the_ban_in_its_own_case(
    moderator_client, thread, other_reader
):
    done = moderator_client.post(
        CHANGELIST,
        select("ban_authors", [thread["reply"]], apply="1", reason="Spam", duration="30d"),
        follow=True,
    )

    ends = Ban.objects.get(user=other_reader).ends
    until = f"until {ends.day} {ends:%b %Y, %H:%M} UTC"  # e.g. "until 7 Dec 2026, 18:29 UTC"
    assert messages_of(done) == [("success", f"Banned other ({until}).")]


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
            "Banned other, reader (permanently). Not banned: moderator is staff; "
            "1 imported comment has no account to ban.",
        )
    ]


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
    # The bans, the log, and which of them voted (their votes stop counting).
    with django_assert_num_queries(5):
        services.users_ban(users=users[:1], by=moderator, reason="spam")
    with django_assert_num_queries(5):
        services.users_ban(users=users[1:], by=moderator, reason="spam")


def test_lifting_bans_names_the_users(moderator_client, moderator, reader, other_reader):
    bans = services.users_ban(users=[reader, other_reader], by=moderator, reason="x")

    done = moderator_client.post(
        reverse("admin:comments_ban_changelist"),
        {"action": "lift_bans", "_selected_action": [b.pk for b in bans]},
        follow=True,
    )

    assert messages_of(done) == [("success", "Lifted 2 bans: other, reader.")]


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
