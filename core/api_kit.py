"""What every REST endpoint declares: its route, input, output, refusals and token, in one line.

flask-smorest documents an endpoint with a stack of decorators (route, arguments,
response, one alt_response per refusal, the bearer-token security). The stack is
the same everywhere but for its values, so `ApiBlueprint.read` and
`ApiBlueprint.write` build it from those values, in the order flask-smorest wants
(the route outermost) and with the one error shape of `core.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import flask
from flask_smorest import Blueprint
from marshmallow import Schema
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request

from core import conditional, idempotency, json_body, page_cache
from core.api_docs import doc_copy, share_doc_leaves
from core.error_schema import DomainErrorSchema
from core.openapi_examples import body_example, error_example
from core.schema_kit import bound_fields
from core.service_kit import Upload

View = TypeVar("View", bound=Callable[..., Any])
SchemaLike = type[Schema] | Schema
# A DomainError an endpoint may answer with: its status, or its status and when it happens.
Refusal = int | tuple[int, str]
# What wraps a view's finished answer (idempotency keys, ETags).
Wrapper = Callable[[Callable[..., Any]], Callable[..., Any]]


# What an API client meets on any endpoint, whatever the endpoint declares itself.
GENERIC_REFUSALS: dict[int, str] = {
    400: "The body is not readable JSON (`invalid_json`) or the request is malformed.",
    401: "The bearer token is missing (writes), unknown, revoked or expired.",
    403: "The caller may not do this (or the token may only read).",
    404: "No such resource, or not one the caller may see.",
    409: "A rule refuses the action in the resource's present state, or the "
    "Idempotency-Key was claimed by a request that never answered "
    "(`idempotency_request_in_flight`).",
    412: "If-Match names an ETag that is no longer current (`precondition_failed`).",
    422: "A field is not valid (`invalid`; `errors` names it as sent), or the "
    "Idempotency-Key was used with another body (`idempotency_key_reused`).",
}
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}, {"bearerAuth": []}]}
BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}

share_doc_leaves()  # before any endpoint is declared: see core.api_docs
# The refusals' documented schema, one instance for all (only the document reads it):
# an instance per refusal was a thousand of them, a tenth of the API's start-up.
DOMAIN_ERROR = DomainErrorSchema()


class SafeParser(FlaskParser):
    """webargs' parser with the body read by `core.json_body` (bad JSON is a 400, never a 500),
    and a schema's lean `plain_load` tried before the full load."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return webargs_core.missing
        return json_body.request_json(req)

    def _process_location_data(
        self,
        location_data: Any,
        schema: Schema,
        req: flask.Request,
        location: str,
        unknown: str | None,
        validators: Any,
    ) -> Any:
        """A schema's `plain_load` first (a hot path's lean parse of well-formed input, None
        for anything else), then webargs' full load, whose refusals keep the one shape."""
        plain_load = getattr(schema, "plain_load", None)
        if plain_load is not None and not validators:
            data = plain_load(location_data)
            if data is not None:
                return data
        return super()._process_location_data(
            location_data, schema, req, location, unknown, validators
        )


def _beside_arguments(parameter: Mapping[str, Any]) -> Callable[[View], View]:
    """Document a header `parameter` beside the operation's query arguments.

    `doc(parameters=[...])` would replace them: flask-smorest merges the manual document
    into the generated one list by list, so a read's `?cursor=…&limit=…` went missing.
    """

    def document(view: View) -> View:
        apidoc = doc_copy(getattr(view, "_apidoc", {}))
        apidoc.setdefault("arguments", {}).setdefault("parameters", []).append(dict(parameter))
        view._apidoc = apidoc  # type: ignore[attr-defined]
        return view

    return document


def upload_of(files: Mapping[str, Any], name: str = "file") -> Upload:
    """The multipart file `name` of `files` (as `files=` gives it), with the name its uploader gave."""
    part = files[name]
    return Upload(part.stream, part.filename or "")


