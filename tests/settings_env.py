"""Running the settings, manage.py or gunicorn in a fresh process with a chosen environment.

The child sees the test run's environment minus every variable the settings or
gunicorn.conf.py read (DJANGO_*, DATABASE_*, FORUM_*, REDIS_*, GUNICORN_*, EMAIL_*, PORT),
plus exactly the ones a test passes, so each test states all it relies on.
"""

import os
import subprocess
import sys

from django.conf import settings

CONFIG_PREFIXES = ("DJANGO_", "DATABASE_", "FORUM_", "REDIS_", "GUNICORN_", "EMAIL_")


def child_env(**env: str) -> dict[str, str]:
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(CONFIG_PREFIXES) and name not in {"PORT", "DJANGO_SETTINGS_MODULE"}
    }
    return {**clean, **env}


def run(
    args: list[str], *, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run `args` in the project directory with exactly `env` as the configuration."""
    return subprocess.run(
        args,
        env=child_env(**env),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly these variables;
    it prints DEBUG, HTTPS, the database aliases and the routers."""
    return run(
        [
            sys.executable,
            "-c",
            "import forum.settings as s; "
            "routers = ','.join(getattr(s, 'DATABASE_ROUTERS', [])) or '-'; "
            "print(s.DEBUG, s.HTTPS, ','.join(s.DATABASES), routers)",
        ],
        env=env,
    )


def setting_values(names: list[str], **env: str) -> dict[str, str]:
    """The repr of each named setting (or "-" when the module leaves it unset), read by
    importing the settings module in a fresh interpreter with exactly these variables."""
    script = (
        "import sys, forum.settings as s\n"
        "for name in sys.argv[1:]:\n"
        "    print(name, repr(getattr(s, name, '-')))\n"
    )
    result = run([sys.executable, "-c", script, *names], env=env)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python manage.py <args>` in a fresh process with exactly these variables."""
    return run([sys.executable, "manage.py", *args], env=env)
