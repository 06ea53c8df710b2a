"""In Chromium: the moderation queue says why a comment was reported, and the site's
"Moderate" button counts what needs a moderator for staff, on a desktop and in a
phone's menu, in light and dark mode, and never for readers or anonymous visitors."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from tests.browser import BROWSER, open_tab, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-9"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
# The narrowest desktop: from 992 px the whole bar stands in one row.
DESKTOP = {"viewport": {"width": 1024, "height": 800}}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}

# The contrast ratio (WCAG 2) of an element's text with its own background.
CONTRAST = """e => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(e);
  const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


# Whether every link, button and field of the bar stands in one row.
ONE_ROW = """nav => {
  const middles = [...nav.querySelectorAll("a, button, input")]
    .filter(e => e.checkVisibility())
    .map(e => { const box = e.getBoundingClientRect(); return (box.top + box.bottom) / 2; });
  return Math.max(...middles) - Math.min(...middles) <= 4;
}"""


@pytest.fixture
def people(transactional_db, django_user_model, seeded_article):
    """A member of staff who moderates, a reader, and two comments waiting: one held
    after three readers' reports, one reported once."""
    staff = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    reporters = [
        django_user_model.objects.create_user(name, password=PASSWORD)
        for name in ("ana", "bob", "cyd")
    ]
    sinbad = Comment.objects.filter(author_name="Sinbad2").order_by("lft").last()
    notes = ["Calls another reader a <liar> & worse", "", "Link to a pill shop"]
    for reporter, reason, note in zip(reporters, ["abuse", "abuse", "spam"], notes, strict=True):
        services.comment_report(comment=sinbad, reporter=reporter, reason=reason, note=note)
    Comment.objects.filter(pk=sinbad.pk).update(status=Comment.Status.PENDING)
    nizam = Comment.objects.get(author_name="Nizam")
    services.comment_report(comment=nizam, reporter=reader, reason="off_topic")
    return {"staff": staff, "reader": reader, "reported": sinbad}


def log_in(tab, live_server, username: str) -> None:
    tab.goto(f"{live_server.url}{reverse('account_login')}")
    tab.locator("#id_login").fill(username)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    expect(tab.locator("#id_login")).to_have_count(0)


def test_a_queue_row_groups_the_reasons_and_quotes_each_note_with_its_reporter(
    live_server, people, tab
):
    reported = people["reported"]
    tab.goto(live_server.url + reverse("admin:index"))
    tab.get_by_label("Username").fill("boss")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.get_by_role("link", name="Open the moderation queue").click()

    row = tab.locator("#result_list tbody tr").filter(
        has=tab.locator(f'a.queue-open:text-is("#{reported.pk}")')
    )
    expect(row.locator(".queue-reasons")).to_have_text("Reported: Abuse or harassment ×2, Spam ×1")
    expect(row.locator(".queue-notes li")).to_have_text(
        ["Link to a pill shop (cyd)", "Calls another reader a <liar> & worse (ana)"]
    )
    expect(row.locator(".field-reporters")).to_have_text("ana, bob, cyd")
    expect(row.locator(".author-removed")).to_have_count(0)  # imported: no address
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(tab, "admin-queue-reasons", of=row)


def moderate_link(tab):
    return tab.locator("nav.navbar").get_by_role("link", name=re.compile("^Moderate"))


def open_menu_on_a_phone(tab, screen: str) -> None:
    if screen == "phone":
        menu = tab.locator("nav summary", has_text="Menu")
        expect(moderate_link(tab)).to_be_hidden()
        menu.click()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_staff_see_how_many_comments_need_a_moderator_on_the_moderate_button(
    live_server, people, browser, screen, scheme
):
    context, tab, refused = open_tab(browser, color_scheme=scheme, **SCREENS[screen])
    log_in(tab, live_server, "boss")
    tab.goto(live_server.url + reverse("articles:article-list"))

    open_menu_on_a_phone(tab, screen)

    button = tab.locator("nav.navbar").get_by_role(
        "link", name="Moderate: 2 need attention", exact=True
    )
    expect(button).to_be_visible()
    expect(button).to_have_text(re.compile(r"^\s*Moderate\s+2\s*$"))
    badge = button.locator(".badge")
    expect(badge).to_be_visible()
    assert badge.evaluate(CONTRAST) >= 4.5
    box = button.bounding_box()
    width = SCREENS[screen]["viewport"]["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    if screen == "desktop":
        assert tab.locator("nav.navbar").evaluate(ONE_ROW)
    if (screen, scheme) == ("phone", "dark"):
        snap(tab, "moderate-count-phone-dark")
    button.click()
    expect(tab).to_have_url(re.compile(re.escape(reverse("admin:comments_comment_changelist"))))
    expect(tab.locator("#result_list tbody tr")).to_have_count(2)
    context.close()
    assert refused == []


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_and_anonymous_visitors_never_see_the_moderate_button_or_its_count(
    live_server, people, browser, who, screen
):
    context, tab, refused = open_tab(browser, **SCREENS[screen])
    if who == "reader":
        log_in(tab, live_server, "reader")
    tab.goto(live_server.url + reverse("articles:article-list"))

    if screen == "phone":
        tab.locator("nav summary", has_text="Menu").click()
    expect(tab.locator("nav .site-menu-panel")).to_be_visible()
    expect(moderate_link(tab)).to_have_count(0)
    expect(tab.locator("nav.navbar")).not_to_contain_text("attention")
    expect(tab.locator("nav.navbar")).not_to_contain_text("Moderate")
    context.close()
    assert refused == []
