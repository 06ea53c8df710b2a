"""Writing in a discussion in Chromium, with and without JavaScript: replying in place
(the comment answered stays in view; preview and errors inside the form; Cancel and
Escape return the reader where they were), quoting a comment or the text selected in
it, the keys that do either, and editing within the time allowed."""

from datetime import UTC

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from comments.text import quoted
from tests.browser import BROWSER, snap
from tests.test_browser_reading import DEVICES, card, page_order, sign_in
from tests.test_browser_reading import devices as devices  # a fixture, used by name

pytestmark = BROWSER


@pytest.fixture
def device_tab(devices, request):
    """A tab on the device the test is parametrized with (`indirect`)."""
    return devices(request.param)


def inline_form(tab, comment):
    """The form opened in place under a comment's card."""
    return tab.locator(f"li#comment-{comment.pk} > details > article + form.comment-form-inline")


def reply_link(tab, comment):
    return card(tab, comment).get_by_role("link", name=f"Reply to {comment.author_name}")


def viewport_top(locator) -> float:
    return locator.evaluate("e => e.getBoundingClientRect().top")


def stays(tab) -> None:
    """Mark the page, so that `stayed` can tell that it was never left or reloaded."""
    tab.evaluate("window.stayedHere = true")


def stayed(tab) -> bool:
    return tab.evaluate("window.stayedHere === true")


# Replying in place.


@pytest.mark.parametrize("device_tab", list(DEVICES), indirect=True)
def test_a_reply_opens_under_its_comment_in_view_and_closing_it_returns_where_the_reader_was(
    live_server, seeded_article, reader, device_tab
):
    tab = device_tab
    willing = Comment.objects.get(author_name__startswith="Willing")
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    answered = card(tab, willing)
    # The comment near the bottom of the screen: its footer's last pixels in view.
    answered.locator("footer").evaluate(
        "f => scrollBy({top: f.getBoundingClientRect().bottom - innerHeight + 2,"
        " behavior: 'instant'})"
    )
    height = tab.evaluate("innerHeight")
    assert (
        height - 10
        < answered.locator("footer").evaluate("f => f.getBoundingClientRect().bottom")
        <= height
    )
    where = tab.evaluate("scrollY")

    reply_link(tab, willing).click()

    box = inline_form(tab, willing).get_by_label(f"Your reply to {willing.author_name}")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    assert 0 <= viewport_top(answered) < height
    expect(box).to_be_in_viewport(ratio=1)
    snap(tab, f"reply-in-place-{tab.viewport_size['width']}")
    box.press("Escape")
    expect(inline_form(tab, willing)).to_have_count(0)
    assert tab.evaluate("scrollY") == where
    expect(reply_link(tab, willing)).to_be_focused()

    reply_link(tab, willing).click()
    assert 0 <= viewport_top(answered) < height
    inline_form(tab, willing).get_by_role("button", name="Cancel").click()
    expect(inline_form(tab, willing)).to_have_count(0)
    assert tab.evaluate("scrollY") == where
    expect(reply_link(tab, willing)).to_be_focused()


def test_a_reply_is_previewed_inside_its_form_without_leaving_the_page(
    live_server, seeded_article, reader, tab
):
    nizam = Comment.objects.get(author_name="Nizam")
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    url = tab.url
    stays(tab)
    reply_link(tab, nizam).click()
    form = inline_form(tab, nizam)
    form.get_by_label("Your reply to Nizam").fill(
        "**Bold** claim, see [source](https://example.com)."
    )

    form.get_by_role("button", name="Preview").click()

    preview = form.locator(".comment-preview")
    expect(preview.locator("strong")).to_have_text("Bold")
    expect(preview.locator(".comment-body")).to_have_text("Bold claim, see source.")
    expect(preview.get_by_role("link", name="source")).to_have_attribute(
        "href", "https://example.com"
    )
    expect(tab.locator(".comment-preview")).to_have_count(1)
    expect(form.get_by_label("Your reply to Nizam")).to_have_value(
        "**Bold** claim, see [source](https://example.com)."
    )
    assert tab.url == url and stayed(tab)
    assert not Comment.objects.filter(author=reader).exists()
    snap(tab, "reply-preview")


def test_an_empty_or_too_long_reply_is_refused_inside_its_form_keeping_the_text(
    live_server, seeded_article, reader, settings, tab
):
    nizam = Comment.objects.get(author_name="Nizam")
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    url = tab.url
    stays(tab)
    reply_link(tab, nizam).click()
    form = inline_form(tab, nizam)
    box = form.get_by_label("Your reply to Nizam")

    box.fill("   \n   ")
    form.get_by_role("button", name="Post reply").click()
    expect(form.get_by_role("alert")).to_have_text("Write something before posting.")
    expect(form.get_by_role("alert")).to_be_focused()
    expect(box).to_have_value("   \n   ")

    # The limit was lowered since the page was served: the server's check is the one
    # that counts (the text box's own maxlength is the old limit).
    settings.FORUM_COMMENT_MAX_LENGTH = 40
    text = "Here is a reply grown longer than forty."
    box.fill(text + "!")
    form.get_by_role("button", name="Post reply").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Comments are limited to 40 characters (this one has 41)."
    )
    expect(box).to_have_value(text + "!")
    assert tab.url == url and stayed(tab)
    assert not Comment.objects.filter(author=reader).exists()
    snap(tab, "reply-refused")


