"""End-to-end checks in headless Chromium, driven by Playwright.

They run where Debian's chromium is installed (`.ci/run` installs it) and skip
elsewhere. With SCREENSHOT_DIR set they also save full-page screenshots of the
pages a reader and a moderator see (`make screenshots`).
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from tests.browser import BROWSER, snap
from tests.factories import establish
from tests.trees import assert_valid_trees

pytestmark = BROWSER


def test_a_newcomer_signs_up_and_replies_deep_in_the_seed_thread(
    live_server, seeded_article, tab, transactional_db
):
    tab.goto(live_server.url)
    snap(tab, "home")
    tab.get_by_role("link", name=seeded_article.title).click()
    expect(tab.locator("li.comment")).to_have_count(13)
    snap(tab, "article")

    deepest = Comment.objects.filter(article=seeded_article, level=4).order_by("lft").first()
    tab.locator(f"#comment-{deepest.pk}").get_by_role("link", name="Reply").first.click()
    # Logged out: the reply link leads to log in; from there, to sign up.
    expect(tab).to_have_url(re.compile(re.escape(reverse("account_login"))))
    tab.get_by_role("link", name="Create an account").click()
    tab.locator("#id_username").fill("newcomer")
    tab.locator("#id_email").fill("newcomer@example.com")
    tab.locator("#id_password1").fill("correct-horse-battery")
    tab.locator("#id_password2").fill("correct-horse-battery")
    tab.get_by_role("button", name="Sign up").click()

    reply_page = reverse("comments:comment-reply", kwargs={"pk": deepest.pk})
    expect(tab).to_have_url(f"{live_server.url}{reply_page}")
    snap(tab, "reply")
    tab.locator("#id_body").fill("Sources, please.\n\nI would like to read them.")
    tab.get_by_role("button", name="Post reply").click()

    expect(tab).to_have_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(author__username="newcomer")
    expect(tab).to_have_url(re.compile(f"#comment-{reply.pk}$"))
    nested = tab.locator(f"#comment-{deepest.pk} #comment-{reply.pk}")
    expect(nested.locator(".comment-body p")).to_have_text(
        ["Sources, please.", "I would like to read them."]
    )
    assert reply.level == 5
    assert_valid_trees()


def fits(tab) -> bool:
    """Nothing wider than the window, and the admin's list needs no sideways scrolling."""
    return tab.evaluate(
        """document.documentElement.scrollWidth <= window.innerWidth
        && [...document.querySelectorAll('.results')].every(
            (box) => box.scrollWidth <= box.clientWidth)"""
    )


