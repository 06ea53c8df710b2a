"""Unicode TR39 skeletons: what two strings that could pass for each other share.

`lookalike_key` is TR39's skeleton, taken on the whole string, with case folded: a
name written wholly in another script that reads as an existing one (Cyrillic
"\u0430\u04cf\u0456\u0441\u0435", or Cherokee "\u13aa\u13de\u13c6\u13df\u13ac",
for "alice") has the same key. Folding case merges TR39's classes of each capital
and its small letter: TR39 maps `I`, `l` and `1` together, and `O` with `0`, so `i`
joins `l` and `o` joins `0` here, as they must once capitals are folded.
Pure functions: no models, no settings.
"""

import json
import string
import unicodedata
from functools import cache
from importlib.resources import files

from confusable_homoglyphs import confusables

# Letters the confusables data does not list although they read as Latin letters in
# every common font (found in the wild: CHEROKEE LETTER QUA for "I").
EXTRA_LOOKALIKES = {"\u13c6": "l"}
# Marks confusable-homoglyphs wraps right-to-left characters in, for display.
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


@cache
def _classes() -> tuple[dict[str, str], dict[str, str]]:
    """TR39's confusable classes, from the confusables data confusable-homoglyphs ships
    (each line of Unicode's confusables.txt, `source → prototype`, stored both ways):
    (each character's class representative, the multi-character prototype of the
    characters that have one). A class is represented by its ASCII member if it has
    one, else its first code point, so skeletons compare equal exactly when TR39's do."""
    data = json.loads(files(confusables.__package__).joinpath("confusables.json").read_text())
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        root = ch
        while parent.get(root, root) != root:
            root = parent[root]
        while ch != root:
            parent[ch], ch = root, parent[ch]
        return root

    def union(a: str, b: str) -> None:
        a, b = find(a), find(b)
        if a != b:
            # Keep an ASCII representative, else the smaller code point.
            if (b.isascii(), -ord(b)) > (a.isascii(), -ord(a)):
                a, b = b, a
            parent[b] = a

    longer: dict[str, str] = {}
    for key, entries in data.items():
        source = key.translate(_DIRECTION_MARKS)
        for entry in entries:
            target = entry["c"].translate(_DIRECTION_MARKS)
            if len(source) == 1 and len(target) == 1:
                union(source, target)
            elif len(source) == 1 and target:
                longer[source] = target
    for letter, like in EXTRA_LOOKALIKES.items():
        union(like, letter)
    # Case is folded (see the module's docstring): each letter's class joins its
    # capital's, so "I" (with "l" and "1") meets "i", and "O" (with "0") meets "o".
    for letter in string.ascii_lowercase:
        union(letter, letter.upper())
    representative = {ch: find(ch) for ch in parent}
    return representative, longer


def skeleton(text: str) -> str:
    """TR39's skeleton of `text`: decomposed, each character replaced by its confusable
    class's representative (or its multi-character prototype), decomposed again."""
    representative, longer = _classes()
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in longer:
            out.extend(representative.get(each, each) for each in longer[ch])
        else:
            out.append(representative.get(ch, ch))
    return unicodedata.normalize("NFD", "".join(out))


def lookalike_key(name: str) -> str:
    """What two names that could pass for each other share: the skeleton of the
    case-folded skeleton of the NFKC-normalised name (TR39's table is case-sensitive:
    CHEROKEE LETTER GO reads as `A`, CYRILLIC SMALL LETTER A as `a`), so the
    skeleton is folded and taken again."""
    return skeleton(skeleton(unicodedata.normalize("NFKC", name)).casefold())


def folded(name: str) -> str:
    """`name` as the plain comparison sees it: NFKC-normalised, then case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()
