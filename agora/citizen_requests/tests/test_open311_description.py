"""Our OpenAPI description of the Open311 API (docs/open311/openapi.yaml) and the JSON
schemas it names: sound, complete, and served beside the API as kept in the repository."""

import json
from typing import Any

import jsonschema
import pytest
import schemathesis
from django.test import Client

from agora.citizen_requests.tests.open311_support import DESCRIPTION, SCHEMAS

OPERATIONS = {
    ("get", "/discovery.{format}"),
    ("get", "/services.{format}"),
    ("get", "/services/{service_code}.{format}"),
    ("get", "/requests.{format}"),
    ("post", "/requests.{format}"),
    ("get", "/requests/{service_request_id}.{format}"),
}


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node))
    return set()


def test_the_description_covers_every_operation_in_both_formats() -> None:
    raw = schemathesis.openapi.from_path(DESCRIPTION).raw_schema

    assert raw["openapi"].startswith("3.1")
    operations = {(method, path) for path, item in raw["paths"].items() for method in item}
    assert operations == OPERATIONS
    for path, item in raw["paths"].items():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if "content" in response:
                    assert set(response["content"]) == {"application/json", "text/xml"}, (
                        path,
                        status,
                    )


def test_every_schema_it_names_exists_and_is_a_valid_json_schema() -> None:
    raw = schemathesis.openapi.from_path(DESCRIPTION).raw_schema
    files = {ref for ref in _references(raw) if not ref.startswith("#")}

    assert files == {f"schemas/{path.name}" for path in SCHEMAS.glob("*.json")}
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        assert "xml" in schema, path.name


@pytest.mark.django_db
def test_the_description_and_its_schemas_are_served_as_kept() -> None:
    client = Client()

    description = client.get("/open311/v2/openapi.yaml")
    schema = client.get("/open311/v2/schemas/service_requests.json")

    assert description.status_code == 200
    assert description["Content-Type"] == "application/yaml; charset=utf-8"
    assert b"".join(description.streaming_content) == DESCRIPTION.read_bytes()  # type: ignore[attr-defined]
    assert schema.status_code == 200
    assert schema["Content-Type"] == "application/schema+json"
    assert json.loads(b"".join(schema.streaming_content))["xml"]["name"] == "service_requests"  # type: ignore[attr-defined]
    assert client.get("/open311/v2/schemas/inconnu.json").status_code == 404
