"""Readers' writes: post, reply (signed in or as a guest), edit, delete. (Reports are
comments.posting.reports; the importers' bulk insert is comments.trees.building.)"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import LastAddress
from accounts.names import clean_guest_name
from articles.models import Article
from comments import policy
from comments.models import Ban, Comment, ModerationAction, Revision
from comments.moderation.bans import refuse_if_banned
from comments.text import render_reader_text
from comments.threads.cache import bump_comments_version
from comments.trees import numbering
from comments.trees.locks import lock_article_trees
from comments.trees.numbering import allocate_tree_ids
from comments.voting import tasks as voting
from forum.text import has_visible_text
from forum.throttle import valid_ip
from notifications.services import notify_published

Status = Comment.Status
MAX_DEPTH = 500
DUPLICATE_WINDOW = timedelta(minutes=1)


class CommentsClosed(PermissionDenied):
    """The article no longer accepts comments."""


@dataclass(frozen=True)
class Body:
    """A comment's text as written (line endings normalised, trimmed) and as it is
    stored and shown: Markdown rendered once, mentions of readers linked, sanitised."""

    text: str
    html: str


def clean_comment_body(body: str) -> Body:
    """The text as stored, rendered once; refuse over-long text, and text that would
    show a reader nothing (zero-width or blank characters, entities of them, empty
    links: whatever renders without one visible character). The errors name the
    `body` field, so a form shows them under the text box."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    limit = settings.FORUM_COMMENT_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            {
                "body": ValidationError(
                    f"Comments are limited to {limit:,} characters (this one has {len(text):,}).",
                    code="too_long",
                )
            }
        )
    html = render_reader_text(text) if text else ""
    if not has_visible_text(html):
        raise ValidationError(
            {"body": ValidationError("Write something before posting.", code="empty")}
        )
    return Body(text=text, html=html)


EMAIL_MAX_LENGTH = Comment._meta.get_field("author_email").max_length


def clean_guest_email(email: str) -> str:
    """A guest's email address, checked as Django's EmailField checks one, in the form
    it is stored and compared in (policy.guest_email_key); the errors name the `email`
    field."""
    address = policy.guest_email_key(email)
    try:
        if not address:
            raise ValidationError("Enter your email address (it is never shown).", "required")
        if len(address) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                f"Email addresses are limited to {EMAIL_MAX_LENGTH} characters.", "too_long"
            )
        validate_email(address)
    except ValidationError as exc:
        raise ValidationError({"email": exc}) from None
    return address


def _review_reason(author: AbstractBaseUser, *, edit: bool = False, held: bool = False) -> str:
    """policy.review_reason for this author. Their approved comments are those
    published now (approved by a moderator, or published while no hold applied);
    held, removed and deleted ones do not count toward FORUM_NEW_USER_HOLD."""
    approved = 0
    if settings.FORUM_NEW_USER_HOLD:
        approved = Comment.objects.filter(author=author, status=Status.PUBLISHED).count()
    return policy.review_reason(
        author=policy.Viewer.of(author), approved=approved, edit=edit, held=held
    )


def _guest_review_reason(*, name: str, email: str, ip: str | None) -> str:
    """policy.guest_review_reason for this guest: approved before if a guest's comment
    under the same name and address together is published now (asked only while
    FORUM_GUEST_TRUST counts it); like a banned account if the address is one of a
    banned account's, or the network address one last used (accounts.models)."""
    banned = Ban.objects.active().values("user_id")
    same = Q(email__iexact=email) | Q(emailaddress__email__iexact=email)
    if ip:
        same |= Q(last_address__ip=ip)
    like_banned = get_user_model().objects.filter(same, pk__in=banned).exists()
    approved_before = (
        not like_banned
        and policy.trusts_returning_guests()
        and Comment.objects.filter(
            author=None,
            imported=False,
            author_email=email,
            author_name__iexact=name,
            status=Status.PUBLISHED,
        ).exists()
    )
    return policy.guest_review_reason(approved_before=approved_before, like_banned=like_banned)


def _refuse_duplicate(author: AbstractBaseUser, text: str, now: datetime) -> None:
    # The same words in another case, or with other surrounding space, are the same post.
    if Comment.objects.filter(
        author=author, body__iexact=text, created__gte=now - DUPLICATE_WINDOW
    ).exists():
        raise ValidationError("You posted this same text less than a minute ago.", code="duplicate")


def _refuse_guest_duplicate(*, email: str, ip: str | None, text: str, now: datetime) -> None:
    """A guest's duplicate is the same text from the same address or the same IP
    address: another name does not make it a new post."""
    same_guest = Q(author_email=email) | Q(author_ip=ip) if ip else Q(author_email=email)
    if Comment.objects.filter(
        same_guest, author=None, body__iexact=text, created__gte=now - DUPLICATE_WINDOW
    ).exists():
        raise ValidationError("You posted this same text less than a minute ago.", code="duplicate")


def _place_reply(comment: Comment, parent: Comment, article: Article) -> None:
    """Make `comment` the last child of `parent`, re-read under the article's lock."""
    parent = Comment.objects.get(pk=parent.pk)
    if parent.article_id != article.pk:
        raise ValidationError("That comment belongs to another article.", code="wrong_article")
    if not parent.is_visible:
        raise ValidationError("That comment is no longer open for replies.", code="hidden")
    left = numbering.open_gap_under(parent)
    comment.parent = parent
    comment.tree_id = parent.tree_id
    comment.lft, comment.rght, comment.level = left, left + 1, parent.level + 1


