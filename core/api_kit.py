"""What every REST endpoint declares: its route, input, output, refusals and token, in one line.

flask-smorest documents an endpoint with a stack of decorators (route, arguments,
response, one alt_response per refusal, the bearer-token security). The stack is
the same everywhere but for its values, so `ApiBlueprint.read` and
`ApiBlueprint.write` build it from those values, in the order flask-smorest wants
(the route outermost) and with the one error shape of `core.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import flask
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request

from core import json_body
from core.schema_kit import bound_fields

View = TypeVar("View", bound=Callable[..., Any])
SchemaLike = type[Schema] | Schema
# A DomainError an endpoint may answer with: its status, or its status and when it happens.
Refusal = int | tuple[int, str]


class DomainErrorSchema(Schema):
    """An error: stable code, message, field errors."""

    code = fields.String()
    message = fields.String()
    errors = fields.Dict()


class SafeParser(FlaskParser):
    """webargs' parser with the body read by `core.json_body` (bad JSON is a 400, never a 500)."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return webargs_core.missing
        return json_body.loads(req.get_data(cache=True))


def _bounded(schema: SchemaLike, *, strict: bool = False) -> Schema:
    """An instance of `schema` whose fields have the market's bounds (`bound_fields`)."""
    return bound_fields(schema() if isinstance(schema, type) else schema, strict=strict)


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint whose endpoints are declared by `read` and `write`.

    `write_doc` is the OpenAPI security of the endpoints that write (every write
    takes a bearer token: `accounts.auth.BEARER_TOKEN`). Every input is bounded
    (`core.schema_kit.bound_fields`); a JSON body's integers are strict.
    """

    ARGUMENTS_PARSER = SafeParser()

    def __init__(
        self, name: str, import_name: str, *, description: str, write_doc: Mapping[str, Any]
    ) -> None:
        super().__init__(name, import_name, description=description)
        self.write_doc = write_doc

    def read(
        self,
        rule: str,
        out: SchemaLike,
        *refusals: Refusal,
        args: SchemaLike | None = None,
        **options: Any,
    ) -> Callable[[View], View]:
        """A GET endpoint: `args` from the query string, 200 with `out`, or one of `refusals`."""
        inputs = [] if args is None else [self.arguments(_bounded(args), location="query")]
        return self._endpoint(self.route(rule, **options), inputs, 200, out, refusals, {})

    def write(
        self,
        rule: str,
        status: int,
        out: SchemaLike,
        *refusals: Refusal,
        args: SchemaLike | None = None,
        files: SchemaLike | None = None,
        method: str = "POST",
    ) -> Callable[[View], View]:
        """An endpoint that writes (bearer token): JSON `args`, `status` with `out`, or a refusal.

        With `files` the request is multipart: `args` are its form fields.
        """
        inputs = []
        if args is not None:
            location = "json" if files is None else "form"
            bounded = _bounded(args, strict=location == "json")
            inputs.append(self.arguments(bounded, location=location))
        if files is not None:
            inputs.append(self.arguments(_bounded(files), location="files"))
        route = self.route(rule, methods=[method])
        return self._endpoint(route, inputs, status, out, refusals, self.write_doc)

    def _endpoint(
        self,
        route: Callable[[View], View],
        inputs: list[Callable[[View], View]],
        status: int,
        out: SchemaLike,
        refusals: tuple[Refusal, ...],
        doc: Mapping[str, Any],
    ) -> Callable[[View], View]:
        answers = [self.response(status, out)]
        for refusal in refusals:
            code, description = refusal if isinstance(refusal, tuple) else (refusal, None)
            answers.append(
                self.alt_response(code, schema=DomainErrorSchema, description=description)
            )
        if doc:
            answers.append(self.doc(**doc))

        def declare(view: View) -> View:
            for decorator in reversed([route, *inputs, *answers]):
                view = decorator(view)
            return view

        return declare
