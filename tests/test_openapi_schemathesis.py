"""A property-based run of Schemathesis against the OpenAPI document (issue 34): generated requests,
valid and not, to every documented operation, each answer checked against the document (no server
error, a documented status code, the documented content type, headers and schema). Bounded: a few examples
an operation, so it stays well under a minute; a failure names the request that broke it."""

import pytest
import schemathesis
from assessment_factories import make_published
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = 12  # per operation; the bound that keeps the run short


@pytest.fixture
def schema(app):
    make_published(title="Nattilsyn med sensorer")  # something to list, compare and prove
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_every_operation_answers_as_its_openapi_document_says(schema):
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy())
        def run(case):
            # A valid position past the log's end is refused (400): the bound moves with the log, so
            # the document says it in words, and "valid data is accepted" cannot hold for it.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every operation is tried, all reported
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)


def test_the_documents_bounds_are_the_ones_the_server_enforces(client, schema):
    spec = client.get("/api/v1/openapi.json").get_json()

    def parameter(path, name):
        return next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)

    for path, name in (("/api/v1/log/proof/consistency", "first"), ("/api/v1/log/proof/inclusion", "tree_size")):
        assert parameter(path, name)["schema"]["minimum"] == 1
        assert client.get(f"{path}?{name}=0&second=1&index=0").status_code == 400  # 0 is refused, as documented
    changes = "/api/v1/vurderinger/{public_id}/aendringer"
    assert not parameter(changes, "fra")["required"] and not parameter(changes, "til")["required"]
    assert all("414" in operations["get"]["responses"] for operations in spec["paths"].values())
