"""The settings module read in a fresh interpreter, one environment at a time."""

from tests.settings_env import load_settings


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

