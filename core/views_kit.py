"""Small pieces shared by the HTML views of every domain (Flask only, no domain import)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import flask
from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from marshmallow import Schema
from werkzeug.wrappers import Response

from core.audit import history
from core.audit_models import AuditEntry
from core.bounds import MAX_ROW_ID
from core.clock import now
from core.db_types import StoredFileMixin
from core.domain import DomainError
from core.files import send_document
from core.forms import FieldErrors, attempt, domain_errors, parse_form
from core.uow import unit_of_work

T = TypeVar("T")
R = TypeVar("R")
E = TypeVar("E", bound=enum.Enum)


def row_id(value: str | None) -> int:
    """`value` as a row id; 0 (which names no row) when it is missing, not a whole number,
    or beyond any id, so the use case answers "not found" (never an overflow)."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return 0
    number = int(text)
    return number if number <= MAX_ROW_ID else 0


def form_id(name: str) -> int:
    """A row id posted in form field `name` (see `row_id`)."""
    return row_id(request.form.get(name, ""))


def enum_arg(enum_class: type[E], name: str) -> E | None:
    """The query string's `name` as a member of `enum_class`; None when absent or unknown."""
    raw = request.args.get(name, "")
    return enum_class(raw) if raw in enum_class._value2member_map_ else None


def by_state_page(
    template: str,
    states: type[E],
    rows_of: Callable[[Any, E | None], list[Any]],
    counts_of: Callable[[Any], dict[str, int]],
    **context: Any,
) -> str:
    """A page of the signed-in person's own rows in the state the query string's `status`
    names (all of them without it), with how many are in each state ("My listings", "My
    needs"): the template gets `rows`, `counts`, `statuses`, `active_status` and `context`."""
    status = enum_arg(states, "status")
    return flask.render_template(
        template,
        rows=rows_of(current_user, status),
        counts=counts_of(current_user),
        statuses=list(states),
        active_status=status,
        **context,
    )


def history_for(is_party: bool, object_type: str, object_id: int) -> list[AuditEntry]:
    """An object's audit history for its own people and reviewers; nothing for anyone else."""
    if is_party or (current_user.is_authenticated and current_user.can_review):
        return history(object_type, object_id)
    return []


def send_stored(folder: Path, stored: StoredFileMixin) -> Response:
    """An uploaded document from `folder` under the type found on upload and its uploader's
    name (with that type's extension: `core.files.send_document`)."""
    return send_document(
        folder,
        stored.stored_name,
        content_type=stored.content_type,
        download_name=stored.original_name,
    )


def save_form(
    parsed: tuple[T | None, FieldErrors],
    save: Callable[[T], R],
    refusal_errors: Callable[[DomainError], FieldErrors] = domain_errors,
    *,
    writer: bool | None = None,
) -> tuple[R | None, FieldErrors]:
    """Save an editor's parsed form in one unit of work.

    Returns what `save` returned and no errors, or None and the errors to show on
    the form again: the form's own, or the refusal's (a rolled-back DomainError).
    """
    data, errors = parsed
    if data is None:
        return None, errors
    try:
        with unit_of_work(writer=writer):
            return save(data), {}
    except DomainError as error:
        return None, refusal_errors(error)


@dataclass(frozen=True)
class PostAction:
    """A form button that runs one use case for the signed-in person, then goes back.

    The use case is called as `use_case(current_user, *route values, *inputs, now=now())`,
    each input read from the form when the use case runs (see `posted`), and the keyword
    arguments `options` reads then (e.g. `core.forms.document_upload`). A refusal is flashed (with `not_found`, a NotFound is a 404:
    strangers learn nothing), else `success` (marked with N_) in `category`. `back` is the
    endpoint to go back to, given the route values it takes, and `anchor` after it.
    """

    rule: str
    endpoint: str
    doc: str
    use_case: Callable[..., object]
    success: str
    back: str
    form: tuple[Callable[[], object], ...] = ()
    category: str = "success"
    not_found: bool = False
    anchor: str = ""
    options: Callable[[], dict[str, Any]] = dict

    def view(self, **values: Any) -> Response:
        """Run the use case and go back (the view function of the route)."""
        inputs, options = self.form, self.options
        attempt(
            lambda: self.use_case(
                current_user,
                *values.values(),
                *(read() for read in inputs),
                now=now(),
                **options(),
            ),
            success=gettext(self.success),
            category=self.category,
            raise_not_found=self.not_found,
        )
        return redirect(back_to(self.back, values) + self.anchor)


