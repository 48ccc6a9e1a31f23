"""Templates hold no script the Content-Security-Policy would block."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_every_script_tag_carries_the_request_nonce() -> None:
    missing = [
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in _templates()
        for tag in re.findall(r"<script\b[^>]*>", path.read_text("utf-8"))
        if 'nonce="{{ csp_nonce() }}"' not in tag
    ]
    assert missing == []


def test_no_inline_event_handler_or_javascript_url() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in _templates()
        for match in re.finditer(
            r"\son[a-z]+\s*=|javascript:", path.read_text("utf-8"), flags=re.IGNORECASE
        )
    ]
    assert found == []
