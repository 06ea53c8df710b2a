"""Following a discussion as a signed-in reader does it: the button under the article,
the inbox's item and its "Stop following", and the list in Settings."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.slugs import article_renamed
from comments import services
from comments.threads import visits
from comments.threads.visits import Reading
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def follows(user, article) -> bool:
    return bool(visits.followed_among(user_id=user.pk, article_ids=[article.pk]))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text().split())


def follow_url(article) -> str:
    return reverse("notifications:follow", args=[article.slug])


@pytest.fixture
def busy(article, ana, bob):
    """ana follows the article; bob then wrote three comments in it."""
    visits.follow(user=ana, article=article)
    return [
        services.comment_create(article=article, author=bob, body=f"News {n}.") for n in (1, 2, 3)
    ]


def test_a_reader_follows_and_stops_following_from_the_article(client, article, ana):
    client.force_login(ana)
    response = client.post(follow_url(article), {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert follows(ana, article)
    landed = client.get(response["Location"]).content.decode()
    assert "You’re following “A quiet week in the valley”" in landed

    response = client.post(follow_url(article), {"action": "stop"}, follow=True)
    assert not follows(ana, article)
    assert "You’ve stopped following “A quiet week in the valley”" in response.content.decode()


def test_the_article_pages_button_says_what_it_will_do_and_carries_a_csrf_token(article, ana):
    request = RequestFactory().get(article.get_absolute_url())
    request.user = ana
    for reading, button, action in (
        (Reading(), "Follow this discussion", "follow"),
        (Reading(following=True), "Stop following", "stop"),
    ):
        html = render_to_string(
            "notifications/_follow.html",
            {"article": article, "user": ana, "reading": reading},
            request=request,
        )
        form = BeautifulSoup(html, "html.parser").form
        assert form["action"] == follow_url(article) and form["method"] == "post"
        assert text_of(form.button) == button
        assert form.select_one("input[name=action]")["value"] == action
        assert form.select_one("input[name=csrfmiddlewaretoken]")["value"]


def test_the_button_is_not_shown_to_a_reader_who_is_not_signed_in(article):
    from django.contrib.auth.models import AnonymousUser

    html = render_to_string(
        "notifications/_follow.html",
        {"article": article, "user": AnonymousUser(), "reading": Reading()},
    )
    assert html.strip() == ""


def test_following_needs_an_account_a_post_and_a_known_action(client, article, ana):
    response = client.post(follow_url(article), {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(ana)
    assert client.get(follow_url(article)).status_code == 405
    assert client.post(follow_url(article), {"action": "watch"}).status_code == 400
    assert client.post(reverse("notifications:follow", args=["nowhere"]), {}).status_code == 404
    assert not follows(ana, article)


def test_a_renamed_articles_old_address_sends_the_post_on(client, article, ana):
    old = follow_url(article)
    article.slug = "a-quiet-week-renamed"
    article.save()
    article_renamed(article=article, old_slug="a-quiet-week")
    client.force_login(ana)
    response = client.post(old, {"action": "follow"})
    assert response.status_code == 308
    assert response["Location"] == follow_url(article)


def test_back_to_where_the_reader_was_but_never_off_the_site(client, article, ana):
    client.force_login(ana)
    inbox = reverse("notifications:inbox")
    response = client.post(follow_url(article), {"action": "follow", "next": inbox})
    assert response["Location"] == inbox
    response = client.post(follow_url(article), {"action": "stop", "next": "https://evil.example/"})
    assert response["Location"] == f"{article.get_absolute_url()}#comments"


def test_the_inbox_shows_one_item_for_the_new_comments_and_the_bell_counts_it_once(
    client, busy, ana
):
    client.force_login(ana)
    soup = page(client, reverse("notifications:inbox"))
    [item] = soup.select(".notification")
    assert text_of(item).startswith("Unread: 3 new comments in “A quiet week in the valley”")
    assert "News 1." not in text_of(item)  # how many, not what
    bell = soup.select_one(".notification-bell")
    assert bell["aria-label"] == "Notifications: 1 unread"
    assert text_of(item.select_one("form button")) == "Stop following"


def test_the_count_is_made_when_the_inbox_is_shown(client, busy, ana, moderator):
    services.comments_remove(comments=[busy[0]], by=moderator, reason="spam")
    client.force_login(ana)
    [item] = page(client, reverse("notifications:inbox")).select(".notification")
    assert "2 new comments" in text_of(item)


def test_opening_it_marks_it_read_and_goes_to_the_first_new_comment(client, busy, ana, moderator):
    client.force_login(ana)
    notification = Notification.objects.get(recipient=ana)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == busy[0].get_absolute_url()
    notification.refresh_from_db()
    assert notification.read is not None

    # Its first comment removed since, the item leads to the first still shown.
    Notification.objects.update(read=None)
    services.comments_remove(comments=[busy[0]], by=moderator, reason="spam")
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == busy[1].get_absolute_url()


def test_stop_following_from_the_inbox_then_follow_again(client, busy, article, ana):
    client.force_login(ana)
    inbox = reverse("notifications:inbox")
    form = page(client, inbox).select_one(".notification form")
    fields = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post(form["action"], fields)
    assert response["Location"] == inbox
    assert not follows(ana, article)
    item = page(client, inbox).select_one(".notification")
    assert "3 new comments" in text_of(item)  # what it told stays
    assert text_of(item.select_one("form button")) == "Follow again"


def test_settings_list_the_followed_discussions_each_with_stop_following(
    client, article, other_article, ana
):
    client.force_login(ana)
    settings_url = reverse("notifications:settings")
    empty = page(client, settings_url).select_one("#following-heading").find_next("p")
    assert "None." in text_of(empty)
    for each in (article, other_article):
        visits.follow(user=ana, article=each)
    section = page(client, settings_url).select_one("#following-heading").parent
    links = [(a.get_text(), a["href"]) for a in section.select("a")]
    assert links == [
        ("A quiet week in the valley", f"{article.get_absolute_url()}#comments"),
        ("Elsewhere", f"{other_article.get_absolute_url()}#comments"),
    ]
    form = section.select("form")[1]
    fields = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post(form["action"], fields)
    assert response["Location"] == settings_url
    assert follows(ana, article) and not follows(ana, other_article)


def test_the_forms_work_with_csrf_checks_on(article, ana):
    visits.follow(user=ana, article=article)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    soup = page(client, reverse("notifications:settings"))
    form = soup.select_one("#following-heading").parent.select_one("form")
    fields = {i["name"]: i["value"] for i in form.select("input")}
    assert client.post(form["action"], fields).status_code == 302
    assert not follows(ana, article)


def test_the_inbox_costs_the_same_queries_however_many_discussions_and_comments(
    client, article, ana, bob
):
    """A page of 3 items, one a discussion of 1 comment, against a page of 30, ten of
    them discussions of 4 comments."""
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    client.force_login(ana)
    counts = []
    for discussions, replies, comments in ((1, 2, 1), (10, 20, 4)):
        Notification.objects.all().delete()
        for n in range(replies):
            services.comment_create(
                article=article, parent=question, author=bob, body=f"R{discussions}-{n}"
            )
        for d in range(discussions):
            followed, _ = Article.objects.get_or_create(
                slug=f"followed-{d}", defaults={"title": f"Followed {d}"}
            )
            visits.follow(user=ana, article=followed)
            for n in range(comments):
                services.comment_create(article=followed, author=bob, body=f"D{d}-{n}-{comments}")
        with CaptureQueriesContext(connection) as queries:
            soup = page(client, reverse("notifications:inbox"))
        counts.append(len(queries))
        items = soup.select(".notification")
        assert len(items) == discussions + replies
        assert f"{comments} new comment" in text_of(items[0])
    assert counts[0] == counts[1]
