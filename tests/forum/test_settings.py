"""The settings module read in a fresh interpreter, one environment at a time."""

from tests.settings_env import load_settings, setting_values


def test_without_debug_a_missing_secret_key_stops_with_a_clear_message():
    result = load_settings()

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_https_hardening_is_on_by_default_without_debug_and_can_be_turned_off():
    assert load_settings(DJANGO_SECRET_KEY="k" * 50).stdout.split()[:2] == ["False", "True"]
    assert load_settings(DJANGO_SECRET_KEY="k" * 50, DJANGO_HTTPS="0").stdout.split()[:2] == [
        "False",
        "False",
    ]
    assert load_settings(DJANGO_DEBUG="1").stdout.split()[:2] == ["True", "False"]


def test_a_malformed_flag_is_refused_by_name():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_the_proxy_ssl_header_is_trusted_only_when_a_proxy_is_declared():
    https = {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_HTTPS": "1"}
    names = ["SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER"]

    assert setting_values(names, **https) == {
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_PROXY_SSL_HEADER": "'-'",
    }
    behind_a_proxy = setting_values(names, **https, FORUM_TRUSTED_PROXIES="1")
    assert behind_a_proxy["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_rates_and_numbers_keep_their_defaults_and_take_valid_values():
    names = ["FORUM_COMMENT_RATE", "FORUM_THREADS_PER_PAGE", "DATABASES"]
    defaults = setting_values(names, DJANGO_DEBUG="1")
    chosen = setting_values(
        names,
        DJANGO_DEBUG="1",
        FORUM_COMMENT_RATE="2/h",
        FORUM_THREADS_PER_PAGE="7",
        DATABASE_CONN_MAX_AGE="0",
    )

    assert defaults["FORUM_COMMENT_RATE"] == "'5/m'"
    assert defaults["FORUM_THREADS_PER_PAGE"] == "100"
    assert "'CONN_MAX_AGE': 60" in defaults["DATABASES"]
    assert chosen["FORUM_COMMENT_RATE"] == "'2/h'"
    assert chosen["FORUM_THREADS_PER_PAGE"] == "7"
    assert "'CONN_MAX_AGE': 0" in chosen["DATABASES"]


def test_email_verification_is_optional_unless_made_mandatory():
    names = ["ACCOUNT_EMAIL_VERIFICATION", "ACCOUNT_DEFAULT_HTTP_PROTOCOL"]

    assert setting_values(names, DJANGO_DEBUG="1") == {
        "ACCOUNT_EMAIL_VERIFICATION": "'optional'",
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "'http'",
    }
    chosen = setting_values(names, DJANGO_SECRET_KEY="k" * 50, FORUM_EMAIL_VERIFICATION="mandatory")
    assert chosen == {
        "ACCOUNT_EMAIL_VERIFICATION": "'mandatory'",
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "'https'",
    }


def test_guest_comments_are_off_by_default_and_take_only_their_choices():
    names = ["FORUM_GUEST_COMMENTS", "FORUM_GUEST_TRUST"]
    assert setting_values(names, DJANGO_DEBUG="1") == {
        "FORUM_GUEST_COMMENTS": "'off'",
        "FORUM_GUEST_TRUST": "'none'",
    }
    chosen = setting_values(
        names, DJANGO_DEBUG="1", FORUM_GUEST_COMMENTS="held", FORUM_GUEST_TRUST="approved-before"
    )
    assert chosen == {"FORUM_GUEST_COMMENTS": "'held'", "FORUM_GUEST_TRUST": "'approved-before'"}

    wrong = load_settings(DJANGO_DEBUG="1", FORUM_GUEST_COMMENTS="open")
    assert wrong.returncode != 0
    assert "FORUM_GUEST_COMMENTS must be one of off, held, not 'open'." in wrong.stderr
    wrong = load_settings(DJANGO_DEBUG="1", FORUM_GUEST_TRUST="always")
    assert "FORUM_GUEST_TRUST must be one of none, approved-before, not 'always'." in wrong.stderr
