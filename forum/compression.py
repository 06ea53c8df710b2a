"""Compress once: pages whose bulk comes from the cache are sent compressed from a
compressed copy kept beside it, and only the page's own head and tail (a few
kilobytes: the navigation, the article, the forms, each with this request's
tokens) are compressed per request.

How. A page is three pieces: its head, a *body* served to many requests (the
article's cached thread HTML, `Body`), its tail. The view marks the response with
them (`splice`); `CompressionMiddleware`, in Django's GZipMiddleware's place, then
sends

- **gzip** (every client that asks): one gzip member whose deflate stream is the
  head's, the body's and the tail's raw deflate streams one after another. Each
  piece is compressed on its own and, but for the last, ends on a sync flush (byte
  aligned, not final), so the streams join into one; the member's CRC-32 is
  combined from the pieces' (`crc32_combine`, zlib's algorithm) without reading
  the body again. The body's piece is compressed the first time a request needs
  it and kept in the page cache beside the page (`Body.key` + ":gz").
- **zstd** (browsers that ask: Chrome and Firefox): three Zstandard frames, which a
  decoder reads as one stream (RFC 8878, section 3.1); the body's frame kept as
  the gzip piece is.
- the plain page to clients that ask for neither.

Brotli streams do not join, so Brotli is not offered: a browser that accepts it
also accepts gzip or zstd. Responses not spliced (a page rendered for one reader
alone, every other page) are compressed whole, as Django's GZipMiddleware does.

BREACH: a page's secrets (CSRF tokens) are masked anew on every response, and the
gzip header carries random padding of random length, as Django's does.
"""

import functools
import hashlib
import secrets
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import zstandard
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

GZIP = "gzip"
ZSTD = "zstd"
IDENTITY = ""
# Most compressed first: what the middleware picks among those a client accepts.
PREFERENCE = (ZSTD, GZIP)
GZIP_LEVEL = 6
ZSTD_LEVEL = 3
# Clients that say they accept a coding; q=0 says they do not.
_CODING = _lazy_re_compile(r"^\s*([a-z0-9*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$", 0)


def accepted(request: HttpRequest) -> str:
    """The coding this request's Accept-Encoding lets the middleware send: zstd, else
    gzip, else the plain page ("")."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "").lower()
    codings = {}
    for part in header.split(","):
        found = _CODING.match(part)
        if found:
            try:
                codings[found[1]] = float(found[2]) if found[2] else 1.0
            except ValueError:
                continue
    for coding in PREFERENCE:
        quality = codings.get(coding, codings.get("*", 0.0) if coding == GZIP else 0.0)
        if quality > 0:
            return coding
    return IDENTITY


# CRC-32 of joined pieces from the pieces' own: zlib's crc32_combine, with the
# operators for 2**k zero bytes (GF(2) matrices) squared once per process.
def _gf2_times(matrix: tuple[int, ...], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(_gf2_times(matrix, matrix[n]) for n in range(32))


def _zero_byte_powers(count: int = 48) -> list[tuple[int, ...]]:
    operator = (0xEDB88320, *(1 << n for n in range(31)))  # one zero bit
    for _ in range(3):  # two, four, eight zero bits: one zero byte
        operator = _gf2_square(operator)
    powers = [operator]
    for _ in range(count - 1):
        powers.append(_gf2_square(powers[-1]))
    return powers


_POWERS = _zero_byte_powers()


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from crc32(A), crc32(B) and len(B): crc1 moved past
    len(B) zero bytes, then crc2 laid over it. Some microseconds."""
    bit = 0
    while length2 > 0:
        if length2 & 1:
            crc1 = _gf2_times(_POWERS[bit], crc1)
        length2 >>= 1
        bit += 1
    return crc1 ^ crc2


@dataclass(frozen=True)
class Piece:
    """Bytes as a raw deflate stream (sync-flushed unless last), with their CRC-32 and
    length, ready to be joined into a gzip member."""

    deflated: bytes
    crc: int
    size: int


def deflate(data: bytes, *, last: bool = False) -> Piece:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(data)
    deflated += compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
    return Piece(deflated, zlib.crc32(data), len(data))


def gzip_member(pieces: list[Piece]) -> bytes:
    """One gzip member of these pieces, in order (the last deflated with last=True).
    The header's file name is random padding of random length (BREACH)."""
    padding = secrets.token_hex(secrets.randbelow(16) + 1).encode()
    header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + padding + b"\x00"
    crc, size = 0, 0
    for piece in pieces:
        crc = crc32_combine(crc, piece.crc, piece.size)
        size += piece.size
    body = b"".join(piece.deflated for piece in pieces)
    return header + body + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)


def zstd_frame(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=True).compress(data)


@dataclass
class Body:
    """The part of a page served to many requests (`data`, its HTML as UTF-8), and the
    cache key its compressed copies are kept under (beside the page's own entry, as
    long)."""

    data: bytes
    key: str
    timeout: int | None

    def compressed(self, coding: str):
        """This body as `coding` sends it (a Piece for gzip, a frame for zstd): from
        the cache, or compressed now and kept there. With the cache down, compressed
        for this request alone."""
        cache = caches[settings.FORUM_PAGE_CACHE]
        key = f"{self.key}:{coding}"
        kept = cache.get(key)
        if kept is None:
            kept = deflate(self.data) if coding == GZIP else zstd_frame(self.data)
            cache.set(key, kept, self.timeout)
        return kept


def splice(response: HttpResponse, *, head: bytes, body: Body, tail: bytes) -> HttpResponse:
    """Mark `response` as the page head + body + tail, for CompressionMiddleware to
    send: compressed from the body's kept copies, or plain. Its content is set there,
    once the coding is known (a plain copy of the whole page is never made for a
    compressed answer)."""
    response.content = b""
    response.spliced = (head, body, tail)
    return response


def etag_for(base: str, coding: str) -> str:
    """A strong ETag of one representation: the codings differ in bytes, so in tag."""
    return f'"{base}-{coding}"' if coding else f'"{base}"'


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for every response but spliced pages, which go as gzip
    or zstd joined from pieces, the body's from the cache (see the module's note),
    with their strong ETag naming the coding sent."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        spliced = getattr(response, "spliced", None)
        if spliced is None or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = accepted(request)
        head, body, tail = spliced
        if not coding:
            response.content = b"".join((head, body.data, tail))
            response["Content-Length"] = str(len(response.content))
            return response
        if coding == GZIP:
            content = gzip_member([deflate(head), body.compressed(GZIP), deflate(tail, last=True)])
        else:
            content = b"".join((zstd_frame(head), body.compressed(ZSTD), zstd_frame(tail)))
        response.content = content
        response["Content-Length"] = str(len(content))
        response["Content-Encoding"] = coding
        if response.has_header("ETag"):
            response["ETag"] = etag_for(response["ETag"].strip('"'), coding)
        return response


@functools.cache
def site_version() -> str:
    """What else a page's bytes depend on, for ETags: the templates and static files
    (names, sizes, times; the same for every worker of one deployment) and the
    FORUM_ settings. Read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
                )
    for name in sorted(dir(settings)):
        if name.startswith("FORUM_"):
            digest.update(f"{name}={getattr(settings, name)!r};".encode())
    return digest.hexdigest()[:16]
