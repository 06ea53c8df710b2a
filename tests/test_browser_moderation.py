"""Moderating from the thread in Chromium: in place with JavaScript, through buttons
and small confirmation pages without it; on a desktop and a 390 px phone, in light and
dark mode; and none of it ever reaching readers or anonymous visitors."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments import services
from comments.models import Ban, Comment, ModerationAction, Report
from tests.browser import BROWSER, open_tab, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-3"  # the moderator fixture's
READERS_PASSWORD = "a-long-passphrase-1"  # the reader fixture's
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# What only moderators get, by its markup (comments/threads/markup.py, _attention.html).
MODERATORS_ONLY = (
    ".comment-mod, .comment-reports, .comment-reported, .comment-banned, "
    ".comment-next-attention, form.comment-act, nav.attention-nav, form.undo-approval, "
    "a[data-moderate]"
)
# The contrast ratio (WCAG 2) of an element's text with the first opaque background
# behind it, its colour's transparency composited over that background.
CONTRAST = """e => {
  const parse = c => {
    const v = c.match(/[\\d.]+/g).map(Number);
    return v.length > 3 ? v : [...v, 1];
  };
  let back = [255, 255, 255, 1];
  for (let n = e; n; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) { back = c; break; }
  }
  const fore = parse(getComputedStyle(e).color);
  const mixed = [0, 1, 2].map(i => fore[i] * fore[3] + back[i] * (1 - fore[3]));
  const lum = rgb => rgb.map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [a, b] = [lum(mixed), lum(back.slice(0, 3))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def log_in(tab, live_server, next_url: str, *, username="moderator", password=PASSWORD) -> None:
    tab.goto(f"{live_server.url}{reverse('account_login')}?next={next_url}")
    tab.locator("#id_login").fill(username)
    tab.locator("#id_password").fill(password)
    tab.get_by_role("button", name="Log in").click()
    expect(tab.locator("#id_login")).to_have_count(0)


@pytest.fixture
def discussion(settings, article, reader, other_reader, moderator, django_user_model):
    """In page order: a question (reader); a reply reported twice (other); a held reply
    (other, pre-moderation); a banned author's comment (troll, a week); a held guest's
    comment (Gus)."""
    question = services.comment_create(article=article, author=reader, body="Is it open?")
    spam = services.comment_create(
        article=article, parent=question, author=other_reader, body="Buy cheap pills here"
    )
    ana, bob = (
        django_user_model.objects.create_user(name, password=READERS_PASSWORD)
        for name in ("ana", "bob")
    )
    services.comment_report(comment=spam, reporter=ana, reason="spam", note="Link to a pill shop")
    services.comment_report(comment=spam, reporter=bob, reason="abuse", note="Calls me a <liar>")
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(
        article=article, parent=question, author=other_reader, body="Yes"
    )
    settings.FORUM_MODERATION = "post"
    troll = django_user_model.objects.create_user("troll", password=READERS_PASSWORD)
    trolling = services.comment_create(article=article, author=troll, body="You are all wrong")
    services.users_ban(
        users=[troll], by=moderator, reason="trolling", ends=timezone.now() + timedelta(days=7)
    )
    settings.FORUM_GUEST_COMMENTS = "held"
    guest = services.comment_create_as_guest(
        article=article, name="Gus", email="gus@example.com", body="Hello?", ip="203.0.113.9"
    )
    return {"question": question, "spam": spam, "held": held, "trolling": trolling, "guest": guest}


def item(tab, comment):
    return tab.locator(f"#comment-{comment.pk}")


def card(tab, comment):
    return tab.locator(f"#comment-{comment.pk} > details > article")


# 1. A reported comment: its badge, its reports on demand, the actions beside it.


def test_a_reported_comment_shows_its_reports_on_demand_and_is_removed_with_their_reasons(
    live_server, transactional_db, moderator, discussion, article, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    reported = card(tab, discussion["spam"])
    badge = reported.locator("details.comment-reports > summary")
    expect(badge).to_have_text("Reported ×2: spam, abuse")
    reports = reported.locator("details.comment-reports li")
    expect(reports.first).to_be_hidden()
    badge.click()
    expect(reports).to_have_count(2)
    expect(reports.nth(0)).to_contain_text("Spam from ana")
    expect(reports.nth(0)).to_contain_text("“Link to a pill shop”")
    expect(reports.nth(1)).to_contain_text("Abuse or harassment from bob")
    expect(reports.nth(1)).to_contain_text("“Calls me a <liar>”")
    expect(reported.locator("footer").get_by_role("link")).to_have_text(
        ["Reply", "Remove", "Ban author", "Dismiss reports"]
    )
    snap(tab, "thread-reported-comment", of=item(tab, discussion["spam"]))

    reported.get_by_role("link", name="Remove the comment by other").click()
    reason = item(tab, discussion["spam"]).get_by_label("Reason (for moderators)")
    expect(reason).to_have_value(
        "Spam: Link to a pill shop; Abuse or harassment: Calls me a <liar>"
    )
    reason.fill("Spam")
    item(tab, discussion["spam"]).get_by_role("button", name="Remove").click()
    expect(card(tab, discussion["spam"]).locator(".comment-removal")).to_have_text(
        "Removed by moderator: Spam (2 reports resolved)"
    )
    expect(card(tab, discussion["spam"]).locator(".comment-reports")).to_have_count(0)
    assert tab.url.endswith(article.get_absolute_url())  # never left the page
    assert set(Report.objects.values_list("state", flat=True)) == {"resolved"}


def test_dismissing_reports_in_place_takes_the_badge_away(
    live_server, transactional_db, moderator, discussion, article, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    reported = item(tab, discussion["spam"])
    reported.get_by_role("link", name="Dismiss the reports on the comment by other").click()
    reported.get_by_role("button", name="Dismiss reports").click()
    expect(reported.get_by_role("status")).to_have_text("Reports dismissed.")
    expect(reported.locator(".comment-reports")).to_have_count(0)
    expect(reported).not_to_have_class(re.compile("comment-reported"))
    assert not Report.objects.open().exists()


def test_without_javascript_the_reports_open_and_removal_starts_from_their_reasons(
    settings, live_server, transactional_db, moderator, discussion, article, scriptless_tab
):
    settings.FORUM_PUBLIC_MODLOG = "on"
    tab = scriptless_tab
    log_in(tab, live_server, article.get_absolute_url())
    reported = card(tab, discussion["spam"])
    reported.locator("details.comment-reports > summary").click()
    expect(reported.locator("details.comment-reports li")).to_have_count(2)
    expect(reported.locator("details.comment-reports li").first).to_be_visible()
    reported.get_by_role("link", name="Remove the comment by other").click()
    expect(tab.get_by_role("heading", name="Remove this comment?")).to_be_visible()
    snap(tab, "moderate-confirm")
    # The browser itself asks for a reason before sending (the server asks again).
    reason = tab.get_by_label("Reason (for moderators)")
    expect(reason).to_have_attribute("required", "")
    expect(reason).to_have_value(
        "Spam: Link to a pill shop; Abuse or harassment: Calls me a <liar>"
    )
    tab.get_by_role("button", name="Remove").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['spam'].pk}$"))
    expect(card(tab, discussion["spam"]).locator(".comment-removal")).to_have_text(
        "Removed by moderator: Spam: Link to a pill shop; Abuse or harassment: Calls me a <liar> "
        "(2 reports resolved)"
    )
    tab.goto(f"{live_server.url}{reverse('comments:modlog')}")
    rows = tab.locator("table.modlog tbody tr")
    expect(rows).to_have_count(2)  # the removal, and troll's ban (the fixture's)
    expect(rows.filter(has_text="a comment by other on A quiet week")).to_have_count(1)
    snap(tab, "modlog")


# 2. A held comment says why, and who wrote it.


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_held_reported_and_banned_comments_read_clearly_on_every_screen(
    live_server, transactional_db, moderator, discussion, article, browser, screen, scheme
):
    context, tab, refused = open_tab(
        browser, color_scheme=scheme, **(PHONE if screen == "phone" else DESKTOP)
    )
    log_in(tab, live_server, article.get_absolute_url())
    held, guest = card(tab, discussion["held"]), card(tab, discussion["guest"])
    expect(held.locator(".comment-held-reason")).to_have_text(
        "Held Pre-moderation: every new comment waits for a moderator."
    )
    expect(guest.locator(".comment-held-reason")).to_have_text("Held Guest: waits for a moderator.")
    expect(guest.locator(".comment-guest-identity")).to_have_text(
        "Email gus@example.com IP 203.0.113.9"
    )
    banned = card(tab, discussion["trolling"]).locator("header .comment-banned")
    expect(banned).to_have_text(re.compile(r"^banned until \d+ \w{3} \d{4}, \d\d:\d\d \w+$"))
    badge = card(tab, discussion["spam"]).locator(".comment-reports > summary")
    badge.click()

    texts = [
        badge,
        banned,
        held.locator(".comment-held-reason"),
        guest.locator(".comment-guest-identity .comment-mod-label").first,
        card(tab, discussion["spam"]).locator(".comment-reports li").first,
        held.get_by_role("button", name="Approve the comment by other"),
        card(tab, discussion["spam"]).locator(".comment-next-attention"),
        tab.locator("nav.attention-nav .attention-count"),
        tab.locator("nav.attention-nav > a"),
    ]
    for text in texts:
        assert text.evaluate(CONTRAST) >= 4.5, text
    width = (PHONE if screen == "phone" else DESKTOP)["viewport"]["width"]
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    if screen == "phone":  # a thumb can hit each of them
        targets = [
            badge,
            held.get_by_role("button", name="Approve the comment by other"),
            card(tab, discussion["spam"]).locator(".comment-next-attention"),
            tab.locator("nav.attention-nav > a"),
        ]
        for target in targets:
            box = target.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, target
    if (screen, scheme) == ("desktop", "light"):
        snap(tab, "thread-moderation")
    context.close()
    assert refused == []


# 3. A banned author: marked, and "Lift ban" instead of "Ban author".


def test_a_moderator_lifts_a_ban_in_place_with_an_optional_reason(
    live_server, transactional_db, moderator, discussion, article, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    trolling = item(tab, discussion["trolling"])
    footer = card(tab, discussion["trolling"]).locator("footer")
    expect(footer.get_by_role("link", name="Ban troll, the author")).to_have_count(0)
    footer.get_by_role("link", name="Lift the ban on troll, the author").click()
    expect(trolling.get_by_label("Reason (optional, for moderators)")).to_have_value("")
    trolling.get_by_role("button", name="Lift ban").click()
    expect(trolling.get_by_role("status")).to_have_text("The ban on troll is lifted.")
    expect(trolling.locator(".comment-banned")).to_have_count(0)
    expect(footer.get_by_role("link", name="Ban troll, the author")).to_be_visible()
    assert not Ban.objects.active().exists()
    assert ModerationAction.objects.filter(kind="unban", reason="").count() == 1


def test_without_javascript_lifting_a_ban_is_a_small_confirmation_page(
    live_server, transactional_db, moderator, discussion, article, scriptless_tab
):
    tab = scriptless_tab
    log_in(tab, live_server, article.get_absolute_url())
    card(tab, discussion["trolling"]).get_by_role(
        "link", name="Lift the ban on troll, the author"
    ).click()
    expect(
        tab.get_by_role("heading", name="Lift the ban on this comment’s author?")
    ).to_be_visible()
    tab.get_by_label("Reason (optional, for moderators)").fill("Apologised")
    tab.get_by_role("button", name="Lift ban").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['trolling'].pk}$"))
    expect(tab.get_by_role("status")).to_have_text("The ban on troll is lifted.")
    expect(card(tab, discussion["trolling"]).locator(".comment-banned")).to_have_count(0)
    assert ModerationAction.objects.get(kind="unban").reason == "Apologised"


# 4. Approve acts at once, and offers Undo for a while.


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_moderator_approves_in_place_at_once_and_undoes_it(
    live_server, transactional_db, moderator, discussion, article, browser, scheme
):
    context, tab, refused = open_tab(browser, color_scheme=scheme)
    log_in(tab, live_server, article.get_absolute_url())
    held = item(tab, discussion["held"])
    expect(card(tab, discussion["held"]).locator(".comment-badge")).to_have_text(
        "awaiting moderation"
    )
    held.get_by_role("button", name="Approve the comment by other").click()
    note = held.get_by_role("status")
    expect(note).to_have_text("Comment approved. Undo")
    expect(card(tab, discussion["held"]).locator(".comment-badge")).to_have_count(0)
    undo = note.get_by_role("button", name="Undo approving the comment by other")
    expect(undo).to_be_focused()
    assert undo.evaluate(CONTRAST) >= 4.5 and note.evaluate(CONTRAST) >= 4.5
    assert Comment.objects.get(pk=discussion["held"].pk).status == Comment.Status.PUBLISHED
    if scheme == "light":
        snap(tab, "thread-approved-undo", of=held)

    undo.click()
    expect(note).to_have_text("Approval undone: the comment is held again.")
    expect(card(tab, discussion["held"]).locator(".comment-badge")).to_have_text(
        "awaiting moderation"
    )
    expect(held.get_by_role("button", name="Approve the comment by other")).to_be_focused()
    comment = Comment.objects.get(pk=discussion["held"].pk)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason.startswith("Pre-moderation")
    assert tab.url.endswith(article.get_absolute_url())  # never left the page
    context.close()
    assert refused == []


def test_the_undo_button_goes_once_its_ten_minutes_are_over(
    live_server, transactional_db, moderator, discussion, article, tab
):
    tab.clock.install()
    log_in(tab, live_server, article.get_absolute_url())
    held = item(tab, discussion["held"])
    held.get_by_role("button", name="Approve the comment by other").click()
    undo = held.get_by_role("button", name="Undo approving the comment by other")
    expect(undo).to_be_visible()
    tab.clock.run_for("09:50")
    expect(undo).to_be_visible()
    tab.clock.run_for("00:20")
    expect(undo).to_have_count(0)
    expect(held.get_by_role("status")).to_have_text("Comment approved.")


def test_an_undo_refused_says_why_in_place(
    live_server, transactional_db, moderator, discussion, article, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    held = item(tab, discussion["held"])
    held.get_by_role("button", name="Approve the comment by other").click()
    undo = held.get_by_role("button", name="Undo approving the comment by other")
    expect(undo).to_be_visible()
    # Someone removes it meanwhile, from another tab.
    services.comments_remove(comments=[discussion["held"]], by=moderator, reason="changed mind")
    undo.click()
    expect(held.get_by_role("status")).to_have_text(
        "This approval can no longer be undone: the comment has been acted on since (Removed)."
    )
    expect(undo).to_have_count(0)
    assert Comment.objects.get(pk=discussion["held"].pk).status == Comment.Status.REMOVED


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_without_javascript_approve_is_one_post_and_the_message_offers_undo(
    live_server, transactional_db, moderator, discussion, article, browser, screen
):
    context, tab, _refused = open_tab(
        browser, java_script_enabled=False, **(PHONE if screen == "phone" else DESKTOP)
    )
    log_in(tab, live_server, article.get_absolute_url())
    item(tab, discussion["held"]).get_by_role("button", name="Approve the comment by other").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['held'].pk}$"))
    message = tab.locator("#messages").get_by_role("status")
    expect(message).to_have_text("Comment approved. Undo")
    undo = message.get_by_role("button", name="Undo approving the comment by other")
    expect(undo).to_be_in_viewport()  # while the browser shows the comment
    assert undo.evaluate(CONTRAST) >= 4.5
    expect(card(tab, discussion["held"])).to_be_in_viewport()
    expect(card(tab, discussion["held"]).locator(".comment-badge")).to_have_count(0)
    if screen == "phone":
        box = undo.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44

    undo.click()
    expect(tab.locator("#messages").get_by_role("status")).to_have_text(
        "Approval undone: the comment is held again."
    )
    expect(card(tab, discussion["held"]).locator(".comment-badge")).to_have_text(
        "awaiting moderation"
    )
    assert Comment.objects.get(pk=discussion["held"].pk).status == Comment.Status.PENDING
    context.close()


# 5. From one comment that needs a moderator to the next.


def test_the_key_a_goes_from_one_comment_needing_a_moderator_to_the_next(
    live_server, transactional_db, moderator, discussion, article, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    tab.keyboard.press("?")
    expect(tab.locator("#keyboard-help dl")).to_contain_text(
        "aNext comment that needs a moderator (held or reported)"
    )
    tab.keyboard.press("?")
    focused = tab.locator("li.comment.is-focused")
    waiting = [discussion[name] for name in ("spam", "held", "guest")]
    for comment in waiting:
        tab.keyboard.press("a")
        expect(focused).to_have_attribute("id", f"comment-{comment.pk}")
        expect(tab).to_have_url(re.compile(f"#comment-{comment.pk}$"))
    tab.keyboard.press("a")  # past the last: the first again
    expect(focused).to_have_attribute("id", f"comment-{waiting[0].pk}")
    # What is approved in place no longer needs anyone.
    item(tab, discussion["held"]).get_by_role("button", name="Approve the comment by other").click()
    expect(item(tab, discussion["held"]).get_by_role("status")).to_contain_text("Comment approved.")
    tab.locator(f"#comment-{waiting[0].pk} .comment-body").click()
    tab.keyboard.press("a")
    expect(focused).to_have_attribute("id", f"comment-{discussion['guest'].pk}")


def test_without_javascript_links_lead_from_one_comment_needing_a_moderator_to_the_next(
    live_server, transactional_db, moderator, discussion, article, scriptless_tab
):
    tab = scriptless_tab
    log_in(tab, live_server, article.get_absolute_url())
    nav = tab.get_by_role("navigation", name="Comments that need a moderator")
    expect(nav).to_contain_text("3 comments on this page need a moderator")
    nav.get_by_role("link", name="Next needing attention").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['spam'].pk}$"))
    card(tab, discussion["spam"]).get_by_role("link", name="Next needing attention").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['held'].pk}$"))
    card(tab, discussion["held"]).get_by_role("link", name="Next needing attention").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['guest'].pk}$"))
    expect(card(tab, discussion["guest"]).locator(".comment-next-attention")).to_have_count(0)


