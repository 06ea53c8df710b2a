"""Votes in the admin: who voted on a comment, for moderators only, at a cost that does
not grow with the votes; its points in the queue; and resetting its votes (logged)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comments import services
from comments.models import ModerationAction, Vote
from comments.moderation.admin import votes as admin_votes
from tests.factories import give_votes, voters
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def change_url(comment) -> str:
    return reverse("admin:comments_comment_change", args=[comment.pk])


def moderate_url(comment) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk])


def vote_rows(soup) -> list[tuple[str, ...]]:
    """(voter, vote, counts, voted) of each row of the votes listed."""
    return [
        tuple(
            row.select_one(f".field-{name}").get_text().strip()
            for name in ("voter", "value", "counted", "created")
        )
        for row in soup.select("#votes-group tbody tr.has_original")
    ]


def summary_of(soup) -> str:
    return soup.select_one(".field-votes_summary .readonly").get_text().strip()


def buttons(soup) -> list[str]:
    return [b.get_text() for b in soup.select(".moderation-buttons button")]


def messages_of(response) -> list[str]:
    return [item.get_text() for item in page(response).select(".messagelist li")]


@pytest.fixture
def voted(thread, django_user_model):
    """The root, voted up by two readers who count, down by one, and up by a newcomer
    whose vote does not count yet."""
    root = thread["root"]
    ana, bob, cy = voters(3)
    services.comment_vote(comment=root, voter=ana, value=1)
    services.comment_vote(comment=root, voter=bob, value=1)
    services.comment_vote(comment=root, voter=cy, value=-1)
    newcomer = django_user_model.objects.create_user("newcomer", password="a-long-passphrase")
    services.comment_vote(comment=root, voter=newcomer, value=1)
    return root


def test_moderators_see_who_voted_how_whether_it_counts_and_when(moderator_client, voted):
    soup = page(moderator_client.get(change_url(voted)))

    rows = vote_rows(soup)
    assert [row[:2] for row in rows] == [
        ("newcomer", "Up"),
        ("voter2", "Down"),
        ("voter1", "Up"),
        ("voter0", "Up"),
    ]
    counts = [
        row.select_one(".field-counted img")["alt"]
        for row in soup.select("#votes-group tbody tr.has_original")
    ]
    assert counts == ["False", "True", "True", "True"]
    assert all(row[3] for row in rows)
    assert summary_of(soup).startswith("1 point: 2 up, 1 down; 1 more vote not counted (yet)")


def test_a_comment_without_votes_says_so_and_offers_no_reset(moderator_client, thread):
    soup = page(moderator_client.get(change_url(thread["second"])))

    assert summary_of(soup) == "No votes."
    assert vote_rows(soup) == []
    assert "Reset votes…" not in buttons(soup)


def test_staff_who_may_only_view_comments_do_not_see_the_votes(client, django_user_model, voted):
    clerk = django_user_model.objects.create_user("clerk", password="x-long-passphrase")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(clerk)

    soup = page(client.get(change_url(voted)))

    assert soup.select_one(".field-rendered_body") is not None
    assert soup.select_one("#votes-group") is None
    assert soup.select_one(".field-votes_summary") is None
    assert buttons(soup) == []
    assert client.post(moderate_url(voted), {"action": "reset_votes"}).status_code == 403
    assert Vote.objects.filter(comment=voted).count() == 4


def test_the_latest_votes_are_listed_and_the_summary_counts_them_all(
    moderator_client, thread, monkeypatch
):
    monkeypatch.setattr(admin_votes.LatestVotes, "shown", 3)
    give_votes(thread["second"], up=4, down=1)

    soup = page(moderator_client.get(change_url(thread["second"])))

    assert [row[0] for row in vote_rows(soup)] == [f"v{thread['second'].pk}-{n}" for n in (4, 3, 2)]
    assert summary_of(soup).startswith("3 points: 4 up, 1 down")


def test_the_page_costs_the_same_queries_for_one_vote_or_forty(
    moderator_client, thread, other_reader, django_assert_num_queries
):
    third = services.comment_create(article=thread["root"].article, author=other_reader, body="3")
    crowd = voters(40)
    give_votes(thread["second"], up=1, crowd=crowd)
    give_votes(third, up=25, down=15, crowd=crowd)

    with django_assert_num_queries(PAGE_QUERIES) as one:
        moderator_client.get(change_url(thread["second"]))
    with django_assert_num_queries(PAGE_QUERIES) as forty:
        soup = page(moderator_client.get(change_url(third)))

    assert len(vote_rows(soup)) == 40
    assert len(one) == len(forty)


# The change page's queries for a moderator (pinned: a new one per vote would show).
PAGE_QUERIES = 11


def test_reset_votes_from_the_page_asks_for_an_optional_reason_then_takes_them_off(
    moderator_client, moderator, voted
):
    assert "Reset votes…" in buttons(page(moderator_client.get(change_url(voted))))

    asked = moderator_client.post(moderate_url(voted), {"action": "reset_votes"})

    assert asked.status_code == 200
    assert page(asked).find("textarea", attrs={"name": "reason"}) is not None
    assert Vote.objects.filter(comment=voted).count() == 4

    done = moderator_client.post(
        moderate_url(voted), {"action": "reset_votes", "apply": "1", "reason": ""}
    )

    assert done["Location"] == change_url(voted)
    voted.refresh_from_db()
    assert (voted.up, voted.down) == (0, 0)
    assert not Vote.objects.filter(comment=voted).exists()
    entry = ModerationAction.objects.get(kind=ModerationAction.Kind.RESET_VOTES)
    assert (entry.actor, entry.comment) == (moderator, voted)
    assert entry.reason == "(4 votes: 3 up, 1 down)"
    followed = moderator_client.get(done["Location"])
    assert messages_of(followed) == [
        f"Reset the votes on 1 comment (4 votes taken off): #{voted.pk} by reader."
    ]
    assert "Reset votes…" not in buttons(page(followed))
    assert "Votes reset" in page(followed).select_one("#moderation_actions-group").get_text()


def test_reset_votes_on_selected_comments_in_the_queue(moderator_client, voted, thread):
    give_votes(thread["reply"], down=2)
    selected = [voted, thread["reply"], thread["second"]]

    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "reset_votes",
            "_selected_action": [c.pk for c in selected],
            "apply": "1",
            "reason": "A voting ring",
        },
        follow=True,
    )

    assert not Vote.objects.exists()
    assert messages_of(response) == [
        f"Reset the votes on 2 comments (6 votes taken off): #{voted.pk} by reader, "
        f"#{thread['reply'].pk} by other. Left 1 as it was (no votes)."
    ]
    reasons = ModerationAction.objects.filter(kind=ModerationAction.Kind.RESET_VOTES)
    assert sorted(reasons.values_list("reason", flat=True)) == [
        "A voting ring (2 votes: 0 up, 2 down)",
        "A voting ring (4 votes: 3 up, 1 down)",
    ]


def test_the_queue_shows_each_comments_points(moderator_client, voted):
    soup = page(moderator_client.get(CHANGELIST, {"o": "6"}))  # by points, ascending

    cells = {
        row.select_one(".action-checkbox input")["value"]: row.select_one(".field-points_display")
        for row in soup.select("#result_list tbody tr")
    }
    assert cells[str(voted.pk)].get_text() == "1"
    assert cells[str(voted.pk)].span["title"] == "2 up, 1 down"
    assert {cell.get_text() for cell in cells.values()} == {"1", "—"}
