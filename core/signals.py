"""Collecting what the receivers of a signal return (after Indico's `values_from_signal`).

A lower layer that needs something only a higher one knows (the commissions a
deal owes its brokers, the panels of a listing page) sends a blinker signal and
collects the values its receivers return; it never imports the higher layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from blinker import NamedSignal


def values_from_signal(
    signal: NamedSignal, sender: Any = None, *, flatten: bool = False, **kwargs: Any
) -> list[Any]:
    """The non-None values returned by the receivers of `signal`, in connection order.

    With `flatten`, each receiver returns an iterable of values and the result is
    their concatenation.
    """
    values: list[Any] = []
    for _receiver, value in signal.send(sender, **kwargs):
        if value is None:
            continue
        if flatten:
            values.extend(value if isinstance(value, Iterable) else [value])
        else:
            values.append(value)
    return values


def merged_from_signal(signal: NamedSignal, sender: Any = None, **kwargs: Any) -> dict[str, Any]:
    """The dictionaries returned by the receivers of `signal`, merged into one."""
    merged: dict[str, Any] = {}
    for part in values_from_signal(signal, sender, **kwargs):
        merged.update(part)
    return merged