def _open_article(article: Article) -> Article:
    """Take the article's tree lock and re-read it under the lock: it may have been
    closed, and a parent's `rght` may have moved since the caller loaded it."""
    lock_article_trees(article.pk)
    article = Article.objects.get(pk=article.pk)
    if not article.comments_open:
        raise CommentsClosed("Comments are closed on this article.")
    return article


def _insert(
    *, article: Article, parent: Comment | None, body: Body, held: str, **author
) -> Comment:
    """Store a new comment of the (locked) article, by `author` (its fields), held when
    `held` says why, as a new thread or as the parent's last child; mark its thread
    stale and count it; tell whom it concerns if published."""
    comment = Comment(
        article=article,
        body=body.text,
        body_html=body.html,
        status=Status.PENDING if held else Status.PUBLISHED,
        moderation_reason=held,
        created=timezone.now(),
        **author,
    )
    if parent is None:
        comment.tree_id = allocate_tree_ids()
        comment.lft, comment.rght, comment.level = 1, 2, 0
    else:
        _place_reply(comment, parent, article)
    comment.save(force_insert=True)
    bump_comments_version(
        article.pk,
        trees=[comment.tree_id],
        visible=int(policy.counts_as_visible(comment.status)),
        threads=int(parent is None),
    )
    notify_published([comment])
    if comment.status == Status.PUBLISHED:
        # A published comment may make its author's waiting votes count (comments.voting).
        voting.recount_if_waiting([comment.author_id])
    return comment


@transaction.atomic
def comment_create(
    *,
    article: Article,
    parent: Comment | None = None,
    author: AbstractBaseUser,
    body: str,
    ip: str | None = None,
) -> Comment:
    """Post a new top-level comment (parent None) or a reply as the parent's last child;
    `ip`, where it came from, is remembered as the author's last address (for moderators,
    and to hold guests writing from a banned account's address)."""
    body = clean_comment_body(body)
    refuse_if_banned(author)
    article = _open_article(article)
    LastAddress.note(author, valid_ip(ip))
    now = timezone.now()
    _refuse_duplicate(author, body.text, now)
    return _insert(
        article=article,
        parent=parent,
        body=body,
        held=_review_reason(author),
        author=author,
        author_name=author.get_username(),
    )


@transaction.atomic
def comment_create_as_guest(
    *,
    article: Article,
    parent: Comment | None = None,
    name: str,
    email: str,
    body: str,
    ip: str | None,
) -> Comment:
    """Post as a guest, a reader without an account (FORUM_GUEST_COMMENTS=held): under
    `name` as written (like an imported comment's author), with `email` and `ip` kept
    for moderators only. It waits for a moderator unless policy.guest_review_reason
    trusts the name and address. The same text rules, lock, closed check and placement as
    `comment_create`; a duplicate is the same text from the same address or IP."""
    if not policy.guests_may_comment():
        raise PermissionDenied("Log in to comment.")
    body = clean_comment_body(body)
    name = clean_guest_name(name)
    email = clean_guest_email(email)
    article = _open_article(article)
    now = timezone.now()
    ip = valid_ip(ip)
    _refuse_guest_duplicate(email=email, ip=ip, text=body.text, now=now)
    return _insert(
        article=article,
        parent=parent,
        body=body,
        held=_guest_review_reason(name=name, email=email, ip=ip),
        author=None,
        author_name=name,
        author_email=email,
        author_ip=ip,
    )


@transaction.atomic
def comment_edit(*, comment: Comment, by: AbstractBaseUser, body: str) -> Comment:
    """The author rewrites their comment within FORUM_EDIT_WINDOW; it then shows "edited".

    The text it replaces is kept as a Revision and the edit is logged. An edit
    of a comment that needs review (pre-moderation, a new account's hold, or
    held right now) waits for a moderator again: nothing a moderator saw is
    ever silently replaced.
    """
    body = clean_comment_body(body)
    refuse_if_banned(by)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refusal = comment.edit_refusal(by)
    if refusal:
        raise PermissionDenied(refusal)
    if body.text == comment.body:
        return comment
    now = timezone.now()
    Revision.objects.create(
        comment=comment, body=comment.body, written=comment.edited or comment.created
    )
    held = comment.status == Status.PENDING
    review = _review_reason(by, edit=True, held=held)
    comment.body = body.text
    comment.body_html = body.html
    comment.edited = now
    fields = ["body", "body_html", "edited"]
    if review:
        comment.status = Status.PENDING
        comment.moderation_reason = review
        fields += ["status", "moderation_reason"]
        if not held:
            # Held again: its author's votes may stop counting (comments.voting).
            voting.recount_if_counted([by.pk])
    comment.save(update_fields=fields)
    ModerationAction.objects.create(
        actor=by,
        kind=ModerationAction.Kind.EDIT,
        comment=comment,
        user=by,
        reason=review,
    )
    bump_comments_version(
        comment.article_id, trees=[comment.tree_id], visible=-int(bool(review) and not held)
    )
    # Someone the new text mentions is told now; whoever was told before is not told
    # again, and those who follow the discussion are not told of an edit.
    notify_published([comment], edited=True)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by: AbstractBaseUser) -> Comment:
    """The author withdraws their comment. It is kept (replies keep their place), never
    shown. A comment a moderator removed stays removed: the author cannot turn the
    moderator's decision into their own."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refusal = comment.delete_refusal(by)
    if refusal:
        raise PermissionDenied(refusal)
    if comment.status != Status.DELETED:
        was_visible = policy.counts_as_visible(comment.status)
        comment.status = Status.DELETED
        comment.save(update_fields=["status"])
        if was_visible:
            # Its author's votes may stop counting (comments.voting).
            voting.recount_if_counted([comment.author_id])
        bump_comments_version(
            comment.article_id, trees=[comment.tree_id], visible=-int(was_visible)
        )
    return comment
