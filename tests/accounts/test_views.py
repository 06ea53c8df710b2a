"""Sign-up, log-in and log-out through django-allauth, as readers meet them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse

from comments.models import Comment
from tests.accounts.addresses import add_address, link_in
from tests.pages import page

PASSWORD = "correct-horse-battery"


def sign_up(client, name: str = "newcomer", *, email: str = "", url: str = "", **extra):
    data = {
        "username": name,
        "email": email or f"{name}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(url or reverse("account_signup"), data)


def signed_in_as(client) -> str:
    return client.get(reverse("articles:article-list")).context["user"].get_username()


def test_signup_creates_the_account_signs_in_and_returns_to_next(client, db, outbox):
    response = sign_up(
        client, url=reverse("account_signup") + "?next=/articles/x/", next="/articles/x/"
    )

    assert response.status_code == 302
    assert response["Location"] == "/articles/x/"
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert signed_in_as(client) == "newcomer"
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "newcomer@example.com",
        False,
        True,
    )
    (message,) = outbox
    assert message.to == ["newcomer@example.com"]
    assert message.subject == "[Forum] Welcome: verify your email address"
    assert "Forum" in message.body
    assert link_in(message).startswith("/accounts/confirm-email/")


def test_signup_needs_an_email_address(client, db):
    response = client.post(
        reverse("account_signup"),
        {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "This field is required." in page(response).get_text()
    assert not get_user_model().objects.exists()


def test_signup_refuses_mismatched_passwords_and_offsite_next(client, db):
    response = sign_up(client, "x", password2="different-horse-2")
    assert response.status_code == 200
    assert "You must type the same password each time." in page(response).get_text()
    assert not get_user_model().objects.exists()

    response = sign_up(client, "y", next="https://evil.example/")
    assert response["Location"] == "/"


def test_with_mandatory_verification_a_taken_address_is_not_revealed_but_its_owner_hears(
    client, verified_reader, outbox, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = sign_up(client, "another", email="READER@example.com")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert not get_user_model().objects.filter(username="another").exists()
    (message,) = outbox
    assert message.to == ["reader@example.com"]
    assert message.subject == "[Forum] You already have an account"


def test_a_newcomer_posts_at_once_while_their_address_waits_for_verification(
    client, article, outbox
):
    sign_up(client)

    response = client.post(
        reverse("comments:comment-create", kwargs={"slug": article.slug}), {"body": "Hello."}
    )

    assert response.status_code == 302
    assert Comment.objects.get().author.username == "newcomer"
    assert not EmailAddress.objects.get().verified


def test_following_the_verification_link_verifies_the_address(client, db, outbox):
    sign_up(client)
    confirm = link_in(outbox[0])

    assert client.get(confirm).status_code == 200  # asks first: a GET changes nothing
    assert not EmailAddress.objects.get().verified
    response = client.post(confirm)

    assert response.status_code == 302
    assert EmailAddress.objects.get().verified


def test_with_mandatory_verification_nobody_logs_in_before_verifying(client, db, outbox, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = sign_up(client)

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    login = client.post(reverse("account_login"), {"login": "newcomer", "password": PASSWORD})
    assert login["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(outbox) == 1  # the second verification mail waits out allauth's cooldown

    client.post(link_in(outbox[0]))

    assert EmailAddress.objects.get().verified
    login = client.post(reverse("account_login"), {"login": "newcomer", "password": PASSWORD})
    assert login.status_code == 302
    assert signed_in_as(client) == "newcomer"


@pytest.mark.parametrize("login", ["reader", "READER", "reader@example.com", "Reader@Example.com"])
def test_a_reader_logs_in_by_username_or_by_email_address(client, verified_reader, login):
    response = client.post(
        reverse("account_login"), {"login": login, "password": "a-long-passphrase-1"}
    )

    assert response.status_code == 302
    assert signed_in_as(client) == "reader"


def test_a_wrong_password_is_refused_with_the_form_back(client, verified_reader):
    response = client.post(reverse("account_login"), {"login": "reader", "password": "wrong"})

    assert response.status_code == 200
    assert "not correct" in page(response).get_text()
    assert page(response).find("input", {"name": "login"})["value"] == "reader"
    assert "_auth_user_id" not in client.session


def test_login_returns_to_next_and_logout_needs_post(client, reader):
    response = client.post(
        reverse("account_login"),
        {"login": "reader", "password": "a-long-passphrase-1", "next": "/articles/x/"},
    )
    assert response["Location"] == "/articles/x/"

    asked = client.get(reverse("account_logout"))
    assert asked.status_code == 200  # a confirmation, with a button that posts
    assert page(asked).find("form", action=reverse("account_logout"))["method"] == "post"
    assert signed_in_as(client) == "reader"
    assert client.post(reverse("account_logout")).status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_the_login_page_links_to_signup_keeping_next(client, db):
    soup = page(client.get(reverse("account_login") + "?next=/articles/x/"))

    link = urlsplit(soup.find("a", string="Create an account")["href"])
    assert link.path == reverse("account_signup")
    assert parse_qs(link.query) == {"next": ["/articles/x/"]}
    assert soup.find("input", {"name": "next"})["value"] == "/articles/x/"


def test_the_signup_page_links_to_login_keeping_next(client, db):
    soup = page(client.get(reverse("account_signup") + "?next=/articles/x/"))

    link = urlsplit(soup.select_one("main").find("a", string="Log in")["href"])
    assert link.path == reverse("account_login")
    assert parse_qs(link.query) == {"next": ["/articles/x/"]}


def test_an_account_from_before_email_logs_in_by_username_and_adds_an_address(
    client, reader, outbox
):
    response = client.post(
        reverse("account_login"), {"login": "reader", "password": "a-long-passphrase-1"}
    )
    assert response.status_code == 302
    assert "has no email address" in page(client.get(reverse("account_email"))).get_text()

    added = client.post(reverse("account_email"), {"email": "found@example.com", "action_add": ""})

    assert added.status_code == 302
    address = EmailAddress.objects.get(user=reader)
    assert (address.email, address.verified) == ("found@example.com", False)
    (message,) = outbox
    assert message.to == ["found@example.com"]
    assert message.subject == "[Forum] Verify your email address"
    client.post(link_in(message))
    assert EmailAddress.objects.get(user=reader).verified


def test_the_email_page_lists_addresses_with_their_state(client, verified_reader):
    add = EmailAddress.objects.create(user=verified_reader, email="second@example.com")
    client.force_login(verified_reader)

    soup = page(client.get(reverse("account_email")))

    labels = [label.get_text(" ", strip=True) for label in soup.select("label.form-check-label")]
    assert labels == ["reader@example.com Verified Primary", f"{add.email} Unverified"]
    names = {button["name"] for button in soup.select("main button[type=submit]")}
    assert names == {"action_primary", "action_send", "action_remove", "action_add"}


@pytest.mark.parametrize(
    ("url_name", "fields"),
    [
        ("account_login", {"login": "reader", "password": "x"}),
        ("account_signup", {"username": "x", "password1": "x", "password2": "x"}),
        ("account_change_password", {"oldpassword": "x", "password1": "y", "password2": "y"}),
    ],
)
def test_passwords_are_hidden_from_error_reports(reader, client, url_name, fields):
    if url_name == "account_change_password":
        client.force_login(reader)

    response = client.post(reverse(url_name), fields)

    hidden = response.wsgi_request.sensitive_post_parameters
    assert {name for name in fields if "password" in name} <= set(hidden)


def test_an_address_added_shows_unverified_until_its_link_is_followed(client, reader, outbox):
    add_address(reader, "old@example.com", verified=True)
    client.force_login(reader)

    client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})

    assert EmailAddress.objects.get(email="new@example.com").verified is False
    assert [m.to for m in outbox] == [["new@example.com"]]


def test_allauth_pages_the_site_does_not_restyle_still_get_its_layout_and_no_scripts(rf, reader):
    request = rf.get("/accounts/signup/")
    request.user = reader

    html = render_to_string("account/signup_closed.html", request=request)

    soup = BeautifulSoup(html, "html.parser")
    assert " ".join(soup.title.get_text().split()) == "Sign Up Closed · Forum"
    assert soup.select_one("nav.navbar") is not None
    assert all(script.get("src") for script in soup.find_all("script"))
