"""WordPress's own test exports (fixtures/wordpress-org, GPL: see its README) import as
WordPress reads them: every approved comment of every published post in its place
with its parent, nothing of a password-protected post public, closed posts closed,
untitled posts titled, pages when asked, authors' sites and registered commenters
kept, and a second export of the same site adding nothing twice."""

from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from comments.importing.reading import ImportFileError
from comments.importing.wordpress import import_wordpress
from comments.models import Comment

DATA = Path(__file__).parent / "fixtures" / "wordpress-org"
THEME = DATA / "theme-unit-test-data.xml"
A11Y = DATA / "a11y-unit-test-data.xml"


def expected_posts(path: Path, *, types=("post",)) -> dict[str, dict]:
    """What WordPress itself would show of the file, read independently of the
    importer (the whole file with ElementTree): per published post without a password,
    its comments by id with their parent id and whether approved."""
    root = ElementTree.parse(path).getroot()
    wp = {p: u for _, (p, u) in ElementTree.iterparse(path, events=["start-ns"])}["wp"]

    def field(element, name):
        found = element.find(f"{{{wp}}}{name}")
        return (found.text or "").strip() if found is not None else ""

    posts = {}
    for item in root.iter("item"):
        if field(item, "post_type") not in types or field(item, "status") != "publish":
            continue
        if field(item, "post_password"):
            continue
        comments = {}
        for c in item.findall(f"{{{wp}}}comment"):
            if field(c, "comment_type") in {"pingback", "trackback"}:
                continue
            approved = field(c, "comment_approved")
            if approved not in {"1", "0"}:
                continue
            comments[field(c, "comment_id")] = {
                "parent": field(c, "comment_parent"),
                "approved": approved == "1",
                "url": field(c, "comment_author_url"),
                "member": field(c, "comment_user_id") not in {"", "0"},
            }
        posts[(item.findtext("guid") or "").strip()] = {
            "comments": comments,
            "closed": field(item, "comment_status") == "closed",
        }
    return posts


def password_protected(path: Path) -> list[str]:
    """The text of each password-protected post, a line of it."""
    root = ElementTree.parse(path).getroot()
    wp = {p: u for _, (p, u) in ElementTree.iterparse(path, events=["start-ns"])}["wp"]
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    texts = []
    for item in root.iter("item"):
        if (item.findtext(f"{{{wp}}}post_password") or "").strip():
            body = item.findtext(content) or ""
            texts.append(next(line for line in body.splitlines() if len(line.strip()) > 20))
    return texts


def assert_in_place(path: Path, *, types=("post",)):
    expected = expected_posts(path, types=types)
    assert expected, "the file has published posts"
    for guid, post in expected.items():
        article = Article.objects.get(source=f"wordpress:{guid}"[:200])
        assert article.comments_open is not post["closed"], guid
        stored = {
            c.source_id.removeprefix("wordpress:"): c
            for c in Comment.objects.filter(article=article).select_related("parent")
        }
        assert set(stored) == set(post["comments"]), guid
        for comment_id, source in post["comments"].items():
            comment = stored[comment_id]
            if source["parent"] in post["comments"]:
                assert comment.parent.source_id == f"wordpress:{source['parent']}"
            else:
                assert comment.parent is None
            assert comment.status == ("published" if source["approved"] else "pending")
            assert comment.imported_member is source["member"]
            if source["url"].startswith(("http://", "https://")):
                assert comment.author_url == source["url"]


@pytest.mark.django_db
def test_the_theme_unit_test_export_imports_every_comment_in_its_place():
    summary = import_wordpress(THEME)

    assert_in_place(THEME)
    line = summary.line()
    assert "1 password-protected post kept private" in line
    assert "21 pages" in line and "2 unpublished posts" in line
    # The ten-deep reply chain is whole.
    assert Comment.objects.filter(level__gte=9).exists()