def test_a_moderator_removes_a_comment_in_the_admin(
    live_server, seeded_article, tab, transactional_db, django_user_model
):
    boss = django_user_model.objects.create_superuser(
        "boss", "boss@example.com", "a-long-passphrase-9"
    )
    # Give the queue something to show first: a comment held after three reports.
    sinbad = Comment.objects.filter(author_name="Sinbad2").order_by("lft").last()
    for n in range(3):
        reporter = establish(
            django_user_model.objects.create_user(f"reporter{n}", password="pw-long-enough")
        )
        services.comment_report(comment=sinbad, reporter=reporter, reason="abuse")
    services.comments_remove(
        comments=Comment.objects.filter(author_name="Ronald"), by=boss, reason="Off-topic"
    )
    tab.goto(live_server.url + reverse("admin:index"))
    tab.get_by_label("Username").fill("boss")
    tab.get_by_label("Password").fill("a-long-passphrase-9")
    tab.get_by_role("button", name="Log in").click()
    # The index says what waits, and opens the queue of what needs attention.
    tallies = tab.locator(".moderation-tallies li")
    expect(tallies.filter(has_text="Held comments").locator(".tally-count")).to_have_text("1")
    expect(tallies.filter(has_text="Removals today").locator(".tally-count")).to_have_text("1")
    snap(tab, "admin-index")
    assert fits(tab)
    tab.get_by_role("link", name="Open the moderation queue").click()
    entry = tab.locator(f'.queue-entry:has(a.queue-open:text-is("#{sinbad.pk}"))')
    expect(entry.locator(".queue-parent")).to_be_visible()
    entry.locator(".queue-earlier summary").click()
    expect(entry.locator(".queue-earlier .comment-body").first).to_be_visible()
    snap(tab, "admin-queue")
    assert fits(tab)
    tab.goto(live_server.url + reverse("admin:comments_comment_changelist"))
    snap(tab, "admin-changelist")
    assert fits(tab)

    nizam = Comment.objects.get(author_name="Nizam")
    tab.locator(f'input[name="_selected_action"][value="{nizam.pk}"]').check()
    tab.locator('select[name="action"]').select_option("remove_comments")
    tab.get_by_role("button", name="Go").click()
    tab.locator("#id_reason").fill("Off-topic speculation")
    snap(tab, "admin-remove-reason")
    tab.get_by_role("button", name="Remove comments").click()

    expect(tab.locator(".messagelist")).to_contain_text(f"Removed 1 comment: #{nizam.pk} by Nizam.")
    first_row = tab.locator("#result_list tbody tr").first
    expect(first_row.locator(".queue-comment")).to_contain_text("Yes I know how Americans")
    expect(first_row.locator(".field-report_count")).to_have_text("3")
    # The held comment's own page: its context, reports and history, and buttons.
    tab.goto(live_server.url + reverse("admin:comments_comment_change", args=[sinbad.pk]))
    buttons = tab.locator(".moderation-buttons button")
    expect(buttons).to_have_text(["Approve", "Remove…", "Dismiss reports"])
    snap(tab, "admin-comment")
    assert fits(tab)
    tab.goto(live_server.url + reverse("admin:comments_moderationaction_changelist"))
    snap(tab, "admin-moderation-log")
    # the automatic hold, the removal of Ronald's comment, the removal just made
    expect(tab.locator("#result_list tbody tr")).to_have_count(3)

    tab.goto(f"{live_server.url}{seeded_article.get_absolute_url()}")
    # Staff see the removed comment in place, marked with who removed it and why.
    expect(tab.locator(f"#comment-{nizam.pk} .comment-removal")).to_have_text(
        "Removed by boss: Off-topic speculation"
    )
    # And the held comment, marked; readers would see neither.
    held = tab.locator(f"#comment-{sinbad.pk}")
    expect(held.locator(".comment-badge")).to_have_text("awaiting moderation")
    snap(tab, "article-as-moderator")


def test_a_reader_reports_a_comment_and_edits_then_deletes_their_own(
    live_server, seeded_article, tab, transactional_db, django_user_model
):
    django_user_model.objects.create_user("ana", password="a-long-passphrase-7")
    login = reverse("account_login")
    tab.goto(f"{live_server.url}{login}?next={seeded_article.get_absolute_url()}")
    tab.locator("#id_login").fill("ana")
    tab.locator("#id_password").fill("a-long-passphrase-7")
    tab.get_by_role("button", name="Log in").click()

    tab.locator("#id_body").fill("**Good** point, see [the map](https://example.com/map).")
    tab.get_by_role("button", name="Post comment").click()
    expect(tab.locator(".alert")).to_contain_text("Your comment is posted")
    mine = Comment.objects.get(author__username="ana")
    element = tab.locator(f"#comment-{mine.pk}")
    expect(element.locator(".comment-body strong")).to_have_text("Good")
    expect(element.locator(".comment-body a")).to_have_attribute("rel", "nofollow ugc noopener")

    element.get_by_role("link", name="Edit").click()  # opens in place, under the comment
    element.locator("form textarea").fill("Good point.")
    element.get_by_role("button", name="Save changes").click()
    expect(tab.locator(f"#comment-{mine.pk} .comment-edited")).to_have_text("edited")

    nizam = Comment.objects.get(author_name="Nizam")
    tab.locator(f"#comment-{nizam.pk}").get_by_role("link", name="Report").click()
    tab.get_by_label("Spam").check()
    tab.locator("#id_note").fill("Looks like a bot.")
    snap(tab, "report")
    tab.get_by_role("button", name="Send report").click()
    expect(tab.locator(".alert")).to_contain_text("moderators will look")

    tab.locator(f"#comment-{mine.pk}").get_by_role("link", name="Delete").click()
    snap(tab, "delete-confirm")
    tab.get_by_role("button", name="Delete comment").click()
    expect(tab.locator(f"#comment-{mine.pk}")).to_have_count(0)
    mine.refresh_from_db()
    assert mine.status == "deleted"
