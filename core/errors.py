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
from werkzeug.exceptions import BadRequest

from core import json_body
from core.domain import DomainError


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


def _sent_names() -> set[str]:
    """The field names of this API request: its body's keys and its endpoint's inputs."""
    try:
        body = json_body.loads(request.get_data(cache=True)) if request.is_json else None
    except BadRequest:
        body = None
    names = set(body) if isinstance(body, dict) else set()
    view = current_app.view_functions.get(request.endpoint or "")
    for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        schema = parameter.get("schema")
        if isinstance(schema, Schema):
            names.update(f.data_key or name for name, f in schema.load_fields.items())
    return names


def _client_field(field: str, names: set[str]) -> str:
    """The name the client gave `field`: the API says `amount_minor` where rules say `amount`."""
    head, dot, rest = field.partition(".")
    if head not in names and f"{head}_minor" in names:
        return f"{head}_minor{dot}{rest}"
    return field


def api_error_body(error: DomainError) -> dict[str, Any]:
    """A refusal's API body, its fields named as the client named them."""
    body = error.to_dict(gettext)
    names = _sent_names() if body["errors"] else set()
    body["errors"] = {_client_field(k, names): v for k, v in body["errors"].items()}
    return body


def _domain_error(error: DomainError) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(api_error_body(error)), int(error.status)
    return render_template(
        "error.html", status=int(error.status), message=error.text(gettext)
    ), int(error.status)


def _http_error(error: Any) -> Response | tuple[Response | str, int]:
    if getattr(error, "response", None) is not None:  # the raiser built the page already
        response: Response = error.response
        return response
    status = getattr(error, "code", 500) or 500
    if _wants_json():
        body = {"code": getattr(error, "name", "error").lower().replace(" ", "_")}
        body["message"] = getattr(error, "description", "") or gettext("The request failed.")
        data = getattr(error, "data", None)
        messages = data.get("messages") if isinstance(data, dict) else None
        body["errors"] = _without_location(messages) if messages else {}
        return jsonify(body), status
    return render_template(
        "error.html", status=status, message=getattr(error, "description", "")
    ), status


def init_app(app: Flask) -> None:
    """Register the handlers: DomainError and HTTP errors, JSON under /api/, HTML elsewhere."""
    app.register_error_handler(DomainError, _domain_error)
    for status in (400, 401, 403, 404, 405, 413, 422, 429, 500):
        app.register_error_handler(status, _http_error)
