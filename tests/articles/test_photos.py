"""Articles' photos (articles.images): uploaded in the admin, checked, stored under the
site's own name, written in WebP sizes, shown in a <picture> with its caption and
description, and the page's og:image; an import's featured image is kept by
reference and fetched only when asked."""

import http.server
import io
import threading
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles import images
from articles.models import Article
from tests.pages import page


def photo(width=2000, height=1000, kind="JPEG", noise=False) -> bytes:
    picture = Image.new("RGB", (width, height), (30, 90, 160))
    if noise:
        picture = Image.frombytes(
            "RGB", (width, height), __import__("os").urandom(width * height * 3)
        )
    buffer = io.BytesIO()
    picture.save(buffer, kind)
    return buffer.getvalue()


def bomb() -> bytes:
    """A PNG of 8,000 by 8,000 one-bit pixels: a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(admin_client):
    return admin_client


def change(editor, article, **fields):
    data = {
        "title": article.title,
        "slug": article.slug,
        "dateline": article.dateline,
        "published": "2024-06-01",
        "caption": article.caption,
        "body": article.body,
        "comments_open": "on",
        "image_alt": "",
        **fields,
    }
    return editor.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_an_editor_uploads_a_photo_and_the_page_shows_it_in_sizes(editor, article, client):
    upload = SimpleUploadedFile("My Holiday Snap.JPG", photo(), content_type="image/jpeg")

    response = change(
        editor, article, image=upload, image_alt="A blue sky", caption="Photo: Ana, 2024"
    )

    assert response.status_code == 302, page(response).select(".errorlist")
    article.refresh_from_db()
    assert "holiday" not in article.image.name.lower() and article.image.name.endswith(".jpg")
    assert (article.image_width, article.image_height) == (2000, 1000)
    assert sorted(article.image_sizes, key=int) == ["480", "800", "1200", "1600"]
    html = page(client.get(article.get_absolute_url()))
    figure = html.select_one("figure.article-photo")
    img = figure.select_one("picture > img")
    assert img["alt"] == "A blue sky" and (img["width"], img["height"]) == ("2000", "1000")
    srcset = figure.select_one("picture > source[type='image/webp']")["srcset"]
    assert [entry.split()[1] for entry in srcset.split(", ")] == ["480w", "800w", "1200w", "1600w"]
    assert figure.select_one("figcaption").get_text() == "Photo: Ana, 2024"
    og = html.select_one('meta[property="og:image"]')["content"]
    assert og.startswith("http://testserver/media/articles/")
    # The files are served, the sizes really are WebP of those widths.
    for width, name in article.image_sizes.items():
        served = client.get(f"/media/{name}")
        assert served.status_code == 200
        with Image.open(io.BytesIO(b"".join(served.streaming_content))) as size:
            assert (size.format, size.width) == ("WEBP", int(width))


def test_a_photo_needs_its_description(editor, article):
    upload = SimpleUploadedFile("sky.jpg", photo(), content_type="image/jpeg")

    response = change(editor, article, image=upload)

    assert response.status_code == 200
    assert "Say what the photo shows" in response.content.decode()
    article.refresh_from_db()
    assert not article.image


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"not an image at all", "Upload a valid image"),
        ("big.png", None, "larger than 1 MB"),
        ("vector.tiff", "TIFF", "Upload a JPEG, PNG, WebP or GIF photo."),
        # A few kilobytes that would decode to 64 million pixels.
        ("bomb.png", "BOMB", "The photo has more than 60 megapixels."),
    ],
)
def test_what_is_not_a_photo_the_site_shows_is_refused(
    editor, article, settings, name, data, message
):
    settings.FORUM_IMAGE_MAX_MB = 1
    if data is None:
        data = photo(800, 800, "PNG", noise=True)
    elif data == "TIFF":
        data = photo(100, 100, "TIFF")
    elif data == "BOMB":
        data = bomb()

    response = change(editor, article, image=SimpleUploadedFile(name, data), image_alt="x")

    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert not article.image


def test_an_imports_featured_image_is_kept_by_reference_and_fetched_when_asked(db, tmp_path):
    served = tmp_path / "site"
    served.mkdir()
    (served / "pier.png").write_bytes(photo(1000, 500, "PNG"))
    (served / "bomb.png").write_bytes(bomb())
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/pier.png"
    article = Article.objects.create(
        title="A pier", slug="pier", body="Text.", image_url=url, image_alt="The pier at dusk"
    )
    # Readers comment while the photo downloads: the fetch must not put back the
    # counts and version the article object was read with.
    Article.objects.filter(pk=article.pk).update(comment_count=7, comments_version=9)
    try:
        images.fetch(article)
        with pytest.raises(images.FetchError):
            images.fetch(Article(title="Gone", slug="gone", image_url=url.replace("pier", "gone")))
        with pytest.raises(images.FetchError, match="more than 60 megapixels"):
            images.fetch(Article(title="Bomb", slug="bomb", image_url=url.replace("pier", "bomb")))
    finally:
        server.shutdown()

    article.refresh_from_db()
    assert (article.comment_count, article.comments_version) == (7, 9)
    assert article.image and (article.image_width, article.image_height) == (1000, 500)
    assert sorted(article.image_sizes, key=int) == ["480", "800"]


def test_the_wordpress_import_records_featured_images_without_fetching_them(db, client):
    theme = (
        __import__("pathlib").Path(__file__).parents[1]
        / "comments/importing/fixtures/wordpress-org/theme-unit-test-data.xml"
    )
    call_command("import_wordpress", str(theme))

    referenced = Article.objects.exclude(image_url="")
    assert referenced.count() == 6
    for article in referenced:
        assert article.image_alt and not article.image
        shown = page(client.get(article.get_absolute_url()))
        assert shown.select("img") == [] and shown.select("figure") == []  # never at page view
