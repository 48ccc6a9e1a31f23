"""Pure building blocks shared by every domain: errors with stable codes, money."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a message for translation in a context (shown with `pgettext(context, …)`): the
    same English word may need other Chinese ones ("Submitted" as a state, 已提交, and as a
    column of times, 提交时间)."""
    return message


def message_text(
    message: str, params: dict[str, Any], translate: Callable[[str], str] = lambda s: s
) -> str:
    """A message marked for translation (N_), in the reader's language, with its parameters."""
    template = translate(message)
    return template % params if params else template


class DomainError(Exception):
    """A rule refused an action. `code` is stable; `message` is shown to the user."""

    code = "domain_error"
    status = HTTPStatus.CONFLICT

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, **params: Any
    ) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        if code:
            self.code = code
        self.field = field

    def to_dict(self, translate: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
        """The API body: stable code, translated message, field errors when a field is at fault."""
        text = self.text(translate)
        return {
            "code": self.code,
            "message": text,
            "errors": {self.field: [text]} if self.field else {},
        }

    def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """The message in the reader's language, with its parameters filled in."""
        return message_text(self.message, self.params, translate)


class ValidationFailed(DomainError):
    """Input that cannot be accepted as it is (422)."""

    code = "invalid"
    status = HTTPStatus.UNPROCESSABLE_ENTITY


class PermissionDenied(DomainError):
    """The actor may not do this to this object (403)."""

    code = "forbidden"
    status = HTTPStatus.FORBIDDEN


class NotFound(DomainError):
    """The object does not exist, or the actor may not know it does (404)."""

    code = "not_found"
    status = HTTPStatus.NOT_FOUND
