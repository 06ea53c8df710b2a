"""Read rendered pages as element trees, to assert on structure rather than strings."""

from bs4 import BeautifulSoup


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def comment_element(soup: BeautifulSoup, comment):
    return soup.find(id=f"comment-{comment.pk}")


def card_of(element):
    """A comment element's own card: its `<article>` (inside its fold, on a thread), or
    the placeholder paragraph of a hidden comment; never a reply's."""
    return (
        element.select_one(":scope > details > article")
        or element.select_one(":scope > article")
        or element.select_one(":scope > .comment-gone")
    )


def actions_of(element) -> dict[str, str]:
    """A comment element's own action links: {visible label: href}."""
    card = card_of(element)
    footer = card.select_one(":scope > footer") if card is not None else None
    return {a.get_text(): a["href"] for a in footer.select("a")} if footer else {}


def rendered_outline(soup: BeautifulSoup) -> list[tuple[int, str]]:
    """(depth, author) for every comment element on the page, depth counted by how
    many comment elements enclose it: the nesting the reader's browser sees.
    A tombstone's "author" is its placeholder text, e.g. "[removed]"."""
    result = []
    for element in soup.select("li.comment"):
        depth = len(element.find_parents("li", class_="comment"))
        card = card_of(element)
        author = card.select_one(".comment-author")
        result.append((depth, author.get_text() if author else card.get_text().strip()))
    return result
