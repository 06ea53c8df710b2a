"""How many bytes of HTML a comment costs on a big article's page: the markup is most
of what a reader downloads, so it is pinned (issue 21: at most 550 bytes a comment,
uncompressed, on the 5,000-comment article)."""

import pytest
from django.test import Client

from articles.models import Article
from tests.factories import build_thread

PER_COMMENT = 550


@pytest.fixture
def big_article(db):
    article = Article.objects.create(title="A very long discussion", slug="long", body="Long.")
    build_thread(article, 5000)
    return article


def test_a_comment_costs_at_most_550_bytes_of_html(big_article):
    html = Client().get(big_article.get_absolute_url()).content
    start, end = html.index(b'<ol class="comment-thread'), html.rindex(b"</ol>")
    shown = html.count(b" id=comment-")
    per_comment = (end - start) / shown

    assert per_comment <= PER_COMMENT, f"{per_comment:.0f} bytes a comment over {shown}"
