"""Which votes count: a voter's votes count while the voter counts (an account old
enough, with a published comment, not banned); the others are kept, and count (or stop
counting) as soon as that changes: when the account comes of age, its first comment
is published, it is banned, or its ban is lifted or ends."""

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from comments import services
from comments.models import Comment, Vote
from comments.voting import counting, tasks
from tests.factories import establish, voters
from tests.mail_server import run_worker

Status = Comment.Status


def assert_tallies_are_the_counted_votes() -> None:
    """Every comment's up and down are the sums of its votes that count."""
    sums = Comment.objects.annotate(
        counted_up=Count("votes", filter=Q(votes__counted=True, votes__value=1)),
        counted_down=Count("votes", filter=Q(votes__counted=True, votes__value=-1)),
    )
    wrong = [(c.pk, c.up, c.down, c.counted_up, c.counted_down) for c in sums]
    assert [w for w in wrong if w[1:3] != w[3:]] == []


def tally(comment) -> tuple[int, int]:
    comment.refresh_from_db()
    return comment.up, comment.down


def age(user, *, days: float) -> None:
    """Make `user`'s account `days` old."""
    type(user).objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - dt.timedelta(days=days)
    )
    user.refresh_from_db()


@pytest.fixture
def comments(article, author):
    """Three more published comments by `author`, to vote on."""
    return [
        services.comment_create(article=article, author=author, body=f"Comment {n}")
        for n in range(3)
    ]


def test_a_new_readers_vote_is_kept_but_does_not_count(comment, newcomer):
    result = services.comment_vote(comment=comment, voter=newcomer, value=1)

    assert (result.up, result.down, result.mine) == (0, 0, 1)
    assert tally(comment) == (0, 0)
    assert Vote.objects.get(voter=newcomer).counted is False
    assert counting.voter_standing(newcomer) == counting.TOO_NEW


def test_an_old_account_with_nothing_published_does_not_count(comment, newcomer):
    age(newcomer, days=30)
    services.comment_vote(comment=comment, voter=newcomer, value=-1)

    assert tally(comment) == (0, 0)
    assert counting.voter_standing(newcomer) == counting.NOTHING_PUBLISHED


def test_a_waiting_vote_can_still_be_changed_and_taken_back(comment, newcomer):
    services.comment_vote(comment=comment, voter=newcomer, value=1)
    services.comment_vote(comment=comment, voter=newcomer, value=-1)
    assert Vote.objects.get(voter=newcomer).value == -1

    services.comment_vote(comment=comment, voter=newcomer, value=0)

    assert not Vote.objects.filter(voter=newcomer).exists()
    assert tally(comment) == (0, 0)


# The account comes of age.


def test_coming_of_age_is_queued_once_for_when_it_happens(
    comment, comments, newcomer, article, django_capture_on_commit_callbacks
):
    services.comment_create(article=article, author=newcomer, body="Hello")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_vote(comment=comment, voter=newcomer, value=1)
        services.comment_vote(comment=comments[0], voter=newcomer, value=-1)

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "comments.voting.tasks.recount_votes"
    assert queued.args_kwargs["args"] == [newcomer.pk]
    assert queued.run_after == counting.counts_from(newcomer.date_joined)
    assert queued.run_after - newcomer.date_joined == dt.timedelta(hours=24)


@pytest.mark.django_db(transaction=True)
def test_the_worker_counts_the_votes_once_the_account_comes_of_age(comment, comments, newcomer):
    services.comment_create(article=comment.article, author=newcomer, body="Hello")
    services.comment_vote(comment=comment, voter=newcomer, value=1)
    services.comment_vote(comment=comments[0], voter=newcomer, value=-1)
    run_worker()
    assert (tally(comment), tally(comments[0])) == ((0, 0), (0, 0))  # not yet: not due

    age(newcomer, days=1.01)
    DBTaskResult.objects.update(run_after=timezone.now())  # its day has come
    run_worker()

    assert (tally(comment), tally(comments[0])) == ((1, 0), (0, 1))
    assert_tallies_are_the_counted_votes()


