from django.urls import reverse

from comments.models import Comment
from tests.pages import page

CHANGELIST = reverse("admin:comments_comment_changelist")


def test_the_changelist_lists_comments_indented_by_depth(moderator_client, seeded_article):
    response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = page(response).select("#result_list tbody tr")
    assert len(rows) == 13
    indents = [row.select_one(".field-excerpt_display")["style"] for row in rows[:4]]
    # RichardD, Assad (roots), Zionism = EVIL (a reply), Sinbad2 (a root)
    assert indents[0] == indents[1] == indents[3] != indents[2]


def test_the_changelist_searches_text_and_author_and_filters_by_status(
    moderator_client, seeded_article
):
    by_author = page(moderator_client.get(CHANGELIST, {"q": "Ronald"}))
    by_text = page(moderator_client.get(CHANGELIST, {"q": "heroin"}))
    removed = page(moderator_client.get(CHANGELIST, {"status__exact": "removed"}))

    assert len(by_author.select("#result_list tbody tr")) == 1
    assert len(by_text.select("#result_list tbody tr")) == 1
    assert removed.select("#result_list tbody tr") == []


def test_remove_and_restore_actions_change_status_and_delete_nothing(
    moderator_client, seeded_article
):
    chosen = list(Comment.objects.filter(author_name="RichardD").values_list("pk", flat=True))

    response = moderator_client.post(
        CHANGELIST, {"action": "remove_comments", "_selected_action": chosen}, follow=True
    )

    assert response.status_code == 200
    assert f"Removed {len(chosen)} comment(s)." in response.content.decode()
    assert set(Comment.objects.filter(status="removed").values_list("pk", flat=True)) == set(chosen)
    assert Comment.objects.count() == 13

    moderator_client.post(CHANGELIST, {"action": "restore_comments", "_selected_action": chosen})

    assert not Comment.objects.filter(status="removed").exists()


def test_the_change_form_loads_and_comments_cannot_be_added_or_deleted_here(
    moderator_client, seeded_article
):
    comment = Comment.objects.filter(article=seeded_article).first()

    change = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert change.status_code == 200
    assert moderator_client.get(reverse("admin:comments_comment_add")).status_code == 403
    assert (
        moderator_client.get(
            reverse("admin:comments_comment_delete", args=[comment.pk])
        ).status_code
        == 403
    )


def test_readers_cannot_reach_the_admin(reader_client):
    response = reader_client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_article_admin_lists_and_searches_articles(moderator_client, seeded_article):
    url = reverse("admin:articles_article_changelist")

    assert len(page(moderator_client.get(url)).select("#result_list tbody tr")) == 1
    assert (
        page(moderator_client.get(url, {"q": "nothing-like-this"})).select("#result_list tbody tr")
        == []
    )
    assert (
        moderator_client.get(
            reverse("admin:articles_article_change", args=[seeded_article.pk])
        ).status_code
        == 200
    )
