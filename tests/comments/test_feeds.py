"""Atom feeds: the latest articles, an article's comments, a reader's comments."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import resolve, reverse

from comments import services
from comments.models import Comment
from tests.pages import page

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ET.Element]:
    """The feed's entries, after checking it is Atom with what Atom requires."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.iter(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert element.find(f"{ATOM}{required}").text, required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    found = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author") is None:
        assert all(e.find(f"{ATOM}author/{ATOM}name").text for e in found)
    return found


def text(entry: ET.Element, name: str) -> str:
    return entry.find(f"{ATOM}{name}").text


def link(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}link[@rel='alternate']").get("href")


def article_feed_url(article) -> str:
    return reverse("comments:article-comments-feed", kwargs={"slug": article.slug})


def reader_feed_url(user) -> str:
    return reverse("comments:profile-feed", kwargs={"username": user.username})


def test_the_article_feed_lists_published_comments_newest_first_with_their_html(
    client, article, thread, moderator, settings
):
    services.comments_remove(comments=[thread["second"]], by=moderator, reason="Spam")
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=thread["root"].author, body="Held")
    marked = services.comment_create(
        article=article, author=moderator, body="**Bold** <script>alert(1)</script>"
    )

    found = entries(client.get(article_feed_url(article)))

    ids = [text(e, "id") for e in found]
    expected = [marked, thread["deep"], thread["reply"], thread["root"]]
    assert ids == [f"http://testserver/comments/{c.pk}/" for c in expected]
    assert held.pk not in [int(i.rstrip("/").rsplit("/", 1)[1]) for i in ids]
    content = found[0].find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == marked.body_html
    assert "<script>" not in content.text
    assert "<strong>Bold</strong>" in content.text
    assert text(found[0].find(f"{ATOM}author"), "name") == "moderator"


def test_feed_links_are_absolute_permalinks_that_resolve(client, article, thread):
    found = entries(client.get(article_feed_url(article)))

    for entry, comment in zip(found, [thread["second"], thread["deep"]], strict=False):
        href = link(entry)
        assert href == f"http://testserver{comment.get_absolute_url()}"
        path, _, fragment = href.removeprefix("http://testserver").partition("#")
        assert resolve(path.split("?")[0]).url_name == "article"
        assert fragment == f"comment-{comment.pk}"
        assert text(entry, "published") and text(entry, "updated")


def test_the_reader_feed_lists_only_their_published_comments(
    client, thread, reader, other_reader, moderator
):
    services.comments_remove(comments=[thread["deep"]], by=moderator, reason="Abuse")

    found = entries(client.get(reader_feed_url(reader)))

    assert [text(e, "id") for e in found] == [f"http://testserver/comments/{thread['root'].pk}/"]
    assert text(found[0].find(f"{ATOM}author"), "name") == "reader"
    author_uri = found[0].find(f"{ATOM}author/{ATOM}uri").text
    assert author_uri == "http://testserver/u/reader/"


def test_the_latest_articles_feed_carries_each_article_as_escaped_html(client, article):
    article.body = "Fish & <chips>.\n\nSecond paragraph."
    article.save()

    (entry,) = entries(client.get(reverse("articles:article-feed")))

    assert text(entry, "title") == article.title
    assert link(entry) == f"http://testserver{article.get_absolute_url()}"
    assert entry.find(f"{ATOM}content").text == (
        "<p>Fish &amp; &lt;chips&gt;.</p><p>Second paragraph.</p>"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article/feed/",
        "/u/nobody/feed/",
    ],
)
def test_feeds_of_unknown_articles_and_readers_are_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_an_inactive_readers_feed_is_not_found(client, reader):
    reader.is_active = False
    reader.save()

    assert client.get(reader_feed_url(reader)).status_code == 404


@pytest.mark.parametrize("size", [2, 40])
def test_a_feed_costs_the_same_queries_however_many_comments(
    client, article, reader, other_reader, django_assert_num_queries, size, settings
):
    settings.FORUM_FEED_ITEMS = 50
    comments = [
        Comment(
            article=article,
            author=reader if n % 2 else other_reader,
            author_name="x",
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            created=article.created,
            tree_id=1000 + n,
            lft=1,
            rght=2,
            level=0,
        )
        for n in range(size)
    ]
    Comment.objects.bulk_create(comments)

    # The article, then the entries with their articles, authors and pages.
    with django_assert_num_queries(2):
        assert len(entries(client.get(article_feed_url(article)))) == size
    # The reader, then their entries.
    with django_assert_num_queries(2):
        assert len(entries(client.get(reader_feed_url(reader)))) == size // 2
    with django_assert_num_queries(1):
        entries(client.get(reverse("articles:article-feed")))


def test_the_home_article_and_profile_pages_link_their_feeds(client, article, reader):
    def alternates(url: str) -> list[str]:
        soup = page(client.get(url))
        found = soup.select('head link[rel="alternate"][type="application/atom+xml"]')
        return [a["href"] for a in found]

    assert alternates(reverse("articles:article-list")) == [reverse("articles:article-feed")]
    assert article_feed_url(article) in alternates(article.get_absolute_url())
    assert alternates(reverse("comments:profile", args=[reader.username])) == [
        reader_feed_url(reader)
    ]
    feeds = [reverse("articles:article-feed"), article_feed_url(article), reader_feed_url(reader)]
    for url in feeds:
        assert client.get(url).status_code == 200
