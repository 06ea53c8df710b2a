"""The navigation bar in Chromium: one row on a desktop for readers and staff alike; on
a phone one short row (the brand, the bell, a Menu button) with the article's title
right below it, and a menu that holds the rest and works with and without JavaScript;
in light and dark mode, and never wider than a 320 px screen."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from tests.browser import BROWSER, open_tab, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-9"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
VISITORS = ["anonymous", "reader", "staff"]
LOGINS = {"reader": "reader", "staff": "moderator"}
LONG_NAME = "Willing_Conscience_The_Truths_Teller"

# What each visitor reaches from the bar, as (role, accessible name); the bell (signed
# in) stays in the phone's row, the rest is in its menu.
BRAND = ("link", "Forum")
SEARCH = ("searchbox", "Search articles and comments")
SEARCHBOX = {"role": SEARCH[0], "name": SEARCH[1]}
BELLS = {"reader": ("link", "Notifications: 1 unread"), "staff": ("link", "Notifications")}
MENU = {
    "anonymous": [SEARCH, ("link", "Log in"), ("link", "Sign up")],
    "reader": [SEARCH, ("link", "Settings"), ("link", "reader"), ("button", "Log out")],
    "staff": [
        SEARCH,
        ("link", "Settings"),
        ("link", "moderator"),
        ("link", "Moderate"),
        ("button", "Log out"),
    ],
}
# A link each visitor follows from the phone's menu, and where it leads.
FOLLOWED = {
    "anonymous": ("Log in", "account_login"),
    "reader": ("Settings", "notifications:settings"),
    "staff": ("Moderate", "admin:comments_comment_changelist"),
}

# The vertical extent of the bar and of every link, button, field and summary it shows.
GEOMETRY = """nav => {
  const box = e => e.getBoundingClientRect();
  const label = e => e.getAttribute("aria-label") || e.textContent.trim() || e.name;
  const shown = [...nav.querySelectorAll("a, button, input, summary")]
    .filter(e => e.checkVisibility() && box(e).width > 0);
  return {
    bar: [box(nav).top, box(nav).bottom],
    items: shown.map(e => [label(e), box(e).top, box(e).bottom]),
  };
}"""


@pytest.fixture
def people(transactional_db, django_user_model, seeded_article):
    """A reader with one unread notification, and a member of staff."""
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    staff = django_user_model.objects.create_superuser("moderator", password=PASSWORD)
    question = services.comment_create(article=seeded_article, author=reader, body="Open?")
    services.comment_create(article=seeded_article, parent=question, author=staff, body="Yes.")
    return {"reader": reader, "staff": staff}


def visit(browser, live_server, path: str, *, login: str | None = None, **options):
    """A fresh tab showing `path`, signed in as `login` through the log-in form (unless
    it is None); the page is loaded again after the log-in, so that no "You are logged
    in" message is on it."""
    context, tab, refused = open_tab(browser, **options)
    if login:
        tab.goto(f"{live_server.url}{reverse('account_login')}")
        tab.locator("#id_login").fill(login)
        tab.locator("#id_password").fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        expect(tab.locator("#id_login")).to_have_count(0)
    tab.goto(live_server.url + path)
    return context, tab, refused


def one_row(geometry: dict, *, under: int = 70) -> None:
    """Every item of the bar on one line (their middles within a few pixels of each
    other, all inside the bar), and the bar less than `under` px tall."""
    top, bottom = geometry["bar"]
    middles = [(t + b) / 2 for _, t, b in geometry["items"]]
    assert bottom - top < under, geometry
    assert max(middles) - min(middles) <= 4, geometry
    assert all(top <= t and b <= bottom for _, t, b in geometry["items"]), geometry


def labels(geometry: dict) -> list[str]:
    return [label for label, _, _ in geometry["items"]]


def colour_button(scheme: str) -> tuple[str, str]:
    return ("button", "Light mode" if scheme == "dark" else "Dark mode")


def menu_button(tab):
    return tab.locator("nav summary", has_text="Menu")


