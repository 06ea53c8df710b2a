"""The Disqus importer on files no one here wrote: the exports Isso and Remark42 test
their own Disqus importers with (fixtures/disqus-peers/README.md)."""

import datetime as dt
from pathlib import Path

import pytest

from articles.models import Article
from comments.importing import ImportFileError
from comments.importing.disqus import import_disqus
from comments.models import Comment
from tests.trees import assert_valid_trees

PEERS = Path(__file__).parent / "fixtures" / "disqus-peers"
ISSO = PEERS / "isso-disqus.xml"
REMARK42 = PEERS / "remark42-disqus.xml"
REPAIRED = PEERS / "remark42-disqus-repaired.xml"
DELETED_THREAD = PEERS / "remark42-disqus-deleted-thread-repaired.xml"
UTC = dt.UTC


def comments_of(slug: str) -> list[tuple[str, str, str | None]]:
    """(author, text, the author of the comment answered) in tree order."""
    return [
        (c.author_name, c.body_html, c.parent.author_name if c.parent else None)
        for c in Comment.objects.filter(article__slug=slug)
        .select_related("parent")
        .order_by("tree_id", "lft")
    ]


def test_issos_export_imports_what_its_threads_hold(db):
    summary = import_disqus(ISSO, name="isso-disqus.xml")

    assert summary.line() == (
        "isso-disqus.xml: 2 articles (2 new), 4 comments (0 held), skipped: 1 deleted, "
        "1 post of an unknown thread, 1 thread without comments; "
        "1 comment with a missing parent made top-level"
    )
    hello = Article.objects.get(slug="some-id")  # its link is the site's root: its id
    assert hello.title == "Hello, World!" and hello.published == dt.date(2012, 12, 12)
    assert comments_of("some-id") == [
        ("peter", "<p>...</p>", None),
        ("user", "<p>Hello, World.</p>", "peter"),
        # It answered a deleted post: a thread of its own.
        ("user", "<p>Hello, World.</p>", None),
    ]
    # Isso's issue 728: a thread with an empty title and id, at …/redacted/index.html.
    untitled = Article.objects.get(slug="redacted")
    assert untitled.title == "Redacted"
    assert comments_of("redacted") == [
        ("Empty", "<p>Message from thread with empty title and id</p>", None)
    ]
    assert not Comment.objects.filter(author_name="where am I?").exists()
    assert_valid_trees()


def test_remark42s_export_as_published_is_refused_at_its_first_fault(db):
    with pytest.raises(ImportFileError) as error:
        import_disqus(REMARK42)

    assert error.value.line == 1  # a stray backtick before the XML declaration
    assert error.value.message.startswith("the XML is malformed")
    assert not Article.objects.exists() and not Comment.objects.exists()


def test_remark42s_radio_t_export_imports_its_russian_closed_and_garbled_parts(db):
    summary = import_disqus(REPAIRED, name="radio-t.xml")

    assert summary.line() == (
        "radio-t.xml: 2 articles (2 new), 4 comments (0 held), skipped: "
        "1 post without an id or a thread, 1 spam; 1 comment without a readable time, "
        "dated as the comment answered or the article"
    )
    # The same title at two addresses (the podcast's page moved): two articles, each
    # named by its page ("…/2011/03/229_8880.html" reads 229_8880).
    old, new = Article.objects.get(slug="229_8880"), Article.objects.get(slug="podcast-229")
    assert old.title == new.title == "Радио-Т: Радио-Т 229"
    assert old.comments_open and not new.comments_open  # <isClosed>true</isClosed>
    assert [author for author, *_ in comments_of("229_8880")] == ["No Username"]
    google = Comment.objects.get(author_name="No Username")
    assert google.body_html.startswith("<p>Google App Engine скоро выходит из превью статуса.")
    assert google.created == dt.datetime(2011, 8, 31, 22, 48, 43, tzinfo=UTC)
    # "2011-x09-30T22:48:43Z": dated as the article, not as the day of the import.
    garbled = Comment.objects.get(author_name="Noname")
    assert garbled.created == dt.datetime(2011, 3, 7, tzinfo=UTC)
    assert not Comment.objects.filter(author_name__in=["Spam Noname", "Blah Noname"]).exists()
    assert_valid_trees()

    again = import_disqus(REPAIRED, name="radio-t.xml")
    assert (again.comments, again.already, again.undated) == (0, 4, 0)


def test_a_deleted_disqus_thread_brings_neither_its_page_nor_its_comments(db):
    summary = import_disqus(DELETED_THREAD, name="deleted.xml")

    assert summary.line() == (
        "deleted.xml: 1 article (1 new), 1 comment (0 held), skipped: "
        "1 post without an id or a thread, 1 spam, 1 deleted thread, "
        "3 posts of deleted threads"
    )
    assert list(Article.objects.values_list("slug", flat=True)) == ["229_8880"]
    assert list(Comment.objects.values_list("author_name", flat=True)) == ["No Username"]
