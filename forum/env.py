"""Reading the environment: each helper parses one variable or refuses it.

Invariant: a helper either returns a value of the promised type and range, or
raises ImproperlyConfigured with a one-line message that names the variable,
says what it accepts and shows what it got (with any password masked). The
settings module calls these while it loads, so a bad variable stops every
entry point (manage.py, wsgi, asgi, gunicorn.conf.py) before it serves anything.

The rate format ("5/m") has its one owner here: `parse_rate`, used both by the
settings and by forum.throttle.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_FORMAT = "5/m (a number per s, m, h or d)"
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*([smhd])\s*$")
_PASSWORD_RE = re.compile(r"(//[^/@:]*:)[^/@]*@")
REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})
# The database backends the forum is built and tested for (psycopg2 and sqlite3).
DATABASE_ENGINES = frozenset({"django.db.backends.postgresql", "django.db.backends.sqlite3"})


@dataclass(frozen=True)
class Rate:
    """At most `limit` events per `period` seconds."""

    limit: int
    period: int


def parse_rate(text: str) -> Rate:
    """Parse "N/s", "N/m", "N/h" or "N/d"; ValueError (saying what is accepted) otherwise."""
    match = _RATE_RE.match(text)
    if not match:
        raise ValueError(f"must look like {RATE_FORMAT}, not {text!r}.")
    return Rate(limit=int(match[1]), period=PERIODS[match[2]])


def masked(url: str) -> str:
    """The URL with any password replaced by ***, fit to print in an error message."""
    return _PASSWORD_RE.sub(r"\1***@", url)


def _raw(name: str, environ: Mapping[str, str] | None) -> str:
    return (os.environ if environ is None else environ).get(name, "").strip()


def env_str(name: str, /, *, default: str, environ: Mapping[str, str] | None = None) -> str:
    """The variable's text, or `default` when it is unset or empty."""
    return _raw(name, environ) or default


def env_bool(name: str, /, *, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """A flag: 1/true/yes/on or 0/false/no/off (any case); unset or empty gives `default`."""
    raw = _raw(name, environ)
    if not raw:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {raw!r}."
    )


def env_int(
    name: str,
    /,
    *,
    default: int,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """A whole number, at least `minimum` when one is given; unset or empty gives `default`."""
    raw = _raw(name, environ)
    if not raw:
        return default
    accepts = "a whole number" if minimum is None else f"a whole number of at least {minimum}"
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {accepts}, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be {accepts}, not {raw!r}.")
    return value


def env_list(
    name: str, /, *, default: list[str], environ: Mapping[str, str] | None = None
) -> list[str]:
    """Comma-separated items, blanks dropped; none at all gives `default`."""
    items = [item.strip() for item in _raw(name, environ).split(",") if item.strip()]
    return items or list(default)


def env_origins(name: str, /, *, environ: Mapping[str, str] | None = None) -> list[str]:
    """Comma-separated origins, each starting http:// or https://; none by default."""
    origins = env_list(name, default=[], environ=environ)
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                f"{name} must be comma-separated origins such as https://forum.example.com, "
                f"not {origin!r}."
            )
    return origins


def env_choice(
    name: str,
    /,
    *,
    default: str,
    choices: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
) -> str:
    """One of `choices` (exactly as spelt there); unset or empty gives `default`."""
    raw = _raw(name, environ)
    if not raw:
        return default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw


def env_rate(name: str, /, *, default: str, environ: Mapping[str, str] | None = None) -> str:
    """A rate such as "5/m", checked with `parse_rate`; unset or empty gives `default`."""
    raw = _raw(name, environ) or default
    try:
        parse_rate(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} {exc}") from None
    return raw


def database_config(name: str, /, *, url: str, conn_max_age: int) -> dict:
    """Django's DATABASES entry for a PostgreSQL or SQLite URL; `name` is the variable
    that gave it, for the message."""
    accepts = (
        "a PostgreSQL or SQLite URL such as postgres://user:password@host:5432/name "
        "or sqlite:///path/db.sqlite3"
    )
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except Exception:  # dj_database_url raises several kinds, some with multi-line messages
        config = {}
    if config.get("ENGINE") not in DATABASE_ENGINES or not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must be {accepts}, not {masked(url)!r}.")
    return config


def env_redis_url(name: str, /, *, environ: Mapping[str, str] | None = None) -> str:
    """A Redis URL (redis://[:password@]host[:port][/db], rediss://…, unix://…) or ""."""
    raw = _raw(name, environ)
    if not raw:
        return ""
    accepts = "empty or a Redis URL such as redis://host:6379/0"
    try:
        parts = urlsplit(raw)
        port = parts.port  # raises ValueError when it is not a number
        database = parts.path.strip("/")
        good = (
            parts.scheme in REDIS_SCHEMES
            and (parts.scheme == "unix" or bool(parts.hostname))
            and (parts.scheme == "unix" or not database or database.isdigit())
            and (port is None or port > 0)
        )
    except ValueError:
        good = False
    if not good:
        raise ImproperlyConfigured(f"{name} must be {accepts}, not {masked(raw)!r}.")
    return raw


# How mail leaves: smtp (plain, upgraded with STARTTLS when ?tls=1), smtp+tls
# (STARTTLS), smtps (TLS from the first byte), console (printed) or memory (kept
# in django.core.mail.outbox, for tests).
EMAIL_SCHEMES = {
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", 25),
    "smtp+tls": ("django.core.mail.backends.smtp.EmailBackend", 587),
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", 465),
    "console": ("django.core.mail.backends.console.EmailBackend", None),
    "memory": ("django.core.mail.backends.locmem.EmailBackend", None),
}


def env_email_url(name: str, /, *, environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """Django's EMAIL_* settings from one URL, or {} when the variable is unset.

    smtp://user:password@host:port, smtp+tls://… (STARTTLS), smtps://… (implicit
    TLS), console:// or memory://. User and password are percent-decoded, so a
    password may hold any character once quoted.
    """
    raw = _raw(name, environ)
    if not raw:
        return {}
    accepts = (
        "empty, console://, memory://, or an SMTP URL such as "
        "smtp+tls://user:password@mail.example.com:587 (smtp://, smtp+tls:// or smtps://)"
    )
    try:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        backend, default_port = EMAIL_SCHEMES[scheme]
        port = parts.port
        if default_port is not None and not parts.hostname:
            raise ValueError
    except (KeyError, ValueError):
        raise ImproperlyConfigured(f"{name} must be {accepts}, not {masked(raw)!r}.") from None
    config: dict[str, object] = {"EMAIL_BACKEND": backend}
    if default_port is not None:
        query = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
        config.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or default_port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls" or query.get("tls", "").lower() in TRUE_WORDS,
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_TIMEOUT=10,
        )
    return config


def env_site_url(name: str, /, *, default: str, environ: Mapping[str, str] | None = None) -> str:
    """The site's public address, scheme and host (and port), with no trailing slash."""
    raw = _raw(name, environ) or default
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 (raises ValueError when it is not a number)
        good = parts.scheme in {"http", "https"} and bool(parts.hostname)
        good = good and not parts.query and not parts.fragment and parts.path in {"", "/"}
    except ValueError:
        good = False
    if not good:
        raise ImproperlyConfigured(
            f"{name} must be the site's address such as https://forum.example.com, not {raw!r}."
        )
    return raw.rstrip("/")
