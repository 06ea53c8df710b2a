"""Reading a thread: each comment nested in the one it answers, with its author, text,
permalink and reply link, its paragraphs kept and everything escaped."""

from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.pages import comment_element, page, rendered_outline
from tests.seed_data import SEED_OUTLINE


def reply_url(comment) -> str:
    return reverse("comments:comment-reply", kwargs={"pk": comment.pk})


def test_the_article_page_nests_the_whole_seed_thread(client, seeded_article):
    response = client.get(seeded_article.get_absolute_url())

    soup = page(response)
    assert response.status_code == 200
    assert rendered_outline(soup) == SEED_OUTLINE
    assert soup.find(id="comments-heading").get_text() == "13 comments"


def test_each_comment_contains_its_replies_author_body_permalink_and_reply_link(
    client, seeded_article
):
    comments = list(Comment.objects.filter(article=seeded_article).order_by("tree_id", "lft"))
    soup = page(client.get(seeded_article.get_absolute_url()))

    sinbad, deepest = comments[3], comments[7]
    sinbad_element = comment_element(soup, sinbad)
    assert comment_element(sinbad_element, deepest) is not None
    element = comment_element(soup, deepest)
    assert element.select_one(".comment-author").get_text() == "RichardD"
    assert (
        element.select_one(".comment-body").get_text() == "Do you have links to prove any of that?"
    )
    assert element.select_one(f'a[href="#comment-{deepest.pk}"] time') is not None
    assert element.find("a", string="Reply")["href"] == reply_url(deepest)


def test_comment_text_keeps_paragraphs_and_line_breaks(client, seeded_article):
    war = Comment.objects.filter(article=seeded_article).order_by("tree_id", "lft")[9]
    body = comment_element(page(client.get(seeded_article.get_absolute_url())), war).select_one(
        ".comment-body"
    )

    paragraphs = body.find_all("p")
    assert len(paragraphs) == 3
    assert len(paragraphs[0].find_all("br")) == 1


def test_names_and_text_are_escaped(client, article, reader):
    services.comment_create(article=article, author=reader, body='<script>alert("x")</script>')
    Comment.objects.update(author_name="<b>bold</b>")
    reader.username = "<i>me</i>"
    reader.save()

    response = client.get(article.get_absolute_url())

    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert" in response.content
    assert b"<i>me</i>" not in response.content
