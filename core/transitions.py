"""A record's life as a table: (state, action) → the state the action leads to.

Pure (no db, no Flask): a domain declares its table and how it refuses a move the table
does not hold: its own error class, code and message.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Generic, TypeVar

from core.domain import DomainError

State = TypeVar("State", bound=enum.Enum)
Action = TypeVar("Action", bound=enum.Enum)


class Transitions(Generic[State, Action]):
    """The moves of one kind of record.

    A move that is not in the table raises `refusal(message)`, with `code` when given; the
    message may name the record's `%(status)s` and the `%(action)s` refused.
    """

    def __init__(
        self,
        table: Mapping[tuple[State, Action], State],
        *,
        refusal: type[DomainError],
        message: str,
        code: str | None = None,
    ) -> None:
        self._table = dict(table)
        self._refusal = refusal
        self._message = message
        self._code = code

    def next(self, current: State, action: Action) -> State:
        """The state after `action`, or the domain's refusal."""
        try:
            return self._table[(current, action)]
        except KeyError:
            raise self._refusal(
                self._message, code=self._code, status=current.value, action=action.value
            ) from None

    def actions(self, state: State) -> list[Action]:
        """The actions that move a record on from `state`, in the table's order."""
        return [action for origin, action in self._table if origin == state]
