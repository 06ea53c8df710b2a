"""Many readers voting on one comment at once: no vote lost, none counted twice.

PostgreSQL only: that is where requests really run in parallel (SQLite lets one write
at a time). Each voter is a thread with its own database connection and its own
signed-in client, pressing the real buttons through the vote endpoint.
"""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, Vote
from tests.factories import voters

VOTERS = 16
JSON = {"HTTP_ACCEPT": "application/json"}
# What each voter presses, in turn (by voter number modulo their count): an up-vote,
# a down-vote, a change of mind, a vote taken back, and back and forth.
PRESSES = [
    ["up"],
    ["down"],
    ["up", "down"],
    ["down", "down"],
    ["up", "down", "up"],
    ["down", "up", "up", "down"],
    ["up", "up", "up"],
    ["down", "up"],
]


def final_vote(presses: list[str]) -> int:
    """The vote a reader is left with after pressing these buttons in turn."""
    mine = 0
    for press in presses:
        value = 1 if press == "up" else -1
        mine = 0 if mine == value else value
    return mine


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent voters need PostgreSQL (set DATABASE_URL=postgres://...)")


def test_sixteen_concurrent_voters_on_one_comment_lose_and_double_nothing(
    postgres_only, transactional_db, settings, article, django_user_model
):
    settings.FORUM_VOTE_RATE = "10000/m"
    author = django_user_model.objects.create_user("author", password="x-long-passphrase")
    target = services.comment_create(article=article, author=author, body="Vote on me")
    # A reply in the same thread, voted at the same time: both write the thread's root.
    sibling = services.comment_create(article=article, parent=target, author=author, body="And me")
    crowd = voters(VOTERS - 4)
    # Four readers too new to count: their votes are kept, not counted.
    crowd += [
        django_user_model.objects.create_user(f"new{n}", password="x-long-passphrase")
        for n in range(4)
    ]
    start = threading.Barrier(VOTERS)
    failures: list[str] = []

    def vote(index: int) -> None:
        client = Client()
        client.force_login(crowd[index])
        start.wait()
        try:
            for round_ in range(3):
                for press in PRESSES[index % len(PRESSES)]:
                    comment = target if (index + round_) % 3 else sibling
                    response = client.post(reverse("comments:vote"), {press: comment.pk}, **JSON)
                    if response.status_code != 200:
                        failures.append(f"voter {index}: HTTP {response.status_code}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(VOTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    # Each voter's own presses ran in turn, so what each is left with is known.
    expected: dict[tuple[int, int], int] = {}
    for index, voter in enumerate(crowd):
        pressed: dict[int, list[str]] = {}
        for round_ in range(3):
            for press in PRESSES[index % len(PRESSES)]:
                comment = target if (index + round_) % 3 else sibling
                pressed.setdefault(comment.pk, []).append(press)
        for pk, presses in pressed.items():
            if final_vote(presses):
                expected[(pk, voter.pk)] = final_vote(presses)
    stored = {
        (pk, voter): value
        for pk, voter, value in Vote.objects.values_list("comment_id", "voter_id", "value")
    }
    assert stored == expected
    established = {voter.pk for voter in crowd[: VOTERS - 4]}
    for comment in (target, sibling):
        comment.refresh_from_db()
        counted = Vote.objects.filter(comment=comment, counted=True).aggregate(
            up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1))
        )
        assert (comment.up, comment.down) == (counted["up"], counted["down"])
        by_established = [
            value
            for (pk, voter), value in expected.items()
            if pk == comment.pk and voter in established
        ]
        assert (comment.up, comment.down) == (by_established.count(1), by_established.count(-1))
        assert comment.up and comment.down
    assert Comment.objects.get(pk=target.pk).tree_voted_at is not None
