import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.slugs import article_renamed
from comments.importing import ImportFileError
from comments.importing.disqus import import_disqus
from comments.importing.wordpress import import_wordpress
from comments.models import Comment
from tests.trees import assert_valid_trees, outline

FIXTURES = Path(__file__).parent / "fixtures"
WXR = FIXTURES / "wordpress.xml"
DISQUS = FIXTURES / "disqus.xml"
UTC = dt.UTC


def rows(article):
    return list(Comment.objects.filter(article=article).order_by("tree_id", "lft"))


def write(tmp_path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# WordPress.


def test_a_wordpress_export_imports_published_posts_and_counts_what_it_skips(db):
    summary = import_wordpress(WXR, name="wordpress.xml")

    assert summary.line() == (
        "wordpress.xml: 2 articles (2 new), 6 comments (1 held), skipped: 1 spam, 1 trash, "
        "1 pingback, 1 trackback, 1 page, 1 attachment, 1 unpublished post; "
        "1 comment with a missing parent made top-level"
    )
    bridge = Article.objects.get(slug="bridge-reopens")
    assert bridge.title == "The bridge at Zürich reopens"
    assert bridge.published == dt.date(2021, 5, 3)
    assert bridge.paragraphs == [
        "The bridge is open again.\nIt took two years.",
        "Traffic will resume on Monday & Tuesday.",
    ]
    assert not Article.objects.filter(slug__in=["about", "bridge-jpg"]).exists()
    assert Article.objects.count() == 2


def test_wordpress_comments_listed_out_of_order_become_their_tree(db):
    import_wordpress(WXR)

    bridge = Article.objects.get(slug="bridge-reopens")
    assert outline(bridge) == [
        (0, "Zoë Ångström"),
        (1, "Björn"),
        (2, "李雷"),
        (1, "Waiting Walter"),
        (0, "Orphan Olga"),
    ]
    assert_valid_trees()
    assert (bridge.comment_count, bridge.thread_count) == (4, 2)


def test_wordpress_comments_keep_times_statuses_and_guest_addresses_never_shown(db, client):
    import_wordpress(WXR)

    zoe, bjorn, li, walter, olga = rows(Article.objects.get(slug="bridge-reopens"))
    assert zoe.created == dt.datetime(2021, 5, 3, 10, 5, 9, tzinfo=UTC)
    assert li.created == dt.datetime(2021, 5, 3, 12, 30, tzinfo=UTC)
    assert [c.status for c in (zoe, bjorn, li, walter, olga)] == [
        "published",
        "published",
        "published",
        "pending",
        "published",
    ]
    assert zoe.is_guest and zoe.author is None
    assert (zoe.author_email, zoe.author_ip) == ("zoe@example.com", "198.51.100.4")
    assert olga.author_email == ""  # "not an address" is not kept
    assert not zoe.imported  # it has a time of its own, shown as such
    page = client.get(zoe.article.get_absolute_url()).content.decode()
    assert "Zoë Ångström" in page and "李雷" in page
    assert "zoe@example.com" not in page and "Held for moderation" not in page


def test_wordpress_comment_html_is_cleaned_by_the_forum_policy(db):
    import_wordpress(WXR)

    zoe = rows(Article.objects.get(slug="bridge-reopens"))[0]
    assert zoe.body_html == (
        "<p>Finally! Good news.</p>\n\n"
        '<p>See <a href="https://valley.example/bridge" rel="nofollow ugc noopener">the plans</a>'
        '<br>\nand <a rel="nofollow ugc noopener">this</a>.</p>'
    )
    assert (
        zoe.body
        == "Finally! Good news.\n\nSee the plans (https://valley.example/bridge)\nand this."
    )
    for comment in Comment.objects.all():
        for bad in ("<script", "onclick", "onmouseover", "onerror", "javascript:", "<b>", "<img"):
            assert bad not in comment.body_html


def test_importing_a_wordpress_export_again_changes_nothing(db):
    import_wordpress(WXR)
    before = [(c.pk, c.tree_id, c.lft, c.rght) for c in Comment.objects.order_by("pk")]

    summary = import_wordpress(WXR, name="wordpress.xml")

    assert summary.line().startswith("wordpress.xml: 2 articles (0 new), 0 comments (0 held)")
    assert "6 already imported" in summary.line()
    assert [(c.pk, c.tree_id, c.lft, c.rght) for c in Comment.objects.order_by("pk")] == before
    assert Article.objects.count() == 2


def test_a_newer_wordpress_export_adds_only_the_new_comments_in_their_place(db, tmp_path):
    import_wordpress(WXR)
    newer = WXR.read_text(encoding="utf-8").replace(
        "\t</item>\n\t<item>\n\t\t<title>About us</title>",
        """\t\t<wp:comment>
\t\t\t<wp:comment_id>110</wp:comment_id>
\t\t\t<wp:comment_author><![CDATA[Late Lena]]></wp:comment_author>
\t\t\t<wp:comment_date_gmt><![CDATA[2021-06-01 10:00:00]]></wp:comment_date_gmt>
\t\t\t<wp:comment_content><![CDATA[A late reply to Björn.]]></wp:comment_content>
\t\t\t<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
\t\t\t<wp:comment_parent>102</wp:comment_parent>
\t\t</wp:comment>
\t\t<wp:comment>
\t\t\t<wp:comment_id>111</wp:comment_id>
\t\t\t<wp:comment_author><![CDATA[New Nils]]></wp:comment_author>
\t\t\t<wp:comment_date_gmt><![CDATA[2021-06-02 10:00:00]]></wp:comment_date_gmt>
\t\t\t<wp:comment_content><![CDATA[A new thread.]]></wp:comment_content>
\t\t\t<wp:comment_approved><![CDATA[0]]></wp:comment_approved>
\t\t\t<wp:comment_parent>0</wp:comment_parent>
\t\t</wp:comment>
\t</item>
\t<item>
\t\t<title>About us</title>""",
    )
    assert newer.count("Late Lena") == 1

    summary = import_wordpress(write(tmp_path, newer), name="newer.xml")

    assert summary.line().startswith("newer.xml: 2 articles (0 new), 2 comments (1 held)")
    bridge = Article.objects.get(slug="bridge-reopens")
    assert outline(bridge) == [
        (0, "Zoë Ångström"),
        (1, "Björn"),
        (2, "李雷"),
        (2, "Late Lena"),
        (1, "Waiting Walter"),
        (0, "Orphan Olga"),
        (0, "New Nils"),
    ]
    assert_valid_trees()
    bridge.refresh_from_db()
    assert (bridge.comment_count, bridge.thread_count) == (5, 3)


def test_wxr_1_1_namespaces_are_read_too(db, tmp_path):
    older = WXR.read_text(encoding="utf-8").replace("export/1.2/", "export/1.1/")

    summary = import_wordpress(write(tmp_path, older))

    assert summary.comments == 6


def test_a_cycle_of_parents_is_broken_into_a_top_level_comment(db, tmp_path):
    cyclic = WXR.read_text(encoding="utf-8").replace(
        "<wp:comment_parent>0</wp:comment_parent>\n\t\t\t<wp:comment_user_id>0</wp:comment_user_id>",
        "<wp:comment_parent>103</wp:comment_parent>",
        1,
    )
    assert cyclic != WXR.read_text(encoding="utf-8")

    summary = import_wordpress(write(tmp_path, cyclic))

    assert summary.top_level == 2 and summary.comments == 6
    assert_valid_trees()


# Disqus.


def test_disqus_threads_join_articles_by_link_or_identifier_or_become_new_ones(
    article, other_article
):
    summary = import_disqus(DISQUS, name="disqus.xml")

    assert summary.line() == (
        "disqus.xml: 3 articles (1 new), 6 comments (0 held), skipped: 1 deleted, 1 spam, "
        "1 thread without comments; 1 comment with a missing parent made top-level"
    )
    assert outline(article) == [
        (0, "Ana"),
        (1, "Ĳsbrand"),
        (2, "Søren Ødegård"),
        (0, "Orphan"),
    ]
    assert outline(other_article) == [(0, "Anonymous")]
    harvest = Article.objects.get(slug="harvest-festival")
    assert harvest.title == "Harvest festival — København edition"
    assert harvest.published == dt.date(2020, 9, 20)
    assert outline(harvest) == [(0, "小明")]
    assert not Article.objects.filter(slug="nobody-came").exists()
    assert_valid_trees()


def test_disqus_posts_keep_times_and_addresses_and_lose_scripts(article, other_article):
    import_disqus(DISQUS)

    ana, ijsbrand, soren, _ = rows(article)
    assert ana.created == dt.datetime(2024, 6, 1, 9, 30, tzinfo=UTC)
    assert (ana.author_email, ana.author_ip, ana.author_id) == (
        "ana@example.com",
        "198.51.100.1",
        None,
    )
    assert ana.body_html == (
        '<p>First! </p><p>Second <a href="http://evil.example" rel="nofollow ugc noopener">'
        "paragraph</a>.</p>"
    )
    assert ijsbrand.body == "Escaped, not CDATA & fine."
    assert soren.author_email == "soren@example.dk"


def test_importing_a_disqus_export_again_changes_nothing(article, other_article):
    import_disqus(DISQUS)
    count = Comment.objects.count()

    summary = import_disqus(DISQUS)

    assert (summary.articles, summary.new_articles, summary.comments) == (3, 0, 0)
    assert Comment.objects.count() == count
    assert Article.objects.count() == 3


def test_a_disqus_thread_finds_an_article_under_its_former_slug(article):
    article.slug = "a-calm-week"
    article.save()
    article_renamed(article=article, old_slug="a-quiet-week")

    import_disqus(DISQUS)

    assert outline(article)[0] == (0, "Ana")


# Broken and hostile files.

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol3;</title>
</item></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<disqus xmlns="http://disqus.com"><thread><title>&secret;</title></thread></disqus>
"""


@pytest.mark.parametrize(
    ("importer", "text"),
    [(import_wordpress, BILLION_LAUGHS), (import_disqus, EXTERNAL_ENTITY)],
    ids=["billion-laughs", "external-entity"],
)
def test_files_that_declare_entities_are_refused_unread(db, tmp_path, importer, text):
    with pytest.raises(ImportFileError) as error:
        importer(write(tmp_path, text))

    assert error.value.line is None
    assert "refused: the file declares entities" in error.value.message
    assert not Article.objects.exists()


def test_a_truncated_export_imports_nothing_and_names_its_line(db, tmp_path):
    text = WXR.read_text(encoding="utf-8")
    cut = text[: text.index("<title>Market day</title>")]

    with pytest.raises(ImportFileError) as error:
        import_wordpress(write(tmp_path, cut))

    assert error.value.line == cut.count("\n") + 1
    assert error.value.message.startswith("the XML is malformed")
    assert not Article.objects.exists() and not Comment.objects.exists()


def test_a_file_of_another_kind_is_refused(db):
    with pytest.raises(ImportFileError) as error:
        import_wordpress(DISQUS)

    assert error.value.message.endswith("the root element is <{http://disqus.com}disqus>")


def test_the_commands_print_one_line_per_file_and_fail_cleanly(db, tmp_path, capsys):
    call_command("import_wordpress", str(WXR))
    call_command("import_disqus", str(DISQUS))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{WXR}: 2 articles (2 new), 6 comments (1 held)")
    assert out[1].startswith(f"{DISQUS}: 3 articles (3 new)")

    broken = write(tmp_path, "<rss><channel><item>\n<title>Oops</channel></rss>")
    bomb = write(tmp_path, BILLION_LAUGHS, name="bomb.xml")
    with pytest.raises(CommandError) as error:
        call_command("import_wordpress", str(broken), str(bomb))

    assert error.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{broken}:2: the XML is malformed: mismatched tag; nothing imported",
        f"{bomb}: refused: the file declares entities (XML bombs and external entities are "
        "not read); nothing imported",
    ]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(db, tmp_path, capsys):
    big = write(tmp_path, "<rss>" + " " * (2 * 2**20) + "</rss>", name="big.xml")
    with pytest.raises(CommandError) as error:
        call_command("import_wordpress", str(big), "--max-size", "1")

    assert error.value.returncode == 1
    assert capsys.readouterr().err.strip() == (
        f"{big}: 2 MB is over the 1 MB limit (--max-size to raise it); nothing imported"
    )
    assert not Article.objects.exists()
