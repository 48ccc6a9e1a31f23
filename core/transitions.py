"""A record's life as a table: (state, action) → the state the action leads to.

Pure (no db, no Flask): a domain declares its table and the refusal it raises for a
move the table does not hold, with its own code and message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from core.domain import DomainError

State = TypeVar("State")
Action = TypeVar("Action")


class Transitions(Generic[State, Action]):
    """The moves of one kind of record; `refused(current, action)` builds the error for a
    move that is not in the table."""

    def __init__(
        self,
        table: Mapping[tuple[State, Action], State],
        refused: Callable[[State, Action], DomainError],
    ) -> None:
        self._table = dict(table)
        self._refused = refused

    def next(self, current: State, action: Action) -> State:
        """The state after `action`, or the domain's refusal."""
        try:
            return self._table[(current, action)]
        except KeyError:
            raise self._refused(current, action) from None

    def actions(self, state: State) -> list[Action]:
        """The actions that move a record on from `state`, in the table's order."""
        return [action for origin, action in self._table if origin == state]
