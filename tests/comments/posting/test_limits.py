"""The limits on writing: how fast a reader may post, edit and report, the honeypot
that catches robots, the same text twice, and text that shows nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.pages import page


def create_url(article) -> str:
    return reverse("comments:comment-create", kwargs={"slug": article.slug})


def edit_url(comment) -> str:
    return reverse("comments:comment-edit", kwargs={"pk": comment.pk})


def report_url(comment) -> str:
    kwargs = {"pk": comment.pk}
    return reverse("comments:comment-report", kwargs=kwargs)


def test_posting_over_the_rate_limit_gets_the_form_again_with_429_and_stores_nothing(
    reader_client, article, thread, settings
):
    settings.FORUM_COMMENT_RATE = "3/m"
    reply = reverse("comments:comment-reply", kwargs={"pk": thread["root"].pk})

    for n in range(3):
        assert reader_client.post(create_url(article), {"body": f"post {n}"}).status_code == 302
    over = reader_client.post(create_url(article), {"body": "one too many"})
    over_reply = reader_client.post(reply, {"body": "one more too many"})

    for response in (over, over_reply):
        assert response.status_code == 429
        form = page(response).find("form", id="comment-form")
        assert "posting too fast" in form.get_text()
    assert not Comment.objects.filter(body__contains="too many").exists()


def test_the_rate_limit_is_per_user(client, article, reader, other_reader, settings):
    settings.FORUM_COMMENT_RATE = "1/m"
    client.force_login(reader)
    assert client.post(create_url(article), {"body": "mine"}).status_code == 302
    client.force_login(other_reader)
    assert client.post(create_url(article), {"body": "theirs"}).status_code == 302


def test_edits_are_rate_limited_and_the_text_comes_back(reader_client, article, reader, settings):
    settings.FORUM_EDIT_RATE = "2/m"
    comment = services.comment_create(article=article, author=reader, body="v0")

    for n in (1, 2):
        assert reader_client.post(edit_url(comment), {"body": f"v{n}"}).status_code == 302
    over = reader_client.post(edit_url(comment), {"body": "v3 lovingly written"})

    assert over.status_code == 429
    assert "editing too fast" in page(over).get_text()
    assert page(over).find("textarea").get_text().strip() == "v3 lovingly written"
    comment.refresh_from_db()
    assert comment.body == "v2"


def test_reports_are_rate_limited_per_reader(client, article, reader, other_reader, settings):
    settings.FORUM_REPORT_RATE = "2/h"
    client.force_login(other_reader)
    targets = [
        services.comment_create(article=article, author=reader, body=f"Target {n}")
        for n in range(3)
    ]

    codes = [
        client.post(report_url(t), {"reason": "spam", "note": ""}).status_code for t in targets
    ]

    assert codes == [302, 302, 429]
    assert targets[2].reports.count() == 0


def test_a_filled_honeypot_is_refused_and_stores_nothing(reader_client, article):
    response = reader_client.post(create_url(article), {"body": "buy now", "website": "spam.biz"})

    assert response.status_code == 200
    assert "could not be sent" in page(response).get_text()
    assert Comment.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(reader_client, article):
    soup = page(reader_client.get(article.get_absolute_url()))
    field = soup.find("input", attrs={"name": "website"})
    assert "hp-field" in field.find_parent(class_="hp-field")["class"]
    assert field["tabindex"] == "-1"


def test_the_same_text_twice_within_a_minute_is_refused(reader_client, article):
    reader_client.post(create_url(article), {"body": "Same words."})

    again = reader_client.post(create_url(article), {"body": "  Same words.\n"})

    assert again.status_code == 200
    assert "same text less than a minute ago" in page(again).get_text()
    assert Comment.objects.count() == 1


def test_the_same_text_in_another_case_is_a_duplicate(article, reader):
    services.comment_create(article=article, author=reader, body="First!")
    with pytest.raises(ValidationError, match="same text"):
        services.comment_create(article=article, author=reader, body="  FIRST!  ")


@pytest.mark.parametrize(
    "body",
    [
        "\u200b\u200b\u200b",
        "\ufeff",
        "\u3164\u3164",
        "\u2800",
        "&nbsp;&nbsp;",
        "&#8203;",
        "[]()",
        "\u200d \u2060 \u00ad",
    ],
)
def test_a_comment_with_nothing_visible_is_refused(article, reader, body):
    with pytest.raises(ValidationError, match="Write something before posting"):
        services.comment_create(article=article, author=reader, body=body)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["ok", "👍", "[link](https://example.com)", "`x`", "ä"])
def test_short_visible_comments_are_accepted(article, reader, body):
    assert services.comment_create(article=article, author=reader, body=body).pk
