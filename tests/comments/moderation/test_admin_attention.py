"""The site's "Moderate" button counts what needs a moderator (held comments and comments
with open reports, each once) for moderators alone, at one query a page, or none
while a shared cache remembers the number; readers pay nothing; and a cache that is
down costs the page nothing but the query."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from comments import services
from comments.models import Comment
from comments.moderation.attention import ATTENTION_CACHE_SECONDS
from tests.comments.moderation.changelist import hold
from tests.pages import page

HOME = reverse("articles:article-list")
QUEUE = reverse("admin:comments_comment_changelist") + "?attention=yes"


def moderate_button(response):
    """The "Moderate" link of the navigation bar, or None."""
    return page(response).select_one(f'nav a[href="{QUEUE}"]')


def shown(button) -> tuple[str, str | None]:
    """(what it reads, its accessible name when it has one of its own)."""
    return " ".join(button.get_text().split()), button.get("aria-label")


@pytest.fixture
def waiting(thread, moderator, django_user_model):
    """Three comments need a moderator: one held, one reported, one both (counted once);
    a fourth's report was dismissed."""
    ana = django_user_model.objects.create_user("ana", password="a-long-passphrase")
    hold(thread["second"], thread["root"])
    services.comment_report(comment=thread["root"], reporter=ana, reason="spam")
    services.comment_report(comment=thread["reply"], reporter=ana, reason="abuse")
    services.comment_report(comment=thread["deep"], reporter=ana, reason="spam")
    services.reports_dismiss(comments=[thread["deep"]], by=moderator)
    return thread


@pytest.fixture
def shared_cache(settings):
    """A shared cache that is not the database, as Redis is in production."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "attention-tests",
        },
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_the_moderate_button_counts_held_and_reported_comments_once_for_moderators_only(
    moderator_client, waiting, django_user_model
):
    button = moderate_button(moderator_client.get(HOME))

    assert shown(button) == ("Moderate 3", "Moderate: 3 need attention")
    assert button.select_one(".badge").get_text() == "3"
    assert moderator_client.get(QUEUE).status_code == 200
    # Staff who may not moderate comments get the button, never the count.
    clerk = django_user_model.objects.create_user("clerk", password="x-long-passphrase")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    moderator_client.force_login(clerk)
    assert shown(moderate_button(moderator_client.get(HOME))) == ("Moderate", None)


def test_the_badge_says_one_in_the_singular_and_goes_away_at_zero(
    moderator_client, moderator, thread
):
    hold(thread["second"])
    one = moderate_button(moderator_client.get(HOME))
    services.comments_approve(comments=[thread["second"]], by=moderator)
    none = moderate_button(moderator_client.get(HOME))

    assert shown(one) == ("Moderate 1", "Moderate: 1 needs attention")
    assert shown(none) == ("Moderate", None)
    assert none.select_one(".badge") is None


# The home page: the session and the user for those signed in, the unread count
# (signed in), the page's articles and their new counts; for moderators one more, the
# attention count, and for a moderator by permission (not a superuser) Django's two
# permission queries, which pages that ask policy.Viewer already pay (the article's).
HOME_QUERIES = {"anonymous": 2, "reader": 6, "moderator": 7, "moderator by permission": 9}


def test_the_count_costs_moderators_one_query_and_readers_none(
    client, waiting, reader, moderator, django_user_model, django_assert_num_queries
):
    by_permission = django_user_model.objects.create_user("helper", is_staff=True)
    by_permission.user_permissions.add(Permission.objects.get(codename="change_comment"))
    visitors = {
        "anonymous": None,
        "reader": reader,
        "moderator": moderator,
        "moderator by permission": by_permission,
    }
    buttons = {}
    for who, user in visitors.items():
        if user is not None:
            client.force_login(user)
        client.get(HOME)
        with django_assert_num_queries(HOME_QUERIES[who]):
            buttons[who] = moderate_button(client.get(HOME))

    assert buttons["anonymous"] is None and buttons["reader"] is None
    for who in ("moderator", "moderator by permission"):
        assert shown(buttons[who]) == ("Moderate 3", "Moderate: 3 need attention")


def test_a_shared_cache_remembers_the_count_for_half_a_minute_for_every_moderator(
    client, waiting, moderator, django_user_model, shared_cache, django_assert_num_queries
):
    second = django_user_model.objects.create_superuser("second", password="x-long-passphrase")
    client.force_login(moderator)
    client.get(HOME)
    client.force_login(second)
    client.get(HOME)
    hold(waiting["reply"], waiting["deep"])  # one more: reply was reported already

    with django_assert_num_queries(HOME_QUERIES["moderator"] - 1):
        remembered = moderate_button(client.get(HOME))
    later = timezone.now() + timedelta(seconds=ATTENTION_CACHE_SECONDS + 1)
    with freeze_time(later), django_assert_num_queries(HOME_QUERIES["moderator"]):
        counted = moderate_button(client.get(HOME))

    assert shown(remembered) == ("Moderate 3", "Moderate: 3 need attention")
    assert shown(counted) == ("Moderate 4", "Moderate: 4 need attention")


def test_with_the_cache_down_a_moderators_page_still_renders_with_the_count(
    moderator_client, waiting, settings
):
    # Redis on a port where nothing listens, as when the server is gone.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "forum.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"breaker_seconds": 0.1},
        },
    }

    response = moderator_client.get(HOME)

    assert response.status_code == 200
    assert shown(moderate_button(response)) == ("Moderate 3", "Moderate: 3 need attention")


def test_a_comment_being_held_and_reported_counts_once_in_the_index_too(moderator_client, waiting):
    summary = page(moderator_client.get(reverse("admin:index"))).select_one(".moderation-tallies")

    first = summary.select_one("li")
    assert first.select_one(".tally-label").get_text() == "Need attention"
    assert first.select_one(".tally-count").get_text() == "3"
    assert first.select_one("a")["href"] == QUEUE
    assert Comment.objects.needing_attention().count() == 3
