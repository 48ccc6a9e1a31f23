"""Pure rules of the ownership hash chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainLink:
    """What a chain entry commits to, plus the hashes stored with it."""

    seq: int
    at: str
    actor_id: int | None
    action: str
    object_type: str
    object_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    prev_hash: str
    entry_hash: str = ""


def link_hash(link: ChainLink) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry's content."""
    content = {
        "seq": link.seq,
        "at": link.at,
        "actor_id": link.actor_id,
        "action": link.action,
        "object_type": link.object_type,
        "object_id": link.object_id,
        "before": link.before,
        "after": link.after,
        "reason": link.reason,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((link.prev_hash + canonical).encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where verification failed and why."""

    seq: int
    problem: str


def verify_chain(links: Iterable[ChainLink]) -> ChainBreak | None:
    """Walk the chain in order; return the first break, or None when it is intact."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return ChainBreak(link.seq, f"expected entry {expected_seq}, found {link.seq}")
        if link.prev_hash != expected_prev:
            return ChainBreak(link.seq, "previous hash does not match the entry before it")
        if link_hash(link) != link.entry_hash:
            return ChainBreak(link.seq, "content does not match its hash (altered)")
        expected_prev = link.entry_hash
        expected_seq += 1
    return None
