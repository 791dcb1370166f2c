"""A property-based run of Schemathesis against the OpenAPI document (issue 34): generated requests,
valid and not, to every documented operation, each answer checked against the document (no server
error, a documented status code, the documented content type, headers and schema, and a request
the document calls valid is accepted). Bounded: a few examples
an operation, so it stays well under a minute; a failure names the request that broke it."""

import pytest
import schemathesis
from assessment_factories import make_published
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.translog import services as log

EXAMPLES = 12  # per operation; the bound that keeps the run short


def _number(case, name: str) -> int | None:
    value = (case.query or {}).get(name)
    return value if isinstance(value, int) else None


def beyond_the_log(case) -> bool:
    """A schema-valid request the log cannot answer yet: a position past its current end, or an
    order the document states in words (end before start, a leaf outside its tree, a first tree
    larger than the second). The document cannot put these in a schema (the end moves with every
    entry), so the server's 400 for them is right; every other schema-valid request must be taken."""
    size = log.size()
    number = lambda name: _number(case, name)  # noqa: E731 - read the generated query
    match case.operation.path:
        case "/api/v1/log/entries":
            start, end = number("start"), number("end")
            return start is not None and (start >= size or (end is not None and end < start))
        case "/api/v1/log/proof/inclusion":
            tree_size, index = number("tree_size"), number("index")
            return tree_size is not None and (tree_size > size or (index is not None and index >= tree_size))
        case "/api/v1/log/proof/consistency":
            first, second = number("first"), number("second")
            return second is not None and (second > size or (first is not None and first > second))
        case "/api/v1/log/edge":
            return (number("size") or 0) > size
    return False


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
            response = case.call()
            if response.status_code == 400 and beyond_the_log(case):
                case.validate_response(response, excluded_checks=[positive_data_acceptance])
            else:
                case.validate_response(response)  # every check, "valid data is accepted" too

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
