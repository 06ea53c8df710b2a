"""The request guards in accounts.middleware, seen from the outside: what a client
that sends a given request gets back."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from accounts.checks import check_login_url_names
from tests.pages import page

# The log-in doors anyone can knock at, and the name of each one's login field.
LOGIN_FIELDS = {"account_login": "login", "admin:login": "username"}
LOGIN_DOORS = tuple(LOGIN_FIELDS)
FORM_CONTENT = "application/x-www-form-urlencoded"


def knock(client, door: str, name: str, **meta):
    """One log-in attempt at `door` with a wrong password."""
    return client.post(reverse(door), {LOGIN_FIELDS[door]: name, "password": "guess"}, **meta)


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_every_log_in_door_refuses_the_fourth_attempt_in_a_minute_from_one_address(
    client, db, settings, door
):
    settings.FORUM_LOGIN_RATE = "3/m"
    for n in range(3):
        attempt = knock(client, door, f"sprayed-{n}")
        assert attempt.status_code == 200

    over = knock(client, door, "sprayed-3")

    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 60
    text = page(over).get_text()
    assert "Too many attempts from your network. Wait " in text
    assert " seconds, then try again." in text


def test_the_log_in_limit_is_shared_by_all_doors(client, db, settings):
    settings.FORUM_LOGIN_RATE = "3/m"
    for n in range(3):
        knock(client, "admin:login", f"sprayed-{n}")

    over = knock(client, "account_login", "sprayed-3")

    assert over.status_code == 429


@pytest.mark.parametrize(
    ("door", "data"),
    [
        (
            "account_change_password",
            {"oldpassword": "guess", "password1": "a-new-passphrase-1", "password2": "x"},
        ),
        ("account_reauthenticate", {"password": "guess"}),
    ],
)
def test_the_pages_that_check_a_signed_in_readers_password_share_the_limit(
    reader_client, settings, door, data
):
    settings.FORUM_LOGIN_RATE = "3/m"
    for n in range(3):
        knock(reader_client, "account_login" if n % 2 else "admin:login", f"sprayed-{n}")

    over = reader_client.post(reverse(door), data)

    assert over.status_code == 429
    assert "Too many attempts from your network." in page(over).get_text()


@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_the_log_in_limit_of_one_address_leaves_another_address_alone(client, db, settings, door):
    settings.FORUM_LOGIN_RATE = "3/m"
    for n in range(4):
        knock(client, door, f"sprayed-{n}")

    elsewhere = knock(client, door, "someone", REMOTE_ADDR="192.0.2.7")

    assert elsewhere.status_code == 200


def test_reading_the_log_in_pages_does_not_count_as_an_attempt(client, db, settings):
    settings.FORUM_LOGIN_RATE = "3/m"
    for _ in range(5):
        assert client.get(reverse("account_login")).status_code == 200
        assert client.get(reverse("admin:login")).status_code == 200

    assert knock(client, "admin:login", "a").status_code == 200


def test_a_misspelt_log_in_door_in_the_registry_fails_the_system_checks(settings):
    settings.FORUM_LOGIN_URL_NAMES = ("account_login", "admin:loggin")

    errors = check_login_url_names(app_configs=None)

    assert [error.id for error in errors] == ["accounts.E001"]
    assert "'admin:loggin'" in errors[0].msg


def test_the_log_in_doors_in_the_registry_pass_the_system_checks(db):
    assert check_login_url_names(app_configs=None) == []


@pytest.fixture
def csrf_client(db) -> Client:
    """A browser-like client: it enforces CSRF and has fetched the log-in page, so it
    holds a CSRF cookie and `csrf_client.token` to post back."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("account_login"))
    browser.token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    return browser


def assert_the_sites_bad_request_page(response) -> None:
    assert response.status_code == 400
    soup = page(response)
    assert soup.h1.get_text() == "Bad request"
    assert soup.select_one("nav.navbar")  # the site's own layout, from base.html


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "utf8", "rot13"])
def test_a_log_in_form_declared_in_another_charset_than_utf_8_gets_the_400_page(
    csrf_client, charset
):
    body = urlencode({"csrfmiddlewaretoken": csrf_client.token, "username": "a", "password": "b"})

    response = csrf_client.generic(
        "POST",
        reverse("account_login"),
        body,
        content_type=f"{FORM_CONTENT}; charset={charset}",
    )

    assert_the_sites_bad_request_page(response)


