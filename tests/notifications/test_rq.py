"""FORUM_TASK_BACKEND=rq: the same tasks, queued in Redis and run by RQ's worker."""

import pytest

from tests.redis_server import HAVE_REDIS, RedisServer, free_port
from tests.settings_env import manage

pytestmark = pytest.mark.skipif(not HAVE_REDIS, reason="needs redis-server")

ENQUEUE = """
from django.core.mail import EmailMultiAlternatives
from forum.mail import message_as_data, send_message
message = EmailMultiAlternatives(
    subject="Queued in Redis", body="Sent by RQ.", to=["x@example.com"]
)
send_message.enqueue(message_as_data(message))
"""


@pytest.fixture
def redis_url(tmp_path):
    server = RedisServer(port=free_port(), directory=tmp_path)
    server.start()
    yield server.url
    server.stop()


def test_mail_queued_in_redis_is_sent_by_the_rq_worker(redis_url, tmp_path):
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "FORUM_TASK_BACKEND": "rq",
        "EMAIL_URL": "console://",
    }
    queued = manage("shell", "-c", ENQUEUE, **env)
    assert queued.returncode == 0, queued.stderr
    assert "Queued in Redis" not in queued.stdout  # nothing is sent by the one who queues

    worked = manage("worker", "--burst", **env)
    assert worked.returncode == 0, worked.stderr
    assert "Subject: Queued in Redis" in worked.stdout
    assert "Sent by RQ." in worked.stdout


def test_the_worker_command_refuses_the_immediate_backend_in_one_line(tmp_path):
    result = manage(
        "worker",
        DJANGO_DEBUG="1",
        FORUM_TASK_BACKEND="immediate",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 1
    assert result.stderr.strip().endswith("there is no worker to start.")
