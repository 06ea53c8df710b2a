"""Articles' photos: what an upload must be, where it is stored, the sizes it is sent
in, and the <picture> a page shows.

An editor uploads a photo in the admin (ArticleAdmin); Django's ImageField has
Pillow check that it is an image, `check_upload` that it is no larger than
FORUM_IMAGE_MAX_MB and of a format browsers show; it is stored under a random name
of the site's (`stored_name`) through Django's storage API (the file system under
MEDIA_ROOT, or an S3-compatible store: forum.settings). `make_sizes` then writes it
in WebP at the widths of SIZES that are smaller than it, once; the page's
<picture> offers them with `srcset` (the browser picks the size for the screen),
the original as the fallback, and the width and height set so nothing moves as it
loads.
"""

import io
import urllib.request
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

# The widths a photo is written at (those narrower than it), for phones to desktops.
SIZES = (480, 800, 1200, 1600)
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# The most pixels a photo may have: a camera's 60 megapixels. A few megabytes of PNG
# can claim far more, and writing the sizes decodes the whole picture into memory.
MAX_PIXELS = 60_000_000
WEBP_QUALITY = 80
FOLDER = "articles"
# How wide the photo is shown: the article's column, or the whole screen below it.
SHOWN = "(min-width: 820px) 760px, calc(100vw - 2rem)"


def stored_name(filename: str) -> str:
    """A random name in FOLDER, keeping only a lower-case extension browsers know."""
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in {*FORMATS.values(), ".jpeg"}:
        suffix = ""
    return f"{FOLDER}/{uuid.uuid4().hex}{suffix}"


def check_upload(image) -> None:
    """An upload is refused (ValidationError, nothing stored) past FORUM_IMAGE_MAX_MB, or
    in a format browsers do not all show."""
    limit = settings.FORUM_IMAGE_MAX_MB
    if image.size > limit * 2**20:
        raise ValidationError({"image": f"The photo is larger than {limit} MB."})
    if getattr(image, "_committed", True):
        return  # stored before: checked then
    try:
        image.open()
        image.seek(0)
        with Image.open(image) as opened:
            kind, pixels = opened.format, opened.width * opened.height
        image.seek(0)
    except Exception:
        raise ValidationError({"image": "This file is not a photo the site can show."}) from None
    if kind not in FORMATS:
        raise ValidationError({"image": "Upload a JPEG, PNG, WebP or GIF photo."})
    if pixels > MAX_PIXELS:
        raise ValidationError({"image": f"The photo has more than {_megapixels()}."})


def _megapixels() -> str:
    return f"{MAX_PIXELS // 1_000_000} megapixels"


def make_sizes(article) -> dict[str, str]:
    """Write the article's photo in WebP at each width of SIZES narrower than it, and
    keep their names on the article ({width: name}). Returns them."""
    sizes: dict[str, str] = {}
    if article.image:
        article.image.open("rb")
        with Image.open(article.image) as original:
            original.load()
            photo = original.convert("RGBA" if original.mode in ("RGBA", "LA", "P") else "RGB")
        stem = PurePosixPath(article.image.name).with_suffix("")
        for width in SIZES:
            if width >= photo.width:
                break
            height = round(photo.height * width / photo.width)
            buffer = io.BytesIO()
            photo.resize((width, height), Image.Resampling.LANCZOS).save(
                buffer, "WEBP", quality=WEBP_QUALITY, method=4
            )
            sizes[str(width)] = default_storage.save(
                f"{stem}-{width}.webp", ContentFile(buffer.getvalue())
            )
    type(article).objects.filter(pk=article.pk).update(image_sizes=sizes)
    article.image_sizes = sizes
    return sizes


def srcset(article) -> str:
    """The `srcset` of the photo's WebP sizes: "url 480w, url 800w, …"."""
    return ", ".join(
        f"{default_storage.url(name)} {width}w"
        for width, name in sorted(article.image_sizes.items(), key=lambda kv: int(kv[0]))
    )


class FetchError(Exception):
    """A photo known by reference that could not be fetched: why, in one line."""


def fetch(article, *, timeout: float = 15.0) -> None:
    """Download the article's photo known by reference (`image_url`, http or https,
    at most FORUM_IMAGE_MAX_MB, an image Pillow reads) into its `image`, and write
    its sizes. Raises FetchError, storing nothing, when it cannot."""
    url = article.image_url
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"not a web address: {url[:100]}")
    limit = settings.FORUM_IMAGE_MAX_MB * 2**20
    request = urllib.request.Request(url, headers={"User-Agent": "forum-import/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise FetchError(f"{url[:100]}: {exc}") from None
    if len(data) > limit:
        raise FetchError(f"{url[:100]}: larger than {settings.FORUM_IMAGE_MAX_MB} MB")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.verify()
            kind, pixels = opened.format, opened.width * opened.height
    except Exception:
        raise FetchError(f"{url[:100]}: not an image") from None
    if kind not in FORMATS:
        raise FetchError(f"{url[:100]}: a {kind} image, not one browsers all show")
    if pixels > MAX_PIXELS:
        raise FetchError(f"{url[:100]}: more than {_megapixels()}")
    article.image.save(f"photo{FORMATS[kind]}", ContentFile(data), save=True)
    make_sizes(article)
