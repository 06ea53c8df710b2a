"""Reading and replying in place, in Chromium: folding, inline replies (with and
without JavaScript), preview, and what is new since the last visit."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments import services
from comments.models import Comment, Visit
from tests.browser import BROWSER, open_tab, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-7"


def log_in(tab, live_server, username: str, next_url: str) -> None:
    tab.goto(f"{live_server.url}{reverse('account_login')}?next={next_url}")
    tab.locator("#id_login").fill(username)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


def test_a_reader_folds_a_long_side_thread_and_it_stays_folded(
    live_server, seeded_article, tab, transactional_db
):
    sinbad = Comment.objects.filter(author_name="Sinbad2", level=0).get()
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    thread = tab.locator(f"#comment-{sinbad.pk}")
    fold = thread.locator(":scope > details.comment-fold > summary")
    expect(fold).to_have_text("7 replies")
    first_reply = thread.locator("li.comment").first

    fold.click()
    expect(first_reply).to_be_hidden()
    snap(tab, "folded-thread")
    tab.reload()

    expect(tab.locator(f"#comment-{sinbad.pk} li.comment").first).to_be_hidden()
    tab.locator(f"#comment-{sinbad.pk} > details.comment-fold > summary").click()
    expect(tab.locator(f"#comment-{sinbad.pk} li.comment").first).to_be_visible()


def test_folding_works_without_javascript(live_server, seeded_article, scriptless_tab):
    sinbad = Comment.objects.filter(author_name="Sinbad2", level=0).get()
    scriptless_tab.goto(live_server.url + seeded_article.get_absolute_url())
    fold = scriptless_tab.locator(f"#comment-{sinbad.pk} > details.comment-fold > summary")

    fold.click()

    expect(scriptless_tab.locator(f"#comment-{sinbad.pk} li.comment").first).to_be_hidden()


def test_a_reader_replies_in_place_and_lands_on_the_reply(
    live_server, seeded_article, tab, transactional_db, django_user_model
):
    django_user_model.objects.create_user("ana", password=PASSWORD)
    nizam = Comment.objects.get(author_name="Nizam")
    log_in(tab, live_server, "ana", seeded_article.get_absolute_url())

    tab.locator(f"#comment-{nizam.pk}").get_by_role("link", name="Reply to Nizam").click()
    box = tab.get_by_label("Your reply to Nizam")
    expect(box).to_be_focused()
    snap(tab, "inline-reply")
    box.press("Escape")
    expect(box).to_have_count(0)

    tab.locator(f"#comment-{nizam.pk}").get_by_role("link", name="Reply to Nizam").click()
    tab.get_by_label("Your reply to Nizam").fill("Welcome, *Nizam*.")
    tab.get_by_role("button", name="Post reply").click()

    reply = tab.locator(f"#comment-{nizam.pk} li.comment")
    expect(reply.locator(".comment-body em")).to_have_text("Nizam")
    expect(reply.locator(".comment-author")).to_have_text("ana")
    expect(tab.locator(f"#comment-{nizam.pk} .alert")).to_contain_text("Your comment is posted")


def test_without_javascript_reply_leads_to_a_page_with_the_whole_chain(
    live_server, seeded_article, scriptless_tab, transactional_db, django_user_model
):
    tab = scriptless_tab
    django_user_model.objects.create_user("ana", password=PASSWORD)
    deepest = Comment.objects.filter(article=seeded_article, level=4).order_by("lft").first()
    log_in(tab, live_server, "ana", seeded_article.get_absolute_url())

    tab.locator(f"#comment-{deepest.pk}").get_by_role("link", name="Reply to").click()

    chain = tab.locator(".comment-context .context-comment")
    expect(chain).to_have_count(4)
    expect(tab.locator("textarea")).to_be_focused()
    tab.locator("textarea").fill("Sources, please.")
    tab.get_by_role("button", name="Post reply").click()
    expect(tab.locator(f"#comment-{deepest.pk} li.comment .comment-body")).to_have_text(
        "Sources, please."
    )


def test_preview_shows_the_rendered_text_and_stores_nothing(
    live_server, seeded_article, tab, transactional_db, django_user_model
):
    django_user_model.objects.create_user("ana", password=PASSWORD)
    log_in(tab, live_server, "ana", seeded_article.get_absolute_url())

    tab.locator("#id_body").fill("**Bold** claim, see [source](https://example.com).")
    tab.get_by_role("button", name="Preview").click()

    expect(tab.locator(".comment-preview strong")).to_have_text("Bold")
    expect(tab.locator("#id_body")).to_have_value(
        "**Bold** claim, see [source](https://example.com)."
    )
    assert not Comment.objects.filter(author__username="ana").exists()
    snap(tab, "preview")


def test_comments_posted_since_the_last_visit_are_marked_new(
    live_server, seeded_article, tab, transactional_db, django_user_model
):
    ana = django_user_model.objects.create_user("ana", password=PASSWORD)
    bob = django_user_model.objects.create_user("bob", password=PASSWORD)
    long_ago = timezone.now() - dt.timedelta(days=2)
    Visit.objects.create(user=ana, article=seeded_article, seen=long_ago)
    nizam = Comment.objects.get(author_name="Nizam")
    fresh = [
        services.comment_create(article=seeded_article, parent=nizam, author=bob, body="One"),
        services.comment_create(article=seeded_article, author=bob, body="Two"),
    ]
    log_in(tab, live_server, "ana", seeded_article.get_absolute_url())

    expect(tab.locator("li.comment.is-new")).to_have_count(2)
    expect(tab.locator("#new-comments")).to_contain_text("2 new comments")
    snap(tab, "new-comments")
    page_url = f"{live_server.url}{seeded_article.get_absolute_url()}"
    tab.keyboard.press("n")
    expect(tab).to_have_url(f"{page_url}#comment-{fresh[0].pk}")
    tab.get_by_role("button", name="Next new comment").click()
    expect(tab).to_have_url(f"{page_url}#comment-{fresh[1].pk}")


def test_on_a_phone_in_dark_mode_nothing_overflows_and_every_action_is_easy_to_tap(
    live_server, seeded_article, browser
):
    context, tab, _ = open_tab(
        browser,
        viewport={"width": 390, "height": 844},
        color_scheme="dark",
        has_touch=True,
        is_mobile=True,
    )
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    sizes = tab.locator(".comment-actions a, .comment-fold > summary").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
    )
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes
    snap(tab, "article-phone-dark")
    context.close()


def test_the_colour_mode_toggle_is_remembered(live_server, seeded_article, tab):
    tab.emulate_media(color_scheme="light")
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    tab.get_by_role("button", name="Dark mode").click()
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    tab.reload()
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    tab.get_by_role("button", name="Light mode").click()
    snap(tab, "article-desktop-light")


def test_keys_j_and_k_skip_from_thread_to_thread(live_server, seeded_article, tab):
    roots = list(Comment.objects.filter(article=seeded_article, level=0).order_by("tree_id"))
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    tab.keyboard.press("j")
    expect(tab.locator(f"#comment-{roots[0].pk} .comment-permalink").first).to_be_focused()
    tab.keyboard.press("j")
    tab.keyboard.press("j")
    expect(tab.locator(f"#comment-{roots[2].pk} .comment-permalink").first).to_be_focused()
    tab.keyboard.press("k")
    expect(tab.locator(f"#comment-{roots[1].pk} .comment-permalink").first).to_be_focused()
