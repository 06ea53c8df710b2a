"""Comment text: the Markdown subset rendered to safe HTML, hostile input made inert,
imported text kept as written, and the plain excerpts of earlier comments."""

from importlib import import_module

import pytest
from bs4 import BeautifulSoup
from django.apps import apps

from comments import services
from comments.models import Comment
from comments.text import render_comment_body, render_markdown
from tests.pages import comment_element, page


def test_markdown_subset_renders_emphasis_links_code_quotes_and_lists():
    html = render_markdown(
        "*em* **strong** `code` [site](https://example.com)\nnext line\n\n"
        "> quoted\n\n- one\n- two\n\n1. first\n\n```\nblock <b>\n```"
    )
    soup = BeautifulSoup(html, "html.parser")

    assert soup.find("em").get_text() == "em"
    assert soup.find("strong").get_text() == "strong"
    assert soup.find("code").get_text() == "code"
    link = soup.find("a")
    assert link["href"] == "https://example.com"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert soup.find("br") is not None
    assert soup.find("blockquote").get_text().strip() == "quoted"
    assert [li.get_text() for li in soup.find("ul").find_all("li")] == ["one", "two"]
    assert soup.find("ol") is not None
    assert soup.find("pre").get_text() == "block <b>\n"


def test_headings_images_and_rules_are_not_part_of_the_subset():
    html = render_markdown("# Big\n\n![x](https://example.com/a.png)\n\n---")
    assert "<h1" not in html and "<img" not in html and "<hr" not in html


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">click</p>',
    '<a href="javascript:alert(1)">html link</a>',
    "[markdown link](javascript:alert(1))",
    "[spaced](  javascript:alert(1) )",
    "[entity](jav&#x61;script:alert(1))",
    "<svg onload=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<style>body{display:none}</style>",
    "<object data='x.swf'></object>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rendered_inert(text):
    soup = BeautifulSoup(render_markdown(text), "html.parser")

    assert not soup.find_all(["script", "style", "iframe", "svg", "object", "img"])
    for element in soup.find_all(True):
        assert not [a for a in element.attrs if a.startswith("on")]
        href = element.get("href", "")
        assert not href.lower().replace(" ", "").startswith(("javascript:", "data:"))


def test_hostile_comment_is_stored_and_served_inert(client, article, reader):
    comment = services.comment_create(
        article=article, author=reader, body='<script>alert("x")</script> <svg onload=alert(1)>'
    )

    soup = page(client.get(article.get_absolute_url()))

    body = comment_element(soup, comment).select_one(".comment-body")
    assert body.find(["script", "svg"]) is None
    assert '<script>alert("x")</script>' in body.get_text()


def test_imported_comments_keep_paragraphs_and_line_breaks_without_markdown():
    html = render_comment_body("*not emphasis*\n1. not a list\n\nsecond <b>para</b>", imported=True)
    assert html == (
        "<p>*not emphasis*<br>1. not a list</p>\n\n<p>second &lt;b&gt;para&lt;/b&gt;</p>"
    )


def test_seed_comments_render_with_their_paragraphs(client, seeded_article):
    soup = page(client.get(seeded_article.get_absolute_url()))
    bodies = soup.select(".comment-body")
    assert max(len(b.find_all("p")) for b in bodies) == 3
    assert sum(len(b.find_all("br")) for b in bodies) == 6  # 1 + 2 + 3 in three comments


def test_the_data_migration_renders_bodies_saved_before_rendering_existed(seeded_article):
    Comment.objects.update(body_html="")
    migration = import_module("comments.migrations.0003_render_existing_bodies")
    migration.render_existing(apps, None)

    assert not Comment.objects.exclude(body="").filter(body_html="").exists()
    empty = Comment.objects.get(body="")
    assert empty.body_html == ""


def test_earlier_in_this_thread_is_escaped_once(client, article, reader, other_reader):
    root = services.comment_create(article=article, author=reader, body="Tom & Jerry <3")
    reply = services.comment_create(article=article, parent=root, author=other_reader, body="Yes")

    soup = page(client.get(reply.get_page_url()))

    assert soup.select_one(".context-excerpt").get_text() == "Tom & Jerry <3"


def test_earlier_in_this_thread_keeps_paragraphs_apart(client, article, reader, other_reader):
    root = services.comment_create(article=article, author=reader, body="First.\n\nSecond.\nThird.")
    reply = services.comment_create(article=article, parent=root, author=other_reader, body="Yes")

    soup = page(client.get(reply.get_page_url()))

    assert soup.select_one(".context-excerpt").get_text() == "First. Second. Third."
