from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.pages import page


def test_signup_creates_the_account_signs_in_and_returns_to_next(client, db):
    response = client.post(
        reverse("accounts:signup") + "?next=/articles/x/",
        {
            "username": "newcomer",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "next": "/articles/x/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/articles/x/"
    assert get_user_model().objects.filter(username="newcomer").exists()
    assert client.get(reverse("articles:article-list")).context["user"].username == "newcomer"


def test_signup_refuses_mismatched_passwords_and_offsite_next(client, db):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "x", "password1": "correct-horse-1", "password2": "different-horse-2"},
    )
    assert response.status_code == 200
    assert "didn’t match" in page(response).get_text()
    assert not get_user_model().objects.exists()

    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "y",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


def test_login_returns_to_next_and_logout_needs_post(client, reader):
    response = client.post(
        reverse("accounts:login"),
        {"username": "reader", "password": "a-long-passphrase-1", "next": "/articles/x/"},
    )
    assert response["Location"] == "/articles/x/"

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_the_login_page_links_to_signup_keeping_next(client, db):
    soup = page(client.get(reverse("accounts:login") + "?next=/articles/x/"))

    link = soup.find("a", string="Create an account")["href"]
    assert link == reverse("accounts:signup") + "?next=/articles/x/"
