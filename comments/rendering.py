"""Comment text to safe HTML, once, when a comment is saved.

Readers write a safe subset of Markdown: emphasis, links, inline code and code
blocks, quotes and lists, with single line breaks kept. markdown-it-py renders
it with raw HTML turned off (a `<b>` stays the text "<b>"), and nh3 then cleans
the result against an allow-list, so nothing outside it can reach a page even
if the renderer had a bug. Links get `rel="nofollow ugc noopener"`.

Imported seed comments are plain text, not Markdown: their paragraphs and line
breaks are kept and nothing else is interpreted.
"""

import re
import unicodedata
from html import unescape

import nh3
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import Truncator
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).disable(
    ["heading", "lheading", "hr", "image", "html_block", "html_inline"]
)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    return sanitise(_markdown.render(text)).strip()


def render_plain(text: str) -> str:
    return linebreaks(escape(text)) if text else ""


def render_comment_body(text: str, *, imported: bool) -> str:
    return render_plain(text) if imported else render_markdown(text)


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


_BREAKS = re.compile(r"<(?=/?(?:p|br|li|ul|ol|blockquote|pre)\b)")


def html_excerpt(html: str, *, words: int = 30) -> str:
    """The first words of stored comment HTML as plain text (to be escaped once, by
    whoever shows it)."""
    # A space before each block and line break, so paragraphs and lines do not run
    # together, and none around inline tags, so "**words**." stays "words.".
    text = " ".join(unescape(strip_tags(_BREAKS.sub(" <", html))).split())
    return Truncator(text).words(words)
