"""The links in a notification email, followed from a message a real SMTP server received:
following one (GET, as a mail scanner does) only asks; the button (POST) acts."""

import base64
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from freezegun import freeze_time

from notifications.models import Notification, Preferences, ThreadMute
from tests.mail_server import run_worker, text_part

from .conftest import reply, unsubscribe_link, with_address

pytestmark = pytest.mark.django_db(transaction=True)
SITE = "http://forum.test"
REFUSED = "This link has expired or is not valid; change your email settings in Settings"


def mute_link(message) -> str:
    return next(
        line.split(": ", 1)[1]
        for line in text_part(message).splitlines()
        if line.startswith("Mute this thread: ")
    )


def mailed_links(mail_server, address="ana@example.com") -> tuple[str, str]:
    """The paths of the unsubscribe and mute links in the one message to `address`."""
    run_worker()
    [message] = mail_server.to(address)
    return (
        unsubscribe_link(message).removeprefix(SITE),
        mute_link(message).removeprefix(SITE),
    )


@pytest.fixture
def links(mail_server, article, question, bob) -> tuple[str, str]:
    """The unsubscribe and mute links of the message that told ana of bob's reply."""
    reply(article, question, bob)
    return mailed_links(mail_server)


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def the_form(response) -> tuple[str, str, dict]:
    """The page's one form: its action, the text of its button, its hidden fields."""
    soup = BeautifulSoup(response.content, "html.parser")
    [form] = soup.select(".auth-card form[method=post]")
    fields = {each["name"]: each["value"] for each in form.select("input[type=hidden]")}
    return form["action"], " ".join(form.select_one("button").get_text().split()), fields


def press(browser, response):
    """Press the page's button, as a browser does (with its CSRF field, if any)."""
    action, _, fields = the_form(response)
    return browser.post(action, fields)


def a_browser() -> Client:
    """Not logged in, and checking CSRF as the site does for a real browser."""
    return Client(enforce_csrf_checks=True)


def email_choice(user) -> str:
    return Preferences.objects.get(user=user).email


def test_following_the_unsubscribe_link_asks_and_only_the_button_unsubscribes(
    links, mail_server, article, question, bob, ana
):
    unsubscribe, _ = links
    browser = a_browser()
    for method in (browser.get, browser.head):
        assert method(unsubscribe).status_code == 200
    assert email_choice(ana) == Preferences.Email.EACH  # a scanner's GET changes nothing

    page = browser.get(unsubscribe)
    assert "Stop all notification email to ana?" in text_of(page)
    action, button, _ = the_form(page)
    assert (action, button) == (unsubscribe, "Unsubscribe")

    done = press(browser, page)
    assert done.status_code == 200
    assert "You’re unsubscribed" in text_of(done)
    assert email_choice(ana) == Preferences.Email.OFF
    undo, button, _ = the_form(done)
    assert resolve(undo).url_name == "resubscribe" and button == "Undo: email me again"
    reply(article, question, bob, body="Another.")
    run_worker()
    assert len(mail_server.to("ana@example.com")) == 1
    assert Notification.objects.filter(recipient=ana).count() == 2  # the inbox carries on

    again = press(browser, done)
    assert "You’re subscribed again" in text_of(again)
    assert email_choice(ana) == Preferences.Email.EACH


