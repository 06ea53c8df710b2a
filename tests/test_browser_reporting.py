"""Reporting a comment and withdrawing the report, in Chromium: with JavaScript the
comment then says "Reported", a link to the report page; without it the Report link
leads to the same page, which says what the reader reported and offers to withdraw."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from comments.models import Report
from tests.browser import BROWSER

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-1"  # the reader fixture's


@pytest.fixture
def rude(article, reader, other_reader):
    question = services.comment_create(article=article, author=reader, body="Is it open?")
    return services.comment_create(
        article=article, parent=question, author=other_reader, body="Nobody cares."
    )


def log_in(tab, live_server, next_url: str) -> None:
    tab.goto(f"{live_server.url}{reverse('account_login')}?next={next_url}")
    tab.locator("#id_login").fill("reader")
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


def send_report(tab, comment) -> None:
    tab.locator(f"#comment-{comment.pk}").get_by_role(
        "link", name="Report the comment by other"
    ).click()
    tab.get_by_label("Abuse or harassment").check()
    tab.get_by_role("button", name="Send report").click()
    expect(tab.locator(".alert")).to_contain_text("The moderators will look at this comment.")


def withdraw_on_the_report_page(tab, comment) -> None:
    expect(tab.locator(".report-status")).to_contain_text(
        "You reported this comment as abuse or harassment on"
    )
    tab.get_by_role("button", name="Withdraw my report").click()
    expect(tab).to_have_url(re.compile(f"#comment-{comment.pk}$"))
    expect(tab.locator(".alert")).to_contain_text("Your report is withdrawn.")
    assert Report.objects.get().state == Report.State.WITHDRAWN


def test_with_javascript_reported_links_to_the_page_that_withdraws_the_report(
    live_server, transactional_db, article, rude, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    send_report(tab, rude)

    footer = tab.locator(f"#comment-{rude.pk} > details > article > footer")
    reported = footer.get_by_role("link", name="Reported: see or withdraw your report")
    expect(reported).to_have_text("Reported")
    expect(footer.get_by_role("link", name="Report the comment by other")).to_have_count(0)
    reported.click()
    withdraw_on_the_report_page(tab, rude)

    # The comment offers Report again.
    expect(footer.get_by_role("link", name="Report the comment by other")).to_have_text("Report")
    expect(footer.get_by_role("link", name=re.compile("^Reported"))).to_have_count(0)


def test_without_javascript_the_report_link_leads_to_the_withdrawal(
    live_server, transactional_db, article, rude, scriptless_tab
):
    tab = scriptless_tab
    log_in(tab, live_server, article.get_absolute_url())
    send_report(tab, rude)

    # The thread is the same for every reader: the link still says Report, and its
    # page says the reader reported the comment.
    tab.locator(f"#comment-{rude.pk}").get_by_role(
        "link", name="Report the comment by other"
    ).click()
    expect(tab.locator("#report-form")).to_have_count(0)
    withdraw_on_the_report_page(tab, rude)
