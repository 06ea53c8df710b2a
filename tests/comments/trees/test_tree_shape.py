"""The nested sets: each top-level comment is the root of its own tree, and a reply
becomes its parent's last child, shifting only its own thread, at any depth."""

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
