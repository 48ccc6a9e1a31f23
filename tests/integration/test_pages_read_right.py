"""Every page reads as people expect: no codes or English in Chinese, one way to write a time.

The pages are those of tests/page_walk.py: every GET page of the app, as every role of
the authorisation world, in Chinese and in English (walked once for both tests).

- Words: a Chinese page shows no message id left untranslated, no audit action code
  (`listing.create`), no raw value of the app's enums (`held`, `receipt_submitted`) and
  no unfilled `%(name)s` placeholder.
- Times: a page writes every date one way (2026年3月2日 / 2 Mar 2026), and every time of
  day in the market's zone with the zone named (09:30（北京时间）/ 09:30 (UTC+8)); a US or
  ISO date, or a time without its zone, fails.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import select

from accounts import services as accounts
from core.audit_labels import action_source
from core.audit_models import AuditEntry
from core.extensions import db
from tests.conftest import FrozenClock
from tests.page_walk import Page, walk

PACKAGES = (
    "core", "accounts", "notifications", "listings", "search", "deals", "payments",
    "auctions", "trading", "brokers", "valuation", "policies", "webhooks", "marketplace",
)  # fmt: skip
_MODULES = ("models", "rules", "need_rules", "cancellation_rules", "income_rules", "lockout_rules")
CATALOGUE = Path(__file__).parents[2] / "translations/zh_Hans_CN/LC_MESSAGES/messages.po"

_pages: list[Page] = []


@pytest.fixture
def pages(
    app: Flask,
    db_session: object,
    clock: FrozenClock,
    upload_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    queued_jobs: object,
) -> Iterator[list[Page]]:
    """The pages, walked by the first test that asks (the other reads the same texts)."""
    if not _pages:
        monkeypatch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        walked = walk(app, clock(), upload_folder)
        _pages.extend(walked)
        _pages_codes.update(db.session.scalars(select(AuditEntry.action).distinct()))
    yield _pages


_pages_codes: set[str] = set()


# --- words ------------------------------------------------------------------------------


def _enum_values() -> set[str]:
    """The values of every enum of the app's models and rules (`held`, `receipt_submitted`)."""
    for package in PACKAGES:
        for module in _MODULES:
            try:
                importlib.import_module(f"{package}.{module}")
            except ModuleNotFoundError:
                continue
    found: set[str] = set()
    stack: list[type] = [enum.Enum]
    while stack:
        kind = stack.pop()
        stack.extend(kind.__subclasses__())
        if kind.__module__.split(".")[0] in PACKAGES:
            found |= {m.value for m in kind if isinstance(m.value, str)}  # type: ignore[attr-defined]
    # A value a person would write the same way in any language is not a code.
    return {v for v in found if re.fullmatch(r"[a-z]+(_[a-z]+)*", v) and len(v) > 2}


def _translated_ids() -> set[str]:
    """English source strings that have Chinese (a text node equal to one is untranslated)."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    ids: set[str] = set()
    for message in catalogue:
        for msgid in message.id if isinstance(message.id, tuple | list) else (message.id,):
            text = str(msgid)
            if " " in text and re.search(r"[a-z]{3}", text) and "%(" not in text:
                ids.add(text)
    return ids


def _word_faults(page: Page, enum_values: set[str], msgids: set[str], codes: set[str]) -> list[str]:
    faults = [f"placeholder: {n!r}" for n in page.nodes if "%(" in n]
    if page.lang != "zh_CN":
        return faults
    faults += [f"untranslated: {n!r}" for n in page.nodes if n in msgids]
    prose = re.sub(r"\S+@\S+|https?://\S+", " ", page.text)  # e-mail addresses and links
    words = set(re.findall(r"[A-Za-z_]+(?:\.[a-z_]+)?", prose))
    faults += [f"action code: {w}" for w in sorted(words & codes)]
    faults += [f"enum value: {w}" for w in sorted(words & enum_values)]
    return faults


def test_chinese_pages_show_no_code_enum_value_placeholder_or_english_message(
    pages: list[Page],
) -> None:
    enum_values = _enum_values()
    assert {"held", "required", "receipt_submitted"} <= enum_values  # the check can see them
    codes = _pages_codes | {"listing.create", "deal.cancel"}
    unlabelled = sorted(code for code in _pages_codes if action_source(code) is None)
    assert not unlabelled, f"audit actions without a label in core/audit_labels.py: {unlabelled}"
    msgids = _translated_ids()
    faults = {
        page.where(): found
        for page in pages
        if (found := _word_faults(page, enum_values, msgids, codes))
    }
    assert len(pages) > 500, f"only {len(pages)} pages rendered: the walk lost its way"
    assert not faults, "\n".join(f"{where}: {found[:6]}" for where, found in sorted(faults.items()))


# --- times ------------------------------------------------------------------------------

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATES = {
    "zh": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    "en": re.compile(rf"\b\d{{1,2}} {_MONTH} \d{{4}}\b"),
    "iso": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "slashed": re.compile(r"\b\d{1,4}/\d{1,2}/\d{2,4}\b"),
    "us": re.compile(rf"\b{_MONTH} \d{{1,2}}, \d{{4}}\b"),
    "dotted": re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
}
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2})?(\s?[AP]M)?(?![\d:])")
_NAMED = {"zh_CN": "（北京时间）", "en": " (UTC+8)"}


def _time_faults(page: Page) -> list[str]:
    own = "zh" if page.lang == "zh_CN" else "en"
    faults = [
        f"{kind} date {match.group(0)!r}"
        for kind, pattern in _DATES.items()
        if kind != own
        for match in pattern.finditer(page.text)
    ]
    for node in page.nodes:
        for match in _TIME.finditer(node):
            after = node[match.end() : match.end() + len(_NAMED[page.lang])]
            if match.group(3) or after != _NAMED[page.lang]:
                faults.append(f"time without the market's zone: {node[:80]!r}")
    return faults


def test_pages_write_dates_one_way_and_times_in_the_named_market_zone(pages: list[Page]) -> None:
    faults = {page.where(): found for page in pages if (found := _time_faults(page))}
    times = sum(page.text.count("（北京时间）") + page.text.count(" (UTC+8)") for page in pages)
    assert times > 100, "the walk met almost no times: the check would prove nothing"
    assert not faults, "\n".join(f"{where}: {found[:4]}" for where, found in sorted(faults.items()))
