"""Where a moderator starts: the admin index's counts, each a link to those items, and
the site's "Moderate" button straight to the queue."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Ban, Comment, ModerationAction
from tests.pages import page

INDEX = reverse("admin:index")


def tallies(response) -> dict[str, tuple[int, str]]:
    return {
        item.select_one(".tally-label").get_text(): (
            int(item.select_one(".tally-count").get_text()),
            item.select_one("a")["href"],
        )
        for item in page(response).select(".moderation-tallies li")
    }


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return len(page(response).select("#result_list tbody tr"))


def test_the_index_counts_what_waits_and_links_to_exactly_those(
    moderator_client, moderator, thread, reader, other_reader, django_user_model
):
    Comment.objects.filter(pk=thread["second"].pk).update(status=Comment.Status.PENDING)
    ana = django_user_model.objects.create_user("ana", password="a-long-passphrase")
    for comment in (thread["root"], thread["reply"], thread["deep"]):
        services.comment_report(comment=comment, reporter=ana, reason="spam")
    services.comments_remove(comments=[thread["deep"]], by=moderator, reason="Spam")
    services.comments_remove_subtree(comments=[thread["reply"]], by=moderator, reason="Spam")
    # A removal logged yesterday does not count today.
    ModerationAction.objects.create(
        actor=moderator, kind="remove", created=timezone.now() - timedelta(days=1, hours=1)
    )
    services.users_ban(users=[reader], by=moderator, reason="x")
    ended = services.users_ban(users=[other_reader], by=moderator, reason="y")[0]
    services.ban_lift(ban=ended, by=moderator)

    counts = tallies(moderator_client.get(INDEX))

    assert {label: count for label, (count, _) in counts.items()} == {
        "Need attention": 2,
        "Held comments": 1,
        "Comments with open reports": 1,
        "Removals today": 2,
        "Active bans": 1,
    }
    for count, url in counts.values():
        assert listed(moderator_client, url) == count
    assert counts["Active bans"][1].startswith(reverse("admin:comments_ban_changelist"))
    assert Ban.objects.count() == 2


# Session, user, then one query per tally: what needs attention (held or reported,
# each once), held, reported, removals today, active bans; and the recent actions.
INDEX_QUERIES = 8


def test_the_index_costs_one_query_per_tally_whatever_waits(
    moderator_client, thread, django_user_model, django_assert_num_queries
):
    moderator_client.get(INDEX)
    with django_assert_num_queries(INDEX_QUERIES):
        quiet = tallies(moderator_client.get(INDEX))
    reporters = [django_user_model.objects.create_user(f"r{n}") for n in range(3)]
    for comment in thread.values():
        for reporter in reporters:
            services.comment_report(comment=comment, reporter=reporter, reason="spam")
    Comment.objects.filter(pk=thread["second"].pk).update(status=Comment.Status.PENDING)
    with django_assert_num_queries(INDEX_QUERIES):
        busy = tallies(moderator_client.get(INDEX))

    assert quiet["Need attention"][0] == 0
    assert busy["Need attention"][0] == 4


def test_the_index_opens_the_queue_of_what_needs_attention(moderator_client):
    link = page(moderator_client.get(INDEX)).select_one(".moderation-start a")
    assert link["href"] == reverse("admin:comments_comment_changelist") + "?attention=yes"
    assert moderator_client.get(link["href"]).status_code == 200


def test_staff_who_do_not_moderate_comments_get_no_counts(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x-long-passphrase")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(clerk)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert page(response).select_one(".moderation-summary") is None


def test_the_sites_moderate_button_opens_the_queue(moderator_client, article):
    soup = page(moderator_client.get(article.get_absolute_url()))

    button = soup.find("a", string="Moderate")
    assert button["href"] == reverse("admin:comments_comment_changelist") + "?attention=yes"
