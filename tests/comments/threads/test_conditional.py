"""Nothing twice (comments.threads.conditional): an article page carries a strong ETag,
and a reader who sends it back gets 304 Not Modified without the page being
assembled, but never across a change, and never another reader's page."""

import gzip

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.session import SessionStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Comment
from comments.threads import pages
from tests.factories import establish

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


@pytest.fixture
def discussion(article, other_reader):
    first = services.comment_create(article=article, author=other_reader, body="First.")
    services.comment_create(article=article, parent=first, author=other_reader, body="Reply.")
    services.comment_create(article=article, author=other_reader, body="Second.")
    return first


def revalidate(browser, url: str, tag: str, **extra):
    return browser.get(url, HTTP_IF_NONE_MATCH=tag, **{**GZIP, **extra})


def test_a_reader_who_has_the_page_gets_304_without_it_being_assembled(
    article, discussion, monkeypatch
):
    browser = Client()
    url = article.get_absolute_url()
    first = browser.get(url, **GZIP)
    tag = first["ETag"]
    assert tag.startswith('"') and tag.endswith('-gzip"') and not tag.startswith("W/")
    assert "no-cache" in first["Cache-Control"]

    def assembled(*args, **kwargs):
        raise AssertionError("the page was assembled")

    monkeypatch.setattr(pages, "article_thread", assembled)
    with CaptureQueriesContext(connection) as queries:
        again = revalidate(browser, url, tag)

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag
    assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in again["Vary"].split(",")}
    assert "Content-Security-Policy" not in again  # the kept page keeps its own
    assert len(queries) == 1  # the article


def test_the_tag_names_the_coding(article, discussion):
    browser = Client()
    url = article.get_absolute_url()
    plain, as_gzip, as_zstd = (
        browser.get(url, HTTP_ACCEPT_ENCODING=coding) for coding in ("", "gzip", "zstd")
    )

    assert as_gzip["ETag"] == plain["ETag"][:-1] + '-gzip"'
    assert as_zstd["ETag"] == plain["ETag"][:-1] + '-zstd"'
    # The gzip copy's tag does not validate the plain page, nor the other way round.
    assert revalidate(browser, url, as_gzip["ETag"], HTTP_ACCEPT_ENCODING="").status_code == 200
    assert revalidate(browser, url, plain["ETag"]).status_code == 200


CHANGES = {
    "a new comment": lambda c, reader: services.comment_create(
        article=c.article, author=reader, body="New."
    ),
    "an edit": lambda c, reader: services.comment_edit(comment=c, by=c.author, body="Edited."),
    "a removal": lambda c, reader: services.comments_remove(
        comments=[c], by=establish(reader), reason="No."
    ),
    "a vote": lambda c, reader: services.comment_vote(comment=c, voter=establish(reader), value=1),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_no_304_across_a_change(article, discussion, reader, moderator, change):
    browser = Client()
    url = article.get_absolute_url()
    tag = browser.get(url, **GZIP)["ETag"]

    if change == "a removal":
        services.comments_remove(comments=[discussion], by=moderator, reason="No.")
    else:
        CHANGES[change](discussion, reader)

    response = revalidate(browser, url, tag)
    assert response.status_code == 200
    assert response["ETag"] != tag


@pytest.mark.parametrize("query", ["?sort=oldest", "?sort=top", "?page=1&sort=newest"])
def test_no_304_for_another_sort_or_page(article, discussion, query):
    browser = Client()
    url = article.get_absolute_url()
    tag = browser.get(url, **GZIP)["ETag"]

    assert revalidate(browser, url + query, tag).status_code == 200


def test_no_reader_gets_another_readers_page_through_a_tag(
    article, discussion, reader, other_reader
):
    url = article.get_absolute_url()
    alice, bob, anonymous = Client(), Client(), Client()
    alice.force_login(reader)
    bob.force_login(other_reader)
    tag = alice.get(url, **GZIP)["ETag"]

    assert revalidate(alice, url, tag).status_code == 304
    for browser in (bob, anonymous):
        response = revalidate(browser, url, tag)
        assert response.status_code == 200
        assert response.get("ETag") != tag


def test_a_page_of_the_readers_own_is_not_tagged(article, discussion, reader):
    browser = Client()
    browser.force_login(reader)
    services.comment_create(article=article, author=reader, body="Mine, with its edit link.")

    assert not browser.get(article.get_absolute_url(), **GZIP).has_header("ETag")


def test_the_bell_is_in_the_tag(article, discussion, reader, other_reader):
    establish(reader)  # a comment of theirs in another discussion
    browser = Client()
    browser.force_login(reader)
    url = article.get_absolute_url()
    tag = browser.get(url, **GZIP)["ETag"]
    assert revalidate(browser, url, tag).status_code == 304

    theirs = Comment.objects.get(author=reader)
    services.comment_create(
        article=theirs.article, parent=theirs, author=other_reader, body="An answer."
    )

    shown = revalidate(browser, url, tag)
    assert shown.status_code == 200
    assert b"1 unread" in gzip.decompress(shown.content)


def test_a_vote_of_the_readers_own_that_does_not_count_still_changes_their_tag(
    article, discussion, reader
):
    browser = Client()
    browser.force_login(reader)  # a new account: its votes wait to count
    url = article.get_absolute_url()
    tag = browser.get(url, **GZIP)["ETag"]

    services.comment_vote(comment=discussion, voter=reader, value=1)

    assert revalidate(browser, url, tag).status_code == 200


def test_moderators_pages_carry_no_tag(article, discussion, moderator):
    browser = Client()
    browser.force_login(moderator)

    assert not browser.get(article.get_absolute_url(), **GZIP).has_header("ETag")


def test_a_page_with_a_message_to_show_is_sent_whole(article, discussion, reader, rf):
    browser = Client()
    browser.force_login(reader)
    url = article.get_absolute_url()
    tag = browser.get(url, **GZIP)["ETag"]
    # A message waits for the next page (as after posting): that page shows it.
    session = browser.session
    request = rf.get("/")
    request.session = session
    session["_messages"] = SessionStorage(request).serialize_messages(
        [Message(messages.SUCCESS, "Your comment is posted.")]
    )
    session.save()

    shown = revalidate(browser, url, tag)

    assert shown.status_code == 200
    assert b"Your comment is posted." in gzip.decompress(shown.content)
