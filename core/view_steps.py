"""Steps the HTML views share around a use case (Flask only, no domain import): the
signed-in person's own row or a 404, a step done and back, a refusal flashed or on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from core.domain import DomainError
from core.uow import unit_of_work

T = TypeVar("T")
R = TypeVar("R")


def own_or_404(row: T, is_own: Callable[[Any, T], bool]) -> T:
    """`row` when `is_own` says it is the signed-in person's; a 404 for anyone else
    (strangers learn nothing, not even that it exists)."""
    if not is_own(current_user, row):
        abort(404)
    return row


def done(use_case: Callable[[], R], message: Callable[[R], str], back: str) -> Response:
    """Run a use case in its own unit of work, flash what `message` says of its result
    and go `back`. A refusal is not caught: the application's error handlers answer it."""
    with unit_of_work():
        result = use_case()
    flash(message(result), "success")
    return redirect(back)


def refused(
    error: DomainError, back: str, on_form: Callable[[DomainError], T] | None = None
) -> T | Response:
    """A refused step: on the form again (`on_form`) when the refusal names a field,
    else flashed as an error on the way `back`."""
    if on_form is not None and error.field:
        return on_form(error)
    flash(error.text(gettext), "danger")
    return redirect(back)
