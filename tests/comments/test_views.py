import pytest
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.pages import comment_element, page, rendered_outline
from tests.seed_data import SEED_OUTLINE
from tests.trees import assert_valid_trees


def reply_url(comment) -> str:
    return reverse(
        "comments:comment-reply", kwargs={"slug": comment.article.slug, "pk": comment.pk}
    )


def create_url(article) -> str:
    return reverse("comments:comment-create", kwargs={"slug": article.slug})


def test_the_article_page_nests_the_whole_seed_thread(client, seeded_article):
    response = client.get(seeded_article.get_absolute_url())

    soup = page(response)
    assert response.status_code == 200
    assert rendered_outline(soup) == SEED_OUTLINE
    assert soup.find(id="comments-heading").get_text() == "13 comments"


def test_each_comment_contains_its_replies_author_body_permalink_and_reply_link(
    client, seeded_article
):
    comments = list(Comment.objects.filter(article=seeded_article).order_by("tree_id", "lft"))
    soup = page(client.get(seeded_article.get_absolute_url()))

    sinbad, deepest = comments[3], comments[7]
    sinbad_element = comment_element(soup, sinbad)
    assert comment_element(sinbad_element, deepest) is not None
    element = comment_element(soup, deepest)
    assert element.select_one(".comment-author").get_text() == "RichardD"
    assert (
        element.select_one(".comment-body").get_text() == "Do you have links to prove any of that?"
    )
    assert element.select_one(f'a[href="#comment-{deepest.pk}"] time') is not None
    assert element.find("a", string="Reply")["href"] == reply_url(deepest)


def test_comment_text_keeps_paragraphs_and_line_breaks(client, seeded_article):
    war = Comment.objects.filter(article=seeded_article).order_by("tree_id", "lft")[9]
    body = comment_element(page(client.get(seeded_article.get_absolute_url())), war).select_one(
        ".comment-body"
    )

    paragraphs = body.find_all("p")
    assert len(paragraphs) == 3
    assert len(paragraphs[0].find_all("br")) == 1


def test_names_and_text_are_escaped(client, article, reader):
    services.comment_create(article=article, author=reader, body='<script>alert("x")</script>')
    Comment.objects.update(author_name="<b>bold</b>")
    reader.username = "<i>me</i>"
    reader.save()

    response = client.get(article.get_absolute_url())

    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert" in response.content
    assert b"<i>me</i>" not in response.content


def test_a_logged_out_reader_sees_links_to_log_in_and_sign_up_that_come_back(client, article):
    soup = page(client.get(article.get_absolute_url()))

    assert soup.find(id="comment-form") is None
    login = soup.select_one(".new-comment").find("a", string="Log in")["href"]
    assert login.startswith(reverse("account_login"))
    assert "next=/articles/a-quiet-week/" in login


def test_a_signed_in_reader_posts_a_new_thread_and_lands_on_it(reader_client, article):
    response = reader_client.post(create_url(article), {"body": "A new thread."})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.body, comment.level, comment.author_name) == ("A new thread.", 0, "reader")
    soup = page(reader_client.get(article.get_absolute_url()))
    assert comment_element(soup, comment).select_one(".comment-body").get_text() == "A new thread."


def test_the_reply_page_shows_the_parent_and_the_form(reader_client, thread):
    response = reader_client.get(reply_url(thread["deep"]))

    soup = page(response)
    assert response.status_code == 200
    assert comment_element(soup, thread["deep"]).select_one(".comment-body").get_text() == "Deep"
    assert soup.find("form", id="comment-form")["action"] == reply_url(thread["deep"])


def test_replying_at_depth_nests_the_reply_under_its_parent(reader_client, thread, article):
    response = reader_client.post(reply_url(thread["deep"]), {"body": "Deeper still"})

    reply = Comment.objects.get(body="Deeper still")
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{reply.pk}"
    assert reply.parent == thread["deep"] and reply.level == 3
    soup = page(reader_client.get(article.get_absolute_url()))
    deep = comment_element(soup, thread["deep"])
    assert comment_element(deep, reply) is not None
    assert_valid_trees()


