"""Search snippets as safe HTML: every character of the text escaped, and the
matched words, only they, wrapped in <mark>.

Both ways a snippet is made end in `_marked`, the one function that builds the
HTML: PostgreSQL's `ts_headline` brackets matches with two private-use
characters (`START`, `STOP`), never with markup, and the SQLite fallback finds
the words itself.
"""

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

# What ts_headline puts around a match: private-use characters, which no tag
# could be made of, so nothing in the text can pass for them as markup.
START, STOP = "\ue000", "\ue001"
_SENTINELS = re.compile(f"[{START}{STOP}]")


def _marked(pieces: Iterable[tuple[str, bool]]) -> SafeString:
    """(text, is a match) pieces as HTML."""
    html = "".join(
        f"<mark>{escape(text)}</mark>" if match else escape(text) for text, match in pieces if text
    )
    # Safe: every piece of text was escaped just above; <mark> is the only markup.
    return mark_safe(html)


def from_headline(headline: str) -> SafeString:
    """A ts_headline made with START and STOP as HTML. A START without its STOP (a
    reader may type these characters too) marks nothing; stray ones are dropped."""
    pieces, position, opened = [], 0, None
    for sentinel in _SENTINELS.finditer(headline):
        if sentinel[0] == START:
            pieces.append((headline[position : sentinel.start()], False))
            opened = sentinel.end()
        elif opened is not None:
            pieces.append((headline[opened : sentinel.start()], True))
            opened = None
        else:
            pieces.append((headline[position : sentinel.start()], False))
        position = sentinel.end()
    pieces.append((headline[position if opened is None else opened :], False))
    return _marked(pieces)


def words_of(query: str) -> list[str]:
    """The words a query is made of, as the SQLite fallback matches them."""
    return list(dict.fromkeys(word.casefold() for word in re.findall(r"\w+", query)))


def _pattern(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


def _with_marks(text: str, pattern: re.Pattern | None) -> SafeString:
    pieces, position = [], 0
    for match in pattern.finditer(text) if pattern else ():
        pieces += [(text[position : match.start()], False), (match[0], True)]
        position = match.end()
    pieces.append((text[position:], False))
    return _marked(pieces)


def around_first_match(text: str, words: list[str], *, width: int = 220) -> SafeString:
    """About `width` characters of `text` around the first of `words` found in it
    (the start of the text if none is), with every occurrence of them marked."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    first = pattern.search(text) if pattern else None
    start = 0
    if first is not None and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    window = Truncator(text[start:]).chars(width)
    return _with_marks(("…" if start else "") + window, pattern)


def whole(text: str, words: list[str]) -> SafeString:
    """All of a short `text` (a title) with `words` marked."""
    return _with_marks(text, _pattern(words))
