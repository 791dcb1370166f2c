"""gzip for what the app answers with text (issue 34): the 64 KB OpenAPI document, record pages,
the API's JSON, the feed and the sitemap. Streamed responses (the CSV) and files (PDFs, already
compressed) are left alone; the documented nginx configuration compresses the stream.

A compressed body is another representation: its strong ETag becomes weak (RFC 9110 §8.8.1), which
the views' weak comparison still answers with 304. Every compressible response says
`Vary: Accept-Encoding`, so that a shared cache never hands gzip to a client that did not ask.
"""

from __future__ import annotations

import gzip

from flask import request

MIN_SIZE = 1024  # below this the header costs more than gzip saves
LEVEL = 6
TYPES = frozenset({"application/json", "application/atom+xml", "application/xml", "application/schema+json"})


def compressible(response) -> bool:
    mimetype = response.mimetype or ""
    return mimetype.startswith("text/") or mimetype in TYPES or mimetype.endswith("+json")


def compress(response):
    if response.direct_passthrough or response.is_streamed or not compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code < 200 or response.status_code in (204, 206, 304) or "Content-Encoding" in response.headers:
        return response
    if not request.accept_encodings["gzip"]:
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(data, LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


def init_app(app) -> None:
    app.after_request(compress)
