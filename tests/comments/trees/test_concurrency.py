"""Many readers posting to one article at once must never corrupt its trees.

PostgreSQL only: that is where writers really run in parallel (SQLite lets one
write at a time). Each writer is a thread with its own database connection and
its own signed-in client, posting through the real views.
"""

import random
import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments import services
from comments.models import Comment
from comments.moderation import services as moderation
from comments.trees import numbering
from comments.trees.integrity import check_trees
from tests.trees import assert_valid_trees

WRITERS = 16
POSTS_EACH = 13


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set DATABASE_URL=postgres://...)")


def test_sixteen_concurrent_writers_never_corrupt_the_trees(
    postgres_only, transactional_db, settings
):
    settings.FORUM_COMMENT_RATE = "10000/m"
    article = Article.objects.create(title="Hot topic", slug="hot-topic", body="Everyone posts.")
    other = Article.objects.create(title="Also busy", slug="also-busy", body="New threads too.")
    users = [
        get_user_model().objects.create_user(f"writer{n}", password="x-long-passphrase")
        for n in range(WRITERS)
    ]
    seeds = [
        services.comment_create(article=article, author=users[0], body=f"seed {n}")
        for n in range(4)
    ]
    known = [c.pk for c in seeds]
    known_lock = threading.Lock()
    start = threading.Barrier(WRITERS)
    failures: list[str] = []

    def write(index: int) -> None:
        rng = random.Random(index)
        # Writer 0 answers its own previous comment every time, so the tree is
        # deep whatever the threads' timing; the others land all over it.
        last_own = known[0]
        client = Client()
        client.force_login(users[index])
        start.wait()
        try:
            for n in range(POSTS_EACH):
                body = f"writer {index} post {n}"
                target = article if n % 4 else (other if index % 2 else article)
                if index == 0:
                    url = reverse("comments:comment-reply", kwargs={"pk": last_own})
                elif rng.random() < 0.3 or target is other:
                    url = reverse("comments:comment-create", kwargs={"slug": target.slug})
                else:
                    with known_lock:
                        # Mostly the newest comments, so replies pile up in depth.
                        parent = rng.choice(known[-8:]) if rng.random() < 0.6 else rng.choice(known)
                    url = reverse("comments:comment-reply", kwargs={"pk": parent})
                response = client.post(url, {"body": body})
                if response.status_code != 302:
                    failures.append(f"{body}: HTTP {response.status_code}")
                    continue
                if target is article:
                    pk = int(re.search(r"#comment-(\d+)$", response["Location"])[1])
                    last_own = pk
                    with known_lock:
                        known.append(pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    bodies = list(Comment.objects.exclude(body__startswith="seed").values_list("body", flat=True))
    assert len(bodies) == WRITERS * POSTS_EACH >= 200
    assert sorted(bodies) == sorted(
        f"writer {i} post {n}" for i in range(WRITERS) for n in range(POSTS_EACH)
    )
    assert check_trees() == []
    assert_valid_trees()
    assert Comment.objects.filter(article=article).order_by("-level")[0].level >= POSTS_EACH


def test_a_reply_racing_a_subtree_removal_never_stays_published_under_it(
    postgres_only, transactional_db, monkeypatch
):
    """A reply posted between the removal reading the subtree's range and removing it
    must wait for the removal (and then be refused), not land outside the range."""
    article = Article.objects.create(title="Flame war", slug="flame-war", body="Heated.")
    author, replier, moderator = (
        get_user_model().objects.create_user(name, password="x-long-passphrase")
        for name in ("author", "replier", "moderator")
    )
    root = services.comment_create(article=article, author=author, body="Bad root")
    services.comment_create(article=article, parent=root, author=author, body="Bad reply")
    outcome: dict[str, object] = {}

    def reply_from_another_connection() -> None:
        try:
            services.comment_create(article=article, parent=root, author=replier, body="Me too")
            outcome["reply"] = "posted"
        except ValidationError as exc:
            outcome["reply"] = exc.code
        finally:
            connections.close_all()

    read_ranges = moderation._subtrees_of

    def read_then_let_a_reply_in(ids):
        within = read_ranges(ids)
        racer = threading.Thread(target=reply_from_another_connection)
        racer.start()
        racer.join(timeout=1.0)  # with the article locked, the reply waits for us
        outcome["racer"] = racer
        return within

    monkeypatch.setattr(moderation, "_subtrees_of", read_then_let_a_reply_in)
    services.comments_remove_subtree(comments=[root], by=moderator, reason="spam")
    outcome["racer"].join(timeout=10)

    published_under_root = Comment.objects.filter(
        tree_id=root.tree_id, status=Comment.Status.PUBLISHED
    )
    assert list(published_under_root.values_list("body", flat=True)) == []
    assert outcome["reply"] == "hidden"
    assert_valid_trees(Comment.objects.filter(article=article))


@pytest.fixture
def held_thread(transactional_db, settings):
    """A held root over a published reply with a held reply beneath it; new comments
    need review (FORUM_MODERATION=pre), so a concurrent reply arrives held."""
    article = Article.objects.create(title="Held up", slug="held-up", body="Waiting.")
    author, replier, moderator = (
        get_user_model().objects.create_user(name, password="x-long-passphrase")
        for name in ("author", "replier", "moderator")
    )
    root = services.comment_create(article=article, author=author, body="Root")
    middle = services.comment_create(article=article, parent=root, author=author, body="Open")
    held = services.comment_create(article=article, parent=middle, author=author, body="Reply")
    settings.FORUM_MODERATION = "pre"
    # Edits that need review hold the comments again (the middle one stays published).
    root = services.comment_edit(comment=root, by=author, body="Held root")
    held = services.comment_edit(comment=held, by=author, body="Held")
    assert (root.status, held.status) == (Comment.Status.PENDING, Comment.Status.PENDING)
    return {
        "article": article,
        "root": root,
        "middle": middle,
        "held": held,
        "replier": replier,
        "moderator": moderator,
    }


@pytest.mark.postgres
def test_a_reply_racing_an_approval_of_its_subtree_waits_and_stays_held(
    postgres_only, held_thread, monkeypatch
):
    """A reply posted after the approval has read the subtree's range waits for the
    approval, then lands held: nothing the moderator could not see is approved."""
    t = held_thread
    outcome: dict[str, object] = {}

    def reply_from_another_connection() -> None:
        try:
            services.comment_create(
                article=t["article"], parent=t["middle"], author=t["replier"], body="Racing"
            )
            outcome["reply"] = "posted"
        finally:
            connections.close_all()

    read_ranges = moderation._subtrees_of

    def read_then_let_a_reply_in(ids):
        within = read_ranges(ids)
        racer = threading.Thread(target=reply_from_another_connection)
        racer.start()
        racer.join(timeout=1.0)  # with the article locked, the reply waits for us
        outcome["waited"] = racer.is_alive()
        outcome["racer"] = racer
        return within

    monkeypatch.setattr(moderation, "_subtrees_of", read_then_let_a_reply_in)
    approved = services.comments_approve_subtree(comments=[t["root"]], by=t["moderator"])
    outcome["racer"].join(timeout=10)

    assert outcome["reply"] == "posted"
    assert outcome["waited"] is True
    assert sorted(c.body for c in approved) == ["Held", "Held root"]
    statuses = dict(Comment.objects.filter(article=t["article"]).values_list("body", "status"))
    assert statuses == {
        "Held root": "published",
        "Open": "published",
        "Held": "published",
        "Racing": "pending",
    }
    assert_valid_trees(Comment.objects.filter(article=t["article"]))


def wait_until_someone_waits_for_a_tree_lock(timeout: float = 10) -> None:
    """Block (on this thread's own connection) until another transaction waits for an
    advisory lock: PostgreSQL's pg_locks lists it, not granted."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("nobody came to wait for the lock")


@pytest.mark.postgres
def test_a_reply_in_flight_when_an_approval_starts_is_approved_with_its_subtree(
    postgres_only, held_thread, monkeypatch
):
    """A reply still being written (holding the article's lock, not yet committed)
    when the approval starts: the approval waits for it, then reads the subtree with
    the reply in it, so no held reply of the subtree is left unapproved."""
    t = held_thread
    in_flight = threading.Event()
    open_gap = numbering.open_gap_under

    def open_gap_then_linger(parent):
        left = open_gap(parent)
        if threading.current_thread() is not threading.main_thread():
            in_flight.set()
            # The reply's transaction stays open, the lock held, until the approval
            # waits for that lock: no timing is assumed.
            wait_until_someone_waits_for_a_tree_lock()
        return left

    def reply_from_another_connection() -> None:
        try:
            services.comment_create(
                article=t["article"], parent=t["middle"], author=t["replier"], body="Early"
            )
        finally:
            connections.close_all()

    monkeypatch.setattr(numbering, "open_gap_under", open_gap_then_linger)
    racer = threading.Thread(target=reply_from_another_connection)
    racer.start()
    assert in_flight.wait(timeout=10)
    assert not Comment.objects.filter(body="Early").exists()  # not committed yet

    approved = services.comments_approve_subtree(comments=[t["root"]], by=t["moderator"])
    racer.join(timeout=10)

    assert sorted(c.body for c in approved) == ["Early", "Held", "Held root"]
    assert not Comment.objects.filter(article=t["article"], status=Comment.Status.PENDING).exists()
    assert_valid_trees(Comment.objects.filter(article=t["article"]))
