"""Imports obey the rules readers' comments obey: length, names, bounded memory, and a
database error told in one line."""

import tracemalloc
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DataError
from django.urls import reverse

import comments.importing
from articles.models import Article
from comments.importing.disqus import import_disqus
from comments.importing.wordpress import import_wordpress
from comments.models import Comment
from tests.trees import assert_valid_trees, outline

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Valley</title>
"""
WXR_ITEM = """<item><title>{title}</title><guid isPermaLink="false">https://valley.example/?p={post}</guid>
<content:encoded><![CDATA[A post.]]></content:encoded><wp:post_id>{post}</wp:post_id>
<wp:post_date_gmt>2021-05-03 09:00:00</wp:post_date_gmt><wp:post_name>post-{post}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
{comments}</item>
"""
WXR_COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_date_gmt>2021-05-03 10:0{id}:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent>
</wp:comment>
"""
WXR_TAIL = "</channel></rss>\n"

DISQUS_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="5001"><id>valley-news</id><link>https://old.example/valley-news/</link>
<title>Valley news</title><createdAt>2024-06-01T08:00:00Z</createdAt></thread>
"""
DISQUS_POST = """<post dsq:id="{id}"><message><![CDATA[{content}]]></message>
<createdAt>2024-06-01T09:0{id}:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
<author><name>{author}</name><email>reader{id}@example.com</email></author>
<thread dsq:id="5001" />{parent}</post>
"""
DISQUS_TAIL = "</disqus>\n"


def wxr_comment(id: int, content: str, *, author: str = "", parent: int = 0) -> str:
    author = author or f"Reader {id}"
    return WXR_COMMENT.format(id=id, author=author, content=content, parent=parent)


def wxr(*comments: str, post: int = 10, title: str = "The bridge") -> str:
    return WXR_HEAD + wxr_item(*comments, post=post, title=title) + WXR_TAIL


def wxr_item(*comments: str, post: int = 10, title: str = "The bridge") -> str:
    return WXR_ITEM.format(post=post, title=title, comments="".join(comments))


def disqus_post(id: int, content: str, *, author: str = "", parent: int = 0) -> str:
    return DISQUS_POST.format(
        id=id,
        content=content,
        author=author or f"Reader {id}",
        parent=f'<parent dsq:id="{parent}" />' if parent else "",
    )


def disqus(*posts: str) -> str:
    return DISQUS_HEAD + "".join(posts) + DISQUS_TAIL


def write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def thread(slug: str = "post-10"):
    return outline(Article.objects.get(slug=slug))


# Length: the rule readers' comments obey.


@pytest.fixture
def limit(settings) -> int:
    settings.FORUM_COMMENT_MAX_LENGTH = 100
    return 100


def test_a_wordpress_comment_longer_than_the_limit_is_skipped_and_its_reply_kept(
    db, tmp_path, limit
):
    export = wxr(
        wxr_comment(1, "x" * (limit + 1), author="Long Lars"),
        wxr_comment(2, "A short reply.", author="Rita", parent=1),
        wxr_comment(3, "y" * limit, author="Exact Eva"),
    )

    summary = import_wordpress(write(tmp_path, export), name="export.xml")

    assert summary.line() == (
        "export.xml: 1 article (1 new), 2 comments (0 held), skipped: 1 comment too long; "
        "1 comment with a missing parent made top-level"
    )
    assert thread() == [(0, "Rita"), (0, "Exact Eva")]
    assert_valid_trees()


def test_a_disqus_post_longer_than_the_limit_is_skipped_and_its_reply_kept(db, tmp_path, limit):
    export = disqus(
        disqus_post(1, "<p>" + "x" * (limit + 1) + "</p>", author="Long Lars"),
        disqus_post(2, "A short reply.", author="Rita", parent=1),
    )

    summary = import_disqus(write(tmp_path, export), name="disqus.xml")

    assert summary.line() == (
        "disqus.xml: 1 article (1 new), 1 comment (0 held), skipped: 1 comment too long; "
        "1 comment with a missing parent made top-level"
    )
    assert thread("valley-news") == [(0, "Rita")]


def test_the_limit_counts_the_text_as_it_reads_not_its_markup(db, tmp_path, limit):
    words = "<b>word</b> " * (limit // 5)  # 100 characters of text in 240 of markup
    links = '<a href="https://valley.example/">more</a> ' * (limit // 25)  # links show their URL

    summary = import_wordpress(
        write(tmp_path, wxr(wxr_comment(1, words.strip()), wxr_comment(2, links.strip())))
    )

    assert (summary.comments, summary.skipped["comment too long"]) == (1, 1)
    (kept,) = Comment.objects.all()
    assert len(kept.body) == limit - 1 and "<b>" not in kept.body


def test_a_source_far_longer_than_any_comment_that_could_pass_is_skipped_unread(
    db, tmp_path, limit
):
    markup = "<span>a</span>" * limit  # 100 characters of text in 14 times as much markup

    summary = import_wordpress(write(tmp_path, wxr(wxr_comment(1, markup))))

    assert summary.skipped["comment too long"] == 1
    assert not Comment.objects.exists()


def test_comments_too_long_are_counted_in_the_plural(db, tmp_path, limit):
    export = wxr(wxr_comment(1, "x" * (limit + 1)), wxr_comment(2, "y" * (limit * 50)))

    summary = import_wordpress(write(tmp_path, export), name="export.xml")

    assert summary.line().endswith(", skipped: 2 comments too long")


# Memory: a comment's text stops being read once it is past what any comment could be.

HUGE = 4 * 2**20  # characters: far above the limit's 10,000, small enough for the suite


def wxr_pair(text: str, first: int) -> str:
    return wxr(wxr_comment(first, text), wxr_comment(first + 1, "A reply.", parent=first))


def disqus_pair(text: str, first: int) -> str:
    return disqus(disqus_post(first, text), disqus_post(first + 1, "A reply.", parent=first))


@pytest.mark.parametrize(
    ("importer", "export"),
    [(import_wordpress, wxr_pair), (import_disqus, disqus_pair)],
    ids=["wordpress", "disqus"],
)
def test_a_huge_comment_is_skipped_without_holding_it_in_memory(db, tmp_path, importer, export):
    # A small import first, so that what is loaded once (the URL configuration) is not counted.
    importer(write(tmp_path, export("A small comment.", first=1), name="small.xml"))
    path = write(tmp_path, export("word " * (HUGE // 5), first=3))

    tracemalloc.start()
    try:
        summary = importer(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert summary.skipped["comment too long"] == 1
    assert (summary.comments, summary.top_level) == (1, 1)
    assert peak < HUGE / 4  # bytes: the comment alone is 4 MB (it was read whole: 30 MB)


# A database error: one line, nothing half-written.


def test_a_database_error_ends_the_file_in_one_line_and_leaves_no_half_written_article(
    db, tmp_path, capsys
):
    twice = wxr_comment(1, "Once.") + wxr_comment(1, "Twice, with the same id.")
    export = write(
        tmp_path,
        WXR_HEAD
        + wxr_item(wxr_comment(1, "Fine."), post=10, title="First post")
        + wxr_item(twice, post=20, title="Second post")
        + wxr_item(wxr_comment(3, "Not imported."), post=30, title="Third post")
        + WXR_TAIL,
    )

    with pytest.raises(CommandError) as error:
        call_command("import_wordpress", str(export))

    assert error.value.returncode == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"{export}: database error: ")
    assert "UNIQUE" in line.upper() and "Traceback" not in err
    assert line.endswith(
        '; nothing imported from the article "Second post" onwards '
        "(the article before it was imported)"
    )
    assert list(Article.objects.values_list("title", flat=True)) == ["First post"]
    assert list(Comment.objects.values_list("body", flat=True)) == ["Fine."]


def test_a_database_error_on_the_first_article_imports_nothing(db, tmp_path, capsys, monkeypatch):
    def refuse(**kwargs):
        raise DataError("value too long for type character varying(100)\nDETAIL: the value")

    monkeypatch.setattr(comments.importing, "comments_import", refuse)
    export = write(tmp_path, disqus(disqus_post(1, "Hello.")), name="disqus.xml")

    with pytest.raises(CommandError) as error:
        call_command("import_disqus", str(export))

    assert error.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{export}: database error: value too long for type character varying(100); "
        "nothing imported"
    ]
    assert not Article.objects.exists() and not Comment.objects.exists()


# Names: the rules guests' names obey, shown as imported.


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Ali\u202ece", "Alice"),  # a right-to-left override
        ("\u2066Bob\u2069 \u2067Brown\u2068", "Bob Brown"),  # isolates
        ("Zero\u200bWidth\ufeff", "ZeroWidth"),
        ("Line\u2028Para\u2029Sep", "Line Para Sep"),
        ("Csi\x9b31mRed\x85Next", "Csi31mRed Next"),  # C1 controls (XML allows them)
        ("Private\ue000Use \u0378Unassigned", "PrivateUse Unassigned"),
        ("  Spaced \t  out  ", "Spaced out"),
        ("\u202e\u200b\u2066", "Anonymous"),
        ("\u3164", "Anonymous"),  # a Hangul filler: a letter that shows nothing
        ("N" * 250, "N" * 200),
        ("N" * 199 + " \u202eO", "N" * 199),
    ],
)
def test_imported_names_lose_control_and_invisible_characters(db, tmp_path, written, shown):
    import_wordpress(write(tmp_path, wxr(wxr_comment(1, "Hello.", author=written))))

    assert Comment.objects.get().author_name == shown


def test_disqus_names_obey_the_same_rules(db, tmp_path):
    import_disqus(write(tmp_path, disqus(disqus_post(1, "Hello.", author="Ev\u202eil\u2069e"))))

    assert Comment.objects.get().author_name == "Evile"


def test_an_imported_name_is_never_linked_to_the_account_of_that_name(db, tmp_path, client):
    get_user_model().objects.create_user("alice", password="a-long-passphrase-4")

    import_wordpress(write(tmp_path, wxr(wxr_comment(1, "Hello, old friends.", author="alice"))))

    comment = Comment.objects.get()
    assert comment.author is None and comment.is_guest
    page = client.get(comment.article.get_absolute_url()).content.decode()
    author = BeautifulSoup(page, "html.parser").select_one(f"#comment-{comment.pk} .comment-author")
    assert (author.name, author.get_text()) == ("span", "alice")
    assert reverse("comments:profile", kwargs={"username": "alice"}) not in page
