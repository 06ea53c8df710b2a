import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from comments import services
from comments.models import Comment
from comments.trees.integrity import check_trees, repair_trees
from tests.factories import build_thread
from tests.trees import assert_valid_trees, outline


@pytest.fixture
def big(article):
    build_thread(article, 60)
    return article


def test_valid_trees_have_no_problems(big, thread):
    assert check_trees() == []


def test_two_threads_sharing_a_tree_id_are_found_and_split(thread, article):
    before = outline(article)
    Comment.objects.filter(pk=thread["second"].pk).update(tree_id=thread["root"].tree_id)

    problems = check_trees()

    assert any("2 roots" in str(p) for p in problems)
    repair_trees(problems)
    assert check_trees() == []
    assert_valid_trees()
    assert outline(article) == before


def test_shifted_edges_and_wrong_levels_are_rebuilt_keeping_sibling_order(big):
    before = outline(big)
    tree_id = Comment.objects.filter(article=big, level=2).values_list("tree_id", flat=True)[0]
    Comment.objects.filter(tree_id=tree_id, level__gt=0).update(lft=1000, rght=1001, level=7)

    problems = check_trees()
    assert {p.tree_id for p in problems} == {tree_id}
    assert any("not exactly" in p.message for p in problems)

    repair_trees(problems)

    assert_valid_trees()
    assert outline(big) == before


def test_a_tree_spanning_two_articles_is_split_by_article(thread, other_article):
    Comment.objects.filter(pk=thread["deep"].pk).update(article=other_article)

    problems = check_trees()
    assert any("spans articles" in p.message for p in problems)

    repair_trees(problems)

    assert_valid_trees()
    deep = Comment.objects.get(pk=thread["deep"].pk)
    assert deep.parent_id is None and deep.level == 0


def test_new_threads_in_two_articles_with_one_tree_id_are_separated(article, other_article, reader):
    first = services.comment_create(article=article, author=reader, body="a")
    second = services.comment_create(article=other_article, author=reader, body="b")
    Comment.objects.filter(pk=second.pk).update(tree_id=first.tree_id)

    repair_trees(check_trees())

    assert_valid_trees()
    assert Comment.objects.get(pk=first.pk).tree_id != Comment.objects.get(pk=second.pk).tree_id


def test_the_command_reports_exits_non_zero_and_repairs(thread, capsys):
    Comment.objects.filter(pk=thread["reply"].pk).update(level=5)

    with pytest.raises(CommandError) as failed:
        call_command("check_comment_trees")
    assert failed.value.returncode == 1
    assert f"comment {thread['reply'].pk} has level 5" in capsys.readouterr().out

    call_command("check_comment_trees", "--repair")
    assert "all trees are valid now" in capsys.readouterr().out
    call_command("check_comment_trees")
    assert "All comment trees are valid." in capsys.readouterr().out


def test_a_repair_bumps_the_articles_thread_version(thread, article):
    Comment.objects.filter(pk=thread["reply"].pk).update(level=5)
    version = Article.objects.get(pk=article.pk).comments_version

    repair_trees(check_trees())

    assert Article.objects.get(pk=article.pk).comments_version == version + 1
