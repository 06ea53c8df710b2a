"""Renaming an article in the admin: its thread never links to the old slug, and
every old link redirects to the new one."""

from django.urls import reverse

from articles.models import Article
from comments import services
from tests.pages import comment_element, page


def rename(client, article: Article, new_slug: str):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title": article.title,
        "slug": new_slug,
        "dateline": article.dateline,
        "published": article.published.isoformat() if article.published else "",
        "caption": article.caption,
        "body": article.body,
        "comments_open": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, page(response).get_text()[:2000]


def test_a_renamed_articles_thread_links_to_the_new_slug_at_once(
    client, moderator, article, reader
):
    comment = services.comment_create(article=article, author=reader, body="Hello")
    client.get(article.get_absolute_url())  # the thread is cached under the old slug
    client.force_login(moderator)
    rename(client, article, "a-louder-week")
    client.logout()

    soup = page(client.get(reverse("comments:article", args=["a-louder-week"])))

    reply = comment_element(soup, comment).find("a", string="Reply")["href"]
    assert reply == reverse("comments:comment-reply", args=[comment.pk])


def test_old_links_redirect_permanently_to_the_new_slug(client, moderator, article, reader):
    comment = services.comment_create(article=article, author=reader, body="Hello")
    old_page = article.get_absolute_url()
    # A comment's page as earlier releases linked it, under the article's old slug.
    old_comment = f"{old_page}comments/{comment.pk}/"
    client.force_login(moderator)
    rename(client, article, "a-louder-week")

    moved = client.get(old_page + "?sort=newest")
    moved_comment = client.get(old_comment)

    assert moved.status_code == 301
    assert moved["Location"] == reverse("comments:article", args=["a-louder-week"]) + (
        "?sort=newest"
    )
    assert moved_comment.status_code == 301
    assert moved_comment["Location"] == reverse("comments:comment-detail", args=[comment.pk])


def test_a_reply_posted_to_an_old_route_is_sent_on_not_lost(client, moderator, article, reader):
    comment = services.comment_create(article=article, author=reader, body="Hello")
    old_reply = f"{article.get_absolute_url()}comments/{comment.pk}/reply/"
    client.force_login(moderator)
    rename(client, article, "a-louder-week")

    response = client.post(old_reply, {"body": "Typed before the rename"})

    assert response.status_code == 308  # the browser posts the same text again there
    assert response["Location"] == reverse("comments:comment-reply", args=[comment.pk])


def test_unknown_slugs_are_still_404(client, db):
    assert client.get(reverse("comments:article", args=["never-was"])).status_code == 404