def test_a_multipart_form_declared_in_a_charset_that_is_no_text_encoding_gets_the_400_page(
    csrf_client,
):
    data = {"csrfmiddlewaretoken": csrf_client.token, "username": "a", "password": "b"}

    response = csrf_client.generic(
        "POST",
        reverse("account_login"),
        encode_multipart(BOUNDARY, data),
        content_type=f"{MULTIPART_CONTENT}; charset=rot13",
    )

    assert_the_sites_bad_request_page(response)


def test_a_form_body_over_the_size_limit_gets_the_400_page(csrf_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"csrfmiddlewaretoken": csrf_client.token, "username": "a" * 2000, "password": "b"}

    response = csrf_client.post(
        reverse("account_login"), urlencode(body), content_type=FORM_CONTENT
    )

    assert_the_sites_bad_request_page(response)


def test_a_utf_8_log_in_form_still_works_with_csrf_checks(csrf_client, reader):
    body = {"csrfmiddlewaretoken": csrf_client.token, "login": "reader"}
    body["password"] = "a-long-passphrase-1"

    response = csrf_client.post(
        reverse("account_login"),
        urlencode(body),
        content_type=f"{FORM_CONTENT}; charset=UTF-8",
    )

    assert response.status_code == 302


def test_a_multipart_form_without_a_boundary_gets_the_400_page(csrf_client):
    response = csrf_client.post(
        reverse("account_login"), b"anything", content_type="multipart/form-data; boundary="
    )

    assert_the_sites_bad_request_page(response)


CHANGELIST = "admin:comments_comment_changelist"
NUL_QUERIES = [
    pytest.param(CHANGELIST, {"status": "\x00"}, id="changelist-filter-value"),
    pytest.param(CHANGELIST, {"q": "\x00"}, id="changelist-search"),
    pytest.param(CHANGELIST, {"status__exact": "pub\x00lished"}, id="changelist-filter-inside"),
    pytest.param(
        "admin:autocomplete",
        {"app_label": "comments", "model_name": "ban", "field_name": "user", "term": "\x00"},
        id="user-autocomplete",
    ),
]


@pytest.mark.parametrize(("url_name", "query"), NUL_QUERIES)
def test_a_nul_character_in_an_admin_query_gets_the_400_page(
    moderator_client, thread, url_name, query
):
    response = moderator_client.get(reverse(url_name), query)

    assert_the_sites_bad_request_page(response)


@pytest.mark.parametrize("query", ["a\x00=1", "page=1%00", "%00", "q=x&x%00y=1"])
def test_a_nul_character_anywhere_in_a_query_string_gets_the_400_page(client, db, query):
    response = client.get(reverse("articles:article-list"), QUERY_STRING=query)

    assert_the_sites_bad_request_page(response)


def test_a_query_string_without_nul_characters_is_served_as_before(moderator_client, thread):
    response = moderator_client.get(reverse(CHANGELIST), {"q": "Root", "status": "published"})

    assert response.status_code == 200


def test_a_nul_character_in_a_form_field_gets_the_400_page(client, reader):
    response = client.post(reverse("account_login"), {"login": "reader\x00", "password": "x"})

    assert_the_sites_bad_request_page(response)


def test_a_nul_character_in_the_path_gets_the_400_page(client, db):
    response = client.get(reverse("articles:article-list") + "%00/")

    assert_the_sites_bad_request_page(response)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def test_a_signed_in_readers_pages_are_private_to_their_browser(reader_client, article):
    for url in (reverse("articles:article-list"), article.get_absolute_url()):
        response = reader_client.get(url)

        assert response.status_code == 200
        assert "private" in cache_control(response)
        assert "public" not in cache_control(response)
        assert "cookie" in vary(response)


def test_a_moderators_admin_pages_are_private_too(moderator_client, thread):
    response = moderator_client.get(reverse(CHANGELIST))

    assert "private" in cache_control(response)
    assert "cookie" in vary(response)


def test_anonymous_pages_are_not_marked_private(client, article):
    for url in (reverse("articles:article-list"), article.get_absolute_url()):
        response = client.get(url)

        assert response.status_code == 200
        assert "private" not in cache_control(response)
