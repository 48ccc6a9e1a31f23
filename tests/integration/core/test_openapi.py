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
