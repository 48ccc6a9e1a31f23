"""The one place that maps domain and HTTP errors onto responses."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext

from core.domain import DomainError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _domain_error(error: DomainError) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(error.to_dict(gettext)), int(error.status)
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
        body["message"] = getattr(error, "description", "")
        data = getattr(error, "data", None)
        if data and "messages" in data:  # marshmallow errors from flask-smorest
            body["errors"] = data["messages"]
        return jsonify(body), status
    return render_template(
        "error.html", status=status, message=getattr(error, "description", "")
    ), status


def init_app(app: Flask) -> None:
    """Register the handlers: DomainError and HTTP errors, JSON under /api/, HTML elsewhere."""
    app.register_error_handler(DomainError, _domain_error)
    for status in (400, 401, 403, 404, 405, 413, 422, 429, 500):
        app.register_error_handler(status, _http_error)
