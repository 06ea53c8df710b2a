import pytest
from django.core.exceptions import ValidationError

from comments import services
from comments.models import Comment
from tests.trees import assert_valid_trees


def test_each_top_level_comment_is_the_root_of_its_own_tree(article, reader):
    first = services.comment_create(article=article, author=reader, body="one")
    second = services.comment_create(article=article, author=reader, body="two")

    assert first.tree_id != second.tree_id
    assert (first.lft, first.rght, first.level) == (1, 2, 0)
    assert_valid_trees()


def test_a_reply_becomes_its_parents_last_child_and_shifts_only_its_own_thread(
    thread, article, reader
):
    root, second = thread["root"], thread["second"]
    second_before = Comment.objects.values("lft", "rght").get(pk=second.pk)

    newest = services.comment_create(article=article, parent=root, author=reader, body="Later")

    root.refresh_from_db()
    children = list(root.get_children())
    assert children[-1] == newest and children[0] == thread["reply"]
    assert newest.level == 1
    assert Comment.objects.values("lft", "rght").get(pk=second.pk) == second_before
    assert_valid_trees()


def test_replies_at_many_depths_keep_the_tree_valid(article, reader):
    node = services.comment_create(article=article, author=reader, body="0")
    for depth in range(1, 15):
        node = services.comment_create(article=article, parent=node, author=reader, body=str(depth))
        # A stale parent instance must not matter: the service re-reads it.
        services.comment_create(article=article, parent=node, author=reader, body=f"{depth}b")

    assert node.level == 14
    assert Comment.objects.count() == 29
    assert_valid_trees()


def test_the_author_name_is_taken_from_the_account(article, reader):
    comment = services.comment_create(article=article, author=reader, body="hi")
    assert comment.author_name == "reader"
    assert comment.display_name == "reader"


@pytest.mark.parametrize("body", ["", "   \n\t  ", "x" * 10_001])
def test_empty_or_over_long_text_is_refused_and_nothing_is_stored(article, reader, body):
    with pytest.raises(ValidationError):
        services.comment_create(article=article, author=reader, body=body)
    assert Comment.objects.count() == 0


def test_text_is_stored_trimmed_with_unix_line_endings(article, reader):
    comment = services.comment_create(article=article, author=reader, body="  a\r\nb\r\n\r\nc  ")
    assert comment.body == "a\nb\n\nc"


def test_a_reply_to_a_comment_of_another_article_is_refused(thread, other_article, reader):
    with pytest.raises(ValidationError):
        services.comment_create(
            article=other_article, parent=thread["root"], author=reader, body="x"
        )
    assert Comment.objects.filter(article=other_article).count() == 0
    assert_valid_trees()


def test_posting_to_a_closed_article_is_refused(article, reader):
    article.comments_open = False
    article.save()

    with pytest.raises(services.CommentsClosed):
        services.comment_create(article=article, author=reader, body="x")
    assert Comment.objects.count() == 0


def test_remove_and_restore_change_only_the_status(thread, moderator):
    root = thread["root"]
    assert services.comments_remove(comments=[root], by=moderator, reason="Off-topic") == [root]
    root.refresh_from_db()
    assert root.status == Comment.Status.REMOVED
    assert Comment.objects.count() == 4

    assert services.comments_restore(comments=[root], by=moderator) == [root]
    root.refresh_from_db()
    assert root.status == Comment.Status.PUBLISHED
    assert_valid_trees()


def test_a_removed_comment_takes_no_replies(thread, article, reader, moderator):
    services.comments_remove(comments=[thread["reply"]], by=moderator, reason="Off-topic")

    with pytest.raises(ValidationError):
        services.comment_create(article=article, parent=thread["reply"], author=reader, body="x")
