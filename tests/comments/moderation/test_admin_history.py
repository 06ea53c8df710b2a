"""An author's record for a moderator about to ban them: their comments by status and
their earlier bans (why, when, who banned), read in a fixed number of queries, and
shown on the admin's ban page."""

from datetime import UTC, datetime

import pytest

from comments import services
from comments.models import Ban, Comment
from comments.moderation.history import author_history
from tests.comments.moderation.changelist import CHANGELIST, select
from tests.pages import page

Status = Comment.Status


def counts(history) -> dict[str, int]:
    return {name: getattr(history, name) for name in ("published", "held", "removed", "deleted")}


@pytest.fixture
def record(thread, article, reader, other_reader, moderator):
    """Reader: two published (Root, Extra), one held, one removed (Deep), one deleted,
    and an old ban by the moderator; other: two published, never banned."""
    held = services.comment_create(article=article, author=reader, body="Held")
    gone = services.comment_create(article=article, author=reader, body="Gone")
    services.comment_create(article=article, author=reader, body="Extra")
    Comment.objects.filter(pk=held.pk).update(status=Status.PENDING)
    services.comments_remove(comments=[thread["deep"]], by=moderator, reason="Spam")
    services.comment_delete(comment=gone, by=reader)
    Ban.objects.create(
        user=reader,
        reason="Spam links",
        starts=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        ends=datetime(2026, 3, 8, 9, 0, tzinfo=UTC),
        created_by=moderator,
    )
    return thread


def test_an_authors_history_counts_their_comments_by_status_and_lists_their_bans(
    record, reader, other_reader
):
    mine, theirs = author_history([reader, other_reader])

    assert (mine.name, theirs.name) == ("reader", "other")
    assert counts(mine) == {"published": 2, "held": 1, "removed": 1, "deleted": 1}
    assert [(b.reason, b.starts.day, b.ends.day, b.created_by.username) for b in mine.bans] == [
        ("Spam links", 1, 8, "moderator")
    ]
    assert counts(theirs) == {"published": 2, "held": 0, "removed": 0, "deleted": 0}
    assert theirs.bans == []


def test_an_authors_history_costs_two_queries_for_one_author_or_many(
    moderator, django_user_model, article, django_assert_num_queries
):
    users = [django_user_model.objects.create_user(f"u{n}") for n in range(6)]
    for user in users:
        services.comment_create(article=article, author=user, body=f"By {user.username}")
    services.users_ban(users=users, by=moderator, reason="Ring of spammers")

    with django_assert_num_queries(2):
        assert len(author_history(users[:1])) == 1
    with django_assert_num_queries(2):
        histories = author_history(users[1:] + users[1:2])
    assert [h.name for h in histories] == ["u1", "u2", "u3", "u4", "u5"]
    assert all(h.published == 1 and len(h.bans) == 1 for h in histories)
    with django_assert_num_queries(0):
        assert author_history([]) == []


def test_the_admins_ban_page_shows_each_authors_history(moderator_client, record, seeded_article):
    imported = Comment.objects.filter(article=seeded_article).first()

    asked = moderator_client.post(
        CHANGELIST, select("ban_authors", [record["root"], record["reply"], imported])
    )

    assert asked.status_code == 200
    history = page(asked).select_one(".author-history table")
    assert " ".join(history.select_one("caption").get_text().split()) == (
        "What these authors wrote before, and their bans"
    )
    shown = [
        [" ".join(cell.get_text().split()) for cell in row.select("th, td")]
        for row in history.select("tbody tr")
    ]
    assert shown == [
        ["reader", "2", "1", "1", "1", "1 Mar 2026 – 8 Mar 2026, by moderator: Spam links"],
        ["other", "2", "0", "0", "0", "never banned"],
    ]


def test_an_active_or_permanent_earlier_ban_says_so(moderator_client, thread, reader, moderator):
    services.users_ban(users=[reader], by=moderator, reason="For good")

    asked = moderator_client.post(CHANGELIST, select("ban_authors", [thread["root"]]))

    (row,) = page(asked).select(".author-history tbody tr")
    ban = " ".join(row.select_one(".author-history-bans").get_text().split())
    assert ban.endswith("– permanent (active now), by moderator: For good")
