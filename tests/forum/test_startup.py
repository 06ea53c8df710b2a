"""A malformed environment variable stops every entry point at start-up, in one line."""

import sys

import pytest

from tests.settings_env import manage, run

# (variable, malformed value): one of each kind the settings and gunicorn.conf.py read.
MALFORMED = [
    ("FORUM_COMMENT_RATE", "bogus"),
    ("FORUM_SIGNUP_RATE", "5 per hour"),
    ("FORUM_LOGIN_RATE", "-1/m"),
    ("DATABASE_CONN_MAX_AGE", "abc"),
    ("FORUM_THREADS_PER_PAGE", "-5"),
    ("FORUM_MAX_VISIBLE_DEPTH", "deep"),
    ("FORUM_EDIT_WINDOW", "-1"),
    ("FORUM_REPORTS_TO_HOLD", "0"),
    ("FORUM_NEW_USER_HOLD", "1.5"),
    ("FORUM_TRUSTED_PROXIES", "-1"),
    ("FORUM_REPLICA_PIN_SECONDS", "ten"),
    ("FORUM_LOGIN_FAILURES", "0"),
    ("FORUM_LOGIN_LOCKOUT_MINUTES", "soon"),
    ("FORUM_MODERATION", "sometimes"),
    ("FORUM_EMAIL_VERIFICATION", "none"),
    ("DJANGO_LOG_LEVEL", "LOUD"),
    ("DJANGO_HTTPS", "maybe"),
    ("DJANGO_CSRF_TRUSTED_ORIGINS", "forum.example.com"),
    ("DATABASE_URL", "mysql2:/nowhere"),
    ("DATABASE_URL", "postgres://forum:s3cret@db:port/forum"),
    ("DATABASE_REPLICA_URLS", "postgres://r1/forum,not-a-url"),
    ("REDIS_URL", "http://cache:6379"),
    ("REDIS_URL", "redis://cache:63a9/0"),
    ("EMAIL_URL", "smtp://"),
    ("FORUM_SITE_URL", "forum.example.com"),
    ("FORUM_TASK_BACKEND", "celery"),
    ("FORUM_DIGEST_HOUR", "24"),
    ("FORUM_PUBLIC_MODLOG", "yes"),
]
GUNICORN_MALFORMED = [
    ("GUNICORN_WORKERS", "zero"),
    ("GUNICORN_WORKERS", "0"),
    ("GUNICORN_TIMEOUT", "30s"),
    ("PORT", "http"),
]


def assert_one_line_naming(result, variable: str) -> None:
    lines = result.stderr.splitlines()
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert lines[0].strip()
    assert variable in lines[0]


@pytest.mark.parametrize(("variable", "value"), MALFORMED)
def test_manage_py_check_refuses_a_malformed_variable_in_one_line(variable, value):
    result = manage("check", DJANGO_DEBUG="1", **{variable: value})

    assert_one_line_naming(result, variable)
    assert result.returncode == 1


def test_the_one_line_says_what_the_variable_accepts():
    result = manage("check", DJANGO_DEBUG="1", FORUM_COMMENT_RATE="bogus")

    assert result.stderr.strip() == (
        "ImproperlyConfigured: FORUM_COMMENT_RATE must look like 5/m "
        "(a number per s, m, h or d), not 'bogus'."
    )


def test_a_malformed_database_url_is_shown_without_its_password():
    result = manage("check", DJANGO_DEBUG="1", DATABASE_URL="postgres://forum:s3cret@db:port/x")

    assert "s3cret" not in result.stderr
    assert "postgres://forum:***@db:port/x" in result.stderr


def test_a_missing_secret_key_stops_manage_py_in_one_line():
    assert_one_line_naming(manage("check"), "DJANGO_SECRET_KEY")


@pytest.mark.parametrize("module", ["forum.wsgi", "forum.asgi"])
def test_the_wsgi_and_asgi_entry_points_refuse_a_malformed_variable_in_one_line(module):
    result = run(
        [sys.executable, "-c", f"import {module}"],
        env={"DJANGO_DEBUG": "1", "FORUM_COMMENT_RATE": "bogus"},
    )

    assert_one_line_naming(result, "FORUM_COMMENT_RATE")
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("variable", "value"), [("FORUM_COMMENT_RATE", "bogus"), *GUNICORN_MALFORMED]
)
def test_gunicorn_stops_before_booting_workers_on_a_malformed_variable(variable, value):
    """gunicorn.conf.py loads the settings in gunicorn's master process, so gunicorn
    exits at once instead of booting workers that each fail and are replaced."""
    result = run(
        [sys.executable, "-m", "gunicorn", "forum.wsgi:application"],
        env={"DJANGO_DEBUG": "1", "GUNICORN_BIND": "127.0.0.1:0", variable: value},
        timeout=30,
    )

    assert_one_line_naming(result, variable)


def test_rq_tasks_without_a_redis_are_refused_in_one_line():
    result = manage("check", DJANGO_DEBUG="1", FORUM_TASK_BACKEND="rq")

    assert_one_line_naming(result, "FORUM_TASK_BACKEND")


def test_production_without_email_says_so_once_as_it_starts():
    env = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "0"}
    result = manage("check", **env)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "Warning: EMAIL_URL is not set: no email will be sent (no verification, password "
        "reset or notification mail). Set it to an SMTP URL such as "
        "smtp+tls://user:pass@host:587."
    ]
    configured = manage("check", **env, EMAIL_URL="smtp://mail.internal:25")
    assert configured.returncode == 0 and configured.stderr == ""