def test_without_a_queue_that_waits_the_next_vote_counts_the_earlier_ones(
    comment, comments, newcomer, immediate_tasks, django_capture_on_commit_callbacks
):
    services.comment_create(article=comment.article, author=newcomer, body="Hello")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_vote(comment=comment, voter=newcomer, value=1)
    assert tally(comment) == (0, 0)

    age(newcomer, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_vote(comment=comments[0], voter=newcomer, value=1)

    assert (tally(comment), tally(comments[0])) == ((1, 0), (1, 0))
    assert set(Vote.objects.filter(voter=newcomer).values_list("counted", flat=True)) == {True}
    assert_tallies_are_the_counted_votes()


# The first comment published.


def test_a_voters_first_published_comment_makes_their_votes_count(
    comment, comments, newcomer, immediate_tasks, django_capture_on_commit_callbacks
):
    age(newcomer, days=30)
    services.comment_vote(comment=comment, voter=newcomer, value=1)
    services.comment_vote(comment=comments[0], voter=newcomer, value=-1)
    assert (tally(comment), tally(comments[0])) == ((0, 0), (0, 0))

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(article=comment.article, author=newcomer, body="My first")

    assert (tally(comment), tally(comments[0])) == ((1, 0), (0, 1))
    assert_tallies_are_the_counted_votes()


def test_a_held_first_comment_counts_once_a_moderator_approves_it(
    comment, newcomer, moderator, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.FORUM_MODERATION = "pre"
    age(newcomer, days=30)
    services.comment_vote(comment=comment, voter=newcomer, value=1)
    with django_capture_on_commit_callbacks(execute=True):
        held = services.comment_create(article=comment.article, author=newcomer, body="Hi")
    assert held.status == Status.PENDING
    assert tally(comment) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_approve(comments=[held], by=moderator)

    assert tally(comment) == (1, 0)


def test_publishing_by_a_reader_without_waiting_votes_queues_nothing(
    article, voter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.comment_create(article=article, author=voter, body="Another")

    assert not any("recount" in repr(callback) for callback in callbacks)
    assert not DBTaskResult.objects.exists()


def test_removing_a_voters_only_comment_stops_their_votes_counting_until_restored(
    comment, voter, moderator, immediate_tasks, django_capture_on_commit_callbacks
):
    services.comment_vote(comment=comment, voter=voter, value=1)
    [only] = Comment.objects.filter(author=voter)

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_remove(comments=[only], by=moderator, reason="Spam")
    assert tally(comment) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_restore(comments=[only], by=moderator)
    assert tally(comment) == (1, 0)
    assert_tallies_are_the_counted_votes()


def test_a_voter_deleting_their_only_comment_stops_their_votes_counting(
    comment, voter, immediate_tasks, django_capture_on_commit_callbacks
):
    services.comment_vote(comment=comment, voter=voter, value=-1)
    [only] = Comment.objects.filter(author=voter)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(comment=only, by=voter)

    assert tally(comment) == (0, 0)
    assert Vote.objects.get(voter=voter).counted is False


def test_an_edit_held_for_review_stops_its_authors_votes_counting(
    comment, voter, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    services.comment_vote(comment=comment, voter=voter, value=1)
    [only] = Comment.objects.filter(author=voter)
    settings.FORUM_MODERATION = "pre"

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(comment=only, by=voter, body="Second thoughts")

    assert Comment.objects.get(pk=only.pk).status == Status.PENDING
    assert tally(comment) == (0, 0)


# Bans.


def test_a_ban_stops_a_voters_votes_counting_and_lifting_it_counts_them_again(
    comment, comments, voter, moderator, immediate_tasks, django_capture_on_commit_callbacks
):
    services.comment_vote(comment=comment, voter=voter, value=1)
    services.comment_vote(comment=comments[0], voter=voter, value=-1)

    with django_capture_on_commit_callbacks(execute=True):
        [ban] = services.users_ban(users=[voter], by=moderator, reason="Vote ring")
    assert (tally(comment), tally(comments[0])) == ((0, 0), (0, 0))
    assert Vote.objects.filter(voter=voter, counted=False).count() == 2  # kept

    with django_capture_on_commit_callbacks(execute=True):
        services.ban_lift(ban=ban, by=moderator)
    assert (tally(comment), tally(comments[0])) == ((1, 0), (0, 1))
    assert_tallies_are_the_counted_votes()


def test_a_bans_end_is_queued_for_when_it_comes(
    comment, voter, moderator, django_capture_on_commit_callbacks
):
    services.comment_vote(comment=comment, voter=voter, value=1)
    ends = timezone.now() + dt.timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        services.users_ban(users=[voter], by=moderator, reason="Cool off", ends=ends)

    queued = [task.task for task in DBTaskResult.objects.all()]
    assert [t.name for t in queued] == ["recount_votes"] * 2
    assert sorted([t.run_after for t in queued], key=str) == [ends, None]  # at its end, and now
    assert [result.args_kwargs["args"] for result in DBTaskResult.objects.all()] == [[voter.pk]] * 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_counts_a_voters_votes_again_when_the_ban_ends(comment, voter, moderator):
    services.comment_vote(comment=comment, voter=voter, value=1)
    ends = timezone.now() + dt.timedelta(days=1)
    [ban] = services.users_ban(users=[voter], by=moderator, reason="Cool off", ends=ends)
    run_worker()
    assert tally(comment) == (0, 0)

    # A day later: the ban is over, and its task due.
    type(ban).objects.filter(pk=ban.pk).update(
        starts=timezone.now() - dt.timedelta(days=1), ends=timezone.now()
    )
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()

    assert tally(comment) == (1, 0)
    assert_tallies_are_the_counted_votes()


def test_banning_someone_who_never_voted_queues_nothing(
    voter, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.users_ban(
            users=[voter], by=moderator, reason="x", ends=timezone.now() + dt.timedelta(days=1)
        )

    assert not DBTaskResult.objects.exists()


# The recount itself.


def test_a_recount_works_through_many_articles_in_batches(django_user_model, newcomer, monkeypatch):
    monkeypatch.setattr(counting, "RECOUNT_ARTICLES", 2)
    author = establish(django_user_model.objects.create_user("writer"))
    targets = []
    for n in range(5):
        article = Article.objects.create(title=f"A{n}", slug=f"a{n}", body="x")
        targets.append(services.comment_create(article=article, author=author, body=f"c{n}"))
        services.comment_vote(comment=targets[-1], voter=newcomer, value=1 if n % 2 else -1)
    establish(newcomer)

    assert services.recount_votes_of(newcomer) == 5

    assert [tally(c) for c in targets] == [(0, 1), (1, 0), (0, 1), (1, 0), (0, 1)]
    assert services.recount_votes_of(newcomer) == 0
    assert_tallies_are_the_counted_votes()


def test_a_recount_task_for_a_user_since_deleted_does_nothing(newcomer):
    pk = newcomer.pk
    newcomer.delete()
    assert tasks.recount_votes.call(pk) == 0


def test_a_deactivated_account_does_not_count(voter):
    type(voter).objects.filter(pk=voter.pk).update(is_active=False)
    voter.refresh_from_db()
    assert counting.voter_standing(voter) == counting.INACTIVE
    assert not counting.voter_counts(voter)


def test_an_established_voter_counts(voter):
    assert counting.voter_standing(voter) == ""
    assert counting.voter_counts(voter)


def test_a_comment_held_again_stops_its_authors_votes_counting_until_approved(
    comment, voter, moderator, immediate_tasks, django_capture_on_commit_callbacks
):
    """Held after reports, or an approval undone: no published comment is left."""
    services.comment_vote(comment=comment, voter=voter, value=1)
    [only] = Comment.objects.filter(author=voter)
    with django_capture_on_commit_callbacks(execute=True):
        for reporter in voters(3, prefix="reporter"):
            services.comment_report(comment=only, reporter=reporter, reason="spam")
    assert Comment.objects.get(pk=only.pk).status == Status.PENDING
    assert tally(comment) == (0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_approve(comments=[only], by=moderator)
    assert tally(comment) == (1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        services.approval_undo(comment=only, by=moderator)
    assert tally(comment) == (0, 0)
    assert_tallies_are_the_counted_votes()
