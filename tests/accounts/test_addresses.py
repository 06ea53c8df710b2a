"""Email addresses nobody can squat, and a sign-up form that tells nobody who is
registered: an address belongs to whoever verifies it, an unverified copy never
stands in its owner's way, and adding addresses (each mails a stranger) is capped."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.emails import mail_address
from tests.accounts.addresses import link_in
from tests.pages import page

PASSWORD = "correct-horse-battery"


def sign_up(client, name: str, email: str, **extra):
    data = {"username": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), {**data, **extra})


def add(client, email: str):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""})


def errors(response) -> str:
    return " ".join(
        element.get_text(" ", strip=True)
        for element in page(response).select(".invalid-feedback, .alert-danger, .alert-block")
    )


def test_an_address_another_account_verified_cannot_be_added(
    client, verified_reader, other_reader, outbox
):
    client.force_login(other_reader)

    response = add(client, "Reader@Example.com")

    assert "belongs to another account" in errors(response)
    assert not EmailAddress.objects.filter(user=other_reader).exists()
    assert outbox == []


def test_an_unmail_address_never_stops_its_owner_signing_up(client, other_reader, outbox):
    squatter = Client()
    squatter.force_login(other_reader)
    add(squatter, "owner@example.com")
    outbox.clear()
    cache.clear()  # hours later: allauth sends one verification mail per address per 3 min

    response = sign_up(client, "owner", "owner@example.com")

    assert response.status_code == 302
    owner = get_user_model().objects.get(username="owner")
    (message,) = outbox
    assert message.to == ["owner@example.com"]
    client.post(link_in(message))
    assert mail_address(owner) == "owner@example.com"
    # The squatter's unverified copy is gone.
    assert not EmailAddress.objects.filter(user=other_reader).exists()


def test_an_account_holds_few_unmail_addresses(client, reader, outbox, settings):
    settings.FORUM_EMAIL_UNVERIFIED_MAX = 2
    client.force_login(reader)

    for n in range(2):
        assert add(client, f"a{n}@example.com").status_code == 302
    refused = add(client, "a2@example.com")

    assert "waiting for verification" in errors(refused)
    assert EmailAddress.objects.filter(user=reader).count() == 2
    assert len(outbox) == 2


def test_adding_addresses_has_a_daily_cap_that_every_attempt_counts_against(
    client, reader, outbox, settings
):
    settings.FORUM_EMAIL_ADD_RATE = "3/d"
    settings.FORUM_EMAIL_UNVERIFIED_MAX = 5
    client.force_login(reader)

    add(client, "not an address")
    add(client, "b0@example.com")
    add(client, "b1@example.com")
    refused = add(client, "b2@example.com")

    assert "added many addresses lately" in errors(refused)
    assert sorted(EmailAddress.objects.values_list("email", flat=True)) == [
        "b0@example.com",
        "b1@example.com",
    ]
    assert len(outbox) == 2


def test_signing_up_with_a_mail_address_answers_as_for_a_new_one(verified_reader, outbox):
    fresh, taken = Client(), Client()

    new = sign_up(fresh, "newcomer", "newcomer@example.com")
    outbox.clear()
    old = sign_up(taken, "pretender", "READER@example.com")

    assert (old.status_code, old["Location"]) == (new.status_code, new["Location"])
    # The owner hears that someone tried; no verification link goes to their address.
    (message,) = outbox
    assert message.to == ["reader@example.com"]
    assert message.subject == "[Forum] You already have an account"
    assert "/accounts/confirm-email/" not in message.body
    pretender = get_user_model().objects.get(username="pretender")
    assert mail_address(pretender) is None
    assert mail_address(verified_reader) == "reader@example.com"


def test_an_invalid_sign_up_says_nothing_about_the_address(client, verified_reader):
    new = sign_up(client, "x", "newcomer@example.com", password2="different-horse-2")
    taken = sign_up(client, "y", "reader@example.com", password2="different-horse-2")

    assert new.status_code == taken.status_code == 200
    assert errors(new) == errors(taken)
    assert "already" not in errors(taken)


def test_every_sign_up_attempt_counts_against_the_limit(client, verified_reader, settings):
    settings.FORUM_SIGNUP_RATE = "3/h"

    for n in range(3):
        sign_up(client, f"probe{n}", f"probe{n}@example.com", password2="mismatch-horse-9")
    over = sign_up(client, "real", "real@example.com")

    assert over.status_code == 429
    assert "Too many attempts" in page(over).get_text()
    assert page(over).find("input", {"name": "username"})["value"] == "real"
    assert not get_user_model().objects.filter(username="real").exists()
