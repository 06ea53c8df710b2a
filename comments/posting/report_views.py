"""Reporting a comment, and withdrawing the report while no moderator has acted on it.

The report page shows the form, or, once the reader reported the comment, what
they said and what became of it; every write goes through `comments.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from comments import services
from comments.models import Comment, Report
from comments.posting import limits
from comments.posting.forms import ReportForm, WithdrawReportForm
from comments.posting.views import comment_card, login_required_keeping_text, write_within_limit

# What a reader is told became of their report ({handled}: the day a moderator acted).
OUTCOMES = {
    Report.State.OPEN: "No moderator has acted on it yet.",
    Report.State.RESOLVED: "A moderator removed the comment on {handled}.",
    Report.State.DISMISSED: "A moderator looked at it on {handled} and left it up.",
}


def _standing_report(comment: Comment, reader) -> Report | None:
    """The reader's report on the comment, unless they withdrew it."""
    return Report.objects.standing().filter(comment=comment, reporter=reader).first()


def _report_page(
    request: HttpRequest,
    comment: Comment,
    *,
    report: Report | None,
    form: ReportForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    outcome = ""
    if report is not None:
        handled = ""
        if report.handled_at is not None:
            moment = timezone.localtime(report.handled_at)
            handled = format_html(
                '<time datetime="{}">{}</time>', moment.isoformat(), date_format(moment, "j F Y")
            )
        outcome = format_html(OUTCOMES[report.state], handled=handled)
    withdraw = reverse("comments:comment-report-withdraw", kwargs={"pk": comment.pk})
    context = {
        "comment": comment,
        "article": comment.article,
        "card": comment_card(request, comment),
        "report": report,
        "outcome": outcome,
        "withdraw_form": WithdrawReportForm(action=withdraw) if report and report.is_open else None,
        "form": form if report is None else None,
        "error": error,
    }
    return render(request, "comments/comment_report.html", context, status=status)


@login_required_keeping_text
@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """`comments/comment_report.html`: the `comment`, its `article` and `card`, and the
    report `form`; or, once the reader reported it, their `report`, its `outcome` and,
    while it is open, the `withdraw_form`. Only a published comment takes a report; a
    reader who reported one still finds their report here once it is held or removed."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    report = _standing_report(comment, request.user)
    if report is None and not comment.is_visible:
        raise Http404("This comment is not available.")
    if report is not None:
        again = "You have already reported this comment." if request.method == "POST" else ""
        return _report_page(request, comment, report=report, error=again)
    form = ReportForm(request.POST if request.method == "POST" else None, action=request.path)
    status = 200
    if request.method == "POST" and form.is_valid():
        report, status = write_within_limit(
            form,
            limit=lambda: limits.refuse_if_too_fast("report", request.user),
            write=lambda: services.comment_report(
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            ),
        )
        if report is not None:
            messages.success(request, "Thank you. The moderators will look at this comment.")
            return redirect(comment.get_absolute_url())
    return _report_page(request, comment, report=None, form=form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def comment_report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """POST withdraws the reader's open report on the comment and goes back to it.
    Refused on `comments/comment_report.html` with the reason: 409 once a moderator
    handled the report, 404 when the reader has none. A GET goes to the report page,
    which offers the button."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    if request.method == "GET":
        return redirect("comments:comment-report", pk=comment.pk)
    try:
        services.report_withdraw(comment=comment, reporter=request.user)
    except ValidationError as refusal:
        report = _standing_report(comment, request.user)
        if report is None and not comment.is_visible:
            raise Http404(refusal.message) from None
        report_url = reverse("comments:comment-report", kwargs={"pk": comment.pk})
        return _report_page(
            request,
            comment,
            report=report,
            form=ReportForm(action=report_url),
            error=refusal.message,
            status=409 if refusal.code == "handled" else 404,
        )
    messages.success(request, "Your report is withdrawn.")
    return redirect(comment.get_absolute_url())
