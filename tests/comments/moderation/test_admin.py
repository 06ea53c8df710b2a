"""Who reaches the comments admin, and the moderation log and the bans listed there."""

from django.urls import reverse

from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def rows(response):
    return page(response).select("#result_list tbody tr")


def select(action: str, comments, **extra):
    return {"action": action, "_selected_action": [c.pk for c in comments], **extra}


def test_readers_cannot_reach_the_admin(reader_client):
    response = reader_client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_moderation_log_and_bans_are_listed_in_the_admin(moderator_client, thread, moderator):
    moderator_client.post(
        CHANGELIST, select("ban_authors", [thread["root"]], apply="1", reason="x", duration="1d")
    )

    log = moderator_client.get(reverse("admin:comments_moderationaction_changelist"))
    bans = moderator_client.get(reverse("admin:comments_ban_changelist"))

    assert len(rows(log)) == 1 and "moderator" in rows(log)[0].get_text()
    assert len(rows(bans)) == 1
