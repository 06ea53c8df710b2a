from django.urls import reverse

from articles.models import Article
from comments import services
from tests.pages import page

HOME = reverse("articles:article-list")


def make_articles(count: int) -> list[Article]:
    return [
        Article.objects.create(title=f"Story {n}", slug=f"story-{n}", body="Text.")
        for n in range(count)
    ]


def test_the_home_page_lists_articles_newest_first_with_comment_counts(
    client, seeded_article, article, reader, moderator
):
    visible = services.comment_create(article=article, author=reader, body="hi")
    hidden = services.comment_create(article=article, author=reader, body="spam")
    services.comments_remove(comments=[hidden], by=moderator, reason="Off-topic")
    assert visible

    soup = page(client.get(HOME))

    items = soup.select(".article-summary")
    assert [i.find("h2").get_text() for i in items] == [article.title, seeded_article.title]
    assert [i.select_one("a.small").get_text() for i in items] == ["1 comment", "13 comments"]


def test_the_home_page_is_paginated_with_a_rel_next_link(client, db, django_assert_num_queries):
    make_articles(25)

    with django_assert_num_queries(2):
        first = page(client.get(HOME))
    older = first.select_one('a[rel="next"]')["href"]
    second = page(client.get(HOME + older))

    assert len(first.select(".article-summary")) == 20
    assert first.select_one('link[rel="next"]')["href"] == "?page=2"
    assert len(second.select(".article-summary")) == 5
    assert second.select_one('a[rel="next"]') is None


def test_the_article_page_shows_dateline_title_caption_and_body(client, seeded_article):
    soup = page(client.get(seeded_article.get_absolute_url()))

    assert soup.select_one(".dateline").get_text() == "MAY 2021"
    assert soup.find("h1").get_text() == seeded_article.title
    assert soup.select_one(".article-caption").get_text() == "Iraqi F-16, source: @iqAirForce"
    assert len(soup.select(".article-body p")) == 5


def test_an_unknown_article_is_404(client, db):
    response = client.get(reverse("comments:article", kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404
    assert b"Not found" in response.content
