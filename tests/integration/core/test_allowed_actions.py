"""`allowed_actions` names what the caller may do now, by the services' own checks."""

from __future__ import annotations

from typing import Any

from flask import Flask
from marshmallow import Schema, fields

from core import api_actions
from core.api_actions import AllowedActions
from core.domain import DomainError, PermissionDenied


def _owner_only(caller: Any, obj: dict[str, Any], now: Any) -> None:
    if caller != obj["owner"]:
        raise PermissionDenied("Only the owner may do this.")


def _while_open(caller: Any, obj: dict[str, Any], now: Any) -> bool:
    return bool(obj["open"])


def _never(caller: Any, obj: dict[str, Any], now: Any) -> None:
    raise DomainError("Closed.")


class _ThingSchema(Schema):
    id = fields.Integer()
    allowed_actions = AllowedActions({"edit": _owner_only, "bid": _while_open, "reopen": _never})


def _dump(app: Flask, caller: Any, thing: dict[str, Any]) -> list[str]:
    saved = list(api_actions._callers)
    api_actions.set_caller(lambda: caller)
    try:
        with app.test_request_context("/api/v1/things/1"):
            return list(_ThingSchema().dump(thing)["allowed_actions"])
    finally:
        api_actions._callers[:] = saved


def test_the_caller_sees_only_the_actions_whose_checks_pass(app: Flask) -> None:
    thing = {"id": 1, "owner": "ann", "open": True}
    assert _dump(app, "ann", thing) == ["edit", "bid"]
    assert _dump(app, "bob", thing) == ["bid"]
    assert _dump(app, "bob", {**thing, "open": False}) == []


def test_an_anonymous_caller_may_do_nothing(app: Flask) -> None:
    assert _dump(app, None, {"id": 1, "owner": "ann", "open": True}) == []


def test_the_field_is_documented_as_a_list_of_the_action_names(app: Flask) -> None:
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Thing", schema=_ThingSchema)
    prop = spec.to_dict()["components"]["schemas"]["Thing"]["properties"]["allowed_actions"]
    assert prop["readOnly"] is True
    assert prop["items"]["enum"] == ["edit", "bid", "reopen"]


def test_a_service_check_counts_by_its_refusals_not_by_what_it_returns() -> None:
    """`unless_refused`: a check that answers False (e.g. "not as the broker") still allows;
    its extra arguments and, when timed, the moment reach it."""
    seen: list[tuple[Any, ...]] = []

    def check(caller: Any, obj: Any, action: str, *, now: Any = None) -> bool:
        seen.append((caller, obj, action, now))
        if action == "refuse":
            raise PermissionDenied("No.")
        return False

    at = object()
    allowed = {"a": api_actions.unless_refused(check, "ok", timed=True),
               "b": api_actions.unless_refused(check, "refuse")}  # fmt: skip
    assert api_actions.allowed_actions("ann", "thing", allowed, now=at) == ["a"]  # type: ignore[arg-type]
    assert seen == [("ann", "thing", "ok", at), ("ann", "thing", "refuse", None)]
