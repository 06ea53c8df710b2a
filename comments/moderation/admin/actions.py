"""The moderation queue's actions, and the messages that say what each one did.

Every action goes through comments.services, which logs it. Its message names
what it touched ("Removed 2 comments: #12 by ana, #15 by bob"; past ten, "and 5
more") and is a warning when it changed nothing. Actions that need a reason (and,
for bans, a length) ask for it on an intermediate page first. The same actions
serve the buttons on a comment's own admin page (see CommentAdmin.moderate_view).
"""

from collections.abc import Sequence

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comments import policy, services
from comments.models import Comment
from comments.moderation.forms import AdminBanForm, ReasonForm
from comments.moderation.history import author_history
from comments.text import html_excerpt

Status = Comment.Status
# How many comments or users a message names before it says "and N more".
NAMED = 10


def named(labels: list[str]) -> str:
    """Up to ten labels, then how many more."""
    more = len(labels) - NAMED
    shown = ", ".join(labels[:NAMED])
    return f"{shown} and {more} more" if more > 0 else shown


def named_comments(comments: Sequence[Comment]) -> str:
    """ "#12 by ana, #15 by bob": the comments by id and their authors' current
    names (one query for the names shown)."""
    shown = sorted(comments, key=lambda c: c.pk)
    author_ids = {c.author_id for c in shown[:NAMED] if c.author_id is not None}
    usernames = dict(
        get_user_model().objects.filter(pk__in=author_ids).values_list("pk", "username")
        if author_ids
        else []
    )
    labels = [
        f"#{c.pk} by {policy.display_name(usernames.get(c.author_id), c.author_name)}"
        for c in shown
    ]
    return named(labels)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class ModerationActions:
    """The queue's actions, mixed into CommentAdmin."""

    actions = (
        "approve_comments",
        "approve_subtrees",
        "remove_comments",
        "remove_subtrees",
        "remove_by_authors",
        "restore_comments",
        "dismiss_reports",
        "ban_authors",
    )

    def _done(
        self,
        request,
        verb: str,
        changed: list[Comment],
        *,
        scope: str = "",
        left: int = 0,
        why: str = "",
        nothing: str,
    ) -> None:
        """Say what changed ("Removed 2 comments{scope}: #12 by ana, #15 by bob");
        `left` selected comments stayed as they were (`why`); when nothing changed,
        warn (`nothing`)."""
        if not changed:
            self.message_user(request, f"{verb} nothing: {nothing}.", messages.WARNING)
            return
        count = plural(len(changed), "comment")
        message = f"{verb} {count}{scope}: {named_comments(changed)}."
        if left:
            message += f" Left {left} as {'it was' if left == 1 else 'they were'} ({why})."
        self.message_user(request, message, messages.SUCCESS)

    def _ask(
        self,
        request,
        comments: list[Comment],
        form,
        *,
        title: str,
        action: str,
        button: str,
        **extra,
    ):
        """The intermediate page of an action that needs a reason (and, for bans, a
        length) for the selected `comments` (read with their authors); it posts back to
        where it came from, with `apply`."""
        for comment in comments:
            comment.words = html_excerpt(comment.body_html, words=20)
        # From a comment's own page (CommentAdmin.moderate_view), back to that page.
        if request.resolver_match.url_name == "comments_comment_moderate" and comments:
            back = reverse("admin:comments_comment_change", args=[comments[0].pk])
        else:
            back = reverse("admin:comments_comment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "comments": comments,
            "form": form,
            "action": action,
            "button": button,
            "back": back,
            "authors": [],
            "author_histories": [],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, "admin/comments/action_form.html", context)

    def _each(self, request, queryset, change, verb: str, *, needs: str) -> None:
        """Apply `change` (a moderation service) to the selected comments that are
        `needs` (held, removed) and say which changed and which were left."""
        selected = list(queryset)
        changed = change(comments=selected, by=request.user)
        self._done(
            request,
            verb,
            changed,
            left=len(selected) - len(changed),
            why=f"not {needs}",
            nothing=f"{_the_selected(selected)} {_was(selected)} not {needs}",
        )

    def _reason(self, request) -> ReasonForm:
        return ReasonForm(request.POST if "apply" in request.POST else None)

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve_comments(self, request, queryset):
        self._each(request, queryset, services.comments_approve, "Approved", needs="held")

    @admin.action(
        description=_("Approve selected comments with their held replies"), permissions=["change"]
    )
    def approve_subtrees(self, request, queryset):
        changed = services.comments_approve_subtree(comments=list(queryset), by=request.user)
        self._done(
            request,
            "Approved",
            changed,
            scope=" (the selected and their held replies)",
            nothing="nothing in the selected comments or their replies is held",
        )

    @admin.action(description=_("Remove selected comments…"), permissions=["change"])
    def remove_comments(self, request, queryset):
        form = self._reason(request)
        if not form.is_valid():
            return self._ask(
                request,
                list(queryset.select_related("author")),
                form,
                title="Remove comments",
                action="remove_comments",
                button="Remove comments",
            )
        selected = list(queryset)
        changed = services.comments_remove(
            comments=selected, by=request.user, reason=form.cleaned_data["reason"]
        )
        self._done(
            request,
            "Removed",
            changed,
            left=len(selected) - len(changed),
            why="already removed or deleted",
            nothing=f"{_the_selected(selected)} {_was(selected)} already removed or deleted",
        )
        return None

    @admin.action(
        description=_("Remove selected comments with all their replies…"), permissions=["change"]
    )
    def remove_subtrees(self, request, queryset):
        form = self._reason(request)
        if not form.is_valid():
            return self._ask(
                request,
                list(queryset.select_related("author")),
                form,
                title="Remove comments and every reply beneath them",
                action="remove_subtrees",
                button="Remove comments and replies",
            )
        changed = services.comments_remove_subtree(
            comments=list(queryset), by=request.user, reason=form.cleaned_data["reason"]
        )
        self._done(
            request,
            "Removed",
            changed,
            scope=" (the selected and their replies)",
            nothing="the selected comments and their replies were already removed or deleted",
        )
        return None

    @admin.action(
        description=_("Remove every comment by the authors of selected comments…"),
        permissions=["change"],
    )
    def remove_by_authors(self, request, queryset):
        selected = list(queryset.select_related("author"))
        authors = {c.author_id: c.author for c in selected if c.author_id is not None}
        imported = sum(1 for c in selected if c.author_id is None)
        no_account = f"{plural(imported, 'imported comment')} {_has(imported)} no account"
        if not authors:
            self.message_user(request, f"Removed nothing: {no_account}.", messages.WARNING)
            return None
        form = self._reason(request)
        if not form.is_valid():
            counts = (
                Comment.objects.filter(
                    author_id__in=authors, status__in=[Status.PUBLISHED, Status.PENDING]
                )
                .order_by()
                .values_list("author_id")
                .annotate(count=Count("pk"))
            )
            live = dict(counts)
            listed = sorted((a.get_username(), live.get(pk, 0)) for pk, a in authors.items())
            return self._ask(
                request,
                selected,
                form,
                title="Remove every comment by these authors",
                action="remove_by_authors",
                button="Remove all their comments",
                authors=listed,
            )
        changed = services.comments_remove_by_authors(
            authors=authors.values(), by=request.user, reason=form.cleaned_data["reason"]
        )
        names = named(sorted(a.get_username() for a in authors.values()))
        self._done(
            request,
            "Removed",
            changed,
            scope=f" by {names}",
            nothing=f"{names} had nothing published or held",
        )
        if imported:
            self.message_user(request, f"Not removed: {no_account}.", messages.WARNING)
        return None

    @admin.action(description=_("Restore selected comments"), permissions=["change"])
    def restore_comments(self, request, queryset):
        self._each(request, queryset, services.comments_restore, "Restored", needs="removed")

    @admin.action(
        description=_("Dismiss the open reports on selected comments"), permissions=["change"]
    )
    def dismiss_reports(self, request, queryset):
        selected = list(queryset)
        changed = services.reports_dismiss(comments=selected, by=request.user)
        self._done(
            request,
            "Dismissed the open reports on",
            changed,
            left=len(selected) - len(changed),
            why="no open reports",
            nothing=f"{_the_selected(selected)} had no open reports",
        )

    @admin.action(description=_("Ban the authors of selected comments…"), permissions=["change"])
    def ban_authors(self, request, queryset):
        form = AdminBanForm(request.POST if "apply" in request.POST else None)
        selected = list(queryset.select_related("author"))
        authors = {c.author_id: c.author for c in selected if c.author_id is not None}
        if not form.is_valid():
            return self._ask(
                request,
                selected,
                form,
                title="Ban the authors of these comments",
                action="ban_authors",
                button="Ban authors",
                author_histories=author_history(authors.values()),
            )
        bans = services.users_ban(
            users=authors.values(),
            by=request.user,
            reason=form.cleaned_data["reason"],
            ends=form.ends(),
        )
        banned = {ban.user_id for ban in bans}
        notes = []
        staff = sorted(a.get_username() for pk, a in authors.items() if pk not in banned)
        if staff:
            notes.append(f"{', '.join(staff)} {'is' if len(staff) == 1 else 'are'} staff")
        imported = sum(1 for c in selected if c.author_id is None)
        if imported:
            notes.append(
                f"{plural(imported, 'imported comment')} {_has(imported)} no account to ban"
            )
        why = "; ".join(notes)
        if not bans:
            self.message_user(request, f"Banned nobody: {why}.", messages.WARNING)
            return None
        names = named(sorted(ban.user.get_username() for ban in bans))
        # until_text is quoted as it is ("until 7 Dec 2026, 18:29 UTC"): never re-cased.
        message = f"Banned {names} ({bans[0].until_text})."
        if why:
            message += f" Not banned: {why}."
        self.message_user(request, message, messages.SUCCESS)
        return None


def _the_selected(selected: list) -> str:
    return (
        "the selected comment" if len(selected) == 1 else f"the {len(selected)} selected comments"
    )


def _was(selected: list) -> str:
    return "was" if len(selected) == 1 else "were"


def _has(count: int) -> str:
    return "has" if count == 1 else "have"
