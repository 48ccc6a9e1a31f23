"""`allowed_actions`: what the caller may do to a resource now, so an API client never guesses.

A resource's schema declares its actions and, for each, the check its service already
uses (`AllowedActions({"bid": can_bid, "withdraw": check_withdraw_allowed})`); the
field answers with the names whose check passes for the caller at this moment. The
check is the service's own rule, never a copy: a check passes when it returns anything
but False and raises no refusal (a `DomainError` or an HTTP error such as a 403).

Checks take `(caller, obj, now)`: the caller is the API's caller (a bearer token or the
browser session: `accounts.auth` registers how to find it), None when anonymous; an
anonymous caller may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask import has_request_context
from marshmallow import fields
from marshmallow.validate import OneOf
from werkzeug.exceptions import HTTPException

from core.clock import now as clock_now
from core.domain import DomainError

# (caller, the resource, now) -> False when refused; raising a refusal also means "no".
Check = Callable[[Any, Any, datetime], object]

_callers: list[Callable[[], Any]] = []


def set_caller(resolver: Callable[[], Any]) -> None:
    """Say how to find the current API caller (a user, or None when anonymous)."""
    _callers[:] = [resolver]


def current_caller() -> Any:
    """The API caller of the current request, None outside a request or when anonymous."""
    if not has_request_context() or not _callers:
        return None
    return _callers[0]()


def unless_refused(check: Callable[..., object], *args: Any, timed: bool = False) -> Check:
    """A service's check that refuses by raising, as a Check: called as
    `check(caller, obj, *args)` (and `now=` when `timed`); what it returns is no verdict."""

    def run(caller: Any, obj: Any, now: datetime) -> None:
        if timed:
            check(caller, obj, *args, now=now)
        else:
            check(caller, obj, *args)

    return run


def allowed_actions(
    caller: Any, obj: Any, actions: Mapping[str, Check], *, now: datetime
) -> list[str]:
    """The names of `actions` whose check passes for `caller` on `obj` at `now`, in order."""
    if caller is None:
        return []
    allowed = []
    for name, check in actions.items():
        try:
            verdict = check(caller, obj, now)
        except (DomainError, HTTPException):
            continue
        if verdict is not False:
            allowed.append(name)
    return allowed


class AllowedActions(fields.List):
    """A read-only field: the actions (of `actions`) the caller may perform on the object now.

    Documented in OpenAPI as an array whose items are one of the action names.
    """

    def __init__(self, actions: Mapping[str, Check], **kwargs: Any) -> None:
        self.actions = dict(actions)
        metadata = {
            "description": "The actions the caller may perform on this resource now.",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(
            fields.String(validate=OneOf(list(self.actions))),
            dump_only=True,
            metadata=metadata,
            **kwargs,
        )

    def serialize(
        self, attr: str, obj: Any, accessor: Callable[..., Any] | None = None, **kwargs: Any
    ) -> list[str]:
        """The allowed names for the current caller, whatever the object's attributes."""
        return allowed_actions(current_caller(), obj, self.actions, now=clock_now())
