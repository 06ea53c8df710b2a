import os
import subprocess
import sys

from django.conf import settings


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly these variables;
    it prints DEBUG, HTTPS, the database aliases and the routers."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import forum.settings as s; "
            "routers = ','.join(getattr(s, 'DATABASE_ROUTERS', [])) or '-'; "
            "print(s.DEBUG, s.HTTPS, ','.join(s.DATABASES), routers)",
        ],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


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