def posted(name: str, limit: int | None = None) -> Callable[[], str]:
    """Reads form field `name` (its first `limit` characters; all with None)."""
    return lambda: request.form.get(name, "")[:limit]


def back_to(endpoint: str, values: dict[str, Any]) -> str:
    """The URL of `endpoint` with those of `values` its route takes."""
    takes = next(current_app.url_map.iter_rules(endpoint)).arguments
    return url_for(endpoint, **{name: value for name, value in values.items() if name in takes})


def add_actions(bp: Blueprint, *actions: PostAction) -> None:
    """Register each action as a POST route of `bp` for signed-in people."""
    for action in actions:
        view = login_required(action.view)
        view.__doc__ = action.doc
        bp.add_url_rule(action.rule, action.endpoint, view, methods=["POST"])


def download(
    body: str | bytes, mimetype: str, filename: str, *, private: bool = True
) -> flask.Response:
    """A file to save as `filename`; a private one (someone's records) no cache keeps."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if private:
        headers["Cache-Control"] = "private, no-store"
    return flask.Response(body, mimetype=mimetype, headers=headers)


Page = Callable[[FieldErrors, int], tuple[str, int]]


def act_on_page(
    use_case: Callable[[], R],
    page: Page,
    back: Callable[[R], str],
    success: str | Callable[[R], str] | None = None,
    category: str = "success",
    *,
    writer: bool | None = True,
) -> Response | tuple[str, int]:
    """Run a use case in its own unit of work, flash `success` and go to `back(result)`;
    a refusal shows `page` again with its errors, at the refusal's status."""
    try:
        with unit_of_work(writer=writer):
            result = use_case()
    except DomainError as error:
        return page(domain_errors(error), int(error.status))
    if success is not None:
        flash(success(result) if callable(success) else success, category)
    return redirect(back(result))


def form_on_page(
    schema: Schema, page: Page, use_case: Callable[[dict[str, Any]], R], **kwargs: Any
) -> Response | tuple[str, int]:
    """Parse the posted form with `schema` (its errors: `page` again, 422), then
    `act_on_page` with the data (the same keyword arguments)."""
    data, errors = parse_form(schema)
    if data is None:
        return page(errors, 422)
    return act_on_page(lambda: use_case(data), page, **kwargs)


def form_page(
    parse: Callable[[], tuple[T | None, FieldErrors]],
    save: Callable[[T], R],
    render: Callable[[FieldErrors], str],
    *,
    saved: str | Callable[[R], str] | None = None,
    then: Callable[[R], str] | None = None,
    refusal_errors: Callable[[DomainError], FieldErrors] = domain_errors,
    writer: bool | None = None,
) -> tuple[str, int] | Response:
    """A form's page. A GET renders it; a POST saves the parsed form (`save_form`), flashes
    `saved` and goes to `then(result)` (without `then`, shows the page again), or shows the
    page with the errors at 422."""
    errors: FieldErrors = {}
    if request.method == "POST":
        result, errors = save_form(parse(), save, refusal_errors, writer=writer)
        if result is not None:
            if saved is not None:
                flash(saved(result) if callable(saved) else saved, "success")
            if then is not None:
                return redirect(then(result))
    return render(errors), (422 if errors else 200)


def back_to_referrer(fallback: str) -> Response:
    """Go back to the page the reader came from on this site, else to `fallback`."""
    target = request.referrer or ""
    return redirect(target if target.startswith(request.host_url) else fallback)
