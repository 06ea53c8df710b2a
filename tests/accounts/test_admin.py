"""The user admin: each reader's comments, the reports against them and whether they
are banned."""

from django.urls import reverse

from comments.services import comment_report, report_withdraw
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def rows(response):
    return page(response).select("#result_list tbody tr")


def select(action: str, comments, **extra):
    return {"action": action, "_selected_action": [c.pk for c in comments], **extra}


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


def test_a_withdrawn_report_is_not_against_anyone(
    moderator_client, thread, reader, other_reader, moderator
):
    comment_report(comment=thread["root"], reporter=other_reader, reason="abuse")
    comment_report(comment=thread["deep"], reporter=other_reader, reason="spam")
    report_withdraw(comment=thread["deep"], reporter=other_reader)

    listed = {
        r.select_one(".field-username").get_text(): r
        for r in rows(moderator_client.get(reverse("admin:auth_user_changelist")))
    }

    assert listed["reader"].select_one(".field-reports_against").get_text() == "1"
