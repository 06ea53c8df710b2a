"""Photos kept in an S3-compatible store (FORUM_MEDIA_S3_*): the storage the settings
build from those variables takes an editor's upload and an import's fetch to the
bucket through the S3 API, and pages link to the store, whose addresses serve the
photo. The store is moto's S3 server, an HTTP endpoint that speaks the S3 API,
started for these tests on loopback."""

import ast
import io
import json
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from articles import images
from articles.models import Article
from tests.articles.test_photos import change, photo
from tests.pages import page
from tests.settings_env import setting_values

KEY = {"aws_access_key_id": "forum-test", "aws_secret_access_key": "forum-test-secret"}


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(endpoint, settings, monkeypatch, tmp_path):
    """A new, publicly readable bucket, and the site's settings as the variables make
    them for it (read from the settings module in a fresh interpreter)."""
    name = f"photos-{uuid.uuid4().hex[:12]}"
    store = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEY)
    store.create_bucket(Bucket=name)
    # Pages link photos unsigned (querystring_auth off): the bucket must let anyone
    # read them, as docs/operations.md says to set it up.
    store.put_bucket_policy(Bucket=name, Policy=public_read(name))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", KEY["aws_secret_access_key"])
    values = setting_values(
        ["STORAGES", "MEDIA_ORIGINS"],
        DJANGO_DEBUG="1",
        FORUM_MEDIA_S3_BUCKET=name,
        FORUM_MEDIA_S3_ENDPOINT=endpoint,
        FORUM_MEDIA_S3_REGION="us-east-1",
    )
    settings.STORAGES = ast.literal_eval(values["STORAGES"])
    assert ast.literal_eval(values["MEDIA_ORIGINS"]) == [endpoint]  # the CSP's img-src
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    return store, name


def public_read(name: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            ],
        }
    )


def stored(store, name: str) -> set[str]:
    return {item["Key"] for item in store.list_objects_v2(Bucket=name).get("Contents", [])}


def fetched(url: str) -> Image.Image:
    with urllib.request.urlopen(url, timeout=10) as response:
        return Image.open(io.BytesIO(response.read()))


def test_an_upload_goes_to_the_bucket_and_the_page_links_the_store(
    bucket, endpoint, admin_client, article, client, settings
):
    store, name = bucket
    upload = SimpleUploadedFile("sky.jpg", photo(), content_type="image/jpeg")

    response = change(admin_client, article, image=upload, image_alt="A blue sky")

    assert response.status_code == 302, page(response).select(".errorlist")
    article.refresh_from_db()
    assert stored(store, name) == {article.image.name, *article.image_sizes.values()}
    html = page(client.get(article.get_absolute_url()))
    prefix = f"{endpoint}/{name}/articles/"
    img = html.select_one("figure.article-photo picture > img")
    assert img["src"].startswith(prefix) and img["alt"] == "A blue sky"
    assert html.select_one('meta[property="og:image"]')["content"] == img["src"]
    assert fetched(img["src"]).size == (2000, 1000)
    srcset = html.select_one("picture > source[type='image/webp']")["srcset"]
    for entry in srcset.split(", "):
        url, width = entry.split()
        assert url.startswith(prefix)
        shown = fetched(url)
        assert (shown.format, f"{shown.width}w") == ("WEBP", width)
    assert not settings.MEDIA_ROOT.exists()  # nothing written beside the app


def test_an_imported_photo_is_fetched_into_the_bucket(bucket, db, tmp_path):
    store, name = bucket
    source = f"photos-source-{uuid.uuid4().hex[:8]}"
    store.create_bucket(Bucket=source)
    store.put_bucket_policy(Bucket=source, Policy=public_read(source))
    store.put_object(Bucket=source, Key="pier.png", Body=photo(1000, 500, "PNG"))
    article = Article.objects.create(
        title="A pier",
        slug="pier",
        body="Text.",
        image_url=f"{store.meta.endpoint_url}/{source}/pier.png",
        image_alt="The pier at dusk",
    )

    images.fetch(article)

    article.refresh_from_db()
    assert stored(store, name) == {article.image.name, *article.image_sizes.values()}
    assert sorted(article.image_sizes, key=int) == ["480", "800"]
