"""Nothing but the verification message ever goes to an address nobody verified."""

import logging
import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.emails import may_mail
from tests.accounts.addresses import add_address, link_in
from tests.pages import page

CONFIRMATION = "account/email/email_confirmation"


def test_a_verified_address_may_be_mailed_whatever_its_case(verified_reader):
    assert may_mail("reader@example.com")
    assert may_mail("Reader@EXAMPLE.com", template_prefix="account/email/password_reset_key")


def test_an_unverified_address_gets_only_the_message_that_verifies_it(reader):
    add_address(reader, "reader@example.com", verified=False)

    assert not may_mail("reader@example.com")
    assert not may_mail("reader@example.com", template_prefix="account/email/password_reset_key")
    assert not may_mail("reader@example.com", template_prefix="notifications/reply")
    assert may_mail("reader@example.com", template_prefix=CONFIRMATION)
    assert may_mail("reader@example.com", template_prefix=f"{CONFIRMATION}_signup")


def test_an_address_of_no_account_may_not_be_mailed(db):
    assert not may_mail("nobody@example.com")


def test_the_adapter_drops_mail_to_an_unverified_address_and_says_so(rf, reader, outbox, caplog):
    add_address(reader, "reader@example.com", verified=False)
    context = {
        "user": reader,
        "password_reset_url": "https://forum.example/x",
        "request": rf.get("/"),
    }

    with caplog.at_level(logging.INFO, logger="accounts.adapter"):
        get_adapter().send_mail("account/email/password_reset_key", "reader@example.com", context)

    assert outbox == []
    assert "account/email/password_reset_key to reader@example.com not sent" in caplog.text


def reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_a_password_reset_mails_a_verified_address_a_link_that_works(
    client, verified_reader, outbox
):
    response = reset(client, "Reader@Example.com")

    assert response["Location"] == reverse("account_reset_password_done")
    (message,) = outbox
    assert message.to == ["reader@example.com"]
    assert message.subject == "[Forum] Reset your password"
    assert '"reader"' in message.body  # the username, in case it was forgotten
    form_page = client.get(link_in(message), follow=True)
    assert page(form_page).h1.get_text() == "Choose a new password"
    new = "a-brand-new-passphrase-5"
    done = client.post(
        form_page.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True
    )
    assert page(done).h1.get_text() == "Password changed"
    verified_reader.refresh_from_db()
    assert verified_reader.check_password(new)


@pytest.mark.parametrize("address", ["reader@example.com", "nobody@example.com"])
def test_a_password_reset_mails_nothing_to_an_unverified_or_unknown_address(
    client, reader, outbox, address
):
    add_address(reader, "reader@example.com", verified=False)

    response = reset(client, address)

    # The same answer either way, so the form tells nobody which addresses exist.
    assert response["Location"] == reverse("account_reset_password_done")
    assert outbox == []


def test_the_verification_message_goes_to_an_unverified_address_and_nothing_else(
    client, reader, outbox
):
    address = add_address(reader, "reader@example.com", verified=False)
    client.force_login(reader)

    client.post(reverse("account_email"), {"email": address.email, "action_send": ""})
    reset(client, address.email)

    assert [m.subject for m in outbox] == ["[Forum] Verify your email address"]
    EmailAddress.objects.filter(pk=address.pk).update(verified=True)
    reset(client, address.email)
    assert [m.subject for m in outbox][-1] == "[Forum] Reset your password"


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_every_link_in_account_mail_is_built_from_the_sites_address(client, db, outbox, settings):
    settings.FORUM_SITE_URL = "https://forum.example"
    settings.ALLOWED_HOSTS = ["*"]
    hostile = {"HTTP_HOST": "127.0.0.1:1"}

    client.post(
        reverse("account_signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
        **hostile,
    )
    EmailAddress.objects.update(verified=True)
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "newcomer@example.com"}, **hostile)

    assert [m.subject for m in outbox] == [
        "[Forum] Welcome: verify your email address",
        "[Forum] Reset your password",
    ]
    for message in outbox:
        assert links(message)
        assert all(link.startswith("https://forum.example/") for link in links(message))
