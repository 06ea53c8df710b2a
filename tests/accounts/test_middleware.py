"""The request guards in accounts.middleware, seen from the outside: what a client
that sends a given request gets back."""

import pytest
from django.urls import reverse

from accounts.checks import check_login_url_names
from tests.pages import page

LOGIN_DOORS = ("accounts:login", "admin:login")


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_every_log_in_door_refuses_the_fourth_attempt_in_a_minute_from_one_address(
    client, db, settings, door
):
    settings.FORUM_LOGIN_RATE = "3/m"
    url = reverse(door)
    for n in range(3):
        attempt = client.post(url, {"username": f"sprayed-{n}", "password": "guess"})
        assert attempt.status_code == 200

    over = client.post(url, {"username": "sprayed-3", "password": "guess"})

    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 60
    text = page(over).get_text()
    assert "Too many attempts from your network. Wait " in text
    assert " seconds, then try again." in text


def test_the_log_in_limit_is_shared_by_all_doors(client, db, settings):
    settings.FORUM_LOGIN_RATE = "3/m"
    for n in range(3):
        client.post(reverse("admin:login"), {"username": f"sprayed-{n}", "password": "guess"})

    over = client.post(reverse("accounts:login"), {"username": "sprayed-3", "password": "guess"})

    assert over.status_code == 429


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_the_log_in_limit_of_one_address_leaves_another_address_alone(client, db, settings, door):
    settings.FORUM_LOGIN_RATE = "3/m"
    url = reverse(door)
    for n in range(4):
        client.post(url, {"username": f"sprayed-{n}", "password": "guess"})

    elsewhere = client.post(
        url, {"username": "someone", "password": "guess"}, REMOTE_ADDR="192.0.2.7"
    )

    assert elsewhere.status_code == 200


def test_reading_the_log_in_pages_does_not_count_as_an_attempt(client, db, settings):
    settings.FORUM_LOGIN_RATE = "3/m"
    for _ in range(5):
        assert client.get(reverse("accounts:login")).status_code == 200
        assert client.get(reverse("admin:login")).status_code == 200

    attempt = client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert attempt.status_code == 200


def test_a_misspelt_log_in_door_in_the_registry_fails_the_system_checks(settings):
    settings.FORUM_LOGIN_URL_NAMES = ("accounts:login", "admin:loggin")

    errors = check_login_url_names(app_configs=None)

    assert [error.id for error in errors] == ["accounts.E001"]
    assert "'admin:loggin'" in errors[0].msg


def test_the_log_in_doors_in_the_registry_pass_the_system_checks(db):
    assert check_login_url_names(app_configs=None) == []
