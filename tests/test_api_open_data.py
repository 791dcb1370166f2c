"""Open data: the JSON API, OpenAPI, CSV, the Atom feed and the sitemap; nothing unpublished."""

import csv
import io
from xml.etree import ElementTree as ET

import pytest
from assessment_factories import make_assessment, make_published, make_signed
from factories import make_org, make_user

from app.api import serialise
from app.assessments import services as assessment_services
from app.extensions import db

ENDPOINTS = ["/api/v1/vurderinger", "/vurderinger.csv", "/feed.atom", "/sitemap.xml", "/sitemap-1.xml"]


def test_list_items_carry_the_stored_hashes_and_links(client, published):
    data = client.get("/api/v1/vurderinger").get_json()
    assert (data["total"], data["page"], data["pages"]) == (1, 1, 1)
    item = data["items"][0]
    frozen = published.signed_record
    assert item["public_id"] == published.public_id
    assert item["municipality"] == {"name": "Aarhus Kommune", "slug": published.organisation.slug}
    assert (item["pdf_sha256"], item["json_sha256"], item["verification_code"]) == (
        frozen.pdf_sha256,
        frozen.json_sha256,
        frozen.verification_code,
    )
    assert item["links"]["pdf"].endswith(f"/vurderinger/{published.public_id}.pdf")
    assert item["signed_at"].endswith("Z")


def test_list_paginates_and_filters_like_the_html_list(client, app):
    for name in ("alfa", "beta", "gamma"):
        make_published(title=f"Vurdering {name}")
    data = client.get("/api/v1/vurderinger?per_side=2&side=99").get_json()
    assert (data["page"], data["pages"], len(data["items"]), data["links"]["next"]) == (2, 2, 1, None)
    assert data["links"]["prev"] is not None
    assert client.get("/api/v1/vurderinger?q=Vurdering+beta").get_json()["total"] == 1
    assert client.get("/api/v1/vurderinger?per_side=abc&beslutning=x").get_json()["total"] == 3