def test_reply_requires_login_and_comes_back_to_the_reply_page(client, thread):
    url = reply_url(thread["root"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert client.post(url, {"body": "sneaky"}).status_code == 403  # refused; text handed back
    assert not Comment.objects.filter(body="sneaky").exists()


@pytest.mark.parametrize(
    "body, error",
    [
        ("", "Write something before posting."),
        ("   \n  ", "Write something before posting."),
        ("x" * 10_001, "limited to 10,000 characters"),
    ],
    ids=["empty", "whitespace", "too long"],
)
def test_bad_text_shows_the_form_again_with_an_error_and_stores_nothing(
    reader_client, thread, article, body, error
):
    for url in (create_url(article), reply_url(thread["root"])):
        response = reader_client.post(url, {"body": body})

        assert response.status_code == 200
        soup = page(response)
        assert error in soup.find("form", id="comment-form").get_text()
    assert Comment.objects.count() == 4


def test_text_of_exactly_the_limit_is_accepted(reader_client, article):
    response = reader_client.post(create_url(article), {"body": "y" * 10_000})
    assert response.status_code == 302


def test_replying_to_a_missing_comment_is_404(reader_client, article):
    missing = reverse("comments:comment-reply", kwargs={"slug": article.slug, "pk": 999999})
    assert reader_client.get(missing).status_code == 404
    response = reader_client.post(missing, {"body": "x"})
    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_replying_through_another_articles_url_is_404(reader_client, thread, other_article):
    url = reverse(
        "comments:comment-reply", kwargs={"slug": other_article.slug, "pk": thread["root"].pk}
    )

    assert reader_client.post(url, {"body": "x"}).status_code == 404
    assert Comment.objects.count() == 4


def test_replying_to_a_removed_comment_is_404(reader_client, thread, moderator):
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="Off-topic")

    assert reader_client.post(reply_url(thread["root"]), {"body": "x"}).status_code == 404
    assert Comment.objects.count() == 4


def test_a_post_without_a_csrf_token_is_refused(reader, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = client.post(create_url(article), {"body": "forged"})

    assert response.status_code == 403
    assert b"security token" in response.content
    assert Comment.objects.count() == 0


def test_posting_to_a_closed_article_is_refused_with_a_message(reader_client, thread, article):
    article.comments_open = False
    article.save()

    for url in (create_url(article), reply_url(thread["root"])):
        response = reader_client.post(url, {"body": "too late"})
        assert response.status_code == 403
        assert b"Comments are closed on this article." in response.content
    assert Comment.objects.count() == 4
    soup = page(reader_client.get(article.get_absolute_url()))
    assert soup.find(id="comment-form") is None
    assert soup.find("a", string="Reply") is None


def test_a_removed_comment_with_replies_stays_as_a_placeholder(client, thread, moderator, article):
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="Off-topic")

    soup = page(client.get(article.get_absolute_url()))

    root = comment_element(soup, thread["root"])
    card = root.select_one(":scope > .comment-card")
    assert card.get_text().strip() == "[removed]"
    assert card.find("a") is None
    assert comment_element(root, thread["deep"]) is not None
    assert soup.find(id="comments-heading").get_text() == "3 comments"


def test_a_removed_comment_without_visible_replies_disappears(client, thread, moderator, article):
    services.comments_remove(
        comments=[thread["reply"], thread["deep"]], by=moderator, reason="Off-topic"
    )

    soup = page(client.get(article.get_absolute_url()))

    assert comment_element(soup, thread["reply"]) is None
    assert comment_element(soup, thread["deep"]) is None
    assert rendered_outline(soup) == [(0, "reader"), (0, "other")]


def test_a_reply_sent_after_the_session_ended_comes_back_with_its_text(client, thread):
    url = reverse(
        "comments:comment-reply",
        kwargs={"slug": thread["root"].article.slug, "pk": thread["root"].pk},
    )

    response = client.post(url, {"body": "A long, careful answer"})

    assert response.status_code == 403
    soup = page(response)
    assert soup.find("textarea").get_text().strip() == "A long, careful answer"
    assert soup.find("a", string="log in")["href"].startswith(reverse("account_login"))
    assert Comment.objects.count() == 4
