"""An article's photo in Chromium: an editor uploads it in the admin, and readers see
it above the text with its caption, its description as alt text, in the size that
fits their screen, on a desktop and on a phone in dark mode."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.browser import BROWSER, open_tab, snap
from tests.test_browser_reading import sign_in

pytestmark = BROWSER


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_editor_uploads_a_photo_and_readers_see_it(
    live_server, transactional_db, article, moderator, tmp_path, browser
):
    upload = tmp_path / "harbour.jpg"
    picture = Image.new("RGB", (1600, 900))
    for x in range(0, 1600, 40):  # stripes, so the sizes differ visibly
        picture.paste((20 + x % 200, 80, 160), (x, 0, x + 20, 900))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    upload.write_bytes(buffer.getvalue())
    context, tab, refused = open_tab(browser)
    sign_in(tab, live_server, moderator)

    tab.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    tab.locator("#id_image").set_input_files(str(upload))
    tab.locator("#id_image_alt").fill("Fishing boats moored in the harbour at dawn")
    tab.locator("#id_caption").fill("Photo: the harbour master")
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    for device in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        reader_context, reader, reader_refused = open_tab(
            browser, viewport=device, color_scheme="dark" if device["width"] < 500 else "light"
        )
        reader.goto(live_server.url + article.get_absolute_url())
        photo = reader.get_by_role("img", name="Fishing boats moored in the harbour at dawn")
        expect(photo).to_be_visible()
        assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
        chosen = photo.evaluate("img => img.currentSrc")
        assert chosen.endswith(".webp"), chosen  # a size, not the original
        expect(reader.locator("figure.article-photo figcaption")).to_have_text(
            "Photo: the harbour master"
        )
        assert reader.evaluate("document.documentElement.scrollWidth") <= device["width"]
        name = "article-photo" if device["width"] > 500 else "article-photo-phone-dark"
        snap(reader, name, of=reader.locator("main article").first)
        reader_context.close()
        assert reader_refused == []
    context.close()
    assert refused == []
