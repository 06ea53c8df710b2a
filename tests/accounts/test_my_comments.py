import json

from django.urls import reverse

from comments import services

URL = reverse("comments:my-comments")


def test_downloading_your_comments_needs_an_account(client, thread):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_reader_downloads_their_own_visible_and_held_comments_only(
    client, thread, reader, moderator, settings
):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=thread["root"].article, author=reader, body="Held one")
    services.comment_delete(comment=thread["deep"], by=reader)
    client.force_login(reader)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="comments-reader.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["user"] == "reader"
    by_id = {c["id"]: c for c in data["comments"]}
    assert set(by_id) == {thread["root"].pk, held.pk}  # not the deleted one, nobody else's
    assert by_id[held.pk]["status"] == "pending"
    assert by_id[thread["root"].pk]["text"] == "Root"
    assert by_id[thread["root"].pk]["article"]["slug"] == "a-quiet-week"


def test_the_settings_page_links_to_the_download(client, reader):
    client.force_login(reader)

    page = client.get(reverse("notifications:settings")).content.decode()

    assert f'href="{URL}"' in page