def test_a_mail_clients_one_click_post_unsubscribes_at_once(links, ana):
    unsubscribe, _ = links
    Client().get(unsubscribe)  # the scanner came first
    assert not Preferences.objects.filter(user=ana, email=Preferences.Email.OFF).exists()

    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token
    response = mail_client.post(
        unsubscribe,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert email_choice(ana) == Preferences.Email.OFF


def test_following_the_mute_link_asks_and_only_the_button_mutes(
    links, mail_server, article, question, bob, ana
):
    _, mute = links
    browser = a_browser()
    for method in (browser.get, browser.head):
        assert method(mute).status_code == 200
    assert not ThreadMute.objects.exists()

    page = browser.get(mute)
    assert (
        "Stop notifying ana of replies in ana’s thread on A quiet week in the valley?"
        in text_of(page)
    )
    action, button, _ = the_form(page)
    assert (action, button) == (mute, "Mute this thread")

    done = press(browser, page)
    assert "Thread muted" in text_of(done)
    assert ThreadMute.objects.get(user=ana).thread == question
    reply(article, question, bob, body="Muted now.")
    run_worker()
    assert len(mail_server.to("ana@example.com")) == 1

    undo, button, _ = the_form(done)
    assert resolve(undo).url_name == "unmute-by-link" and button == "Undo: unmute"
    assert "Thread unmuted" in text_of(press(browser, done))
    assert not ThreadMute.objects.exists()


def refused(response) -> bool:
    """The page a bad, expired or retired link gets: a 404 that says so and leads to Settings."""
    soup = BeautifulSoup(response.content, "html.parser")
    return (
        response.status_code == 404
        and REFUSED in text_of(response)
        and soup.find("a", href=reverse("notifications:settings")) is not None
    )


def test_a_resubscription_retires_the_links_mailed_before_it(
    links, mail_server, article, question, bob, ana
):
    unsubscribe, mute = links
    browser = a_browser()
    press(browser, browser.post(unsubscribe))
    assert email_choice(ana) == Preferences.Email.EACH

    assert refused(browser.get(unsubscribe))
    assert refused(browser.post(unsubscribe))
    assert refused(browser.get(mute))
    assert email_choice(ana) == Preferences.Email.EACH

    reply(article, question, bob, body="A new message, a new link.")
    run_worker()
    fresh = unsubscribe_link(mail_server.to("ana@example.com")[-1]).removeprefix(SITE)
    assert fresh != unsubscribe and browser.get(fresh).status_code == 200


def test_turning_email_back_on_in_settings_retires_the_links_too(links, ana):
    unsubscribe, _ = links
    Client().post(unsubscribe)
    browser = Client()
    browser.force_login(ana)
    browser.post(reverse("notifications:settings"), {"email": "digest"})
    assert refused(Client().get(unsubscribe))


def test_a_link_expires_after_180_days(links, ana):
    unsubscribe, mute = links
    with freeze_time(timezone.now() + timedelta(days=179)):
        assert Client().get(unsubscribe).status_code == 200
    with freeze_time(timezone.now() + timedelta(days=181)):
        assert refused(Client().get(unsubscribe))
        assert refused(Client().post(unsubscribe))
        assert refused(Client().post(mute))
    assert email_choice(ana) == Preferences.Email.EACH
    assert not ThreadMute.objects.exists()


def test_a_link_shows_no_user_id_when_decoded(mail_server, article, bob):
    cleo = with_address(
        get_user_model().objects.create_user("cleo", password="a-long-passphrase-8", id=987654),
        "cleo@example.com",
    )
    question = reply(article, None, cleo, body="Anyone?")
    reply(article, question, bob)
    for path in mailed_links(mail_server, "cleo@example.com"):
        token = resolve(path).kwargs["token"]
        decoded = [
            base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in token.split(":")
        ]
        assert "987654" not in token
        assert not any(b"987654" in each for each in decoded)


def test_a_mute_link_is_no_unsubscribe_link_nor_the_reverse(links, ana):
    unsubscribe, mute = links
    unsubscribe_token = resolve(unsubscribe).kwargs["token"]
    mute_token = resolve(mute).kwargs["token"]
    browser = Client()
    assert refused(browser.post(reverse("notifications:unsubscribe", args=[mute_token])))
    assert refused(browser.post(reverse("notifications:mute-by-link", args=[unsubscribe_token])))
    assert email_choice(ana) == Preferences.Email.EACH
    assert not ThreadMute.objects.exists()


def test_a_forged_or_old_style_token_changes_nothing(ana):
    browser = Client()
    # The format mailed before links had keys: the reader's id, signed.
    old_style = signing.dumps(ana.pk, salt="notifications.unsubscribe")
    for token in (f"{ana.pk}:forged", old_style):
        path = reverse("notifications:unsubscribe", args=[token])
        assert refused(browser.get(path)) and refused(browser.post(path))
    assert not Preferences.objects.filter(user=ana, email=Preferences.Email.OFF).exists()
