"""Real responses of the open-data API validated against the OpenAPI document the API serves.

The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12; each response is checked
against the schema of its path and status, with $refs resolved inside the served document.
"""

import json
from pathlib import Path

import jsonschema
import pytest
from assessment_factories import make_published
from factories import make_org, make_user
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.assessments import services as assessment_services
from app.extensions import db

SPEC_URI = "urn:etikdialog:openapi"
RECORD_SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "app" / "signoff" / "assessment.schema.json").read_text(encoding="utf-8")
)


def pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def validate(spec: dict, path: str, status: str, instance) -> None:
    """Validate one response body against the document's schema for that path and status."""
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, DRAFT202012))
    where = pointer("paths", path, "get", "responses", status, "content", "application/json", "schema")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"{SPEC_URI}#/{where}",
    }
    jsonschema.Draft202012Validator(schema, registry=registry).validate(instance)


def documented_statuses(spec: dict, path: str) -> set[str]:
    return set(spec["paths"][path]["get"]["responses"])


@pytest.fixture
def two_published(app):
    aarhus = make_published(make_org("Aarhus Kommune"), title="Nattilsyn med sensorer")
    odense = make_published(make_org("Odense Kommune"), title="Spiserobot")
    return aarhus, odense


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"per_side": 1},
        {"per_side": 1, "side": 2},
        {"q": "sensorer"},
        {"kommune": "odense-kommune"},
        {"beslutning": "anbefales_ikke"},
        {"side": 999},
    ],
)
def test_the_list_matches_its_schema(client, spec, two_published, query):
    response = client.get("/api/v1/vurderinger", query_string=query)
    assert str(response.status_code) in documented_statuses(spec, "/api/v1/vurderinger")
    body = response.get_json()
    validate(spec, "/api/v1/vurderinger", str(response.status_code), body)


def test_the_list_has_items_to_validate(client, spec, two_published):
    body = client.get("/api/v1/vurderinger").get_json()
    assert len(body["items"]) == 2  # so the item schema ($ref Item) was applied to real items


def test_an_item_matches_its_schema_and_its_record_the_record_schema(client, spec, two_published):
    path = "/api/v1/vurderinger/{public_id}"
    for published in two_published:
        response = client.get(f"/api/v1/vurderinger/{published.public_id}")
        assert response.status_code == 200
        body = response.get_json()
        validate(spec, path, "200", body)
        jsonschema.validate(body["record"], RECORD_SCHEMA)


def test_a_withdrawn_item_matches_its_schema(client, spec, two_published):
    published = two_published[0]
    admin = make_user(published.organisation, role="admin")
    assessment_services.transition(published, "withdraw", user=admin, reason="Leverandøren er gået konkurs.")
    db.session.commit()
    body = client.get(f"/api/v1/vurderinger/{published.public_id}").get_json()
    assert body["status"] == "withdrawn"
    validate(spec, "/api/v1/vurderinger/{public_id}", "200", body)


def test_other_answers_are_documented(client, spec, two_published):
    path = "/api/v1/vurderinger/{public_id}"
    missing = client.get("/api/v1/vurderinger/findes-ikke")
    assert str(missing.status_code) in documented_statuses(spec, path) == {"200", "304", "404", "414"}
    first = client.get(f"/api/v1/vurderinger/{two_published[0].public_id}")
    again = client.get(
        f"/api/v1/vurderinger/{two_published[0].public_id}",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304


def test_the_validation_can_fail(client, spec, two_published):
    body = client.get("/api/v1/vurderinger").get_json()
    body["items"][0]["decision"] = "maaske"
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, "/api/v1/vurderinger", "200", body)
    del body["total"]
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, "/api/v1/vurderinger", "200", body)


def test_the_record_is_validated_through_the_document(client, spec, two_published):
    """The detail's record is checked against the embedded record schema 4: a field the proposal
    table does not have, or a missing section, fails."""
    path = "/api/v1/vurderinger/{public_id}"
    body = client.get(f"/api/v1/vurderinger/{two_published[0].public_id}").get_json()
    assert body["record"]["schema_version"] == 4
    validate(spec, path, "200", body)
    wrong_field = json.loads(json.dumps(body))
    wrong_field["record"]["proposal"][0]["field"] = "ukendt_felt"
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, path, "200", wrong_field)
    del body["record"]["documents"]
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, path, "200", body)


def test_the_document_names_every_proposal_field_with_its_label(spec):
    from flask_babel import force_locale

    from app.assessments.proposal import PROPOSAL_FIELDS

    record = spec["components"]["schemas"]["Record4"]
    described = record["properties"]["proposal"]["items"]["properties"]["field"]["oneOf"]
    with force_locale("da"):
        expected = [(f.name, str(f.label)) for f in PROPOSAL_FIELDS]
    assert [(d["const"], d["title"]) for d in described] == expected
    assert spec["components"]["schemas"]["Record1"]["properties"]["schema_version"] == {"const": 1}


def test_a_schema_1_record_matches_the_document(client, spec, app):
    import io

    from test_record_schema import FIXTURE, SCHEMA1_PUBLIC_ID

    from app.backup import services as backup

    backup.import_all(io.BytesIO(FIXTURE.read_bytes()))
    db.session.commit()
    body = client.get(f"/api/v1/vurderinger/{SCHEMA1_PUBLIC_ID}").get_json()
    assert body["record"]["schema_version"] == 1
    validate(spec, "/api/v1/vurderinger/{public_id}", "200", body)


def test_the_transparency_logs_answers_match_their_schemas(client, spec, two_published):
    """Every /api/v1/log path with each of its answers (ADR 0004), against the served document."""
    calls = [
        ("/api/v1/log/entries", "/api/v1/log/entries?start=0&end=3", "200"),
        ("/api/v1/log/entries", "/api/v1/log/entries?start=9", "400"),
        ("/api/v1/log/proof/inclusion", "/api/v1/log/proof/inclusion?index=1&tree_size=4", "200"),
        ("/api/v1/log/proof/inclusion", "/api/v1/log/proof/inclusion?index=4&tree_size=4", "400"),
        ("/api/v1/log/proof/consistency", "/api/v1/log/proof/consistency?first=1&second=4", "200"),
        ("/api/v1/log/proof/consistency", "/api/v1/log/proof/consistency?first=5&second=4", "400"),
        ("/api/v1/log/key", "/api/v1/log/key", "200"),
    ]
    for path, url, status in calls:
        response = client.get(url)
        assert str(response.status_code) == status, url
        assert status in documented_statuses(spec, path)
        validate(spec, path, status, response.get_json())
    checkpoint = client.get("/api/v1/log/checkpoint")
    assert checkpoint.status_code == 200
    assert checkpoint.mimetype in spec["paths"]["/api/v1/log/checkpoint"]["get"]["responses"]["200"]["content"]
    body = client.get(f"/api/v1/vurderinger/{two_published[0].public_id}").get_json()
    assert body["log_indexes"] == [0, 1]
    validate(spec, "/api/v1/vurderinger/{public_id}", "200", body)
    body["log_indexes"] = ["0"]
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, "/api/v1/vurderinger/{public_id}", "200", body)
