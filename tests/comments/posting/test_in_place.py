"""Posting from the page (static/js/forum.js sends `Accept: application/json`): a
preview or what is wrong comes back for the form itself, a stored comment as the
address to go to; and the pages that are the way without JavaScript: quoting on the
reply page, and the edit page's deadline."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from comments.text import render_markdown
from tests.pages import page

JSON = {"HTTP_ACCEPT": "application/json"}


def create_url(article) -> str:
    return reverse("comments:comment-create", kwargs={"slug": article.slug})


def reply_url(comment, query: str = "") -> str:
    return reverse("comments:comment-reply", kwargs={"pk": comment.pk}) + query


def edit_url(comment) -> str:
    return reverse("comments:comment-edit", kwargs={"pk": comment.pk})


@pytest.fixture
def forms(article, thread, reader):
    """Each form that posts a comment's text, with what a valid post sends."""
    return {
        "new": create_url(article),
        "reply": reply_url(thread["root"]),
        "edit": edit_url(thread["deep"]),  # the reader's own, within the window
    }


@pytest.mark.parametrize("form", ["new", "reply", "edit"])
def test_a_preview_comes_back_rendered_and_nothing_is_stored(reader_client, forms, form):
    count, texts = Comment.objects.count(), set(Comment.objects.values_list("body", flat=True))

    response = reader_client.post(
        forms[form], {"body": "Some *emphasis* <script>x</script>", "preview": "1"}, **JSON
    )

    assert response.status_code == 200
    assert response.json() == {
        "preview": "<p>Some <em>emphasis</em> &lt;script&gt;x&lt;/script&gt;</p>",
        "errors": [],
    }
    assert Comment.objects.count() == count
    assert set(Comment.objects.values_list("body", flat=True)) == texts


@pytest.mark.parametrize("form", ["new", "reply", "edit"])
def test_what_is_wrong_comes_back_as_a_400_and_nothing_is_stored(reader_client, forms, form):
    count = Comment.objects.count()

    response = reader_client.post(forms[form], {"body": "   "}, **JSON)

    assert response.status_code == 400
    assert response.json() == {"preview": "", "errors": ["Write something before posting."]}
    assert Comment.objects.count() == count


def test_over_the_rate_limit_the_answer_is_a_429_saying_so(reader_client, article, settings):
    settings.FORUM_COMMENT_RATE = "1/m"
    reader_client.post(create_url(article), {"body": "First"}, **JSON)

    response = reader_client.post(create_url(article), {"body": "Second"}, **JSON)

    assert response.status_code == 429
    [error] = response.json()["errors"]
    assert "posting too fast" in error
    assert not Comment.objects.filter(body="Second").exists()


@pytest.mark.parametrize("form", ["new", "reply", "edit"])
def test_a_stored_comment_answers_with_where_it_now_is(reader_client, forms, form):
    response = reader_client.post(forms[form], {"body": f"Stored from the {form} form"}, **JSON)

    comment = Comment.objects.get(body=f"Stored from the {form} form")
    assert response.status_code == 200
    assert response.json() == {"location": comment.get_absolute_url()}


def test_the_reply_page_offers_the_quote_and_fills_it_in(reader_client, thread):
    soup = page(reader_client.get(reply_url(thread["reply"])))
    link = soup.find("a", string=f"Quote {thread['reply'].display_name}")
    assert link["href"] == "?quote=1#comment-form"
    assert soup.find("textarea").get_text().strip() == ""

    quoting = page(reader_client.get(reply_url(thread["reply"], "?quote=1")))

    assert quoting.find("textarea").get_text().strip() == "> **other** wrote:\n> Reply"
    assert quoting.find("a", string=f"Quote {thread['reply'].display_name}") is None


def test_a_quote_keeps_paragraphs_and_escapes_the_name(reader_client, article, django_user_model):
    author = django_user_model.objects.create_user("*star*_[1]", password="a-long-passphrase-1")
    comment = services.comment_create(
        article=article, author=author, body="First line\nsecond line\n\nNew paragraph"
    )

    quoting = page(reader_client.get(reply_url(comment, "?quote=1")))

    assert quoting.find("textarea").get_text().strip() == (
        "> **\\*star\\*\\_\\[1\\]** wrote:\n> First line\n> second line\n>\n> New paragraph"
    )
    rendered = render_markdown(quoting.find("textarea").get_text())
    assert rendered.startswith("<blockquote>\n<p><strong>*star*_[1]</strong> wrote:")


def test_the_edit_page_says_how_long_is_left_and_until_when(client, thread, reader, settings):
    settings.FORUM_EDIT_WINDOW = dt.timedelta(minutes=15)
    Comment.objects.filter(pk=thread["deep"].pk).update(
        created=timezone.now() - dt.timedelta(minutes=3, seconds=10)
    )
    thread["deep"].refresh_from_db()
    client.force_login(reader)

    note = page(client.get(edit_url(thread["deep"]))).select_one(".edit-deadline")

    assert note.get_text(" ", strip=True).startswith("You can edit this for 12 more minutes, until")
    deadline = dt.datetime.fromisoformat(note["data-deadline"])
    assert deadline == (thread["deep"].created + dt.timedelta(minutes=15)).replace(microsecond=0)
    assert note.time["datetime"] == note["data-deadline"]