def upload_args(files: Mapping[str, Any], name: str = "file") -> dict[str, Any]:
    """The multipart file `name` as the `stream` and `filename` keywords a service takes."""
    upload = upload_of(files, name)
    return {"stream": upload.stream, "filename": upload.filename}


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
        kept: bool = False,
        tag: Callable[..., str | None] | None = None,
        **options: Any,
    ) -> Callable[[View], View]:
        """A GET endpoint: `args` from the query string, 200 with `out`, or one of `refusals`.

        The answer has an ETag (304 on If-None-Match); a bearer token is optional and
        the answer may depend on it (`allowed_actions`). `kept`: the answer is kept per
        caller for API_READ_CACHE_SECONDS (core/page_cache.py; the market's catalogues).
        `tag`: the answer's ETag computed cheaply from the route's arguments; with
        If-None-Match before the kept answers and the view (`conditional.tagged_first`: a
        poll's 304 costs that read alone), else only when the answer is made afresh.
        """
        inputs = [] if args is None else [self.arguments(_bounded(args), location="query")]
        generic = [401] + ([404] if "<" in rule else []) + ([422] if args is not None else [])
        extra = [
            self.alt_response(304, description="Not modified (If-None-Match).", success=True),
            _beside_arguments(conditional.IF_NONE_MATCH_DOC),
        ]
        wrappers: list[Wrapper] = [conditional.tagged]
        if tag is not None:
            wrappers.append(conditional.tagged_first(tag))
        if kept:
            wrappers.append(page_cache.for_callers)
        if tag is not None:
            wrappers.append(conditional.tagged_answer(tag))
        return self._endpoint(
            self.route(rule, **options),
            wrappers,
            inputs,
            (200, out, conditional.ETAG_HEADER_DOC),
            self._refusals(refusals, generic) + extra,
            OPTIONAL_TOKEN,
        )

    def download(
        self,
        rule: str,
        media_types: Iterable[str],
        description: str,
        *refusals: Refusal,
        args: SchemaLike | None = None,
    ) -> Callable[[View], View]:
        """A GET endpoint whose answer is a file, not JSON: 200 in one of `media_types`
        (documented as binary), or one of `refusals` in the one error shape.

        The view returns the finished `Response`; a bearer token is optional (the browser
        session works too). No ETag: a file is built afresh and is not cached.
        """
        inputs = [] if args is None else [self.arguments(_bounded(args), location="query")]
        generic = [401] + ([404] if "<" in rule else []) + ([422] if args is not None else [])
        answer = {"description": description, "content": {kind: BINARY for kind in media_types}}
        doc = self.doc(**OPTIONAL_TOKEN, responses={"200": answer})
        decorators = [self.route(rule, methods=["GET"]), *inputs, *self._refusals(refusals, generic), doc]  # fmt: skip

        def declare(view: View) -> View:
            for decorator in reversed(decorators):
                view = decorator(view)
            return view

        return declare

    def write(
        self,
        rule: str,
        status: int,
        out: SchemaLike,
        *refusals: Refusal,
        args: SchemaLike | None = None,
        files: SchemaLike | None = None,
        method: str = "POST",
        example: Mapping[str, Any] | None = None,
    ) -> Callable[[View], View]:
        """An endpoint that writes (bearer token): JSON `args`, `status` with `out`, or a refusal.

        With `files` the request is multipart: `args` are its form fields. `example` is
        a request body shown in the OpenAPI document.
        """
        inputs = []
        if args is not None:
            location = "json" if files is None else "form"
            bounded = _bounded(args, strict=location == "json")
            if example is not None:
                shown = {"example": dict(example)}
            else:
                shown = {"example": body_example(bounded)} if files is None else {}
            inputs.append(self.arguments(bounded, location=location, **shown))
        if files is not None:
            inputs.append(self.arguments(_bounded(files), location="files"))
        route = self.route(rule, methods=[method])
        wrappers, parameters, generic = self._write_extras(rule, status, method, args, files)
        return self._endpoint(
            route,
            wrappers,
            inputs,
            (status, out, None),
            self._refusals(refusals, generic),
            {**self.write_doc, "parameters": parameters},
        )

    @staticmethod
    def _write_extras(
        rule: str, status: int, method: str, args: SchemaLike | None, files: SchemaLike | None
    ) -> tuple[list[Wrapper], list[dict[str, Any]], list[int]]:
        """The wrappers, header parameters and generic refusals of a write."""
        wrappers: list[Wrapper] = []
        parameters: list[dict[str, Any]] = []
        generic = [401, 403]
        if args is not None or files is not None:
            generic += [400, 422]
        if method == "POST" and status == 201:
            wrappers.append(idempotency.idempotent)
            parameters.append(idempotency.HEADER_DOC)
            generic += [409, 422]
        if "<" in rule:
            wrappers.append(conditional.checked)
            parameters.append(conditional.IF_MATCH_DOC)
            generic += [404, 412]
        return wrappers, parameters, generic

    def _refusals(
        self, refusals: tuple[Refusal, ...], generic: list[int]
    ) -> list[Callable[[View], View]]:
        """One documented error answer per status: the endpoint's own words, else ours."""
        described: dict[int, str | None] = {code: GENERIC_REFUSALS[code] for code in generic}
        for refusal in refusals:
            code, description = refusal if isinstance(refusal, tuple) else (refusal, None)
            described[code] = description or described.get(code) or GENERIC_REFUSALS.get(code)
        return [
            self.alt_response(
                code, schema=DOMAIN_ERROR, description=text, example=error_example(code)
            )
            for code, text in sorted(described.items())
        ]

    def _endpoint(
        self,
        route: Callable[[View], View],
        wrappers: list[Wrapper],
        inputs: list[Callable[[View], View]],
        answer: tuple[int, SchemaLike, Mapping[str, Any] | None],
        refusals: list[Callable[[View], View]],
        doc: Mapping[str, Any],
    ) -> Callable[[View], View]:
        """Stack the decorators: route, then wrappers over the finished answer, then smorest's."""
        status, out, headers = answer
        answers = [self.response(status, out, headers=headers), *refusals]
        if doc:
            answers.append(self.doc(**doc))

        def declare(view: View) -> View:
            for decorator in reversed([route, *wrappers, *inputs, *answers]):
                view = decorator(view)
            return view

        return declare
