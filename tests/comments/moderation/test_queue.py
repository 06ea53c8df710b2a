"""The moderation queue: what comes first, what it searches and filters, and each
comment shown rendered, in its context."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from comments import services
from comments.models import Comment, Report
from comments.services import comment_report
from tests.factories import build_thread
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def rows(response):
    return page(response).select("#result_list tbody tr")


def texts(listed) -> list[str]:
    return [row.select_one(".queue-comment").get_text() for row in listed]


@pytest.fixture
def reporter(django_user_model):
    return django_user_model.objects.create_user("ana", password="a-long-passphrase")


def test_the_changelist_lists_comments_indented_by_depth(moderator_client, seeded_article):
    response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    listed = rows(response)
    assert len(listed) == 13
    # The whole entry is indented, not one line of it.
    indents = [row.select_one(".queue-entry")["style"] for row in listed[:4]]
    # RichardD, Assad (roots), Zionism = EVIL (a reply), Sinbad2 (a root)
    assert indents[0] == indents[1] == indents[3] != indents[2]


def test_the_changelist_searches_text_and_author_and_filters_by_status(
    moderator_client, seeded_article
):
    assert len(rows(moderator_client.get(CHANGELIST, {"q": "Ronald"}))) == 1
    assert len(rows(moderator_client.get(CHANGELIST, {"q": "heroin"}))) == 1
    assert rows(moderator_client.get(CHANGELIST, {"status__exact": "removed"})) == []


def test_pending_and_reported_comments_come_first_with_their_context(
    moderator_client, thread, reader, other_reader, django_user_model
):
    thread["second"].status = Comment.Status.PENDING
    thread["second"].save()
    third = django_user_model.objects.create_user("third", password="x-long-passphrase")
    comment_report(comment=thread["deep"], reporter=third, reason="spam")

    listed = rows(moderator_client.get(CHANGELIST))

    first, second = listed[0], listed[1]
    assert first.select_one(".queue-comment").get_text() == "Second root"
    assert second.select_one(".queue-comment").get_text() == "Deep"
    parent = second.select_one(".queue-parent")
    assert parent.select_one(".queue-who strong").get_text() == "other"
    assert parent.select_one(".comment-body").get_text() == "Reply"
    assert second.select_one(".field-report_count").get_text() == "1"
    reported = rows(moderator_client.get(CHANGELIST, {"reported": "yes"}))
    assert [r.select_one(".queue-comment").get_text() for r in reported] == ["Deep"]


def test_only_open_reports_put_a_comment_first_and_in_the_reported_filter(
    moderator_client, thread, reporter, moderator
):
    for comment in (thread["root"], thread["deep"]):
        services.comment_report(comment=comment, reporter=reporter, reason="spam")
    # The root's report was acted on hours ago; only the deep reply's is open.
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="Spam")

    listed = rows(moderator_client.get(CHANGELIST))

    assert texts(listed)[0] == "Deep"
    assert texts(listed)[1:] == ["Root", "Reply", "Second root"]  # thread order
    counts = [row.select_one(".field-report_count").get_text() for row in listed]
    assert counts == ["1", "0", "0", "0"]
    assert texts(rows(moderator_client.get(CHANGELIST, {"reported": "yes"}))) == ["Deep"]
    unreported = texts(rows(moderator_client.get(CHANGELIST, {"reported": "no"})))
    assert unreported == ["Root", "Reply", "Second root"]


def test_needs_attention_lists_held_and_open_reported_comments(
    moderator_client, thread, reporter, moderator
):
    Comment.objects.filter(pk=thread["second"].pk).update(status=Comment.Status.PENDING)
    services.comment_report(comment=thread["reply"], reporter=reporter, reason="spam")
    services.comment_report(comment=thread["root"], reporter=reporter, reason="spam")
    services.reports_dismiss(comments=[thread["root"]], by=moderator)

    listed = rows(moderator_client.get(CHANGELIST, {"attention": "yes"}))

    assert texts(listed) == ["Second root", "Reply"]


def test_an_entry_shows_the_rendered_comment_not_its_markdown_source(
    moderator_client, article, reader
):
    services.comment_create(
        article=article, author=reader, body="**Bold** claim, see [this](https://example.com)."
    )

    (row,) = rows(moderator_client.get(CHANGELIST))

    body = row.select_one(".queue-comment .comment-body")
    assert body.select_one("strong").get_text() == "Bold"
    assert body.select_one("a")["href"] == "https://example.com"
    assert "**" not in body.get_text() and "<strong>" not in body.get_text()


def test_the_admin_shows_the_rendered_comment_and_who_reported_it(
    moderator_client, article, reader, other_reader
):
    comment = services.comment_create(article=article, author=reader, body="*Tom* & Jerry")
    services.comment_report(comment=comment, reporter=other_reader, reason="spam")

    change = page(moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])))
    queue = page(moderator_client.get(reverse("admin:comments_comment_changelist")))

    body = change.select_one(".comment-body")
    assert body.find("em").get_text() == "Tom" and "<p>" not in body.get_text()
    assert queue.select_one(".field-reporters").get_text() == "other"


def test_an_entry_shows_the_chain_it_answers_its_depth_and_the_replies_under_it(
    moderator_client, thread, moderator
):
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="Off-topic")

    entries = {
        row.select_one(".queue-comment").get_text(): row.select_one(".queue-entry")
        for row in rows(moderator_client.get(CHANGELIST))
    }

    root, reply, deep = entries["Root"], entries["Reply"], entries["Deep"]
    assert root.select_one(".queue-depth").get_text() == "top level"
    assert root.select_one(".queue-replies").get_text() == "2 replies below"
    assert "Starts a thread." in root.select_one(".queue-who").get_text()
    assert reply.select_one(".queue-depth").get_text() == "depth 1"
    assert reply.select_one(".queue-replies").get_text() == "1 reply below"
    assert reply.select_one(".queue-earlier") is None
    # The parent in full (a moderator sees removed text, marked), earlier ones folded.
    assert " ".join(reply.select_one(".queue-parent .queue-who").get_text().split()) == (
        "In reply to reader [Removed by a moderator]:"
    )
    assert deep.select_one(".queue-depth").get_text() == "depth 2"
    assert deep.select_one(".queue-replies").get_text() == "no replies"
    assert deep["data-depth"] == "2"
    assert deep.select_one(".queue-parent .comment-body").get_text() == "Reply"
    earlier = deep.select_one("details.queue-earlier")
    assert earlier.select_one("summary").get_text() == "1 earlier in the thread"
    assert earlier.select_one(".comment-body").get_text() == "Root"
    assert deep.select_one(".queue-open")["href"] == reverse(
        "admin:comments_comment_change", args=[thread["deep"].pk]
    )


def test_the_article_column_names_each_comments_article(moderator_client, thread, other_article):
    listed = rows(moderator_client.get(CHANGELIST))
    assert {row.select_one(".field-article_display").get_text() for row in listed} == {
        "A quiet week in the valley"
    }


def queue_queries(client, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return len(captured), len(rows(response))


# Session, user, the article filter's choices, the list's count and the full count,
# the page's rows, their open reports (with reporters), the ancestors of every
# comment on the page (one query), its authors' removals (one query), and the date
# hierarchy's range and days.
QUEUE_QUERIES = 11


def test_the_queue_costs_the_same_queries_for_a_page_of_5_or_50_comments(
    moderator_client, reader, django_assert_num_queries
):
    small = Article.objects.create(title="Small", slug="small", body="x")
    large = Article.objects.create(title="Large", slug="large", body="x")
    build_thread(small, 5, seed=3)
    build_thread(large, 50, seed=4)
    Comment.objects.update(author=reader)
    assert Comment.objects.filter(article=large, level__gte=3).exists()

    with django_assert_num_queries(QUEUE_QUERIES):
        _, shown = queue_queries(moderator_client, article__id__exact=small.pk)
    assert shown == 5
    with django_assert_num_queries(QUEUE_QUERIES):
        _, shown = queue_queries(moderator_client, article__id__exact=large.pk)
    assert shown == 50


def test_the_queue_costs_the_same_queries_for_no_reports_or_hundreds_and_many_authors(
    moderator_client, django_user_model, django_assert_num_queries
):
    quiet = Article.objects.create(title="Quiet", slug="quiet", body="x")
    busy = Article.objects.create(title="Busy", slug="busy", body="x")
    build_thread(quiet, 5, seed=3)
    build_thread(busy, 100, seed=4)
    authors = [django_user_model.objects.create_user(f"author{n}") for n in range(10)]
    reporters = [django_user_model.objects.create_user(f"reporter{n}") for n in range(3)]
    Comment.objects.filter(article=quiet).update(author=authors[0])
    busy_comments = list(Comment.objects.filter(article=busy))
    for n, comment in enumerate(busy_comments):
        # A third by guests (known by their address), the rest by ten accounts.
        if n % 3:
            comment.author = authors[n % 10]
        else:
            comment.author_email = f"guest{n % 7}@example.com"
        comment.status = Comment.Status.REMOVED if n % 5 == 0 else comment.status
    Comment.objects.bulk_update(busy_comments, ["author", "author_email", "status"])
    Report.objects.bulk_create(
        Report(comment=comment, reporter=reporter, reason=reason, note=f"Note {n}")
        for n, comment in enumerate(busy_comments)
        for reporter, reason in zip(reporters, ["spam", "abuse", "spam"], strict=True)
    )
    assert Report.objects.count() == 300

    with django_assert_num_queries(QUEUE_QUERIES):
        _, shown = queue_queries(moderator_client, article__id__exact=quiet.pk)
    assert shown == 5
    with django_assert_num_queries(QUEUE_QUERIES):
        _, shown = queue_queries(moderator_client, article__id__exact=busy.pk)
    assert shown == 100


def test_a_row_groups_its_open_reports_reasons_and_shows_each_note_escaped_with_its_reporter(
    moderator_client, moderator, thread, django_user_model
):
    ana, bob, cyd, dee = (
        django_user_model.objects.create_user(name, password="a-long-passphrase")
        for name in ("ana", "bob", "cyd", "dee")
    )
    reply = thread["reply"]
    # Ana's report was dismissed: handled reports say nothing here.
    services.comment_report(comment=reply, reporter=ana, reason="off_topic", note="Old news")
    services.reports_dismiss(comments=[reply], by=moderator)
    services.comment_report(comment=reply, reporter=bob, reason="abuse", note="<b>Rude</b> & loud")
    services.comment_report(comment=reply, reporter=cyd, reason="spam")
    services.comment_report(comment=reply, reporter=dee, reason="abuse", note="Calls me names")

    (row,) = rows(moderator_client.get(CHANGELIST, {"reported": "yes"}))

    reports = row.select_one(".queue-entry .queue-reports")
    reasons = reports.select_one(".queue-reasons")
    assert " ".join(reasons.get_text().split()) == "Reported: Abuse or harassment ×2, Spam ×1"
    notes = [
        (
            note.select_one(".queue-note-text").get_text(),
            note.select_one(".queue-note-by").get_text(),
        )
        for note in reports.select(".queue-notes li")
    ]
    assert notes == [("Calls me names", "(dee)"), ("<b>Rude</b> & loud", "(bob)")]
    assert reports.select("b") == []
    assert row.select_one(".field-reporters").get_text() == "bob, cyd, dee"


def test_a_row_without_open_reports_shows_no_reasons(moderator_client, thread):
    listed = rows(moderator_client.get(CHANGELIST))

    assert len(listed) == 4
    assert [row.select_one(".queue-reports") for row in listed] == [None] * 4


def test_a_row_says_how_many_of_its_authors_other_comments_were_removed_before(
    moderator_client, moderator, thread, article, reader, settings
):
    settings.FORUM_GUEST_COMMENTS = "held"
    extra = services.comment_create(article=article, author=reader, body="Extra")
    services.comments_remove(comments=[thread["deep"], extra], by=moderator, reason="Spam")
    # A guest is known by the address they gave, in any case.
    guests = [
        services.comment_create_as_guest(
            article=article, name="Gus", email=email, body=f"Guest {n}", ip="192.0.2.1"
        )
        for n, email in enumerate(["gus@example.com", "GUS@example.com", "gus@example.com"])
    ]
    services.comments_remove(comments=guests[:2], by=moderator, reason="Spam")
    other_guest = services.comment_create_as_guest(
        article=article, name="Gus", email="gus@example.org", body="Other Gus", ip="192.0.2.1"
    )

    authors = {
        row.select_one(".queue-comment").get_text(): row.select_one(".field-author_display")
        for row in rows(moderator_client.get(CHANGELIST))
    }

    def removed(text: str) -> str | None:
        note = authors[text].select_one(".author-removed")
        return None if note is None else note.get_text()

    assert removed("Root") == "2 removed before"
    assert removed("Deep") == "1 removed before"  # itself removed: the other one
    assert removed("Reply") == "none removed before"
    assert removed("Guest 2") == "2 removed before"
    assert removed("Guest 0") == "1 removed before"
    assert removed(other_guest.body) == "none removed before"


def test_a_row_of_an_imported_comment_without_an_address_says_nothing_of_removals(
    moderator_client, seeded_article
):
    listed = rows(moderator_client.get(CHANGELIST))

    assert len(listed) == 13
    assert [row.select_one(".author-removed") for row in listed] == [None] * 13
