"""Reading a discussion in Chromium, with and without JavaScript, on a desktop and a
phone, in light and dark mode: what is new since the reader last looked, moving from
comment to comment with the keyboard, folding, a comment's lasting link, its exact
time, the authors' avatars, and a layout that fits a phone and its thumbs.
(Replying, quoting and editing: tests/test_browser_replying.py.)"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.test import Client
from playwright.sync_api import expect

from comments import services
from comments.models import Comment, Visit
from tests.browser import BROWSER, open_tab, snap
from tests.factories import build_thread

pytestmark = BROWSER

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DEVICES = {
    "desktop-light": {**DESKTOP, "color_scheme": "light"},
    "desktop-dark": {**DESKTOP, "color_scheme": "dark"},
    "phone-light": {**PHONE, "color_scheme": "light"},
    "phone-dark": {**PHONE, "color_scheme": "dark"},
}
# A comment's own card: its <article>, not one of its replies'.
CARD = "li#comment-{} > details > article"


def sign_in(tab, live_server, user) -> None:
    """Give the tab's browser a session of `user`'s, as logging in would (the log-in
    form has tests of its own)."""
    client = Client()
    client.force_login(user)
    tab.context.add_cookies(
        [{"name": c.key, "value": c.value, "url": live_server.url} for c in client.cookies.values()]
    )


@pytest.fixture
def devices(browser):
    """Opens tabs as one of DEVICES shows pages (with more context options if asked);
    each fails its test if the Content-Security-Policy blocked anything."""
    opened = []

    def open_device(name: str, **options):
        context, page, refused = open_tab(browser, **DEVICES[name], **options)
        opened.append((context, refused))
        return page

    yield open_device
    for context, refused in opened:
        context.close()
        assert refused == [], "the Content-Security-Policy blocked something on a page"


@pytest.fixture
def device_tab(devices, request):
    """A tab on the device the test is parametrized with (`indirect`)."""
    return devices(request.param)


def card(tab, comment):
    return tab.locator(CARD.format(comment.pk))


def page_order(tab) -> list[str]:
    """The ids of the comment elements, in the order the page shows them."""
    return tab.locator("#comments li.comment").evaluate_all("items => items.map(i => i.id)")


# What is new since the reader last looked.


def alice_returns(live_server, tab, article, alice, bob):
    """Alice (the `reader`) comments from the page, then Bob answers her and starts a
    thread of his own; four minutes later (her Visit moved back, not waited for) she
    comes back."""
    sign_in(tab, live_server, alice)
    tab.goto(live_server.url + article.get_absolute_url())
    tab.get_by_label("Your comment").fill("Is the valley road open again?")
    tab.get_by_role("button", name="Post comment").click()
    expect(tab.get_by_text("Your comment is posted.")).to_be_visible()
    hers = Comment.objects.get(author=alice)
    reply = services.comment_create(article=article, parent=hers, author=bob, body="Since Monday.")
    fresh = services.comment_create(article=article, author=bob, body="The ferry runs too.")
    Visit.objects.filter(user=alice, article=article).update(seen=F("seen") - timedelta(minutes=4))
    tab.goto(live_server.url + article.get_absolute_url())
    return hers, reply, fresh


def test_a_returning_reader_finds_what_others_posted_since_marked_and_walks_it(
    live_server, article, reader, other_reader, tab
):
    hers, reply, fresh = alice_returns(live_server, tab, article, reader, other_reader)
    page_url = live_server.url + article.get_absolute_url()

    expect(tab.locator("li.comment.is-new")).to_have_count(2)
    assert tab.locator("li.comment.is-new").evaluate_all("l => l.map(i => i.id)") == [
        f"comment-{reply.pk}",
        f"comment-{fresh.pk}",
    ]
    expect(card(tab, reply).locator(".new-badge")).to_have_text("new")
    expect(card(tab, fresh).locator(".new-badge")).to_have_text("new")
    expect(card(tab, hers).locator(".new-badge")).to_have_count(0)
    expect(tab.locator("#new-comments")).to_have_text("2 new comments Next new comment (n)")
    snap(tab, "new-comments")
    fold = tab.locator(f"#comment-{hers.pk} > details > summary")
    fold.click()
    expect(fold).to_have_text("reader · 1 reply · just now · 1 new")
    expect(card(tab, reply)).to_be_hidden()

    tab.reload()  # seconds later: the same run of views, the same comments are new
    expect(tab.locator("li.comment.is-new")).to_have_count(2)
    expect(tab.locator("#new-comments .new-count")).to_have_text("2 new comments")
    expect(fold).to_have_text("reader · 1 reply · just now · 1 new")

    tab.keyboard.press("n")  # into the folded thread, which opens
    expect(tab).to_have_url(f"{page_url}#comment-{reply.pk}")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{reply.pk}")
    expect(card(tab, reply)).to_be_in_viewport()
    next_new = tab.get_by_role("button", name="Next new comment (n)")
    next_new.click()
    expect(tab).to_have_url(f"{page_url}#comment-{fresh.pk}")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{fresh.pk}")
    expect(card(tab, fresh)).to_be_in_viewport()
    next_new.click()  # round again, to the first
    expect(tab).to_have_url(f"{page_url}#comment-{reply.pk}")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{reply.pk}")


def test_without_javascript_a_returning_reader_is_told_how_many_comments_are_new(
    live_server, article, reader, other_reader, scriptless_tab
):
    tab = scriptless_tab
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + article.get_absolute_url())
    services.comment_create(article=article, author=other_reader, body="One")
    services.comment_create(article=article, author=other_reader, body="Two")
    Visit.objects.filter(user=reader, article=article).update(seen=F("seen") - timedelta(minutes=4))

    tab.goto(live_server.url + article.get_absolute_url())

    expect(tab.locator("#new-comments")).to_have_text("2 new comments since you last looked")
    tab.reload()
    expect(tab.locator("#new-comments")).to_have_text("2 new comments since you last looked")


# Keys.


@pytest.mark.parametrize("device_tab", ["desktop-light", "phone-dark"], indirect=True)
def test_j_and_k_move_through_every_comment_and_reply_in_page_order(
    live_server, seeded_article, device_tab
):
    tab = device_tab
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    order = page_order(tab)
    assert len(order) == Comment.objects.filter(article=seeded_article).count() == 13

    background = "e => getComputedStyle(e).backgroundColor"
    plain = tab.locator(f"#{order[0]} > details > article").evaluate(background)
    for expected in order:
        tab.keyboard.press("j")
        focused = tab.locator("li.is-focused")
        expect(focused).to_have_count(1)
        expect(focused).to_have_attribute("id", expected)
        expect(tab.locator(f"#{expected} > details > article")).to_be_in_viewport()
        expect(tab.locator(f"#{expected} > details > article a:has(> time)")).to_be_focused()
        highlighted = tab.locator(f"#{expected} > details > article").evaluate(background)
        assert highlighted != plain
    tab.keyboard.press("j")  # the last stays the last
    expect(tab.locator("li.is-focused")).to_have_attribute("id", order[-1])
    for expected in reversed(order[:-1]):
        tab.keyboard.press("k")
        expect(tab.locator("li.is-focused")).to_have_attribute("id", expected)
        expect(tab.locator(f"#{expected} > details > article")).to_be_in_viewport()


def test_o_folds_the_comment_the_reader_is_on_and_j_skips_its_replies(
    live_server, seeded_article, tab
):
    sinbad = Comment.objects.get(author_name="Sinbad2", level=0)
    willing = Comment.objects.get(author_name__startswith="Willing")
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    order = page_order(tab)
    for _ in range(order.index(f"comment-{sinbad.pk}") + 1):
        tab.keyboard.press("j")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{sinbad.pk}")

    tab.keyboard.press("o")
    expect(card(tab, sinbad)).to_be_hidden()
    expect(tab.locator(f"#comment-{sinbad.pk} > details > summary")).to_have_text(
        "Sinbad2 · 7 replies · May 2021"
    )
    tab.keyboard.press("j")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{willing.pk}")
    tab.keyboard.press("k")
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{sinbad.pk}")
    tab.keyboard.press("o")
    expect(card(tab, sinbad)).to_be_visible()


def test_the_question_mark_shows_and_hides_the_keyboard_shortcuts(
    live_server, seeded_article, tab, scriptless_tab
):
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    help_ = tab.locator("#keyboard-help")
    expect(help_.locator("summary")).to_have_text("Keyboard shortcuts ?")
    expect(help_.get_by_text("Next and previous comment")).to_be_hidden()

    tab.keyboard.press("?")
    expect(help_.get_by_text("Next and previous comment")).to_be_visible()
    expect(help_.get_by_text("Next new comment")).to_be_visible()
    snap(tab, "keyboard-help")
    tab.keyboard.press("?")
    expect(help_.get_by_text("Next and previous comment")).to_be_hidden()

    # Without JavaScript there are no keys, so no list of them.
    scriptless_tab.goto(live_server.url + seeded_article.get_absolute_url())
    expect(scriptless_tab.locator("#keyboard-help")).to_be_hidden()


# Folding.


def test_a_comment_folds_with_its_replies_and_stays_folded_after_a_reload(
    live_server, seeded_article, tab
):
    sinbad = Comment.objects.get(author_name="Sinbad2", level=0)
    ronald = Comment.objects.get(author_name="Ronald")
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    fold = tab.locator(f"#comment-{sinbad.pk} > details > summary")

    fold.click()

    expect(fold).to_have_text("Sinbad2 · 7 replies · May 2021")
    expect(card(tab, sinbad)).to_be_hidden()
    expect(card(tab, ronald)).to_be_hidden()
    snap(tab, "folded-thread")
    tab.reload()
    expect(fold).to_have_text("Sinbad2 · 7 replies · May 2021")
    expect(card(tab, ronald)).to_be_hidden()
    fold.click()
    expect(card(tab, ronald)).to_be_visible()
    tab.reload()
    expect(card(tab, ronald)).to_be_visible()


def test_folding_works_without_javascript(live_server, seeded_article, scriptless_tab):
    tab = scriptless_tab
    sinbad = Comment.objects.get(author_name="Sinbad2", level=0)
    richard = Comment.objects.get(author_name="RichardD", level=2)  # 3 replies deep inside
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    tab.locator(f"#comment-{richard.pk} > details > summary").click()
    expect(tab.locator(f"#comment-{richard.pk} > details > summary")).to_have_text(
        "RichardD · 3 replies"
    )
    expect(card(tab, richard)).to_be_hidden()
    expect(card(tab, sinbad)).to_be_visible()
    tab.locator(f"#comment-{sinbad.pk} > details > summary").click()
    expect(tab.locator(f"#comment-{sinbad.pk} > details > summary")).to_have_text(
        "Sinbad2 · 7 replies"
    )
    expect(card(tab, sinbad)).to_be_hidden()


# A comment's lasting link.


def test_copy_link_puts_the_lasting_address_on_the_clipboard_and_it_opens_on_the_right_page(
    live_server, seeded_article, settings, tab
):
    settings.FORUM_THREADS_PER_PAGE = 2  # Ronald answers in the third thread: page 2
    ronald = Comment.objects.get(author_name="Ronald")
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    tab.goto(f"{live_server.url}{seeded_article.get_absolute_url()}?page=2")
    assert tab.evaluate("'share' in navigator") is False

    card(tab, ronald).locator("footer").hover()
    copy = tab.get_by_role("button", name="Copy the link to the comment by Ronald")
    expect(copy).to_have_text("Copy link")
    copy.click()
    expect(copy).to_have_text("Link copied")
    link = tab.evaluate("navigator.clipboard.readText()")
    assert link == f"{live_server.url}/comments/{ronald.pk}/"

    tab.goto(link)
    expect(tab).to_have_url(
        f"{live_server.url}{seeded_article.get_absolute_url()}?sort=oldest&page=2#comment-{ronald.pk}"
    )
    assert tab.evaluate("document.querySelector(':target').id") == f"comment-{ronald.pk}"
    expect(card(tab, ronald)).to_be_in_viewport()
    expect(tab.locator("li.is-focused")).to_have_attribute("id", f"comment-{ronald.pk}")


def test_without_javascript_each_comment_has_its_permalink_and_the_lasting_address_works(
    live_server, seeded_article, settings, scriptless_tab
):
    tab = scriptless_tab
    settings.FORUM_THREADS_PER_PAGE = 2
    ronald = Comment.objects.get(author_name="Ronald")
    tab.goto(f"{live_server.url}{seeded_article.get_absolute_url()}?page=2")
    expect(card(tab, ronald).locator("a:has(> time)")).to_have_attribute(
        "href", f"#comment-{ronald.pk}"
    )

    tab.goto(f"{live_server.url}/comments/{ronald.pk}/")

    expect(tab).to_have_url(
        f"{live_server.url}{seeded_article.get_absolute_url()}?sort=oldest&page=2#comment-{ronald.pk}"
    )
    assert tab.evaluate("document.querySelector(':target').id") == f"comment-{ronald.pk}"
    expect(card(tab, ronald)).to_be_in_viewport()


# Times.

ZONE = "Asia/Tokyo"


def exact_time(moment) -> str:
    """How forum.js writes a time in full for an American English reader in Tokyo."""
    local = moment.astimezone(ZoneInfo(ZONE))
    return f"{local:%A}, {local:%B} {local.day}, {local.year} at {local:%I:%M %p} GMT+9"


def test_tapping_a_comment_on_a_phone_shows_its_exact_time_with_the_zone(
    live_server, article, thread, devices
):
    tab = devices("phone-light", timezone_id=ZONE, locale="en-US")
    tab.goto(live_server.url + article.get_absolute_url())
    expect(tab.locator(".exact-time")).to_have_count(0)

    card(tab, thread["reply"]).locator(".comment-body").tap()

    expect(card(tab, thread["reply"]).locator(".exact-time")).to_have_text(
        exact_time(thread["reply"].created)
    )
    expect(tab.locator(".exact-time")).to_have_count(1)
    expect(tab).to_have_url(live_server.url + article.get_absolute_url())
    snap(tab, "exact-time-phone")


def test_with_a_mouse_a_comments_time_carries_its_exact_time_as_a_title(
    live_server, article, thread, devices
):
    tab = devices("desktop-light", timezone_id=ZONE, locale="en-US")
    tab.goto(live_server.url + article.get_absolute_url())

    time = card(tab, thread["second"]).locator("header time")

    expect(time).to_have_attribute("title", exact_time(thread["second"].created))
    expect(time).to_have_text("just now")


# Avatars.


def test_every_author_has_an_avatar_of_their_initials_on_a_colour(
    live_server, seeded_article, reader, moderator, settings, tab
):
    settings.FORUM_GUEST_COMMENTS = "held"
    nizam = Comment.objects.get(author_name="Nizam")
    guest = services.comment_create_as_guest(
        article=seeded_article,
        parent=nizam,
        name="Ana Lima",
        email="ana@example.com",
        body="A guest's reply.",
        ip="192.0.2.1",
    )
    services.comments_approve(comments=[guest], by=moderator)
    services.comment_create(article=seeded_article, author=reader, body="An account's comment.")
    tab.goto(live_server.url + seeded_article.get_absolute_url())

    avatars = tab.locator("#comments .comment-author").evaluate_all(
        """authors => authors.map(a => {
             const avatar = getComputedStyle(a, "::before");
             return [a.textContent, a.dataset.i, a.className, avatar.content,
                     avatar.backgroundColor];
           })"""
    )

    initials = {
        "RichardD": "RI",
        "Assad must stay (gr8rambino)": "AM",
        "Zionism = EVIL": "ZE",
        "Sinbad2": "SI",
        "Ronald": "RO",
        "Willing Conscience (The Truths": "WC",
        "Nizam": "NI",
        "Ana Lima": "AL",
        "reader": "RE",
    }
    assert sorted({name for name, *_ in avatars}) == sorted(initials)
    assert len(avatars) == 15
    colours = {}
    for name, letters, classes, content, background in avatars:
        assert letters == initials[name]
        assert content == f'"{letters}" / ""'  # the name is read out, not its initials
        assert re.fullmatch(r"comment-author a([0-9]|1[01])", classes), classes
        assert background != "rgb(73, 80, 87)", f"{name}'s colour is the fallback grey"
        assert colours.setdefault(name, (classes, background)) == (classes, background)
    assert len({background for _, background in colours.values()}) > 1


# Layout.


@pytest.mark.parametrize("device_tab", list(DEVICES), indirect=True)
def test_nothing_overflows_and_every_control_of_a_comment_is_big_enough_to_hit(
    live_server, seeded_article, reader, device_tab, request
):
    tab = device_tab
    name = request.node.callspec.params["device_tab"]
    touch, scheme = name.startswith("phone"), name.split("-")[1]
    deepest = Comment.objects.filter(article=seeded_article, level=4).order_by("lft").first()
    mine = services.comment_create(
        article=seeded_article, parent=deepest, author=reader, body="Mine, " + "long " * 60
    )
    assad = Comment.objects.get(author_name__startswith="Assad")
    sign_in(tab, live_server, reader)
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == scheme
    assert tab.evaluate("matchMedia('(pointer: coarse)').matches") is touch

    tab.locator(f"#comment-{assad.pk} > details > summary").click()
    for _ in page_order(tab):  # every comment reached, so each has its tools
        tab.keyboard.press("j")
    expect(
        card(tab, mine).get_by_role("button", name="Copy the link to the comment by reader")
    ).to_be_visible()
    card(tab, mine).get_by_role("link", name="Reply to reader").click()
    expect(tab.get_by_label("Your reply to reader")).to_be_focused()

    assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
    controls = tab.locator(
        "#comments footer a, #comments .comment-tool, #comments li.comment > details > summary, "
        "#comments .comment header a"
    ).evaluate_all(
        """all => all.filter(e => e.checkVisibility()).map(e => {
             const box = e.getBoundingClientRect();
             return [e.getAttribute("aria-label") || e.textContent, box.width, box.height];
           })"""
    )
    least = 44 if touch else 24
    small = [(label, w, h) for label, w, h in controls if w < least or h < least]
    assert small == [], small
    labels = [label for label, _, _ in controls]
    assert "Edit your comment" in labels and "Delete your comment" in labels
    assert f"Quote {deepest.author_name} in a reply" in labels
    assert "Assad must stay (gr8rambino) · 1 reply · May 2021" in labels  # folded
    snap(tab, f"thread-{name}")


def test_the_colour_mode_toggle_is_remembered(live_server, seeded_article, tab):
    tab.emulate_media(color_scheme="light")
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    tab.get_by_role("button", name="Dark mode").click()
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    tab.reload()
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    tab.get_by_role("button", name="Light mode").click()
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "light"


def landed_on(tab, pk: int) -> bool:
    """Whether the comment starts in the upper half of the window (at its top, unless
    the page ends too soon below it)."""
    return tab.evaluate(
        """pk => {
          const top = document.getElementById("comment-" + pk).getBoundingClientRect().top;
          return top >= -5 && top < innerHeight / 2;
        }""",
        pk,
    )


def test_a_link_to_a_comment_far_down_a_long_page_lands_on_it(
    live_server, article, tab, scriptless_tab
):
    """On a page of more than ten threads, threads are laid out only as they come near
    (static/css/forum.css): a jump to a comment far down must still end on it, with and
    without JavaScript, on a fresh load (a notification's link) and within the page."""
    build_thread(article, 600, max_depth=6)  # some 120 threads, the first ones long
    roots = list(
        Comment.objects.filter(article=article, level=0)
        .order_by("tree_id")
        .values_list("pk", flat=True)[:100]
    )
    url = live_server.url + article.get_absolute_url()
    for browser_tab in (tab, scriptless_tab):
        browser_tab.set_viewport_size({"width": 390, "height": 844})
        for pk in (roots[6], roots[60], roots[98]):
            browser_tab.goto(f"{url}?sort=oldest#comment-{pk}")
            browser_tab.wait_for_timeout(300)
            assert landed_on(browser_tab, pk), pk
    tab.goto(f"{url}?sort=oldest")
    tab.evaluate(f"location.hash = 'comment-{roots[80]}'")
    tab.wait_for_timeout(300)
    assert landed_on(tab, roots[80])
