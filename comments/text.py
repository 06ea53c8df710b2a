"""A comment's text: Markdown to safe HTML (once, when a comment is saved), mentions,
and the plain-text forms of stored HTML (excerpts, mail).

Readers write a safe subset of Markdown: emphasis, links, inline code and code
blocks, quotes and lists, with single line breaks kept. markdown-it-py renders
it with raw HTML turned off (a `<b>` stays the text "<b>"), and nh3 then cleans
the result against an allow-list, so nothing outside it can reach a page even
if the renderer had a bug. Links get `rel="nofollow ugc noopener"`.

A reader's `@username` becomes a link to that reader's profile when the caller
passes the profile links of the names that exist (`render_reader_text` looks
them up); `mentions_in` finds the names with the same parse, so what is linked and
who is told are the same people. Mentions inside code and links stay text.

Imported seed comments are plain text, not Markdown: their paragraphs and line
breaks are kept and nothing else is interpreted. Comments imported from another
site (WordPress, Disqus) arrive as HTML: `render_imported_html` gives their bare
text paragraphs as WordPress shows them, then cleans them with the same nh3
policy, so they hold nothing a reader's Markdown could not.
"""

import re
from collections.abc import Mapping
from html import unescape

import nh3
from django.contrib.auth import get_user_model
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).disable(
    ["heading", "lheading", "hr", "image", "html_block", "html_inline"]
)


# "@name" where name is a username (letters, digits and . + - _), not inside a word
# or an email address, and not ending in punctuation ("thanks @ana." is ana).
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")


def _inline_text(children: list[Token]):
    """The text tokens of a paragraph that lie outside links (code is not text)."""
    depth = 0
    for index, child in enumerate(children):
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text" and not depth:
            yield index, child


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mention_tokens(content: str, links: Mapping[str, str]) -> list[Token]:
    tokens, position = [], 0
    for match in MENTION_RE.finditer(content):
        url = links.get(match[1])
        if url is None:
            continue
        if match.start() > position:
            tokens.append(_text_token(content[position : match.start()]))
        opening = Token("link_open", "a", 1)
        opening.attrs = {"href": url}
        tokens += [opening, _text_token(match[0]), Token("link_close", "a", -1)]
        position = match.end()
    if position < len(content):
        tokens.append(_text_token(content[position:]))
    return tokens


def _link_mentions(state: StateCore) -> None:
    links = state.env.get("mentions") if isinstance(state.env, dict) else None
    if not links:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        found = [(i, t) for i, t in _inline_text(block.children) if "@" in t.content]
        for index, token in reversed(found):
            block.children[index : index + 1] = _mention_tokens(token.content, links)


_markdown.core.ruler.push("mentions", _link_mentions)


def mentions_in(text: str) -> list[str]:
    """The names a reader's Markdown mentions as @name, outside code and links, each
    once, in the order they first appear (the first ones are those notified)."""
    if "@" not in text:  # most comments: no second parse of the text when posting
        return []
    names: dict[str, None] = {}
    for block in _markdown.parse(text):
        if block.type == "inline" and block.children:
            for _, token in _inline_text(block.children):
                names.update(dict.fromkeys(MENTION_RE.findall(token.content)))
    return list(names)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """Markdown to safe HTML; `mentions` maps usernames to the profile links they get."""
    return sanitise(_markdown.render(text, {"mentions": mentions or {}})).strip()


def render_plain(text: str) -> str:
    return linebreaks(escape(text)) if text else ""


_PRE_RE = re.compile(r"(<pre[\s>].*?</pre>)", re.S | re.I)
_BLOCK_START_RE = re.compile(r"<(p|pre|blockquote|ul|ol|li|div|h[1-6]|table)[\s>/]", re.I)


def _html_paragraphs(html: str) -> str:
    """HTML whose bare text runs are paragraphs at blank lines, with single line
    breaks kept (WordPress's `wpautop`); blocks, everything in `<pre>`, and the space
    between them as they are."""
    parts = []
    text = html.replace("\r\n", "\n").replace("\r", "\n")
    for index, part in enumerate(_PRE_RE.split(text)):
        if index % 2:
            parts.append(part)
            continue
        for chunk in re.split(r"(\n\s*\n)", part):
            body = chunk.strip()
            if not body or _BLOCK_START_RE.match(body):
                parts.append(chunk)
            else:
                lead, trail = (
                    chunk[: len(chunk) - len(chunk.lstrip())],
                    chunk[len(chunk.rstrip()) :],
                )
                parts.append(lead + "<p>" + body.replace("\n", "<br>\n") + "</p>" + trail)
    return "".join(parts)


def render_imported_html(html: str) -> str:
    """HTML from another site's export to the same safe subset as readers' Markdown."""
    return sanitise(_html_paragraphs(html)).strip()


def render_comment_body(
    text: str, *, imported: bool, mentions: Mapping[str, str] | None = None
) -> str:
    return render_plain(text) if imported else render_markdown(text, mentions=mentions)


_LINK_RE = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_BLOCK_END_RE = re.compile(r"</(p|blockquote|pre|ul|ol)>\n?")


def _link_as_text(match: re.Match) -> str:
    href, text = unescape(match[1]), match[2]
    # A link within the site (a mention) reads as its text; another shows where it goes.
    if href.startswith("/") or unescape(strip_tags(text)) == href:
        return text
    return f"{text} ({escape(href)})"


def html_to_text(html: str) -> str:
    """Stored comment HTML as plain text that reads the same (for the text part of
    an email): paragraphs apart, line breaks kept, list items dashed, links shown."""
    text = _LINK_RE.sub(_link_as_text, html)
    text = re.sub(r"<br\s*/?>\n?", "\n", text)
    text = _BLOCK_END_RE.sub("\n\n", text)
    text = re.sub(r"</li>\n?", "\n", text.replace("<li>", "- "))
    text = unescape(strip_tags(text))
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_BREAKS = re.compile(r"<(?=/?(?:p|br|li|ul|ol|blockquote|pre)\b)")


def html_excerpt(html: str, *, words: int = 30) -> str:
    """The first words of stored comment HTML as plain text (to be escaped once, by
    whoever shows it)."""
    # A space before each block and line break, so paragraphs and lines do not run
    # together, and none around inline tags, so "**words**." stays "words.".
    text = " ".join(unescape(strip_tags(_BREAKS.sub(" <", html))).split())
    return Truncator(text).words(words)


# Mentions: who a reader's text names, and that text with the names linked. One parse
# decides both (`mentions_in`), so the names that become links are exactly the
# readers notifications.services tells.


def mentioned_users(text: str) -> list:
    """The active accounts a reader's Markdown mentions as @username (exact names)."""
    names = mentions_in(text)
    if not names:
        return []
    return list(get_user_model().objects.filter(username__in=names, is_active=True))


def render_reader_text(text: str) -> str:
    """A reader's Markdown as the safe HTML stored with the comment, each @mention of
    an existing reader a link to their profile."""
    links = {user.get_username(): user.get_absolute_url() for user in mentioned_users(text)}
    return render_comment_body(text, imported=False, mentions=links)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def quoted(name: str, text: str) -> str:
    """`text` as a Markdown quote headed with who wrote it, to start a reply with:
    "> **Ana** wrote:" and then each line of the text behind "> "."""
    lines = text.strip().splitlines() or [""]
    author = _MARKDOWN_SPECIAL.sub(r"\\\1", name)
    body = [f"> {line}" if line.strip() else ">" for line in lines]
    return "\n".join([f"> **{author}** wrote:", *body]) + "\n\n"
