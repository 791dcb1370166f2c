"""HTTP for machines that read the open data (RFC 9110, CORS): Allow on a 405, weak ETag
comparison, HEAD with the headers of GET, conditional record JSON, and CORS without credentials."""

from __future__ import annotations

import pytest


def test_a_405_says_which_methods_the_route_allows(client):
    answer = client.delete("/vurderinger")
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert "Handlingen er ikke tilladt" in answer.get_data(as_text=True)  # still the Danish page


def test_a_weak_etag_is_compared_weakly(client, published):
    first = client.get(f"/vurderinger/{published.public_id}")
    etag = first.headers["ETag"].strip('"')
    again = client.get(f"/vurderinger/{published.public_id}", headers={"If-None-Match": f'W/"{etag}"'})
    assert again.status_code == 304


def test_head_carries_the_headers_of_get_without_the_body(client, published):
    get = client.get(f"/vurderinger/{published.public_id}")
    head = client.head(f"/vurderinger/{published.public_id}")
    assert head.status_code == 200 and head.data == b""
    for name in ("ETag", "Cache-Control", "Content-Type"):
        assert head.headers[name] == get.headers[name], name


def test_the_signed_record_json_answers_304_to_its_etag(client, published):
    url = f"/vurderinger/{published.public_id}.json"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    "path",
    ["/api/v1/vurderinger", "/vurderinger.csv", "/feed.atom", "/api/v1/log/checkpoint", "/sitemap.xml"],
)
def test_open_data_may_be_read_by_any_sites_browser_without_credentials(client, published, path):
    answer = client.get(path, headers={"Origin": "https://avis.example"})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer.headers


def test_pages_and_the_boards_routes_get_no_cors(client, published):
    for path in ("/", f"/vurderinger/{published.public_id}", "/intern/login"):
        assert "Access-Control-Allow-Origin" not in client.get(path).headers, path
