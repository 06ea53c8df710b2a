"""The vote service's rules: one vote per reader per comment, up or down, changed or
taken back; refused where it may not be cast; a moderator's reset."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comments import policy, services
from comments.models import Comment, ModerationAction, Vote
from comments.threads.ranking import votes_of
from tests.factories import give_votes, voters

Status = Comment.Status


def tally(comment) -> tuple[int, int]:
    comment.refresh_from_db()
    return comment.up, comment.down


def test_a_reader_votes_a_comment_up(comment, voter):
    result = services.comment_vote(comment=comment, voter=voter, value=1)

    assert (result.up, result.down, result.points, result.mine) == (1, 0, 1, 1)
    assert tally(comment) == (1, 0)
    vote = Vote.objects.get(comment=comment, voter=voter)
    assert (vote.value, vote.counted) == (1, True)


def test_a_reader_votes_a_comment_down(comment, voter):
    result = services.comment_vote(comment=comment, voter=voter, value=-1)

    assert (result.up, result.down, result.points, result.mine) == (0, 1, -1, -1)
    assert tally(comment) == (0, 1)


def test_voting_again_changes_the_vote_and_never_adds_a_second(comment, voter):
    services.comment_vote(comment=comment, voter=voter, value=1)
    result = services.comment_vote(comment=comment, voter=voter, value=-1)

    assert (result.up, result.down, result.mine) == (0, 1, -1)
    assert tally(comment) == (0, 1)
    assert Vote.objects.filter(comment=comment).count() == 1


def test_the_same_vote_twice_counts_once(comment, voter):
    services.comment_vote(comment=comment, voter=voter, value=1)
    result = services.comment_vote(comment=comment, voter=voter, value=1)

    assert (result.up, result.down) == (1, 0)
    assert tally(comment) == (1, 0)


def test_a_vote_taken_back_is_gone_and_leaves_the_others(comment, voter):
    [other] = voters(1)
    services.comment_vote(comment=comment, voter=other, value=1)
    services.comment_vote(comment=comment, voter=voter, value=-1)

    result = services.comment_vote(comment=comment, voter=voter, value=0)

    assert (result.up, result.down, result.mine) == (1, 0, 0)
    assert tally(comment) == (1, 0)
    assert not Vote.objects.filter(comment=comment, voter=voter).exists()


def test_the_ranks_are_written_with_the_points(comment):
    give_votes(comment, up=3, down=1)
    comment.refresh_from_db()

    assert comment.best == pytest.approx(policy.wilson(3, 1))
    assert comment.controversy == pytest.approx(policy.controversy(3, 1))
    assert comment.voted_at is not None
    root = Comment.objects.get(tree_id=comment.tree_id, level=0)
    assert root.tree_voted_at == comment.voted_at
    comment.article.refresh_from_db()
    assert comment.article.votes_version == 4


def test_a_vote_on_a_reply_marks_its_thread_root_voted(thread):
    [voter] = voters(1)
    services.comment_vote(comment=thread["deep"], voter=voter, value=1)

    thread["root"].refresh_from_db()
    thread["second"].refresh_from_db()
    assert thread["root"].tree_voted_at is not None
    assert thread["second"].tree_voted_at is None


def test_one_vote_per_reader_per_comment_is_a_database_constraint(comment, voter):
    Vote.objects.create(comment=comment, voter=voter, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(comment=comment, voter=voter, value=-1)


def refused(comment, voter, value=1) -> str:
    before = (tally(comment), Vote.objects.count())
    with pytest.raises((ValidationError, services.Banned)) as caught:
        services.comment_vote(comment=comment, voter=voter, value=value)
    assert (tally(comment), Vote.objects.count()) == before, "a refusal changed something"
    error = caught.value
    return error.message if isinstance(error, ValidationError) else str(error)


def test_a_reader_cannot_vote_on_their_own_comment(comment, author):
    assert refused(comment, author) == "You cannot vote on your own comment."


def test_guests_cannot_vote(comment):
    assert refused(comment, AnonymousUser()) == "Log in to vote."


@pytest.mark.parametrize("status", [Status.PENDING, Status.REMOVED, Status.DELETED])
def test_only_published_comments_take_votes(comment, voter, status):
    Comment.objects.filter(pk=comment.pk).update(status=status)
    assert refused(comment, voter) == "Only published comments take votes."


def test_a_banned_reader_cannot_vote_or_take_a_vote_back(comment, voter, moderator):
    services.comment_vote(comment=comment, voter=voter, value=1)
    services.users_ban(users=[voter], by=moderator, reason="Vote ring")

    assert refused(comment, voter, value=-1).startswith("You are banned")
    assert refused(comment, voter, value=0).startswith("You are banned")


def test_a_vote_is_up_or_down(comment, voter):
    assert refused(comment, voter, value=2) == "A vote is up or down."


def test_a_readers_votes_in_an_article_are_read_in_one_query(thread, django_assert_num_queries):
    [voter] = voters(1)
    services.comment_vote(comment=thread["root"], voter=voter, value=-1)
    services.comment_vote(comment=thread["reply"], voter=voter, value=1)

    with django_assert_num_queries(1):
        mine = votes_of(voter, article=thread["root"].article)

    tree = thread["root"].tree_id
    assert mine == {thread["root"].pk: (tree, -1), thread["reply"].pk: (tree, 1)}


def test_a_moderator_resets_every_vote_and_it_is_logged(comment, moderator, newcomer):
    give_votes(comment, up=3, down=2)
    services.comment_vote(comment=comment, voter=newcomer, value=1)  # not counted yet

    taken = services.votes_reset(comment=comment, by=moderator, reason="A voting ring")

    assert taken == 6
    assert tally(comment) == (0, 0)
    comment.refresh_from_db()
    assert (comment.best, comment.controversy) == (0.0, 0.0)
    assert not Vote.objects.filter(comment=comment).exists()
    entry = ModerationAction.objects.get(kind=ModerationAction.Kind.RESET_VOTES)
    assert (entry.actor, entry.comment, entry.user) == (moderator, comment, comment.author)
    assert entry.reason == "A voting ring (6 votes: 4 up, 2 down)"
    assert entry.get_kind_display() == "Votes reset"


def test_resetting_a_comment_without_votes_changes_and_logs_nothing(comment, moderator):
    assert services.votes_reset(comment=comment, by=moderator) == 0
    assert not ModerationAction.objects.filter(kind=ModerationAction.Kind.RESET_VOTES).exists()


def test_a_long_reset_reason_is_cut_to_fit_the_log_keeping_the_count(comment, moderator):
    give_votes(comment, up=1)
    services.votes_reset(comment=comment, by=moderator, reason="x" * 600)

    logged = ModerationAction.objects.get(kind=ModerationAction.Kind.RESET_VOTES).reason
    assert len(logged) == 500 and logged.endswith("… (1 vote: 1 up, 0 down)")


def test_votes_after_a_reset_count_afresh(comment, voter, moderator):
    services.comment_vote(comment=comment, voter=voter, value=1)
    services.votes_reset(comment=comment, by=moderator)

    result = services.comment_vote(comment=comment, voter=voter, value=1)

    assert (result.up, result.down) == (1, 0)
