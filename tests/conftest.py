import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from articles.models import Article
from comments import services
from comments.importing.seeds import import_seed
from tests.factories import build_thread
from tests.mail_server import MailServer
from tests.seed_data import SEED

pytest_plugins = ["tests.browser"]


DATABASE_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


def _uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in DATABASE_FIXTURES
    )


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Rate-limit counters, bans and pages live in the caches; each test starts with
    none. The default cache is a table in the test database: a test that uses the
    database clears it too (one that does not cannot reach it, and pytest-django sets
    up no test database for a run of such tests alone)."""
    if _uses_database(request):
        request.getfixturevalue("django_db_setup")
        blocker = request.getfixturevalue("django_db_blocker")
        stores = caches.all()
    else:
        blocker, stores = None, [c for c in caches.all() if not isinstance(c, DatabaseCache)]

    def clear() -> None:
        if blocker is None:
            for each in stores:
                each.clear()
            return
        with blocker.unblock():
            for each in stores:
                each.clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files by their plain names (the suite does not run collectstatic,
    so production's manifest storage has nothing to read), and hash passwords fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def article(db) -> Article:
    return Article.objects.create(
        title="A quiet week in the valley",
        slug="a-quiet-week",
        dateline="JUNE 2024",
        body="First paragraph.\n\nSecond paragraph.",
    )


@pytest.fixture
def other_article(db) -> Article:
    return Article.objects.create(title="Elsewhere", slug="elsewhere", body="Other news.")


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", password="a-long-passphrase-1")


@pytest.fixture
def other_reader(db):
    return get_user_model().objects.create_user("other", password="a-long-passphrase-2")


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser(
        "moderator", "mod@example.com", password="a-long-passphrase-3"
    )


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def seeded_article(db) -> Article:
    return import_seed(SEED).article


@pytest.fixture
def thread(article, reader, other_reader):
    """A small thread: root → reply → reply-to-reply, plus a second root."""
    root = services.comment_create(article=article, author=reader, body="Root")
    reply = services.comment_create(article=article, parent=root, author=other_reader, body="Reply")
    deep = services.comment_create(article=article, parent=reply, author=reader, body="Deep")
    second = services.comment_create(article=article, author=other_reader, body="Second root")
    return {"root": root, "reply": reply, "deep": deep, "second": second}


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a free port, with Django's SMTP backend pointed at it."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.FORUM_SITE_URL = "http://forum.test"
    yield server
    server.stop()


SIZES = [10, 10_000]


@pytest.fixture(scope="module")
def sized_articles(django_db_setup, django_db_blocker):
    """An article of each of SIZES comments, built once for the module: what pages
    that list comments must cost the same for."""
    with django_db_blocker.unblock():
        articles = {}
        for size in SIZES:
            article = Article.objects.create(
                title=f"{size} comments", slug=f"size-{size}", body="x"
            )
            build_thread(article, size)
            articles[size] = article
        yield articles
        Article.objects.filter(pk__in=[a.pk for a in articles.values()]).delete()