# None of it for readers.


@pytest.mark.parametrize("who", ["anonymous", "reader", "author of the held comment"])
def test_readers_and_anonymous_visitors_never_receive_any_of_it(
    live_server, transactional_db, moderator, discussion, article, browser, who
):
    context, moderators_tab, _ = open_tab(browser)
    log_in(moderators_tab, live_server, article.get_absolute_url())
    expect(moderators_tab.locator("nav.attention-nav")).to_be_visible()
    context.close()

    context, tab, refused = open_tab(browser)
    if who != "anonymous":
        username = "reader" if who == "reader" else "other"
        password = READERS_PASSWORD if who == "reader" else "a-long-passphrase-2"
        log_in(tab, live_server, article.get_absolute_url(), username=username, password=password)
    else:
        tab.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(tab.locator(f"#comment-{discussion['question'].pk}")).to_be_visible()
    expect(tab.locator(MODERATORS_ONLY)).to_have_count(0)
    html = tab.content()
    for text in (
        "Reported ×",
        "pill shop",
        "gus@example.com",
        "203.0.113.9",
        "banned until",
        "Lift ban",
        "Pre-moderation",
        "Next needing attention",
        "Approve",
    ):
        assert text not in html, text
    tab.keyboard.press("a")
    expect(tab.locator("li.comment.is-focused")).to_have_count(0)
    context.close()
    assert refused == []
