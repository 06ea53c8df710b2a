"""The article admin lists and searches articles."""

from django.urls import reverse

from articles.models import Article
from tests.pages import page


def rows(response):
    return page(response).select("#result_list tbody tr")


def test_the_article_admin_lists_and_searches_articles(moderator_client, seeded_article):
    url = reverse("admin:articles_article_changelist")

    assert len(rows(moderator_client.get(url))) == 1
    assert rows(moderator_client.get(url, {"q": "nothing-like-this"})) == []
    change = reverse("admin:articles_article_change", args=[seeded_article.pk])
    assert moderator_client.get(change).status_code == 200


def test_saving_an_article_read_earlier_keeps_what_readers_did_since(article):
    """Its counters are the comment and vote services' alone (Article.COUNTERS): an
    editor's save of an object read before readers commented puts none of them back."""
    read_earlier = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(
        comment_count=5, thread_count=3, comments_version=12, votes_version=4
    )

    read_earlier.title = "A new title"
    read_earlier.save()

    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "A new title"
    assert (saved.comment_count, saved.thread_count) == (5, 3)
    assert (saved.comments_version, saved.votes_version) == (12, 4)