def test_a_posted_reply_lands_on_the_new_reply(live_server, seeded_article, reader, tab):
    nizam = Comment.objects.get(author_name="Nizam")
    sign_in(tab, live_server, reader)
    page_url = live_server.url + seeded_article.get_absolute_url()
    tab.goto(page_url)
    reply_link(tab, nizam).click()
    inline_form(tab, nizam).get_by_label("Your reply to Nizam").fill("Welcome, *Nizam*.")

    inline_form(tab, nizam).get_by_role("button", name="Post reply").click()

    expect(tab.get_by_text("Your comment is posted.")).to_be_visible()
    reply = Comment.objects.get(author=reader)
    assert reply.parent_id == nizam.pk
    expect(tab).to_have_url(f"{page_url}#comment-{reply.pk}")
    assert tab.evaluate("document.querySelector(':target').id") == f"comment-{reply.pk}"
    expect(card(tab, reply).locator(".comment-body")).to_have_text("Welcome, Nizam.")
    expect(card(tab, reply).locator(".comment-body em")).to_have_text("Nizam")
    expect(card(tab, reply).locator(".comment-author")).to_have_text("reader")
    expect(tab.locator(f"li#comment-{reply.pk} > details > article + #messages")).to_have_text(
        "Your comment is posted."
    )
    expect(card(tab, reply)).to_be_in_viewport()


def test_without_javascript_reply_opens_a_page_with_the_whole_chain_and_posts(
    live_server, seeded_article, reader, scriptless_tab
):
    tab = scriptless_tab
    deepest = Comment.objects.filter(article=seeded_article, level=4).order_by("lft").first()
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    reply_link(tab, deepest).click()

    expect(tab).to_have_url(f"{live_server.url}/c/{deepest.pk}/reply/")
    expect(tab.locator(".comment-context .context-comment")).to_have_count(4)
    expect(tab.get_by_label("Your reply to RichardD")).to_be_focused()
    tab.get_by_label("Your reply to RichardD").fill("Sources, please.")
    tab.get_by_role("button", name="Post reply").click()
    reply = Comment.objects.get(author=reader)
    expect(tab).to_have_url(
        f"{live_server.url}{seeded_article.get_absolute_url()}#comment-{reply.pk}"
    )
    expect(card(tab, reply).locator(".comment-body")).to_have_text("Sources, please.")


# Quoting.


@pytest.mark.parametrize(
    ("device_tab", "reach"),
    [("desktop-light", "hover"), ("desktop-dark", "keyboard"), ("phone-dark", "tap")],
    indirect=["device_tab"],
)
def test_the_quote_button_of_a_comment_starts_a_reply_quoting_it(
    live_server, seeded_article, reader, device_tab, reach
):
    tab = device_tab
    sinbad = Comment.objects.get(author_name="Sinbad2", level=3)  # two lines
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    footer = card(tab, sinbad).locator("footer")
    quote = card(tab, sinbad).get_by_role("button", name="Quote Sinbad2 in a reply")
    expect(quote).to_have_count(0)  # added when the reader reaches the comment

    if reach == "tap":
        footer.tap(position={"x": footer.bounding_box()["width"] - 4, "y": 4})
        expect(quote).to_be_visible()
        quote.tap()
    elif reach == "keyboard":
        reply_link(tab, sinbad).focus()  # tabbed into: Reply, then Report, then Quote
        expect(quote).to_be_visible()
        tab.keyboard.press("Tab")
        tab.keyboard.press("Tab")
        expect(quote).to_be_focused()
        tab.keyboard.press("Enter")
    else:
        footer.hover()
        expect(quote).to_be_visible()
        quote.click()

    box = inline_form(tab, sinbad).get_by_label("Your reply to Sinbad2")
    expect(box).to_be_focused()
    expect(box).to_have_value(quoted("Sinbad2", sinbad.body))
    assert quoted("Sinbad2", sinbad.body).startswith(
        "> **Sinbad2** wrote:\n> The Egyptians sell gas to Israel for less than it costs to"
        " produce.\n> Apart from"
    )


