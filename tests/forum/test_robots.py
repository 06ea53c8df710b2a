"""robots.txt: robots read what readers read, not the admin."""

from django.urls import reverse


def test_robots_may_read_everything_but_the_admin(client, thread, article):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
    ]
