from django.urls import reverse

from comments.models import Ban, Comment, ModerationAction
from comments.services import comment_report
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def rows(response):
    return page(response).select("#result_list tbody tr")


def select(action: str, comments, **extra):
    return {"action": action, "_selected_action": [c.pk for c in comments], **extra}


def test_the_changelist_lists_comments_indented_by_depth(moderator_client, seeded_article):
    response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    listed = rows(response)
    assert len(listed) == 13
    # The whole entry is indented, not one line of it.
    indents = [row.select_one(".queue-entry")["style"] for row in listed[:4]]
    # RichardD, Assad (roots), Zionism = EVIL (a reply), Sinbad2 (a root)
    assert indents[0] == indents[1] == indents[3] != indents[2]


def test_the_changelist_searches_text_and_author_and_filters_by_status(
    moderator_client, seeded_article
):
    assert len(rows(moderator_client.get(CHANGELIST, {"q": "Ronald"}))) == 1
    assert len(rows(moderator_client.get(CHANGELIST, {"q": "heroin"}))) == 1
    assert rows(moderator_client.get(CHANGELIST, {"status__exact": "removed"})) == []


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


def test_the_change_form_loads_and_comments_cannot_be_added_or_deleted_here(
    moderator_client, seeded_article
):
    comment = Comment.objects.filter(article=seeded_article).first()

    change = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert change.status_code == 200
    assert moderator_client.get(reverse("admin:comments_comment_add")).status_code == 403
    delete = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert moderator_client.get(delete).status_code == 403


def test_readers_cannot_reach_the_admin(reader_client):
    response = reader_client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_article_admin_lists_and_searches_articles(moderator_client, seeded_article):
    url = reverse("admin:articles_article_changelist")

    assert len(rows(moderator_client.get(url))) == 1
    assert rows(moderator_client.get(url, {"q": "nothing-like-this"})) == []
    change = reverse("admin:articles_article_change", args=[seeded_article.pk])
    assert moderator_client.get(change).status_code == 200


def test_pending_and_reported_comments_come_first_with_their_context(
    moderator_client, thread, reader, other_reader, django_user_model
):
    thread["second"].status = Comment.Status.PENDING
    thread["second"].save()
    third = django_user_model.objects.create_user("third", password="x-long-passphrase")
    comment_report(comment=thread["deep"], reporter=third, reason="spam")

    listed = rows(moderator_client.get(CHANGELIST))

    first, second = listed[0], listed[1]
    assert first.select_one(".queue-comment").get_text() == "Second root"
    assert second.select_one(".queue-comment").get_text() == "Deep"
    parent = second.select_one(".queue-parent")
    assert parent.select_one(".queue-who strong").get_text() == "other"
    assert parent.select_one(".comment-body").get_text() == "Reply"
    assert second.select_one(".field-report_count").get_text() == "1"
    reported = rows(moderator_client.get(CHANGELIST, {"reported": "yes"}))
    assert [r.select_one(".queue-comment").get_text() for r in reported] == ["Deep"]


def test_approve_publishes_held_comments_and_logs_it(moderator_client, moderator, thread):
    thread["second"].status = Comment.Status.PENDING
    thread["second"].save()

    moderator_client.post(CHANGELIST, select("approve_comments", [thread["second"]]))

    thread["second"].refresh_from_db()
    assert thread["second"].status == Comment.Status.PUBLISHED
    entry = ModerationAction.objects.get(kind="approve")
    assert (entry.actor, entry.comment) == (moderator, thread["second"])


def test_remove_with_replies_removes_the_whole_subtree(moderator_client, thread):
    moderator_client.post(
        CHANGELIST,
        select("remove_subtrees", [thread["root"]], apply="1", reason="Flame war"),
    )

    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "Root": "removed",
        "Reply": "removed",
        "Deep": "removed",
        "Second root": "published",
    }
    assert ModerationAction.objects.filter(kind="remove_subtree", reason="Flame war").count() == 3


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

    assert "Banned reader." in response.content.decode()
    ban = Ban.objects.get()
    assert (ban.user, ban.reason, ban.created_by) == (reader, "Repeated abuse", moderator)
    assert 6.9 < (ban.ends - ban.starts).total_seconds() / 86400 < 7.1
    entry = ModerationAction.objects.get(kind="ban")
    assert entry.user == reader and entry.reason.startswith("Repeated abuse")


def test_the_moderation_log_and_bans_are_listed_in_the_admin(moderator_client, thread, moderator):
    moderator_client.post(
        CHANGELIST, select("ban_authors", [thread["root"]], apply="1", reason="x", duration="1d")
    )

    log = moderator_client.get(reverse("admin:comments_moderationaction_changelist"))
    bans = moderator_client.get(reverse("admin:comments_ban_changelist"))

    assert len(rows(log)) == 1 and "moderator" in rows(log)[0].get_text()
    assert len(rows(bans)) == 1


def test_the_user_admin_shows_comments_reports_and_ban_state(
    moderator_client, thread, reader, other_reader, moderator
):
    comment_report(comment=thread["root"], reporter=other_reader, reason="abuse")
    moderator_client.post(
        CHANGELIST, select("ban_authors", [thread["root"]], apply="1", reason="x", duration="1d")
    )

    listed = {
        r.select_one(".field-username").get_text(): r
        for r in rows(moderator_client.get(reverse("admin:auth_user_changelist")))
    }

    row = listed["reader"]
    assert row.select_one(".field-comment_count").get_text() == "2"
    assert row.select_one(".field-reports_against").get_text() == "1"
    assert row.select_one(".field-banned img")["alt"] == "True"
    assert listed["other"].select_one(".field-banned img")["alt"] == "False"
    change = reverse("admin:auth_user_change", args=[reader.pk])
    assert "x" in page(moderator_client.get(change)).select_one("#bans-group").get_text()
