from django.urls import reverse

from comments.models import Comment
from tests.pages import page


def create_url(article) -> str:
    return reverse("comments:comment-create", kwargs={"slug": article.slug})


def test_posting_over_the_rate_limit_gets_the_form_again_with_429_and_stores_nothing(
    reader_client, article, thread, settings
):
    settings.FORUM_COMMENT_RATE = "3/m"
    reply = reverse(
        "comments:comment-reply", kwargs={"slug": article.slug, "pk": thread["root"].pk}
    )

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
