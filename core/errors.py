"""The one place that maps domain and HTTP errors onto responses.

Every 4xx of the API has one shape: `{"code", "message", "errors": {field: [messages]}}`,
fields named as the client sent them (`ip_assets.0.number`), never under the location
(`json`, `query`) the parser read them from.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext
from marshmallow import Schema
from werkzeug.exceptions import BadRequest, HTTPException

from core import json_body
from core.domain import N_, DomainError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"a.0.b": [texts]}, each text translated."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, inner in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, texts in _flatten(inner, name).items():
                flat.setdefault(field, []).extend(texts)
        return flat
    texts = messages if isinstance(messages, list) else [messages]
    if texts and all(isinstance(t, str) for t in texts):
        return {prefix or "_body": [gettext(t) for t in texts]}
    flat = {}
    for index, inner in enumerate(texts):  # a list of nested errors
        for field, found in _flatten(inner, f"{prefix}.{index}" if prefix else str(index)).items():
            flat.setdefault(field, []).extend(found)
    return flat


def _without_location(messages: Any) -> dict[str, list[str]]:
    """Drop webargs' location level ({"json": {...}, "query": {...}}) and flatten the rest."""
    if not isinstance(messages, dict):
        return _flatten(messages)
    locations = {"json", "query", "form", "files", "headers", "cookies", "view_args"}
    flat: dict[str, list[str]] = {}
    for key, inner in messages.items():
        part = _flatten(inner) if key in locations else _flatten({key: inner})
        for field, texts in part.items():
            flat.setdefault(field, []).extend(texts)
    return flat


def _input_fields() -> list[tuple[str, str | None, str]]:
    """(name, attribute, name the client sends) of every field the endpoint reads."""
    view = current_app.view_functions.get(request.endpoint or "")
    found = []
    for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        schema = parameter.get("schema")
        if isinstance(schema, Schema):
            for name, field in schema.load_fields.items():
                found.append((name, field.attribute, field.data_key or name))
    return found


def _body_names() -> set[str]:
    try:
        body = json_body.request_json(request) if request.is_json else None
    except BadRequest:
        body = None
    return set(body) if isinstance(body, dict) else set()


def client_field(field: str) -> str:
    """The name the client gave `field` in this request, when a rule names it otherwise.

    A rule speaks of its own terms (`amount`); the endpoint's schema says how the
    client spells them: a field of that name or attribute is sent as its `data_key`;
    the money convention sends an amount `x` as `x_minor`. A name the client sent is
    kept as it is.
    """
    head, dot, rest = field.partition(".")
    inputs = _input_fields()
    sent = _body_names() | {sent for _, _, sent in inputs}
    if head in sent:
        return field
    for name, attribute, sent_as in inputs:
        if head in (name, attribute) or f"{head}_minor" in (name, sent_as):
            return f"{sent_as}{dot}{rest}"
    if f"{head}_minor" in sent:
        return f"{head}_minor{dot}{rest}"
    return field


def api_error_body(error: DomainError) -> dict[str, Any]:
    """A refusal's API body, its fields named as the client named them."""
    body = error.to_dict(gettext)
    body["errors"] = {client_field(k): v for k, v in body["errors"].items()}
    return body


def _domain_error(error: DomainError) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(api_error_body(error)), int(error.status)
    return render_template(
        "error.html", status=int(error.status), message=error.text(gettext)
    ), int(error.status)


# The stable code and our own message of each HTTP refusal (Werkzeug's texts are English
# and meant for browsers). A domain refusal carries its own code (`DomainError.code`).
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", N_("The request could not be understood.")),
    401: ("unauthorized", N_("Sign in or send an API token: Authorization: Bearer <token>.")),
    403: ("forbidden", N_("You may not do this.")),
    404: ("not_found", N_("There is nothing at this address.")),
    405: ("method_not_allowed", N_("This address does not accept this method.")),
    409: ("conflict", N_("The request conflicts with the current state.")),
    412: ("precondition_failed", N_("The resource has changed since you read it.")),
    413: ("too_large", N_("The request is too large.")),
    415: ("unsupported_media_type", N_("Send the body as JSON (Content-Type: application/json).")),
    422: ("invalid", N_("Some fields are not valid.")),
    428: ("precondition_required", N_("Send If-Match with the ETag you read.")),
    429: ("rate_limited", N_("Too many requests: wait a moment and try again.")),
    500: ("server_error", N_("Something went wrong on our side. Please try again later.")),
    503: ("unavailable", N_("The service is busy. Please try again later.")),
}


# Codes of the API's own refusals beyond the status's code (idempotency keys, bad JSON).
EXTRA_CODES: dict[int, tuple[str, ...]] = {
    400: ("invalid_json",),
    409: ("idempotency_request_in_flight",),
    422: ("idempotency_key_reused", "invalid_idempotency_key"),
}


def error_code_table() -> list[tuple[int, list[str]]]:
    """(status, codes) of every HTTP-level refusal, for the API's docs page."""
    return [
        (status, [code, *EXTRA_CODES.get(status, ())])
        for status, (code, _message) in sorted(HTTP_ERRORS.items())
    ]


def domain_codes() -> list[str]:
    """The stable codes the rules' error classes declare (each refusal may name its own)."""
    found: set[str] = set()
    stack: list[type[DomainError]] = [DomainError]
    while stack:
        cls = stack.pop()
        found.add(cls.code)
        stack.extend(cls.__subclasses__())
    return sorted(found)


def _message(error: Any, status: int) -> str:
    """The raiser's own (translated) description, else ours for the status."""
    description = getattr(error, "description", None)
    if description and description != getattr(type(error), "description", None):
        return str(description)
    fallback = HTTP_ERRORS.get(status, HTTP_ERRORS[500 if status >= 500 else 400])[1]
    return gettext(fallback)


def http_error_body(error: Any, status: int) -> dict[str, Any]:
    """The API body of an HTTP refusal: its stable code, our message, the fields at fault."""
    code = getattr(error, "api_code", None) or HTTP_ERRORS.get(status, ("error", ""))[0]
    data = getattr(error, "data", None)
    messages = data.get("messages") if isinstance(data, dict) else None
    return {
        "code": code,
        "message": _message(error, status),
        "errors": _without_location(messages) if messages else {},
    }


def _http_error(error: Any) -> Response | tuple[Response | str, int]:
    if getattr(error, "response", None) is not None:  # the raiser built the page already
        response: Response = error.response
        return response
    status = getattr(error, "code", 500) or 500
    if not isinstance(error, HTTPException):
        status = 500
    if _wants_json():
        answer = jsonify(http_error_body(error, status))
        answer.status_code = status
        if isinstance(error, HTTPException):
            for name, value in error.get_headers():
                if name in ("Retry-After", "Allow"):
                    answer.headers[name] = value
        return answer
    return render_template(
        "error.html", status=status, message=getattr(error, "description", "")
    ), status


def init_app(app: Flask) -> None:
    """Register the handlers: DomainError and HTTP errors, JSON under /api/, HTML elsewhere."""
    app.register_error_handler(DomainError, _domain_error)
    for status in HTTP_ERRORS:
        app.register_error_handler(status, _http_error)
