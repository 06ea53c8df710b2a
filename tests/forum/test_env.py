"""forum.env: each helper returns a checked value or refuses the variable by name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from forum.env import (
    Rate,
    database_config,
    env_bool,
    env_choice,
    env_email_url,
    env_int,
    env_list,
    env_origins,
    env_rate,
    env_redis_url,
    env_site_url,
    masked,
    parse_rate,
)


def test_rates_are_a_number_per_second_minute_hour_or_day():
    assert parse_rate("5/m") == Rate(limit=5, period=60)
    assert parse_rate(" 20 / h ") == Rate(limit=20, period=3600)
    assert parse_rate("1/d") == Rate(limit=1, period=86400)
    for text in ("bogus", "5", "5/w", "-1/m", "1.5/s", "5/min"):
        with pytest.raises(ValueError, match="must look like 5/m"):
            parse_rate(text)


def test_an_unset_or_empty_variable_gives_the_default():
    for environ in ({}, {"X": ""}, {"X": "  "}):
        assert env_int("X", default=3, minimum=0, environ=environ) == 3
        assert env_bool("X", default=True, environ=environ) is True
        assert env_list("X", default=["a"], environ=environ) == ["a"]
        assert env_choice("X", default="post", choices=("post", "pre"), environ=environ) == "post"
        assert env_rate("X", default="5/m", environ=environ) == "5/m"
        assert env_redis_url("X", environ=environ) == ""


def test_numbers_below_their_minimum_are_refused_by_name():
    assert env_int("N", default=1, minimum=0, environ={"N": "0"}) == 0
    with pytest.raises(ImproperlyConfigured, match=r"^N must be a whole number of at least 1"):
        env_int("N", default=1, minimum=1, environ={"N": "0"})
    with pytest.raises(ImproperlyConfigured, match=r"^N must be a whole number, not 'x'\.$"):
        env_int("N", default=1, environ={"N": "x"})


def test_flags_choices_and_lists_read_what_they_promise():
    assert env_bool("F", default=False, environ={"F": "Yes"}) is True
    assert env_bool("F", default=True, environ={"F": "off"}) is False
    with pytest.raises(ImproperlyConfigured, match=r"^F must be 1 or 0"):
        env_bool("F", default=True, environ={"F": "maybe"})
    with pytest.raises(ImproperlyConfigured, match=r"^C must be one of post, pre, not 'Post'"):
        env_choice("C", default="post", choices=("post", "pre"), environ={"C": "Post"})
    assert env_list("L", default=[], environ={"L": " a, ,b ,"}) == ["a", "b"]
    origins = {"O": "https://forum.example.com, http://localhost:8000"}
    assert env_origins("O", environ=origins) == [
        "https://forum.example.com",
        "http://localhost:8000",
    ]
    with pytest.raises(ImproperlyConfigured, match=r"^O must be comma-separated origins"):
        env_origins("O", environ={"O": "https://ok.example.com,forum.example.com"})


def test_a_malformed_rate_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured) as refused:
        env_rate("FORUM_COMMENT_RATE", default="5/m", environ={"FORUM_COMMENT_RATE": "bogus"})
    assert str(refused.value) == (
        "FORUM_COMMENT_RATE must look like 5/m (a number per s, m, h or d), not 'bogus'."
    )


def test_database_urls_must_name_a_postgresql_or_sqlite_database():
    config = database_config("DB", url="postgres://u:p@h:5432/forum", conn_max_age=7)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"], config["CONN_MAX_AGE"]) == (
        "forum",
        "h",
        5432,
        7,
    )
    for url in ("foo", "postgres://", "mysql://h/forum", "postgres://u:p@h:port/forum"):
        with pytest.raises(ImproperlyConfigured, match=r"^DB must be a PostgreSQL or SQLite URL"):
            database_config("DB", url=url, conn_max_age=0)


def test_redis_urls_are_checked_and_passwords_never_echoed():
    good = "redis://:pw@cache:6379/1"
    assert env_redis_url("R", environ={"R": good}) == good
    assert env_redis_url("R", environ={"R": "unix:///run/redis.sock"}) == "unix:///run/redis.sock"
    for url in ("http://cache", "redis://", "redis://cache:port", "redis://cache/zero"):
        with pytest.raises(ImproperlyConfigured, match=r"^R must be empty or a Redis URL"):
            env_redis_url("R", environ={"R": url})
    with pytest.raises(ImproperlyConfigured) as refused:
        env_redis_url("R", environ={"R": "http://user:hunter2@cache"})
    assert "hunter2" not in str(refused.value)
    assert masked("postgres://u:hunter2@h/db") == "postgres://u:***@h/db"


def test_email_urls_give_djangos_mail_settings():
    def email(url: str) -> dict:
        return env_email_url("EMAIL_URL", environ={"EMAIL_URL": url})

    assert email("") == {}
    assert email("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    starttls = email("smtp+tls://forum%40example.com:p%40ss%2Fword@mail.example.com")
    assert starttls == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "forum@example.com",
        "EMAIL_HOST_PASSWORD": "p@ss/word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }
    implicit = email("smtps://u:p@mail.example.com")
    assert (implicit["EMAIL_PORT"], implicit["EMAIL_USE_SSL"], implicit["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )
    plain = email("smtp://relay.internal:2525?tls=yes")
    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_TLS"], plain["EMAIL_HOST_USER"]) == (
        2525,
        True,
        "",
    )


def test_a_bad_email_url_is_refused_without_echoing_its_password():
    for url in ("mailto://x", "smtp://", "smtp://u:s3cret@host:port", "sendmail"):
        with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must be") as refused:
            env_email_url("EMAIL_URL", environ={"EMAIL_URL": url})
        assert "s3cret" not in str(refused.value)


def test_the_site_url_is_a_scheme_and_a_host():
    assert env_site_url("U", default="http://127.0.0.1:8000", environ={}) == "http://127.0.0.1:8000"
    assert env_site_url("U", default="", environ={"U": "https://forum.example.com/"}) == (
        "https://forum.example.com"
    )
    for url in ("forum.example.com", "https://forum.example.com/forum/", "ftp://x", "https://"):
        with pytest.raises(ImproperlyConfigured, match="U must be the site's address"):
            env_site_url("U", default="", environ={"U": url})
