from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.pages import page

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")


def signup(client, name: str, *, website: str = "", **meta):
    data = {
        "username": name,
        "password1": "correct-horse-battery",
        "password2": "correct-horse-battery",
        "website": website,
    }
    return client.post(SIGNUP, data, **meta)


def test_signups_are_limited_per_ip_address(client, db, settings):
    settings.FORUM_SIGNUP_RATE = "2/h"

    for n in range(2):
        assert signup(client, f"user{n}").status_code == 302
        client.logout()
    over = signup(client, "user-too-many")
    elsewhere = signup(client, "other-network", REMOTE_ADDR="192.0.2.7")

    assert over.status_code == 429
    assert "Too many attempts" in page(over).get_text()
    assert elsewhere.status_code == 302
    assert not get_user_model().objects.filter(username="user-too-many").exists()


def test_a_filled_signup_honeypot_creates_no_account(client, db):
    response = signup(client, "bot", website="http://spam.example")

    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_logins_are_limited_per_ip_address(client, reader, settings):
    settings.FORUM_LOGIN_RATE = "3/m"
    for _ in range(3):
        client.post(LOGIN, {"username": "nobody", "password": "x"})

    response = client.post(LOGIN, {"username": "reader", "password": "a-long-passphrase-1"})

    assert response.status_code == 429
    assert "Too many attempts" in page(response).get_text()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_lock_the_account_out_for_a_while(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "reader", "password": "wrong"})

    locked = client.post(LOGIN, {"username": "reader", "password": "a-long-passphrase-1"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
