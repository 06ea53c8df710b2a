"""How often a client may search, and how long a search may run.

Search is open to everyone, signed out too, and one search can cost the
database far more than any page, so it has limits of its own:

- Each search counts against FORUM_SEARCH_RATE per client address and, for a
  signed-in reader, per account too (forum.throttle, shared by every
  process). Past either, the page answers 429 with Retry-After and runs no
  search. Queries the view refuses (empty, too short, too long...) do not count.
- A search's queries run under FORUM_SEARCH_TIMEOUT_MS. Invariant: the limit
  holds for the search's queries and nothing else, and ends with them. On
  PostgreSQL it is `SET LOCAL statement_timeout`, which holds for each statement
  of a transaction opened for the search, on the database the search reads
  from; on SQLite a progress handler on the connection interrupts whatever runs
  past one deadline for the whole search, and is removed afterwards. Either way
  `time_limit` raises TooSlow instead of letting a slow search hold its worker.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connections, router, transaction
from django.http import HttpRequest
from psycopg2.errors import QueryCanceled

from comments.models import Comment
from forum.throttle import client_ip, hit

TOO_FAST = "You are searching too fast. Wait {seconds} seconds, then search again."
TOO_SLOW = "This search took too long. Try fewer or rarer words."
# SQLite calls the progress handler after this many of its virtual machine's
# instructions: tens of microseconds of work, so the deadline is kept closely.
_SQLITE_CHECK_EVERY = 10_000


def wait_before_search(request: HttpRequest) -> int:
    """Count one search by the client of `request`, by address and, signed in, by
    account; the seconds it must wait (past FORUM_SEARCH_RATE), else 0."""
    rate = settings.FORUM_SEARCH_RATE
    wait = hit("search", f"address:{client_ip(request)}", rate)
    if not wait and request.user.is_authenticated:
        wait = hit("search", f"account:{request.user.pk}", rate)
    return wait


class TooSlow(Exception):
    """A search ran past FORUM_SEARCH_TIMEOUT_MS and the database stopped it."""


@contextmanager
def time_limit() -> Iterator[None]:
    """Run the block's queries on the search's database under FORUM_SEARCH_TIMEOUT_MS;
    raise TooSlow when the database cancels one for running past it."""
    alias = router.db_for_read(Comment)
    connection = connections[alias]
    milliseconds = settings.FORUM_SEARCH_TIMEOUT_MS
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic(using=alias):
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [milliseconds])
                yield
        except OperationalError as exc:
            if isinstance(exc.__cause__, QueryCanceled):
                raise TooSlow from exc
            raise
        return
    deadline = time.monotonic() + milliseconds / 1000
    connection.ensure_connection()
    sqlite = connection.connection
    sqlite.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_CHECK_EVERY)
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
            raise TooSlow from exc
        raise
    finally:
        sqlite.set_progress_handler(None, 0)