@pytest.mark.django_db
def test_the_accessibility_test_export_imports_every_comment_in_its_place():
    import_wordpress(A11Y)

    assert_in_place(A11Y)


@pytest.mark.django_db
def test_pages_with_comments_come_in_when_asked():
    import_wordpress(THEME, pages=True)

    assert_in_place(THEME, types=("post", "page"))


@pytest.mark.django_db
def test_nothing_of_a_password_protected_post_is_public(client):
    import_wordpress(THEME)
    secrets = password_protected(THEME)
    assert secrets

    pages = [client.get("/").content, client.get(reverse("articles:article-feed")).content]
    pages += [client.get("/search/", {"q": "password protected"}).content]
    pages += [client.get(a.get_absolute_url()).content for a in Article.objects.all()]
    for secret in secrets:
        assert not Article.objects.filter(body__contains=secret.strip()[:40]).exists()
        for page in pages:
            assert secret.strip()[:40].encode() not in page
    assert not Article.objects.filter(title__icontains="protected").exists()


@pytest.mark.django_db
def test_an_untitled_post_gets_a_title_and_a_working_slug(client):
    import_wordpress(THEME)

    untitled = Article.objects.exclude(title__regex=r"\w").union(
        Article.objects.filter(title="Untitled")
    )
    assert not untitled.exists()
    for article in Article.objects.all():
        assert article.slug and client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_an_authors_site_is_their_names_link_with_nofollow_ugc(client):
    import_wordpress(THEME)
    comment = Comment.objects.exclude(author_url="").filter(status="published").first()

    html = client.get(comment.get_absolute_url()).content.decode()

    link = f'href="{comment.author_url}" rel="nofollow ugc">{comment.author_name}</a>'
    assert link in html


@pytest.mark.django_db
def test_registered_commenters_are_marked_without_being_given_accounts(client):
    import_wordpress(THEME)
    member = Comment.objects.filter(imported_member=True, status="published").first()

    assert member.author_id is None
    html = client.get(member.get_absolute_url()).content.decode()
    card = html[html.index(f"id=comment-{member.pk}>") :]
    assert ">member</small>" in card[: card.index("</header>")]


@pytest.mark.django_db
def test_two_exports_of_the_same_site_add_nothing_twice():
    import_wordpress(THEME)
    articles, comments = Article.objects.count(), Comment.objects.count()

    again = import_wordpress(THEME)
    import_wordpress(A11Y)  # shares many posts (same GUIDs) with the theme data

    assert again.new_articles == 0 and again.comments == 0
    assert Comment.objects.count() >= comments
    for guid in expected_posts(THEME):
        assert Article.objects.filter(source=f"wordpress:{guid}"[:200]).count() == 1
    assert Article.objects.count() >= articles


@pytest.mark.django_db
def test_a_file_without_the_wordpress_namespace_says_so(tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text(
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<item><title>A post</title></item></channel></rss>"
    )

    with pytest.raises(ImportFileError) as refused:
        import_wordpress(rss)

    assert "no WordPress items: this file declares dc=http://purl.org/dc" in refused.value.message
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_wordpress_prefix_may_be_any_uri_of_the_export_shape(tmp_path):
    text = THEME.read_text().replace(
        "https://wordpress.org/export/1.2/", "https://wordpress.org/export/1.3/"
    )
    text = (
        text.replace('xmlns:wp="', 'xmlns:wordpress="')
        .replace("<wp:", "<wordpress:")
        .replace("</wp:", "</wordpress:")
    )
    renamed = tmp_path / "renamed.xml"
    renamed.write_text(text)

    import_wordpress(renamed)

    assert Comment.objects.count() == sum(
        len(p["comments"]) for p in expected_posts(THEME).values()
    )


@pytest.mark.django_db
def test_the_command_takes_pages(capsys):
    call_command("import_wordpress", "--pages", str(THEME))

    assert "pages" not in capsys.readouterr().out.split("skipped:")[1]
