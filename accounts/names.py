"""The rules for the names people show: no name may pass for another, for the site, or
for its staff.

Invariant: an account is created only under a name that (a) does not mix look-alike
letters from different scripts (a Cyrillic U+0430 among Latin letters, say), judged by
confusable-homoglyphs' `is_dangerous` on Unicode's confusables data; (b) whose
look-alike key (`lookalike_key`, below) is no existing user's; and (c) that is not an
email address (`@` also starts a mention). Every door that creates an account calls
`validate_new_username`: sign-up, through django-allauth's adapter
(accounts.adapter.AccountAdapter.clean_username), and the admin's add-user form
(accounts.forms.AdminAddUserForm). Names reserved for the site and its staff
(`RESERVED`, and FORUM_SITE_NAME) are refused at sign-up.

Guests' names (comments posted without an account) pass `validate_guest_name`: the
same look-alike test against every registered name, and no web address, no email
address, no claim to be the site or its moderators (a guest's name reaches other
readers' mail subjects and pages).

The look-alike key is Unicode TR39's skeleton of the whole name with case folded
(accounts.skeletons). The keys of existing usernames are kept in
`accounts.models.NameSkeleton`, so the test is one indexed query.
"""

import re
import unicodedata

from confusable_homoglyphs import confusables
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from accounts.skeletons import folded, lookalike_key
from forum.text import has_visible_text

CONFUSABLE = _(
    "This name mixes look-alike letters from different alphabets (such as Latin and "
    "Cyrillic), so it could pass for another name. Please choose a different name."
)
LOOKALIKE = _("A user with a name that looks the same already exists. Please choose another.")
GUEST_LOOKALIKE = _(
    "This name is (or looks like) the name of a registered reader. Please choose another, "
    "or log in if it is yours."
)
EMAIL_LIKE = _("A username cannot contain @ (it would read as an email address or a mention).")
WEB_ADDRESS = _("A name cannot contain a web address or an email address.")
SITE_NAME = _("A name cannot contain the site’s name (“{name}”).")
STAFF_NAME = _("A name cannot claim to be the site’s moderators or staff.")

# Words that would make a name read as the site's own staff.
RESERVED = frozenset(
    {"admin", "administrator", "moderator", "moderators", "mod", "staff", "webmaster", "sysop"}
)

_WEB_ADDRESS_RE = re.compile(
    r"[a-z][a-z0-9+.-]*://"  # any scheme
    r"|www\."
    r"|\S@\S"  # an email address
    # A host name: labels joined by dots, ending in a label of two letters or more
    # ("evil.test"), not initials ("J. R. R.").
    r"|(?<![\w.])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z][a-z0-9-]+(?![\w])",
    re.IGNORECASE,
)


def _refuse_lookalike(name: str, *, taken: str) -> None:
    """Refuse `name` (saying `taken`) if it is, or looks like, an existing username: the
    same letters in any case, or the same look-alike key."""
    user_model = get_user_model()
    same = Q(**{f"{user_model.USERNAME_FIELD}__iexact": folded(name)})
    if user_model._default_manager.filter(
        same | Q(name_skeleton__key=lookalike_key(name))
    ).exists():
        raise ValidationError(taken, code="lookalike")


def validate_new_username(*, name: str, reserved: bool = True) -> None:
    """Raise ValidationError if `name` mixes confusable scripts, holds an @, is reserved
    for the site and its staff (unless `reserved` is False: staff making an account in
    the admin), or could pass for an existing username."""
    if confusables.is_dangerous(name):
        raise ValidationError(CONFUSABLE, code="confusable")
    if "@" in name:
        raise ValidationError(EMAIL_LIKE, code="email")
    if reserved and folded(name) in RESERVED | {folded(settings.FORUM_SITE_NAME)}:
        raise ValidationError(STAFF_NAME, code="reserved")
    _refuse_lookalike(name, taken=LOOKALIKE)


def _words(name: str) -> set[str]:
    return set(re.findall(r"\w+", folded(name)))


# Characters a name may not hold: controls, format characters (zero-width spaces and
# joiners, direction overrides that make a name read as another), line and paragraph
# separators, private-use, surrogates and unassigned code points.
NAME_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
NAME_MAX_LENGTH = 200  # comments' author_name


def clean_guest_name(name: str) -> str:
    """The name a guest comments under, as written but trimmed: refused when it shows
    nothing, is longer than an author name may be, holds control or invisible
    characters, or breaks `validate_guest_name`. The errors name the `name` field."""
    text = name.strip()
    try:
        if not text or not has_visible_text(escape(text)):
            raise ValidationError("Enter the name to show with your comment.", "required")
        if len(text) > NAME_MAX_LENGTH:
            raise ValidationError(
                f"Names are limited to {NAME_MAX_LENGTH} characters (this one has {len(text)}).",
                "too_long",
            )
        if any(unicodedata.category(ch) in NAME_FORBIDDEN_CATEGORIES for ch in text):
            raise ValidationError(
                "A name cannot contain control characters or invisible formatting marks.",
                "control",
            )
        validate_guest_name(name=text)
    except ValidationError as exc:
        raise ValidationError({"name": exc}) from None
    return text


def shown_name(text: str, *, default: str) -> str:
    """A name from elsewhere (another site's export) as a guest's name may be shown: on
    one line, without the characters a name may not hold, cut to fit; `default` when
    nothing visible is left."""
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in NAME_FORBIDDEN_CATEGORIES
    )
    name = " ".join("".join(kept).split())[:NAME_MAX_LENGTH].rstrip()
    return name if has_visible_text(escape(name)) else default


def validate_guest_name(*, name: str) -> None:
    """Raise ValidationError if a guest's `name` holds a web or email address, the site's
    name or a claim to be its staff, or could pass for a registered reader's name."""
    if _WEB_ADDRESS_RE.search(name):
        raise ValidationError(WEB_ADDRESS, code="web_address")
    words = _words(name)
    site = settings.FORUM_SITE_NAME
    site_words = _words(site)
    if site_words and all(word in words for word in site_words):
        raise ValidationError(str(SITE_NAME).format(name=site), code="site_name")
    if words & RESERVED:
        raise ValidationError(STAFF_NAME, code="staff_name")
    if confusables.is_dangerous(name):
        raise ValidationError(CONFUSABLE, code="confusable")
    _refuse_lookalike(name, taken=GUEST_LOOKALIKE)
