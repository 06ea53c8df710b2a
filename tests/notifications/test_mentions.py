"""Mentions cannot be used to mail the membership: a cap per comment, across its edits,
and a budget per sender. Mentions past either stay links and notify nobody."""

import pytest
from django.contrib.auth import get_user_model

from comments import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(db):
    users = get_user_model().objects
    return [users.create_user(f"u{n:02}", password="a-long-passphrase-9") for n in range(30)]


def names(members) -> str:
    return " ".join(f"@{member.username}" for member in members)


def mentioned() -> list[str]:
    return sorted(
        Notification.objects.filter(kind="mention").values_list("recipient__username", flat=True)
    )


def test_one_comment_notifies_at_most_the_first_readers_it_mentions(
    settings, article, reader, members
):
    settings.FORUM_MENTIONS_PER_COMMENT = 10

    comment = services.comment_create(article=article, author=reader, body=names(members))

    assert mentioned() == [member.username for member in members[:10]]
    # Every mention is still a link to its reader's profile.
    assert comment.body_html.count("<a ") == len(members)


def test_editing_a_comment_to_name_more_readers_notifies_none_past_the_cap(
    settings, article, reader, members
):
    settings.FORUM_MENTIONS_PER_COMMENT = 10
    comment = services.comment_create(article=article, author=reader, body=names(members[:8]))

    services.comment_edit(comment=comment, by=reader, body=names(members[:22]))

    assert mentioned() == [member.username for member in members[:10]]


def test_an_edit_notifies_only_readers_never_notified_for_that_comment(
    settings, article, reader, members
):
    settings.FORUM_MENTIONS_PER_COMMENT = 10
    comment = services.comment_create(article=article, author=reader, body=names(members[:3]))
    Notification.objects.update(read="2026-12-01T00:00Z")

    # Dropping a name and naming it again notifies nobody twice.
    services.comment_edit(comment=comment, by=reader, body=names(members[1:3]))
    services.comment_edit(comment=comment, by=reader, body=names(members[:4]))

    assert mentioned() == [member.username for member in members[:4]]
    assert Notification.objects.filter(read__isnull=True).count() == 1


def test_mention_notifications_count_against_the_senders_own_rate(
    settings, article, reader, members
):
    settings.FORUM_MENTIONS_PER_COMMENT = 10
    settings.FORUM_MENTION_RATE = "12/h"

    services.comment_create(article=article, author=reader, body=names(members[:10]))
    later = services.comment_create(article=article, author=reader, body=names(members[10:20]))

    assert len(mentioned()) == 12
    assert later.body_html.count("<a ") == 10  # the rest are links all the same


def test_another_senders_mentions_have_their_own_budget(
    settings, article, reader, other_reader, members
):
    settings.FORUM_MENTION_RATE = "5/h"

    services.comment_create(article=article, author=reader, body=names(members[:5]))
    services.comment_create(article=article, author=other_reader, body=names(members[5:10]))

    assert len(mentioned()) == 10