def fits(target, width: int) -> bool:
    box = target.bounding_box()
    return box["x"] >= 0 and box["x"] + box["width"] <= width


def stands_apart(tab) -> bool:
    """Whether the bar's colour differs from the page's (in dark mode they were one)."""
    return tab.evaluate(
        "[document.querySelector('nav.navbar'), document.body]"
        ".map(e => getComputedStyle(e).backgroundColor)"
        ".reduce((bar, page) => bar !== page)"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 1024])
@pytest.mark.parametrize("who", VISITORS)
def test_on_a_desktop_the_bar_is_one_row_for_readers_and_staff_alike(
    live_server, people, browser, who, width, scheme
):
    context, tab, refused = visit(
        browser,
        live_server,
        reverse("articles:article-list"),
        login=LOGINS.get(who),
        viewport={"width": width, "height": 800},
        color_scheme=scheme,
    )
    bar = tab.locator("nav.navbar")

    shown = [BRAND, *([BELLS[who]] if who in BELLS else []), *MENU[who], colour_button(scheme)]
    for role, name in shown:
        expect(bar.get_by_role(role, name=name, exact=True)).to_be_visible()
    expect(bar.get_by_role("search")).to_be_visible()
    expect(menu_button(tab)).to_be_hidden()
    if who == "reader":
        expect(bar.get_by_role("link", name="Moderate")).to_have_count(0)
    one_row(bar.evaluate(GEOMETRY))
    assert stands_apart(tab)
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    if (who, width, scheme) == ("staff", 1280, "light"):
        snap(tab, "navbar-desktop-staff")
    context.close()
    assert refused == []


def test_on_a_desktop_a_long_name_is_cut_short_and_the_bar_stays_one_row(
    live_server, browser, transactional_db, django_user_model
):
    django_user_model.objects.create_superuser(LONG_NAME, password=PASSWORD)
    context, tab, refused = visit(
        browser,
        live_server,
        reverse("articles:article-list"),
        login=LONG_NAME,
        viewport={"width": 1024, "height": 800},
    )
    bar = tab.locator("nav.navbar")

    expect(bar.get_by_role("link", name=LONG_NAME)).to_be_visible()
    expect(bar.get_by_role("button", name="Log out")).to_be_visible()
    one_row(bar.evaluate(GEOMETRY))
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1024
    context.close()
    assert refused == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("who", VISITORS)
