"""The one comment markup: every link it emits resolves, it is the same on every
page that shows a comment, and the thread cache never outlives the code that wrote it."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from articles.models import Article
from comments import services
from comments.models import Comment
from comments.threads import cache as thread_cache
from comments.threads.markup import initials
from tests.factories import establish
from tests.guests import create_url, post_as_guest
from tests.pages import actions_of, card_of, comment_element, page


def thread_links(soup) -> list[str]:
    return [a["href"] for a in soup.select(".comment-thread a[href], .mb-4 a[href]")]


def assert_every_link_resolves(soup) -> int:
    links = thread_links(soup)
    for href in links:
        parts = urlsplit(href)
        if not parts.path:  # an in-page permalink
            assert soup.find(id=parts.fragment) is not None, href
            continue
        resolve(parts.path)  # raises Resolver404 for a link to nowhere
    return len(links)


@pytest.mark.parametrize("who", ["anonymous", "reader", "moderator"])
def test_every_link_in_the_thread_resolves_for_every_kind_of_reader(
    client, thread, article, reader, moderator, settings, who
):
    settings.FORUM_MAX_VISIBLE_DEPTH = 1  # so "Continue this thread" links appear too
    if who != "anonymous":
        client.force_login(reader if who == "reader" else moderator)

    article_page = page(client.get(article.get_absolute_url()))
    comment_page = page(client.get(thread["reply"].get_page_url()))

    assert assert_every_link_resolves(article_page) > 0
    assert assert_every_link_resolves(comment_page) > 0
    assert article_page.select_one(".comment-continue") is not None


def test_the_links_name_the_real_routes(reader_client, thread, article):
    root = comment_element(page(reader_client.get(article.get_absolute_url())), thread["root"])
    actions = actions_of(root)

    kwargs = {"pk": thread["root"].pk}
    assert actions["Reply"] == reverse("comments:comment-reply", kwargs=kwargs)
    assert actions["Edit"] == reverse("comments:comment-edit", kwargs=kwargs)
    assert actions["Delete"] == reverse("comments:comment-delete", kwargs=kwargs)


def test_a_comment_looks_the_same_above_a_form_as_in_the_thread(
    reader_client, article, reader, settings
):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="*Held* for now")

    in_thread = comment_element(page(reader_client.get(article.get_absolute_url())), held)
    delete_url = reverse("comments:comment-delete", kwargs={"pk": held.pk})
    above_form = comment_element(page(reader_client.get(delete_url)), held)

    for element in (in_thread, above_form):
        assert element.select_one(".comment-author").get_text() == "reader"
        assert element.select_one(".comment-body em").get_text() == "Held"
        assert element.select_one(".comment-badge").get_text() == "awaiting moderation"
    assert above_form.select_one("a:has(> time)")["href"] == held.get_absolute_url()


def test_a_deploy_that_changes_the_markup_never_serves_the_old_html(
    client, thread, article, monkeypatch
):
    url = article.get_absolute_url()
    client.get(url)  # rendered and cached by the code before the deploy
    new_markup = '<p id="new-markup">new</p>'
    monkeypatch.setattr(thread_cache, "render_unmarked", lambda nodes, links: new_markup)
    assert page(client.get(url)).find(id="new-markup") is None  # the same code: cached

    # The deploy: the markup code, and so its hash, changed.
    monkeypatch.setattr(thread_cache, "MARKUP_VERSION", "after-the-deploy")

    assert page(client.get(url)).find(id="new-markup") is not None


def test_the_visible_comment_count_follows_every_kind_of_write(
    article, reader, other_reader, moderator, settings
):
    def counts() -> tuple[int, int]:
        stored = Article.objects.get(pk=article.pk).comment_count
        return stored, Comment.objects.filter(article=article).published().count()

    settings.FORUM_REPORTS_TO_HOLD = 1
    establish(other_reader)
    first = services.comment_create(article=article, author=reader, body="one")
    reply = services.comment_create(article=article, parent=first, author=reader, body="two")
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="three")
    assert counts() == (2, 2)
    services.comments_approve(comments=[held], by=moderator)
    assert counts() == (3, 3)
    services.comment_report(comment=held, reporter=other_reader, reason="spam")
    assert counts() == (2, 2)
    services.comment_delete(comment=reply, by=reader)
    services.comments_remove_subtree(comments=[first], by=moderator, reason="x")
    assert counts() == (0, 0)
    services.comments_restore(comments=[first], by=moderator)
    assert counts() == (1, 1)


@pytest.mark.parametrize("name", ["reader", "j.doe+news@example.com", "Zoë", "Иван-2"])
def test_a_comment_authors_name_links_to_their_profile(client, article, django_user_model, name):
    author = django_user_model.objects.create_user(name, password="a-long-passphrase-1")
    comment = services.comment_create(article=article, author=author, body="Hello")

    for url in (article.get_absolute_url(), comment.get_page_url()):
        element = comment_element(page(client.get(url)), comment)
        link = element.select_one("a.comment-author")
        assert link.get_text() == name
        assert link["href"] == reverse("comments:profile", kwargs={"username": name})
        assert client.get(link["href"]).status_code == 200


def test_imported_and_inactive_authors_names_are_plain_text(client, seeded_article, reader):
    mine = services.comment_create(article=seeded_article, author=reader, body="Mine")
    reader.is_active = False
    reader.save()

    soup = page(client.get(seeded_article.get_absolute_url()))

    authors = soup.select(".comment-author")
    assert len(authors) == Comment.objects.filter(article=seeded_article).count()
    assert all(author.name == "span" for author in authors)
    assert comment_element(soup, mine).select_one(".comment-author").get_text() == "reader"


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("alice", "AL"),
        ("Bob Stone", "BS"),
        ("Zionism = EVIL", "ZE"),
        ("Assad must stay (gr8rambino)", "AM"),
        ("j.r_smith", "JR"),
        ("Zoë", "ZO"),
        ("李小龍", "李小"),
        ("x", "X"),
        ("?!", "?"),
    ],
)
def test_an_avatars_letters_are_the_names_initials(name, letters):
    assert initials(name) == letters


def test_every_author_has_an_avatar_of_their_names_colour_on_every_page(
    client, seeded_article, reader, settings
):
    settings.FORUM_GUEST_COMMENTS = "held"  # a guest sees their comment while it is held
    mine = services.comment_create(article=seeded_article, author=reader, body="Mine")
    post_as_guest(client, create_url(seeded_article), name="Guest Writer")
    guest_comment = Comment.objects.get(author_name="Guest Writer")

    soup = page(client.get(seeded_article.get_absolute_url()))

    authors = soup.select(".comment-author")
    assert len(authors) == Comment.objects.filter(article=seeded_article).count()
    colours = {}
    for author in authors:
        name = author.get_text()
        assert author["data-i"] == initials(name)
        [colour] = [c for c in author["class"] if re.fullmatch(r"a(\d|1[01])", c)]
        assert colours.setdefault(name, colour) == colour  # a name's colour is its own
    assert len(set(colours.values())) > 4  # and names spread over the colours
    own_page = page(client.get(mine.get_page_url()))
    assert (
        comment_element(own_page, mine).select_one(".comment-author")["class"]
        == (comment_element(soup, mine).select_one(".comment-author")["class"])
    )
    assert comment_element(soup, guest_comment).select_one(".comment-author")["data-i"] == "GW"


def test_a_comment_folds_with_its_replies_and_is_named_for_its_author_and_parent(
    client, thread, article
):
    soup = page(client.get(article.get_absolute_url()))

    root = comment_element(soup, thread["root"])
    fold = root.select_one(":scope > details")
    assert fold.has_attr("open")
    assert fold.summary.get_text() == "reader · 2 replies"
    assert comment_element(fold, thread["reply"]) is not None
    assert card_of(root)["aria-label"] == "Comment by reader"
    reply = comment_element(soup, thread["reply"])
    assert card_of(reply)["aria-label"] == "Comment by other, reply to reader"
    assert reply.select_one(":scope > details > summary").get_text() == "other · 1 reply"
    parent = card_of(reply).select_one(".up")
    assert (parent["href"], parent.get_text()) == (f"#comment-{thread['root'].pk}", "↑ reader")
    leaf = comment_element(soup, thread["deep"])
    assert leaf.select_one(":scope > details > summary").get_text() == "reader"


def test_a_comments_card_above_a_form_has_no_fold_and_no_actions(reader_client, thread):
    soup = page(reader_client.get(reverse("comments:comment-reply", args=[thread["root"].pk])))

    card = comment_element(soup, thread["root"])
    assert card.select_one("details") is None and card.select_one("footer") is None
    assert card.select_one(".comment-author")["data-i"] == "RE"
