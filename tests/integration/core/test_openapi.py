"""The OpenAPI document describes how to authenticate and which language messages are in."""

from __future__ import annotations

from flask.testing import FlaskClient

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def test_every_operations_security_names_a_scheme_the_document_defines(
    client: FlaskClient,
) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerAuth"]["description"],
    }
    secured = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for requirement in operation.get("security", []):
                secured += 1
                assert set(requirement) <= set(schemes), (method, path, requirement)
    assert secured > 10  # the writes, at least
    tokens = spec["paths"]["/api/v1/tokens/"]
    assert tokens["post"]["security"] == [{"bearerAuth": []}]


def test_the_document_says_messages_follow_accept_language(client: FlaskClient) -> None:
    info = client.get("/api/v1/openapi.json").get_json()["info"]
    assert "Accept-Language" in info["description"]
    assert "zh" in info["description"] and "en" in info["description"]


def test_the_document_is_a_valid_openapi_document(client: FlaskClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)  # raises, naming the first thing wrong


def test_every_operation_documents_its_refusals_in_the_error_shape(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    error = {"$ref": "#/components/schemas/DomainError"}
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS or path.endswith("openapi.json"):
                continue
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for status, answer in responses.items():
                if status.startswith(("4", "5")) and "content" in answer:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == error, (method, path, status, schema)
            checked += 1
    assert checked > 40


def test_writes_document_if_match_and_idempotency_keys(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    offers = spec["paths"]["/api/v1/sales/negotiations/{negotiation_id}/offers"]["post"]
    names = {p["name"] for p in offers["parameters"]}
    assert {"If-Match", "Idempotency-Key"} <= names
    assert {"400", "401", "403", "404", "409", "412", "422"} <= set(offers["responses"])
    read = spec["paths"]["/api/v1/sales/negotiations/{negotiation_id}"]["get"]
    assert "ETag" in read["responses"]["200"]["headers"] and "304" in read["responses"]
    assert {"If-None-Match"} <= {p["name"] for p in read["parameters"]}
    assert {} in read["security"] and {"bearerAuth": []} in read["security"]


def test_the_main_creating_writes_show_an_example_body(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    body = paths["/api/v1/sales/negotiations"]["post"]["requestBody"]["content"]
    assert body["application/json"]["example"]["amount_minor"] == 40_000_000


def test_every_json_body_and_every_refusal_shows_an_example(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    bodies = refusals = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                assert isinstance(content["application/json"].get("example"), dict), (method, path)
                bodies += 1
            for status, answer in operation["responses"].items():
                if status[0] not in "45":
                    continue
                example = answer["content"]["application/json"]["example"]
                assert set(example) == {"code", "message", "errors"}, (method, path, status)
                assert example["code"] and example["message"], (method, path, status)
                refusals += 1
    assert bodies > 40 and refusals > 300
    signup = spec["paths"]["/api/v1/accounts/"]["post"]["requestBody"]["content"]
    assert signup["application/json"]["example"]["kind"] == "university"


def test_a_reads_query_arguments_are_documented_beside_if_none_match(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    bids = paths["/api/v1/auctions/{auction_id}/bids"]["get"]["parameters"]
    assert {(p["name"], p["in"]) for p in bids} >= {
        ("If-None-Match", "header"), ("cursor", "query"), ("limit", "query"),
    }  # fmt: skip
    batch = paths["/api/v1/deals/registration-batch.{fmt}"]["get"]
    assert {p["name"] for p in batch["parameters"]} >= {"from", "to"}
    files = batch["responses"]["200"]["content"]
    assert set(files) == {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
    assert files["text/csv"]["schema"] == {"type": "string", "format": "binary"}