def test_detail_is_the_canonical_record_with_matching_hash(client, published):
    from app.signoff.canonical import record_hash

    response = client.get(f"/api/v1/vurderinger/{published.public_id}")
    data = response.get_json()
    assert data["status"] == "published"
    assert record_hash(data["record"]) == data["json_sha256"] == published.signed_record.json_sha256
    again = client.get(
        f"/api/v1/vurderinger/{published.public_id}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    missing = client.get("/api/v1/vurderinger/findes-ikke")
    assert missing.status_code == 404 and missing.get_json()["error"] == "Vurderingen findes ikke."


def test_withdrawn_is_gone_from_lists_but_the_detail_says_why(client, published):
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Forkert leverandør")
    db.session.commit()
    assert client.get("/api/v1/vurderinger").get_json()["total"] == 0
    data = client.get(f"/api/v1/vurderinger/{published.public_id}").get_json()
    assert data["status"] == "withdrawn" and data["withdrawal"]["reason"] == "Forkert leverandør"
    assert published.public_id not in client.get("/vurderinger.csv").get_data(as_text=True)
    # ...but a harvester is told (issue 34): the list and the CSV with status=alle, a feed entry
    [item] = client.get("/api/v1/vurderinger?status=alle").get_json()["items"]
    assert (item["public_id"], item["status"]) == (published.public_id, "withdrawn")
    [row] = csv_dicts(client.get("/vurderinger.csv?status=alle"))
    assert (row["public_id"], row["status"]) == (published.public_id, "withdrawn")
    feed = ET.fromstring(client.get("/feed.atom").data)  # noqa: S314 - our own output
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [entry] = feed.findall("a:entry", ns)
    assert entry.find("a:id", ns).text.endswith(f"/vurderinger/{published.public_id}#tilbagetrukket")
    assert entry.find("a:category", ns).get("term") == "withdrawn"
    assert "Forkert leverandør" in entry.find("a:summary", ns).text
    assert client.get("/vurderinger?status=alle").get_data(as_text=True).count(published.public_id) == 0


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    log = {f"/api/v1/log/{name}" for name in ("checkpoint", "key", "entries", "proof/inclusion", "proof/consistency")}
    changes = "/api/v1/vurderinger/{public_id}/aendringer"  # version comparison
    exports = {"/vurderinger.csv", "/vurderinger.xlsx"}
    assert set(spec["paths"]) == {"/api/v1/vurderinger", "/api/v1/vurderinger/{public_id}", changes, *log, *exports}
    names = {p["name"] for p in spec["paths"]["/api/v1/vurderinger"]["get"]["parameters"]}
    assert {"q", "kommune", "teknologi", "omraade", "aar", "beslutning", "side", "per_side"} <= names


def test_csv_has_every_row_a_bom_and_no_formulas(client, app):
    make_published(title='=HYPERLINK("http://x")')
    make_published(title="Almindelig titel")
    response = client.get("/vurderinger.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["public_id", "title", "municipality"]
    assert len(rows) == 3
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in rows]


def csv_dicts(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_carries_every_proposal_field_read_from_the_signed_record(client, app):
    from app.assessments.proposal import PROPOSAL_FIELDS

    published = make_published(title="Med forslag")
    published.problem = "Ændret i databasen efter underskriften"  # not what was signed
    db.session.commit()
    response = client.get("/vurderinger.csv")
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[serialise.CSV_FIXED :] == [f.name for f in PROPOSAL_FIELDS]
    [row] = csv_dicts(response)
    assert row["problem"] == "Borgere med demens falder om natten og ligger længe, før nogen opdager det."
    assert (row["cost_one_off"], row["decision_meeting_date"]) == ("450000", "2026-03-02")  # as stored
    assert row["restricts_freedom"] == "Nej"  # a choice as its label
    assert row["complaint_deadline"] == "4 uger fra du har fået afgørelsen"


def test_feed_lists_new_publications_with_escaped_text(client, app):
    make_published(title="Sensorer <script>alert(1)</script> & co")
    response = client.get("/feed.atom")
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.data)  # noqa: S314 - our own output; parsing proves the escaping
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("Sensorer <script>alert(1)</script> & co" in (t or "") for t in titles)
    assert b"<script>" not in response.data


def test_sitemap_lists_pages_technologies_and_publications(client, published):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring(client.get("/sitemap.xml").data)  # noqa: S314 - our own output
    files = [e.text for e in index.iter(f"{ns}loc")]
    assert index.tag == f"{ns}sitemapindex" and files == ["http://etikdialog.test/sitemap-1.xml"]
    root = ET.fromstring(client.get("/sitemap-1.xml").data)  # noqa: S314 - our own output
    locs = [e.text for e in root.iter(f"{ns}loc")]
    assert any(loc.endswith(f"/vurderinger/{published.public_id}") for loc in locs)
    assert any(loc.endswith(f"/teknologier/{published.technology_category}") for loc in locs)
    assert any(loc.endswith("/tilgaengelighed") for loc in locs)


@pytest.mark.parametrize("query", ['"', "*", "%", "NEAR(", "x" * 5000, "1; SELECT 1 --"])
def test_nasty_search_strings_never_break_the_api(client, published, query):
    assert client.get("/api/v1/vurderinger", query_string={"q": query}).status_code == 200
    assert client.get("/vurderinger.csv", query_string={"q": query}).status_code == 200


def test_nothing_unpublished_appears_in_open_data(client, app):
    org = make_org("Hemmelig Kommune")
    signed = make_signed(org, title="Hemmelig underskrevet")
    draft = make_assessment(make_user(org, role="editor"), title="Hemmeligt udkast")
    make_published(title="Offentlig vurdering")
    for url in ENDPOINTS:
        body = client.get(url).get_data(as_text=True)
        assert "Offentlig vurdering" in body or url.startswith("/sitemap"), url
        for hidden in (signed, draft):
            assert hidden.public_id not in body, url
            assert "Hemmelig" not in body, url
    for hidden in (signed, draft):
        assert client.get(f"/api/v1/vurderinger/{hidden.public_id}").status_code == 404


def test_csv_header_is_machine_names_and_says_each_rows_status(client, published):
    import re

    from assessment_factories import sign_off

    editor = make_user(published.organisation, role="editor")
    newer = assessment_services.reopen(published, user=editor)
    db.session.commit()
    signers = [make_user(published.organisation, role="member"), make_user(published.organisation, role="admin")]
    sign_off(newer, editor, signers)
    assessment_services.transition(newer, "publish", user=signers[1])
    db.session.commit()
    response = client.get("/vurderinger.csv")
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert all(re.fullmatch(r"[a-z0-9_]+", name) for name in header), header
    assert list(serialise.CSV_PUBLICATION_COLUMNS) == header[: serialise.CSV_FIXED]
    status = {row["public_id"]: row["status"] for row in csv_dicts(response)}
    assert status == {published.public_id: "replaced", newer.public_id: "published"}
