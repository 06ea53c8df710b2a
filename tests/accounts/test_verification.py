"""Following the link that verifies an email address, as readers do: again after it
worked, in a second tab, and back to the page the sign-up started from."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.accounts.addresses import link_in
from tests.pages import page

PASSWORD = "correct-horse-battery"
EXPIRED = "This verification link has expired or is invalid."


def sign_up_from(client, article) -> str:
    """Sign up as "newcomer" through the article's "sign up" link, as a reader does;
    the address the sign-up carried them back to."""
    soup = page(client.get(article.get_absolute_url()))
    signup_url = soup.select_one("main").find("a", string="sign up")["href"]
    form = page(client.get(signup_url)).select_one("main form")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    data.update(
        username="newcomer", email="newcomer@example.com", password1=PASSWORD, password2=PASSWORD
    )
    return client.post(signup_url, data)["Location"]


def verify(client, outbox):
    """Follow the link in the verification message and press its button."""
    link = link_in(outbox[-1])
    assert client.get(link).status_code == 200
    return client.post(link)


def main_text(response) -> str:
    return " ".join(page(response).select_one("main").get_text(" ").split())


@pytest.mark.parametrize("signed_links", [True, False], ids=["signed", "stored"])
def test_a_link_followed_again_says_the_address_is_verified_and_offers_to_log_in(
    client, db, article, outbox, settings, signed_links
):
    settings.ACCOUNT_EMAIL_CONFIRMATION_HMAC = signed_links
    sign_up_from(client, article)
    verify(client, outbox)
    elsewhere = Client()

    response = elsewhere.get(link_in(outbox[-1]))

    text = main_text(response)
    assert "newcomer@example.com is verified already" in text
    assert EXPIRED not in text
    log_in = page(response).select_one("main").find("a", string="Log in")
    assert log_in["href"].startswith(reverse("account_login"))
    assert not page(response).select_one("main form")


def test_a_signed_in_reader_following_it_again_is_pointed_to_their_addresses(
    client, db, article, outbox
):
    sign_up_from(client, article)
    verify(client, outbox)

    response = client.get(link_in(outbox[-1]))

    assert "newcomer@example.com is verified already" in main_text(response)
    links = {a.get_text(): a["href"] for a in page(response).select("main a")}
    assert links.get("Your email addresses") == reverse("account_email")
    assert "Log in" not in links


def test_pressing_verify_in_a_second_tab_says_it_is_verified_not_page_not_found(
    client, db, article, outbox
):
    sign_up_from(client, article)
    link = link_in(outbox[-1])
    client.get(link)
    client.post(link)

    again = client.post(link)

    assert again.status_code == 200
    assert "newcomer@example.com is verified already" in main_text(again)


@pytest.mark.parametrize("key", ["not-a-key", "MQ:1uX0aa:wrong-signature-0000000000000000000000"])
def test_a_bad_link_still_says_it_has_expired_or_is_invalid(client, db, key):
    response = client.get(reverse("account_confirm_email", args=[key]))

    assert response.status_code == 200
    assert EXPIRED in main_text(response)


def test_a_link_whose_address_another_account_verified_meanwhile_is_invalid(
    client, db, article, outbox, django_user_model
):
    sign_up_from(client, article)
    squatted = EmailAddress.objects.get(email="newcomer@example.com")
    owner = django_user_model.objects.create_user("owner")
    EmailAddress.objects.create(user=owner, email="newcomer@example.com", verified=True)
    squatted.delete()  # what accounts.adapter does when the owner verifies it

    response = Client().get(link_in(outbox[-1]))

    assert EXPIRED in main_text(response)


@pytest.mark.parametrize("verification", ["optional", "mandatory"])
def test_after_verifying_in_the_same_browser_the_reader_is_back_on_the_article(
    client, db, article, outbox, settings, verification
):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    sign_up_from(client, article)

    response = verify(client, outbox)

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-form"
    assert EmailAddress.objects.get(email="newcomer@example.com").verified


def test_after_verifying_in_another_browser_the_reader_lands_on_the_log_in_page(
    client, db, article, outbox
):
    sign_up_from(client, article)

    response = verify(Client(), outbox)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")


def test_the_page_to_return_to_is_used_once(client, db, article, outbox, other_article):
    sign_up_from(client, article)
    verify(client, outbox)

    client.post(reverse("account_email"), {"email": "second@example.com", "action_add": ""})
    response = verify(client, outbox)

    assert outbox[-1].to == ["second@example.com"]
    assert response["Location"] != f"{article.get_absolute_url()}#comment-form"


def test_a_sign_up_carrying_another_sites_address_returns_to_no_other_site(client, db, outbox):
    signup = reverse("account_signup")
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "next": "https://elsewhere.example/",
    }
    client.post(f"{signup}?next=https://elsewhere.example/", data)

    response = verify(client, outbox)

    assert response.status_code == 302
    assert "elsewhere.example" not in response["Location"]
