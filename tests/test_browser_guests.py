"""Guests in Chromium: a reader without an account comments and replies in place, sees
their comment waiting, and a moderator approves it in the admin; then everyone sees it,
marked "guest"."""

import re

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser import BROWSER, open_tab, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-8"


def guest_settings(settings) -> None:
    settings.FORUM_GUEST_COMMENTS = "held"


def test_a_guest_comments_and_a_moderator_approves_it_in_the_admin(
    live_server, seeded_article, tab, browser, transactional_db, django_user_model, settings
):
    guest_settings(settings)
    django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    form = tab.locator("#comment-form")
    expect(form).to_contain_text("Your comment will appear after a moderator approves it.")
    expect(form.get_by_role("link", name="log in")).to_be_visible()
    form.get_by_label("Name").fill("Valley Watcher")
    form.get_by_label("Email").fill("Watcher@Example.com")
    form.get_by_label("Your comment").fill("Seen from the *valley*: quiet again.")
    snap(tab, "guest-form")
    form.get_by_role("button", name="Post comment").click()
    expect(tab).to_have_url(re.compile(r"#comment-\d+$"))  # posted: on the comment

    comment = Comment.objects.get(author_name="Valley Watcher")
    mine = tab.locator(f"#comment-{comment.pk}")
    expect(mine.locator(".comment-badge")).to_have_text("awaiting moderation")
    expect(mine.locator("header > small")).to_have_text("guest")
    expect(tab.locator("#messages")).to_contain_text("awaiting moderation")
    expect(tab.locator("#id_name")).to_have_value("Valley Watcher")
    snap(tab, "guest-awaiting-moderation")
    assert (comment.author, comment.status) == (None, "pending")
    assert "Seen from the" not in Client().get(seeded_article.get_absolute_url()).content.decode()

    context, staff, _ = open_tab(browser)
    staff.goto(live_server.url + reverse("admin:index"))
    staff.get_by_label("Username").fill("boss")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.goto(live_server.url + reverse("admin:comments_comment_changelist"))
    row = staff.locator("#result_list tbody tr").first
    expect(row.locator(".field-author_display")).to_contain_text("watcher@example.com")
    expect(row.locator(".field-author_display .comment-guest")).to_have_text("guest")
    snap(staff, "admin-guest-comment")
    staff.locator(f'input[name="_selected_action"][value="{comment.pk}"]').check()
    staff.locator('select[name="action"]').select_option("approve_comments")
    staff.get_by_role("button", name="Go").click()
    expect(staff.locator(".messagelist")).to_contain_text(
        f"Approved 1 comment: #{comment.pk} by Valley Watcher."
    )
    context.close()

    context, stranger, _ = open_tab(browser)
    stranger.goto(live_server.url + seeded_article.get_absolute_url())
    published = stranger.locator(f"#comment-{comment.pk}")
    expect(published.locator(".comment-author")).to_have_text("Valley Watcher")
    expect(published.locator("header > small")).to_have_text("guest")
    expect(published.locator(".comment-body em")).to_have_text("valley")
    expect(published.locator(".comment-badge")).to_have_count(0)
    assert "watcher@example.com" not in stranger.content().lower()
    context.close()


def test_a_guest_replies_in_place_with_their_name_remembered(
    live_server, seeded_article, tab, transactional_db, settings
):
    guest_settings(settings)
    nizam = Comment.objects.get(author_name="Nizam")
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    tab.locator(f"#comment-{nizam.pk}").get_by_role("link", name="Reply to Nizam").click()
    inline = tab.locator(f"#comment-form-reply-comment-{nizam.pk}")
    expect(inline.get_by_label("Your reply to Nizam")).to_be_focused()
    inline.get_by_label("Name").fill("Passer-by")
    inline.get_by_label("Email").fill("passer@example.com")
    inline.get_by_label("Your reply to Nizam").fill("Welcome, Nizam.")
    snap(tab, "guest-inline-reply")
    inline.get_by_role("button", name="Post reply").click()
    expect(tab).to_have_url(re.compile(r"#comment-\d+$"))  # posted: on the reply

    reply = Comment.objects.get(author_name="Passer-by")
    assert (reply.parent, reply.status) == (nizam, "pending")
    expect(tab.locator(f"#comment-{nizam.pk} #comment-{reply.pk} .comment-badge")).to_have_text(
        "awaiting moderation"
    )
    tab.locator(f"#comment-{nizam.pk}").get_by_role("link", name="Reply to Nizam").click()
    again = tab.locator(f"#comment-form-reply-comment-{nizam.pk}")
    expect(again.get_by_label("Name")).to_have_value("Passer-by")
    expect(again.get_by_label("Email")).to_have_value("passer@example.com")


def test_the_guest_form_fits_a_phone_in_dark_mode(
    live_server, seeded_article, browser, transactional_db, settings
):
    guest_settings(settings)
    context, tab, refused = open_tab(
        browser,
        viewport={"width": 390, "height": 844},
        color_scheme="dark",
        has_touch=True,
        is_mobile=True,
    )
    tab.goto(f"{live_server.url}{seeded_article.get_absolute_url()}#comment-form")

    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    form = tab.locator("#comment-form")
    for label in ("Name", "Email", "Your comment"):
        box = form.get_by_label(label).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    snap(tab, "guest-form-phone-dark")
    context.close()
    assert refused == []
