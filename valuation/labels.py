"""Words for what a valuation is for, in the reader's language (pages and the PDF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from valuation.rules import Purpose

PURPOSE = {
    Purpose.TRANSFER: _l("Transfer"),
    Purpose.LICENCE: _l("Licence"),
    Purpose.PLEDGE_LOAN: _l("Pledge loan (知识产权质押融资)"),
    Purpose.INVESTMENT: _l("Equity investment"),
    Purpose.OTHER: _l("Other"),
}


def purpose_label(kind: Purpose | str) -> str:
    """The purpose's words."""
    return str(PURPOSE.get(Purpose(kind), kind))
