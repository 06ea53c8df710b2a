"""The report page of a comment the reader reported: what they reported and when,
"Withdraw my report" while it is open, what became of it once a moderator handled
it; and the withdrawal's answers."""

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from comments import services
from comments.models import Comment, Report
from tests.factories import establish
from tests.pages import page

State = Report.State


def report_url(comment) -> str:
    return reverse("comments:comment-report", kwargs={"pk": comment.pk})


def withdraw_url(comment) -> str:
    return reverse("comments:comment-report-withdraw", kwargs={"pk": comment.pk})


def day(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")


@pytest.fixture
def reply(thread):
    return thread["reply"]


@pytest.fixture
def filed(reply, reader):
    """The reader's report on the reply, with a note."""
    return services.comment_report(comment=reply, reporter=reader, reason="abuse", note="Rude")


def status_text(response) -> str:
    return " ".join(page(response).select_one(".report-status").get_text().split())


def test_the_report_page_of_an_open_report_says_what_and_when_and_offers_to_withdraw(
    reader_client, reply, filed
):
    response = reader_client.get(report_url(reply))

    assert response.status_code == 200
    assert status_text(response) == (
        f"You reported this comment as abuse or harassment on {day(filed.created)}. "
        "Your note: “Rude”. No moderator has acted on it yet."
    )
    soup = page(response)
    form = soup.select_one("form#withdraw-report-form")
    assert (form["method"], form["action"]) == ("post", withdraw_url(reply))
    assert form.select_one("[type=submit]")["value"] == "Withdraw my report"
    assert soup.select_one("#report-form") is None


def test_withdrawing_goes_back_to_the_comment_and_says_so(reader_client, reply, filed):
    response = reader_client.post(withdraw_url(reply))

    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    assert Report.objects.get().state == State.WITHDRAWN
    landed = reader_client.get(response["Location"])
    assert "Your report is withdrawn." in page(landed).select_one("#messages").get_text()


def test_after_withdrawing_the_report_page_offers_the_report_form_again(
    reader_client, reply, filed
):
    reader_client.post(withdraw_url(reply))

    soup = page(reader_client.get(report_url(reply)))

    assert soup.select_one("#report-form") is not None
    assert soup.select_one(".report-status") is None


def test_after_withdrawing_the_thread_no_longer_marks_the_comment_reported(
    reader_client, reply, filed, article
):
    def marked() -> str:
        section = page(reader_client.get(article.get_absolute_url())).select_one("#comments")
        return section.get("data-reported", "")

    assert marked() == str(reply.pk)
    reader_client.post(withdraw_url(reply))
    assert marked() == ""


def test_the_report_page_after_a_removal_says_so_and_offers_no_withdrawal(
    reader_client, reply, filed, moderator
):
    services.comments_remove(comments=[reply], by=moderator, reason="Abuse")
    handled = Report.objects.get().handled_at

    response = reader_client.get(report_url(reply))

    assert response.status_code == 200
    assert status_text(response) == (
        f"You reported this comment as abuse or harassment on {day(filed.created)}. "
        f"Your note: “Rude”. A moderator removed the comment on {day(handled)}."
    )
    assert page(response).select_one("#withdraw-report-form") is None


def test_the_report_page_after_a_dismissal_says_so_and_offers_no_withdrawal(
    reader_client, reply, filed, moderator
):
    services.reports_dismiss(comments=[reply], by=moderator)
    handled = Report.objects.get().handled_at

    response = reader_client.get(report_url(reply))

    assert status_text(response) == (
        f"You reported this comment as abuse or harassment on {day(filed.created)}. "
        f"Your note: “Rude”. A moderator looked at it on {day(handled)} and left it up."
    )
    soup = page(response)
    assert soup.select_one("#withdraw-report-form") is None
    assert soup.select_one("#report-form") is None


def test_withdrawing_a_handled_report_is_refused_saying_why(reader_client, reply, filed, moderator):
    services.reports_dismiss(comments=[reply], by=moderator)

    response = reader_client.post(withdraw_url(reply))

    assert response.status_code == 409
    alert = page(response).select_one(".alert-danger").get_text(" ", strip=True)
    assert alert == (
        "A moderator has already handled your report, so it can no longer be withdrawn."
    )
    assert Report.objects.get().state == State.DISMISSED


def test_withdrawing_without_a_report_of_ones_own_is_refused_saying_why(
    client, other_reader, django_user_model, thread, filed
):
    # other_reader wrote the reply; a third reader has nothing to withdraw.
    carl = django_user_model.objects.create_user("carl", password="a-long-passphrase")
    client.force_login(carl)

    response = client.post(withdraw_url(thread["reply"]))

    assert response.status_code == 404
    alert = page(response).select_one(".alert-danger").get_text(" ", strip=True)
    assert alert == "You have no open report on this comment to withdraw."
    assert Report.objects.get().state == State.OPEN


def test_a_get_of_the_withdraw_address_changes_nothing(reader_client, reply, filed):
    response = reader_client.get(withdraw_url(reply))

    assert response.status_code == 302
    assert response["Location"] == report_url(reply)
    assert Report.objects.get().state == State.OPEN


def test_withdrawing_needs_a_signed_in_reader(client, reply, filed):
    response = client.post(withdraw_url(reply))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Report.objects.get().state == State.OPEN


def test_a_reporter_can_withdraw_from_a_comment_held_after_reports(
    client, reply, django_user_model, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 2
    ana, bob, carl = (
        establish(django_user_model.objects.create_user(name, password="a-long-passphrase"))
        for name in ("ana", "bob", "carl")
    )
    for reporter in (ana, bob):
        services.comment_report(comment=reply, reporter=reporter, reason="spam")
    client.force_login(ana)

    response = client.get(report_url(reply))

    assert response.status_code == 200
    assert "[awaiting moderation]" in page(response).select_one(".comment-single").get_text()
    client.post(withdraw_url(reply))
    assert Report.objects.get(reporter=ana).state == State.WITHDRAWN
    reply.refresh_from_db()
    assert reply.status == Comment.Status.PENDING
    # A reader who did not report it still cannot reach the held comment's page.
    client.force_login(carl)
    assert client.get(report_url(reply)).status_code == 404


def test_moderators_see_the_withdrawn_report_on_the_comments_admin_page(
    moderator_client, reply, filed, reader
):
    services.report_withdraw(comment=reply, reporter=reader)

    response = moderator_client.get(reverse("admin:comments_comment_change", args=[reply.pk]))

    rows = page(response).select("#reports-group tbody tr")
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert "Withdrawn by the reporter" in cells
    assert "reader" in cells
