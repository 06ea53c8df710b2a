"""A withdrawal racing a moderator's action on the same comment waits for it, then
is refused: what the moderator closed is never reopened as withdrawn.

PostgreSQL only: that is where the two really run at once (SQLite lets one write at
a time). The withdrawal runs on a thread with its own database connection.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from comments import services
from comments.models import Report
from comments.moderation import services as moderation


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set DATABASE_URL=postgres://...)")


def wait_until_someone_waits_for_a_lock(timeout: float = 10) -> None:
    """Block (on this thread's own connection) until another transaction waits for a
    lock: PostgreSQL's pg_locks lists it, not granted."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("nobody came to wait for the lock")


@pytest.mark.postgres
def test_a_withdrawal_racing_a_removal_waits_for_it_and_is_refused(
    postgres_only, transactional_db, article, reader, other_reader, moderator, monkeypatch
):
    rude = services.comment_create(article=article, author=other_reader, body="Nobody cares.")
    services.comment_report(comment=rude, reporter=reader, reason="abuse")
    outcome: dict[str, object] = {}

    def withdraw_from_another_connection() -> None:
        try:
            services.report_withdraw(comment=rude, reporter=reader)
            outcome["withdrawal"] = "withdrawn"
        except ValidationError as refusal:
            outcome["withdrawal"] = refusal.code
        finally:
            connections.close_all()

    close_reports = moderation._close_reports

    def close_then_let_a_withdrawal_in(chosen, **kwargs):
        closed = close_reports(chosen, **kwargs)
        racer = threading.Thread(target=withdraw_from_another_connection)
        racer.start()
        # The removal's transaction stays open until the withdrawal waits for it.
        wait_until_someone_waits_for_a_lock()
        outcome["racer"] = racer
        return closed

    monkeypatch.setattr(moderation, "_close_reports", close_then_let_a_withdrawal_in)
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")
    outcome["racer"].join(timeout=10)

    assert outcome["withdrawal"] == "handled"
    report = Report.objects.get()
    assert (report.state, report.handled_by) == (Report.State.RESOLVED, moderator)
