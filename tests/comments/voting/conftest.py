import pytest

from comments import services
from tests.factories import establish

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are queued (FORUM_TASK_BACKEND=immediate): a recount queued
    by a write runs when the write commits. Such a backend cannot wait, so a recount
    due later (an account's coming of age, a ban's end) is not queued at all."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_user("author", password="a-long-passphrase-7")


@pytest.fixture
def comment(article, author):
    """A published comment by `author`, to vote on."""
    return services.comment_create(article=article, author=author, body="Vote on me")


@pytest.fixture
def voter(reader):
    """A reader whose votes count: a month-old account with a published comment."""
    return establish(reader)


@pytest.fixture
def newcomer(django_user_model):
    """A reader who signed up a moment ago and has published nothing."""
    return django_user_model.objects.create_user("newcomer", password="a-long-passphrase-8")
