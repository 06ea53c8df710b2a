"""Page numbers in URLs, for every paged list (threads, profiles, search, the inbox)."""


def requested_page(raw: str | None, *, num_pages: int) -> tuple[int, bool]:
    """The page a request asks for, as (the nearest page that exists, whether it is
    the one asked for): none named is page 1; past the end, the last page; not a
    whole number from 1, page 1."""
    if raw is None:
        return 1, True
    try:
        number = int(raw)
    except ValueError:
        return 1, False
    if number < 1:
        return 1, False
    return min(number, num_pages), number <= num_pages
