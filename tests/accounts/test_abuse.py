import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from forum.env import parse_rate
from forum.throttle import hit
from tests.accounts.addresses import add_address
from tests.pages import page
from tests.processes import hits_from_processes
from tests.settings_env import manage

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")


def signup(client, name: str, *, website: str = "", **meta):
    data = {
        "username": name,
        "email": f"{name}@example.com",
        "password1": "correct-horse-battery",
        "password2": "correct-horse-battery",
        "website": website,
    }
    return client.post(SIGNUP, data, **meta)


def test_signups_are_limited_per_ip_address(client, db, settings):
    settings.FORUM_SIGNUP_RATE = "2/h"

    for n in range(2):
        assert signup(client, f"user{n}").status_code == 302
        client.logout()
    over = signup(client, "user-too-many")
    elsewhere = signup(client, "other-network", REMOTE_ADDR="192.0.2.7")

    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 3600
    assert "Too many attempts" in page(over).get_text()
    assert page(over).find("input", {"name": "username"})["value"] == "user-too-many"
    assert elsewhere.status_code == 302
    assert not get_user_model().objects.filter(username="user-too-many").exists()


def test_a_filled_signup_honeypot_creates_no_account(client, db):
    response = signup(client, "bot", website="http://spam.example")

    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_logins_are_limited_per_ip_address(client, reader, settings):
    settings.FORUM_LOGIN_RATE = "3/m"
    for _ in range(3):
        client.post(LOGIN, {"login": "nobody", "password": "x"})

    response = client.post(LOGIN, {"login": "reader", "password": "a-long-passphrase-1"})

    assert response.status_code == 429
    assert "Too many attempts" in page(response).get_text()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_lock_the_account_out_for_a_while(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": "reader", "password": "wrong"})

    locked = client.post(LOGIN, {"login": "reader", "password": "a-long-passphrase-1"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_count_against_the_account_however_it_is_named(client, reader, settings):
    """Typing the username in another case, or the account's email address, is no
    fresh allowance of wrong passwords: allauth logs in with any of them."""
    add_address(reader, "reader@example.com", verified=True)
    names = ["reader", "READER", "Reader@Example.com", "reader@example.com", "rEaDeR"]
    assert len(names) == settings.AXES_FAILURE_LIMIT
    for name in names:
        client.post(LOGIN, {"login": name, "password": "wrong"})

    locked = client.post(LOGIN, {"login": "reader", "password": "a-long-passphrase-1"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admins_log_in_locks_out_too(client, moderator, settings):
    admin_login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(admin_login, {"username": "moderator", "password": "wrong"})

    locked = client.post(admin_login, {"username": "moderator", "password": "a-long-passphrase-3"})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_holds_one_account_from_one_address(client, reader, other_reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": "reader", "password": "wrong"})

    other = client.post(LOGIN, {"login": "other", "password": "a-long-passphrase-2"})
    client.logout()
    elsewhere = client.post(
        LOGIN, {"login": "reader", "password": "a-long-passphrase-1"}, REMOTE_ADDR="192.0.2.7"
    )

    assert other.status_code == 302
    # From another address the reader logs in: failures from one address lock nobody
    # out anywhere else (django-allauth's per-login count is off).
    assert elsewhere.status_code == 302
    assert "_auth_user_id" in client.session


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


def test_rate_limits_hold_across_processes(tmp_path):
    """Two OS processes (two gunicorn workers, say) share one limit: the default cache
    is the database's forum_cache table, made by `migrate` alone."""
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": sqlite_url(tmp_path / "shared.sqlite3")}
    migrated = manage("migrate", "--noinput", **env)
    assert migrated.returncode == 0, migrated.stderr

    assert sum(hits_from_processes(tmp_path, env=env, processes=2, hits=3, rate="3/m")) == 3


@pytest.mark.postgres
def test_rate_limits_hold_across_many_racing_processes_on_postgresql(tmp_path, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": url}

    assert sum(hits_from_processes(tmp_path, env=env, processes=6, hits=4, rate="3/m")) == 3


def test_a_rate_limit_allows_its_limit_then_says_how_long_to_wait(db):
    allowed = [hit("test", "one", "3/h") for _ in range(3)]
    refused = hit("test", "one", "3/h")

    assert allowed == [0, 0, 0]
    assert 1 <= refused <= 3600
    assert hit("test", "another", "3/h") == 0
    assert hit("test", "one", parse_rate("4/h")) == 0  # an already-parsed rate works too


def test_a_malformed_rate_is_refused_in_the_settings_words(db):
    with pytest.raises(ImproperlyConfigured, match=r"must look like 5/m \(a number per"):
        hit("test", "one", "5 per minute")


def test_the_admins_password_change_is_limited_like_every_password_door(
    client, moderator, settings
):
    settings.FORUM_LOGIN_RATE = "3/m"
    client.force_login(moderator)
    url = reverse("admin:password_change")
    wrong = {
        "old_password": "wrong",
        "new_password1": "x-new-pass-9",
        "new_password2": "x-new-pass-9",
    }

    answers = [client.post(url, wrong).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
