"""Accounts and notifications end to end, in Chromium, with a real SMTP server and
the real task worker: sign up and verify the address from the message received,
reset a forgotten password from the message received, and follow a reply from
the bell and the inbox to the comment."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from tests.browser import BROWSER, snap
from tests.mail_server import html_part, text_part

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-8"


@pytest.fixture
def site(settings, live_server, mail_server):
    """The live server, whose emails (sent by the worker as `mail_server.wait_for`
    runs it, over SMTP) link back to it."""
    settings.FORUM_SITE_URL = live_server.url
    return live_server


def link_in(message, path_part: str) -> str:
    """The first link in a message's text part whose address contains `path_part`."""
    for url in re.findall(r"https?://\S+", text_part(message)):
        if path_part in url:
            return url
    raise AssertionError(f"no link with {path_part!r} in:\n{text_part(message)}")


def log_in(tab, site, login: str, password: str = PASSWORD, next_url: str = "/") -> None:
    tab.goto(f"{site.url}{reverse('account_login')}?next={next_url}")
    tab.locator("#id_login").fill(login)
    tab.locator("#id_password").fill(password)
    tab.get_by_role("button", name="Log in").click()


def test_a_newcomer_signs_up_and_verifies_the_address_from_the_email(site, mail_server, tab):
    tab.goto(f"{site.url}{reverse('account_signup')}")
    tab.locator("#id_username").fill("newcomer")
    tab.locator("#id_email").fill("newcomer@example.com")
    tab.locator("#id_password1").fill(PASSWORD)
    tab.locator("#id_password2").fill(PASSWORD)
    snap(tab, "signup")
    tab.get_by_role("button", name="Sign up").click()
    # Signed in at once (verification is optional by default).
    expect(tab.get_by_role("link", name="newcomer")).to_be_visible()

    [message] = mail_server.wait_for("newcomer@example.com")
    tab.goto(link_in(message, "/accounts/confirm-email/"))
    tab.get_by_role("button", name="Yes, verify it").click()
    expect(tab.get_by_text("newcomer@example.com")).to_be_visible()
    assert EmailAddress.objects.get(email="newcomer@example.com").verified


def test_a_reader_resets_a_forgotten_password_from_the_email(site, mail_server, tab):
    user = get_user_model().objects.create_user("forgetful", password="an-old-passphrase-1")
    EmailAddress.objects.create(
        user=user, email="forgetful@example.com", verified=True, primary=True
    )

    tab.goto(f"{site.url}{reverse('account_reset_password')}")
    tab.locator("#id_email").fill("forgetful@example.com")
    tab.get_by_role("button", name="Email me a link").click()
    [message] = mail_server.wait_for("forgetful@example.com")
    assert "password" in message["Subject"].lower()

    tab.goto(link_in(message, "/accounts/password/reset/key/"))
    tab.locator("#id_password1").fill("a-brand-new-passphrase-2")
    tab.locator("#id_password2").fill("a-brand-new-passphrase-2")
    tab.get_by_role("button", name="Change password").click()
    expect(tab.locator("main")).to_contain_text("changed")

    log_in(tab, site, "forgetful", "a-brand-new-passphrase-2")
    expect(tab.get_by_role("link", name="forgetful")).to_be_visible()


def test_a_reply_reaches_its_author_in_the_bell_the_inbox_and_the_mail(
    site, mail_server, article, tab
):
    ana = get_user_model().objects.create_user("ana", password=PASSWORD)
    EmailAddress.objects.create(user=ana, email="ana@example.com", verified=True, primary=True)
    bob = get_user_model().objects.create_user("bob", password=PASSWORD)
    question = services.comment_create(article=article, author=ana, body="Is the bridge open?")
    answer = services.comment_create(
        article=article, parent=question, author=bob, body="Yes, since **Monday**, @ana."
    )

    # The email leaves first (one read in the site before it is sent is not mailed).
    [message] = mail_server.wait_for("ana@example.com")
    tab.set_content(html_part(message))
    expect(tab.get_by_role("link", name="Read it and reply")).to_be_visible()
    snap(tab, "notification-email")

    log_in(tab, site, "ana")
    bell = tab.get_by_role("link", name="Notifications: 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    item = tab.locator(".notification").first
    expect(item).to_contain_text("bob replied to your comment on A quiet week in the valley")
    expect(item).to_contain_text("Yes, since Monday, @ana.")
    snap(tab, "inbox")
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.emulate_media(color_scheme="dark")
    tab.reload()
    snap(tab, "inbox-phone-dark")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    item.get_by_role("link").click()
    expect(tab).to_have_url(re.compile(f"#comment-{answer.pk}$"))
    expect(
        tab.locator(f"#comment-{question.pk} #comment-{answer.pk} .comment-body")
    ).to_contain_text("Yes, since Monday")
    expect(tab.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    tab.locator(
        "nav summary", has_text="Menu"
    ).click()  # on a phone, Settings and the profile are in the menu
    tab.get_by_role("link", name="Settings", exact=True).click()
    expect(tab.get_by_text("Notification email goes to ana@example.com")).to_be_visible()
    snap(tab, "settings")
    tab.locator("nav summary", has_text="Menu").click()
    tab.get_by_role("link", name="ana", exact=True).click()
    expect(tab.get_by_role("heading", name="ana")).to_be_visible()
    snap(tab, "profile")
