"""Compress once (forum.compression): an article's cached threads are sent as gzip or
zstd joined from a compressed copy kept in the cache, decompressing to exactly the
plain page, and each coding only to clients that accept it."""

import gzip
import io
import os
import zlib

import pytest
import zstandard
from django.core.cache import caches
from django.test import Client

from comments import services
from forum import compression
from tests.factories import build_thread


def unzstd(data: bytes) -> bytes:
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
    return reader.read()


@pytest.mark.parametrize(
    ("first", "second"),
    [(b"abc", b"defg"), (b"", b"x"), (b"x", b""), (os.urandom(70_000), os.urandom(5_000_001))],
)
def test_crc32_combine_is_the_crc_of_the_joined_bytes(first, second):
    combined = compression.crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_pieces_join_into_one_gzip_member_and_frames_into_one_zstd_stream():
    head, body, tail = b"<html>" * 99, "<li>comment é</li>".encode() * 50_000, b"</html>"

    member = compression.gzip_member(
        [compression.deflate(head), compression.deflate(body), compression.deflate(tail, last=True)]
    )
    frames = b"".join(compression.zstd_frame(piece) for piece in (head, body, tail))

    assert gzip.decompress(member) == head + body + tail
    assert zlib.decompressobj(wbits=31).decompress(member) == head + body + tail
    assert unzstd(frames) == head + body + tail


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, br, zstd", "zstd"),  # Chrome's
        ("gzip, deflate, br", "gzip"),  # Safari's
        ("gzip", "gzip"),
        ("br", ""),
        ("identity", ""),
        ("", ""),
        ("zstd;q=0, gzip", "gzip"),
        ("gzip;q=0", ""),
        ("*", "gzip"),
        ("GZIP;Q=0.5", "gzip"),
        ("gzip;q=nonsense", ""),
    ],
)
def test_each_coding_only_for_clients_that_accept_it(rf, header, coding):
    assert compression.accepted(rf.get("/", HTTP_ACCEPT_ENCODING=header)) == coding


@pytest.fixture
def long_article(article, settings):
    """A 600-comment article seen by anonymous readers with no form of their own (no
    CSRF token in the page): the same bytes for every such request."""
    settings.FORUM_GUEST_COMMENTS = "off"
    build_thread(article, 600)
    return article


def fetch(url: str, coding: str | None):
    extra = {"HTTP_ACCEPT_ENCODING": coding} if coding is not None else {}
    return Client().get(url, **extra)


def test_a_compressed_page_decompresses_to_exactly_the_plain_one(long_article):
    url = long_article.get_absolute_url()
    plain = fetch(url, None)
    as_gzip = fetch(url, "gzip, deflate, br")
    as_zstd = fetch(url, "gzip, deflate, br, zstd")
    again = fetch(url, "gzip")  # from the kept copy

    assert "Content-Encoding" not in plain
    assert plain.content.count(b" id=comment-") > 500  # (deeper ones continue)
    assert as_gzip["Content-Encoding"] == "gzip" and as_zstd["Content-Encoding"] == "zstd"
    assert gzip.decompress(as_gzip.content) == plain.content
    assert gzip.decompress(again.content) == plain.content
    assert unzstd(as_zstd.content) == plain.content
    assert int(as_gzip["Content-Length"]) == len(as_gzip.content)
    assert int(plain["Content-Length"]) == len(plain.content)
    for response in (plain, as_gzip, as_zstd):
        assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}, (
            response["Vary"]
        )


def test_a_warm_page_compresses_only_its_head_and_tail(long_article, monkeypatch):
    url = long_article.get_absolute_url()
    fetch(url, "gzip")
    fetch(url, "zstd")
    sizes = []
    real_deflate, real_frame = compression.deflate, compression.zstd_frame

    def deflate(data, **kwargs):
        sizes.append(len(data))
        return real_deflate(data, **kwargs)

    def frame(data):
        sizes.append(len(data))
        return real_frame(data)

    monkeypatch.setattr(compression, "deflate", deflate)
    monkeypatch.setattr(compression, "zstd_frame", frame)

    as_gzip, as_zstd = fetch(url, "gzip"), fetch(url, "zstd")

    thread = len(gzip.decompress(as_gzip.content))
    assert len(sizes) == 4 and max(sizes) < thread / 10, (sizes, thread)
    assert unzstd(as_zstd.content) == gzip.decompress(as_gzip.content)


def test_with_the_cache_down_pages_are_still_compressed_correctly(long_article, monkeypatch):
    url = long_article.get_absolute_url()
    plain = fetch(url, None)
    cache = caches["default"]
    monkeypatch.setattr(type(cache), "get", lambda self, key, default=None, version=None: default)

    assert gzip.decompress(fetch(url, "gzip").content) == plain.content


def test_a_page_for_one_reader_alone_is_compressed_whole(client, article, reader):
    services.comment_create(article=article, author=reader, body="Mine, with an edit link.")
    client.force_login(reader)

    response = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, zstd")

    assert response["Content-Encoding"] == "gzip"  # Django's, as for any page
    assert b"Mine, with an edit link." in gzip.decompress(response.content)
    assert not response.has_header("ETag")
