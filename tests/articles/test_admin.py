"""The article admin lists and searches articles."""

from django.urls import reverse

from tests.pages import page


def rows(response):
    return page(response).select("#result_list tbody tr")


def test_the_article_admin_lists_and_searches_articles(moderator_client, seeded_article):
    url = reverse("admin:articles_article_changelist")

    assert len(rows(moderator_client.get(url))) == 1
    assert rows(moderator_client.get(url, {"q": "nothing-like-this"})) == []
    change = reverse("admin:articles_article_change", args=[seeded_article.pk])
    assert moderator_client.get(change).status_code == 200