def test_on_a_phone_the_title_comes_right_below_one_short_row_and_the_menu_holds_the_rest(
    live_server, seeded_article, people, browser, who, scheme
):
    context, tab, refused = visit(
        browser,
        live_server,
        seeded_article.get_absolute_url(),
        login=LOGINS.get(who),
        color_scheme=scheme,
        **PHONE,
    )
    bar = tab.locator("nav.navbar")

    geometry = bar.evaluate(GEOMETRY)
    row = ["Forum", *([BELLS[who][1]] if who in BELLS else []), "Menu"]
    assert labels(geometry) == row, geometry
    one_row(geometry, under=65)
    title_top = tab.get_by_role("heading", level=1).evaluate("h => h.getBoundingClientRect().top")
    assert geometry["bar"][1] <= title_top < 90, (geometry, title_top)
    assert stands_apart(tab)
    for role, name in MENU[who]:
        expect(bar.get_by_role(role, name=name, exact=True)).to_be_hidden()

    menu_button(tab).click()

    for role, name in [*MENU[who], colour_button(scheme)]:
        target = bar.get_by_role(role, name=name, exact=True)
        expect(target).to_be_visible()
        assert fits(target, 390), name
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    # The open menu lies over the page: its background hides what is beneath.
    panel = tab.locator("nav .site-menu-panel")
    assert panel.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"

    name, url_name = FOLLOWED[who]
    bar.get_by_role("link", name=name, exact=True).click()
    expect(tab).to_have_url(re.compile(re.escape(live_server.url + reverse(url_name))))
    context.close()
    assert refused == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_phone_menu_holds_search_colour_mode_and_a_moderators_links_in_order(
    live_server, people, browser, scheme
):
    context, tab, refused = visit(
        browser,
        live_server,
        reverse("articles:article-list"),
        login="moderator",
        color_scheme=scheme,
        **PHONE,
    )

    menu_button(tab).click()

    panel = tab.locator("nav .site-menu-panel")
    expect(panel).to_be_visible()
    found = panel.locator("a, button, input").evaluate_all(
        "els => els.filter(e => e.checkVisibility())"
        ".map(e => e.getAttribute('aria-label') || e.textContent.trim() || e.name)"
    )
    dark_mode = "Light mode" if scheme == "dark" else "Dark mode"
    assert found == ["q", "Search", dark_mode, "moderator", "Settings", "Moderate", "Log out"]
    snap(tab, f"menu-phone-{scheme}")
    context.close()
    assert refused == []


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_without_javascript_the_phone_menu_opens_and_its_links_and_forms_work(
    live_server, seeded_article, people, browser, who
):
    context, tab, _refused = visit(
        browser,
        live_server,
        seeded_article.get_absolute_url(),
        login=LOGINS.get(who),
        java_script_enabled=False,
        **PHONE,
    )
    bar = tab.locator("nav.navbar")
    expect(bar.get_by_role("link", name=MENU[who][1][1], exact=True)).to_be_hidden()

    menu_button(tab).click()
    bar.get_by_role(**SEARCHBOX).fill("Syria")
    bar.get_by_role(**SEARCHBOX).press("Enter")
    expect(tab).to_have_url(re.compile(re.escape(reverse("search:search")) + r"\?q=Syria"))

    menu_button(tab).click()
    if who == "anonymous":
        bar.get_by_role("link", name="Log in", exact=True).click()
        expect(tab.locator("#id_login")).to_be_visible()
    else:
        bar.get_by_role("button", name="Log out").click()
        menu_button(tab).click()
        expect(bar.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    context.close()


@pytest.mark.parametrize("who", VISITORS)
def test_nothing_is_wider_than_a_320_px_screen_with_the_menu_closed_or_open(
    live_server, seeded_article, people, browser, who
):
    options = {**PHONE, "viewport": {"width": 320, "height": 640}}
    context, tab, refused = visit(
        browser, live_server, seeded_article.get_absolute_url(), login=LOGINS.get(who), **options
    )

    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    one_row(tab.locator("nav.navbar").evaluate(GEOMETRY), under=65)
    menu_button(tab).click()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    for role, name in MENU[who]:
        assert fits(tab.locator("nav").get_by_role(role, name=name, exact=True), 320), name
    context.close()
    assert refused == []


def test_a_long_name_fits_a_320_px_menu(live_server, browser, transactional_db, django_user_model):
    django_user_model.objects.create_user(LONG_NAME, password=PASSWORD)
    options = {**PHONE, "viewport": {"width": 320, "height": 640}}
    context, tab, refused = visit(
        browser, live_server, reverse("articles:article-list"), login=LONG_NAME, **options
    )

    menu_button(tab).click()
    name = tab.locator("nav").get_by_role("link", name=LONG_NAME)
    expect(name).to_be_visible()
    assert fits(name, 320)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
    assert refused == []


def test_on_a_phone_the_keyboard_reaches_the_skip_link_first_then_opens_the_menu(
    live_server, seeded_article, people, browser
):
    context, tab, refused = visit(
        browser, live_server, seeded_article.get_absolute_url(), login="reader", **PHONE
    )

    tab.keyboard.press("Tab")
    expect(tab.get_by_role("link", name="Skip to content")).to_be_focused()
    for _ in range(3):  # the brand, the bell, the Menu button
        tab.keyboard.press("Tab")
    expect(menu_button(tab)).to_be_focused()
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    expect(tab.locator("nav").get_by_role(**SEARCHBOX)).to_be_focused()
    context.close()
    assert refused == []
