"""Whether text shows a reader anything: the rule comments' bodies and people's names
share (a comment of zero-width spaces, a name of braille blanks, show nothing)."""

import unicodedata
from html import unescape

from django.utils.html import strip_tags

# Letters that render as nothing although Unicode does not file them as space or
# format characters: Hangul fillers, the braille blank, the Khmer inherent vowels.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
# Separators, controls, format characters (zero-width spaces, joiners, BOM,
# direction marks), unassigned, private-use and lone combining marks.
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me"})


def has_visible_text(html: str) -> bool:
    """Whether rendered HTML shows a reader at least one visible character."""
    text = unescape(strip_tags(html))
    return any(
        not ch.isspace()
        and ch not in BLANK_LETTERS
        and unicodedata.category(ch) not in INVISIBLE_CATEGORIES
        for ch in text
    )
