"""The OpenAPI document, built when first read rather than while the app starts.

Two costs of flask-smorest made importing the app slow (measured with cProfile and
`python -X importtime`: about half of its CPU time):

- each of its decorators (route, arguments, response, alt_response, doc) deep-copies
  the documentation gathered so far, marshmallow schema instances and their fields
  included, and registering a blueprint copies it all again: 680,000 `deepcopy` calls.
  The copies only guard the dictionaries and lists that later steps fill in; the
  schemas are read, never changed. `doc_copy` copies the containers and shares the
  rest, and `share_doc_leaves` makes flask-smorest use it.
- `Api.register_blueprint` turned every endpoint into the OpenAPI document (apispec
  resolves each schema) although only /api/v1/openapi.json, /api/v1/docs and `flask
  openapi` read it. `LazySpecApi` registers the routes at once and writes the
  document on the first read of `api.spec`, in the same order, so it comes out the
  same (tests/unit/core/test_api_docs.py compares it with flask-smorest's own).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from flask_smorest import Api, arguments, blueprint, etag, pagination, response

Describe = Callable[[APISpec], None]


def doc_copy(value: Any) -> Any:
    """A copy of `value`'s dicts, lists and tuples, sharing everything else (schemas)."""
    if isinstance(value, dict):
        return {key: doc_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [doc_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(doc_copy(item) for item in value)
    return value


def share_doc_leaves() -> None:
    """flask-smorest's decorators and blueprints copy their documents with `doc_copy`."""
    for module in (arguments, blueprint, etag, pagination, response):
        module.deepcopy = doc_copy


class LazySpecApi(Api):
    """An `Api` whose blueprints' endpoints enter `spec` when it is first read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._spec: APISpec | None = None
        self._pending: list[Describe] = []
        self._writing = threading.RLock()
        self._busy = False
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> APISpec | None:
        """The document, with every blueprint registered so far (written now if need be)."""
        if self._pending:
            self._write_pending()
        return self._spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        """A new document (`init_app`: a new app): what was waiting was the old one's."""
        with self._writing:
            self._spec = value
            self._pending = []

    def _write_pending(self) -> None:
        """Each waiting part leaves the queue once written: another thread reading `spec`
        meanwhile waits for the whole document, never takes a half-written one."""
        with self._writing:
            if self._busy:  # read again by a part being written: the document so far
                return
            self._busy = True
            try:
                while self._pending:
                    assert self._spec is not None
                    self._pending[0](self._spec)
                    self._pending.pop(0)
            finally:
                self._busy = False

    def describe_later(self, describe: Describe) -> None:
        """Run `describe(spec)` when the document is written, after what is waiting."""
        with self._writing:
            self._pending.append(describe)

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """flask-smorest's `register_blueprint`: the routes now, their documentation later."""
        name = options.get("name", blp.name)
        app = self._app
        app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        app.register_blueprint(blp, **options)

        def describe(spec: APISpec) -> None:
            blp.register_views_in_doc(self, app, spec, name=name, parameters=parameters)
            spec.tag({"name": name, "description": blp.description})

        self.describe_later(describe)
