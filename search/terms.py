"""What a search asks for: the query read as PostgreSQL's websearch_to_tsquery reads
it (words, "quoted phrases", `or` between alternatives, `-word` to leave out),
with repeats dropped. Pure Python, no database: the view refuses queries with
it before anything runs, and search.queries builds its SQL from it.

Invariant: `Terms.websearch`, the text the searches hand to PostgreSQL, means
exactly what `groups` say. Every term is written in double quotes, which
websearch_to_tsquery reads as one phrase whatever the characters inside (a
single word in quotes means the same as without), with `-` before an excluded
one and ` or ` between alternatives, and nothing else. So every text the query
matches holds all the words `wanted` gives for one of its alternatives: the
index may be asked for those first, and phrases and exclusions checked only on
what it finds (search.queries). tests/search/test_terms.py checks both against
PostgreSQL, on queries with the odd corners readers type.
"""

from dataclasses import dataclass
from functools import cached_property

from search.highlight import words_of

# Characters websearch_to_tsquery skips between terms, and that end a word.
OPERATORS = frozenset("!&|()<")


@dataclass(frozen=True)
class Term:
    """A word, or a quoted phrase, as typed; `excluded` when it had a minus sign."""

    text: str
    excluded: bool = False

    @cached_property
    def words(self) -> list[str]:
        return words_of(self.text)

    @cached_property
    def key(self) -> tuple[bool, str]:
        """What makes two terms the same ("Pelican" is "pelican")."""
        return self.excluded, self.text.casefold()


@dataclass(frozen=True)
class Terms:
    """Alternatives (joined by `or`), each the terms all of which a text must satisfy."""

    groups: tuple[tuple[Term, ...], ...]

    @property
    def websearch(self) -> str:
        """The query in websearch_to_tsquery's syntax, unambiguously (see the module)."""
        return " or ".join(
            " ".join(("-" if term.excluded else "") + f'"{term.text}"' for term in group)
            for group in self.groups
        )

    @property
    def wanted(self) -> list[str]:
        """For each alternative, the text of its terms that are not excluded."""
        return [" ".join(t.text for t in group if not t.excluded) for group in self.groups]

    @property
    def word_count(self) -> int:
        """Different words in each alternative, added up: what the index reads."""
        return sum(len({word for term in group for word in term.words}) for group in self.groups)

    @property
    def looks_for_something(self) -> bool:
        """Whether every alternative has a word that is not excluded: one that only
        excludes matches nearly everything, so the index would be read whole."""
        return bool(self.groups) and all(
            any(not term.excluded for term in group) for group in self.groups
        )


def _is_or(query: str, at: int) -> bool:
    """Whether `or` at `at`, after a term, is websearch_to_tsquery's operator: not
    part of a word ("order", "or-else") and with something after it."""
    if query[at : at + 2].lower() != "or":
        return False
    rest = query[at + 2 :]
    if not rest or rest[0] in "-_" or rest[0].isalnum():
        return False
    return bool(rest[1:].strip())


def _word(query: str, at: int) -> tuple[str, int]:
    """The word starting at `at`, and where it ends: before a space, an operator
    character, a double quote or a colon (which starts the next word)."""
    end = at + 1
    while end < len(query) and not (
        query[end].isspace() or query[end] in OPERATORS or query[end] in '":'
    ):
        end += 1
    return query[at:end], end


def parse(query: str) -> Terms:
    """`query`'s alternatives and terms, following websearch_to_tsquery's reading:
    a minus sign before a term excludes it, a double quote opens a phrase (to the
    next one or the end), `or` between terms separates alternatives, operator
    characters are skipped. Terms without a letter or digit, which PostgreSQL
    ignores too, are left out, as are repeated terms within an alternative and
    repeated alternatives."""
    groups: list[list[Term]] = [[]]
    excluded, expecting_term, at = False, True, 0
    while at < len(query):
        char = query[at]
        if not expecting_term:
            if _is_or(query, at):
                groups.append([])
                expecting_term, at = True, at + 2
            elif char.isspace() or char in OPERATORS:
                at += 1
            else:
                expecting_term = True  # terms side by side: both must match
            continue
        if char == "-":
            excluded, at = not excluded, at + 1
            continue
        if char.isspace() or char in OPERATORS:
            at += 1
            continue
        if char == '"':
            end = query.find('"', at + 1)
            end = len(query) if end < 0 else end
            text, at = query[at + 1 : end], end + 1
        else:
            text, at = _word(query, at)
        term = Term(text, excluded)
        if term.words and term.key not in {t.key for t in groups[-1]}:
            groups[-1].append(term)
        excluded, expecting_term = False, False
    unique, seen = [], set()
    for group in groups:
        keys = frozenset(term.key for term in group)
        if group and keys not in seen:
            seen.add(keys)
            unique.append(tuple(group))
    return Terms(tuple(unique))