def test_selecting_text_in_a_comment_offers_to_quote_just_that(
    live_server, article, reader, other_reader, tab
):
    theirs = services.comment_create(
        article=article, author=other_reader, body="The bridge is open.\n\nThe *ferry* is not."
    )
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + article.get_absolute_url())
    floating = tab.locator(".quote-selection")
    expect(floating).to_be_hidden()

    card(tab, theirs).locator(".comment-body p").nth(1).select_text()

    expect(floating).to_be_visible()
    expect(floating).to_have_text("Quote")
    expect(floating).to_be_in_viewport()
    snap(tab, "select-to-quote")
    floating.click()
    box = inline_form(tab, theirs).get_by_label("Your reply to other")
    expect(box).to_have_value("> **other** wrote:\n> The ferry is not.\n\n")
    expect(box).to_be_focused()
    expect(floating).to_be_hidden()

    # Answered under the quote, and previewed in place: the quote as a quote.
    box.press("End")
    box.type("It runs again on Monday.")
    form = inline_form(tab, theirs)
    form.get_by_role("button", name="Preview").click()
    preview = form.locator(".comment-preview .comment-body")
    expect(preview.locator("blockquote")).to_have_text("other wrote:\nThe ferry is not.")
    expect(preview.locator(":scope > p")).to_have_text("It runs again on Monday.")
    snap(tab, "preview-quote", of=tab.locator(f"#comment-{theirs.pk}"))


def test_keys_r_and_q_reply_to_or_quote_the_comment_the_reader_is_on_or_the_selection(
    live_server, article, thread, reader, other_reader, tab
):
    theirs = services.comment_create(
        article=article, author=other_reader, body="The bridge is open.\n\nThe ferry is not."
    )
    second = thread["second"]
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + article.get_absolute_url())
    for _ in range(page_order(tab).index(f"comment-{second.pk}") + 1):
        tab.keyboard.press("j")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{second.pk}")

    tab.keyboard.press("r")
    box = inline_form(tab, second).get_by_label("Your reply to other")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the key is not typed into it
    box.press("Escape")
    expect(reply_link(tab, second)).to_be_focused()

    tab.keyboard.press("q")
    expect(box).to_have_value(quoted("other", "Second root"))
    box.press("Escape")

    card(tab, theirs).locator(".comment-body p").first.select_text()
    tab.keyboard.press("q")
    selection_box = inline_form(tab, theirs).get_by_label("Your reply to other")
    expect(selection_box).to_have_value("> **other** wrote:\n> The bridge is open.\n\n")
    expect(inline_form(tab, second)).to_have_count(0)


def test_without_javascript_the_reply_pages_quote_link_prefills_the_quote(
    live_server, seeded_article, reader, scriptless_tab
):
    tab = scriptless_tab
    sinbad = Comment.objects.get(author_name="Sinbad2", level=3)
    sign_in(tab, live_server, reader)
    tab.goto(f"{live_server.url}/c/{sinbad.pk}/reply/")
    expect(tab.get_by_label("Your reply to Sinbad2")).to_have_value("")

    tab.get_by_role("link", name="Quote Sinbad2").click()

    expect(tab).to_have_url(f"{live_server.url}/c/{sinbad.pk}/reply/?quote=1#comment-form")
    expect(tab.get_by_label("Your reply to Sinbad2")).to_have_value(quoted("Sinbad2", sinbad.body))
    expect(tab.get_by_role("link", name="Quote Sinbad2")).to_have_count(0)


# Editing.


def test_an_author_edits_in_place_within_the_time_allowed(
    live_server, article, thread, reader, tab
):
    root = thread["root"]
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + article.get_absolute_url())

    card(tab, root).get_by_role("link", name="Edit your comment").click()

    form = inline_form(tab, root)
    expect(form.locator(".edit-deadline")).to_have_text("You can edit this for 15 more minutes.")
    box = form.get_by_label("Your comment")
    expect(box).to_be_focused()
    expect(box).to_have_value("Root")
    snap(tab, "edit-in-place")
    box.fill("Root, *edited*.")
    form.get_by_role("button", name="Save changes").click()
    expect(tab.get_by_text("Your comment is updated.")).to_be_visible()
    expect(card(tab, root).locator(".comment-body")).to_have_text("Root, edited.")
    expect(card(tab, root).locator(".comment-edited")).to_have_text("edited")
    expect(tab).to_have_url(f"{live_server.url}{article.get_absolute_url()}#comment-{root.pk}")
    assert Comment.objects.get(pk=root.pk).body == "Root, *edited*."


def test_without_javascript_the_edit_page_shows_the_deadline_and_saves(
    live_server, article, thread, reader, scriptless_tab
):
    tab = scriptless_tab
    root = thread["root"]
    deadline = (root.created + django_settings.FORUM_EDIT_WINDOW).astimezone(UTC)
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + article.get_absolute_url())

    card(tab, root).get_by_role("link", name="Edit your comment").click()

    expect(tab).to_have_url(f"{live_server.url}/c/{root.pk}/edit/")
    expect(tab.locator(".edit-deadline")).to_have_text(
        f"You can edit this for 15 more minutes, until {deadline:%H:%M} UTC. Edited comments"
        " are marked “edited”, and moderators can see what they said before."
    )
    tab.get_by_label("Your comment").fill("Root, corrected.")
    tab.get_by_role("button", name="Save changes").click()
    expect(tab).to_have_url(f"{live_server.url}{article.get_absolute_url()}#comment-{root.pk}")
    expect(card(tab, root).locator(".comment-body")).to_have_text("Root, corrected.")
    expect(card(tab, root).locator(".comment-edited")).to_have_text("edited")
