"""The rule for new usernames: none may pass for another.

Invariant: an account is created only under a name that (a) does not mix look-alike
letters from different scripts (a Cyrillic U+0430 among Latin letters, say), judged by
confusable-homoglyphs' `is_dangerous` on Unicode's confusables data, and (b) whose
NFKC-normalised, case-folded form matches no existing username case-insensitively.
It follows django-registration's `validate_confusables` and `CaseInsensitiveUnique`.
Every door that creates an account calls `validate_new_username`: sign-up, through
django-allauth's adapter (accounts.adapter.AccountAdapter.clean_username), and the
admin's add-user form (accounts.forms.AdminAddUserForm). Guests' names (comments
posted without an account) pass the same test through `validate_guest_name`, so a
guest cannot pass for a registered reader either. The comparison in (b) is
the database's case-insensitive one (`iexact`): Unicode-aware on PostgreSQL,
ASCII-only on SQLite.
"""

import unicodedata

from confusable_homoglyphs import confusables
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONFUSABLE = _(
    "This name mixes look-alike letters from different alphabets (such as Latin and "
    "Cyrillic), so it could pass for another name. Please choose a different name."
)
LOOKALIKE = _("A user with a name that looks the same already exists. Please choose another.")
GUEST_LOOKALIKE = _(
    "This name is (or looks like) the name of a registered reader. Please choose another, "
    "or log in if it is yours."
)


def folded(name: str) -> str:
    """`name` as the comparison sees it: NFKC-normalised, then case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def validate_new_username(*, name: str, taken: str = LOOKALIKE) -> None:
    """Raise ValidationError if `name` mixes confusable scripts or folds to the name
    of an existing user (saying `taken`)."""
    if confusables.is_dangerous(name):
        raise ValidationError(CONFUSABLE, code="confusable")
    user_model = get_user_model()
    lookup = {f"{user_model.USERNAME_FIELD}__iexact": folded(name)}
    if user_model._default_manager.filter(**lookup).exists():
        raise ValidationError(taken, code="lookalike")


def validate_guest_name(*, name: str) -> None:
    """The same rule for the name a guest comments under: refused if it could pass for
    a registered reader's."""
    validate_new_username(name=name, taken=GUEST_LOOKALIKE)
