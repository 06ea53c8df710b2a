"""Reading an export: streamed, refusing entities, each element's text capped.

Exports are untrusted input. They are parsed with defusedxml's expat parser,
which refuses entity declarations (XML bombs, external entities) before any is
expanded, fed the file a chunk at a time. The elements are built here, and
memory holds at most `text_limit() + 1` characters of any element's text: the
parser hands character data over in pieces, and pieces past the cap are
dropped as they arrive, so a comment of 200 MB costs what one of 100,000
characters does, and whoever reads it sees it is too long by its length. Only
the elements named `uncapped` (a post's own body) keep all their text. Text
after an element's first child (the space between records) is never kept, and
each record is cleared once read, so memory stays bounded by one record.
"""

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings

REFUSED = "refused: the file declares entities (XML bombs and external entities are not read)"
CHUNK_BYTES = 64 * 1024
# A comment's source may be this many times longer than the text it may have (its
# markup counts in the source only): past that it is too long without being
# cleaned, as no comment's markup is that heavy, and no more of it is read.
SOURCE_FACTOR = 10


class ImportFileError(Exception):
    """A file that cannot be imported: `message` says why, `line` (1-based) where, when
    the parser knows it, and `outcome` what became of the file."""

    outcome = "nothing imported"

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.message = message
        self.line = line


def text_limit() -> int:
    """Characters of an element's text worth reading: a comment whose source is longer
    is too long (readers' comments may have FORUM_COMMENT_MAX_LENGTH)."""
    return SOURCE_FACTOR * settings.FORUM_COMMENT_MAX_LENGTH


class _Builder:
    """The parser's target: elements as ElementTree's TreeBuilder makes them, but with
    at most `keep` characters of text each (all of it for a tag in `uncapped`), and
    no text after a child; `events` are those since the last `take()`."""

    def __init__(self, *, keep: int, uncapped: frozenset[str]) -> None:
        self.keep = keep
        self.uncapped = uncapped
        self.events: list[tuple[str, Element]] = []
        self.namespaces: dict[str, str] = {}  # prefix → URI, as the file declares them
        self._open: list[Element] = []
        self._text: list[str] = []
        self._room: int | None = 0  # characters the open element may still keep; None: all

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._close_text()
        element = Element(tag, attrib)
        if self._open:
            self._open[-1].append(element)
        self._open.append(element)
        self._room = None if tag in self.uncapped else self.keep
        self.events.append(("start", element))

    def data(self, data: str) -> None:
        if self._room is None:
            self._text.append(data)
        elif self._room:
            piece = data[: self._room]
            self._text.append(piece)
            self._room -= len(piece)

    def end(self, tag: str) -> None:
        self._close_text()
        self.events.append(("end", self._open.pop()))

    def start_ns(self, prefix: str, uri: str) -> None:
        """A namespace declared: the first declaration of each prefix is kept."""
        self.namespaces.setdefault(prefix, uri)

    def close(self) -> None:
        return None

    def take(self) -> list[tuple[str, Element]]:
        events, self.events = self.events, []
        return events

    def _close_text(self) -> None:
        """Give the open element the text read so far; keep none until the next start."""
        if self._text:
            self._open[-1].text = "".join(self._text)
            self._text = []
        self._room = 0


def read_xml(
    path: Path,
    *,
    depth: int,
    uncapped: frozenset[str] = frozenset(),
    namespaces: dict[str, str] | None = None,
) -> Iterator[tuple[str, Element, list[Element]]]:
    """("start" | "end", element, its ancestors) for every element of the file, streamed.
    An element with at most `depth` ancestors (a record: a WXR item, a Disqus post) is
    cleared and dropped from its parent after its "end", with everything inside it:
    read what you need of it then. `namespaces`, if given, is filled with the
    file's declarations (prefix → URI) as they are read: those of the root element
    before its "start". Raises ImportFileError for broken or refused XML."""
    builder = _Builder(keep=text_limit() + 1, uncapped=uncapped)
    if namespaces is not None:
        builder.namespaces = namespaces
    parser = DefusedXMLParser(target=builder)
    ancestors: list[Element] = []
    try:
        with path.open("rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                parser.feed(chunk)
                yield from _walk(builder.take(), ancestors, depth)
            parser.close()
        yield from _walk(builder.take(), ancestors, depth)
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        message = str(exc).split(": line ")[0]
        raise ImportFileError(f"the XML is malformed: {message}", line) from None
    except DefusedXmlException:
        raise ImportFileError(REFUSED) from None


def _walk(
    events: list[tuple[str, Element]], ancestors: list[Element], depth: int
) -> Iterator[tuple[str, Element, list[Element]]]:
    for event, element in events:
        if event == "start":
            yield event, element, ancestors
            ancestors.append(element)
            continue
        ancestors.pop()
        yield event, element, ancestors
        if len(ancestors) <= depth:
            element.clear()
            if ancestors:
                ancestors[-1].remove(element)


def check_xml(path: Path, *, root: str, depth: int) -> None:
    """Read the whole file once, writing nothing: it must be well-formed, declare no
    entities and have the root element `root` ("{namespace}name" or "name")."""
    for event, element, ancestors in read_xml(path, depth=depth):
        if event == "start" and not ancestors and element.tag != root:
            raise ImportFileError(f"not the export expected: the root element is <{element.tag}>")


def local_name(tag: str) -> tuple[str, str]:
    """("namespace", "name") of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""
