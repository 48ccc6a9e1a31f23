"""Every HTML page of the app, as each role sees it, in Chinese and in English.

The world of the authorisation matrix (tests/authorisation_world.py) is built once; each
GET route but the API, files and feeds is then requested by every role in both languages,
and the visible text of each page that rendered (2xx, HTML) is kept for the checks of
tests/integration/test_pages_read_right.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from flask import Flask

from accounts.models import User
from accounts.signup_checks import TERMS_VERSION
from core.extensions import db
from core.uow import unit_of_work
from tests.authorisation_matrix import Case, Visitors, cases, url_of
from tests.authorisation_world import ROLES, World, build
from tests.authorisation_world_api import extend

# Chinese as every role; English as every role but the two that read as another does
# (an unrelated enterprise reads as the buyer, the admin as the reviewer): the walk is
# the test file's cost, and the English pages share the Chinese pages' templates.
ROLES_BY_LANGUAGE = {
    "zh_CN": ROLES,
    "en": tuple(role for role in ROLES if role not in ("other", "admin")),
}
# Not pages a person reads as text: the API (and its docs, whose examples are ISO dates
# for programs), static files, the language switch.
_SKIPPED_PREFIXES = ("/api/", "/static/", "/lang/")
EARLIER_TERMS = "2026-12"  # the version of the first sign-ups (accounts.terms.TERMS_CHANGES)


@dataclass(frozen=True)
class Page:
    """One page as one role read it in one language."""

    url: str
    role: str
    lang: str
    nodes: tuple[str, ...]  # the visible text nodes, stripped, outside <code>/<pre>
    html: str

    @property
    def text(self) -> str:
        return "\n".join(self.nodes)

    def where(self) -> str:
        return f"{self.url} as {self.role} ({self.lang})"


_HIDDEN = re.compile(r"<(script|style|code|pre|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def visible_nodes(html: str) -> tuple[str, ...]:
    """The text a reader sees, node by node: not in <script>, <style>, <code>, <pre>."""
    shown = _HIDDEN.sub("<>", html)
    nodes = (re.sub(r"\s+", " ", unescape(part)).strip() for part in _TAG.split(shown))
    return tuple(node for node in nodes if node)


def _is_page(case: Case) -> bool:
    """A GET of HTML: not the API, nor a file (`.pdf`, `.csv`), a feed or an event stream."""
    path = case.rule.rule
    last = path.rsplit("/", 1)[-1]
    return (
        case.method == "GET"
        and not path.startswith(_SKIPPED_PREFIXES)
        and "." not in last
        and not path.endswith("/events")
    )


def _page_cases(app: Flask) -> list[Case]:
    return [case for case in cases(app) if _is_page(case)]


def walk(app: Flask, now: object, upload_folder: Path) -> list[Page]:
    """Build the world and read every page as every role in both languages."""
    world = extend(build(now, upload_folder), now, upload_folder)  # type: ignore[arg-type]
    visitors = Visitors(app, world, now)

    pages: list[Page] = []
    for lang, roles in ROLES_BY_LANGUAGE.items():
        for role in roles:
            with visitors.browsers[role].session_transaction() as session:
                session["lang"] = lang
        for case in _page_cases(app):
            try:
                url = url_of(case, world)
            except LookupError:
                continue  # the authorisation matrix reports a route the world cannot fill
            for role in roles:
                with app.app_context():
                    response = visitors.browsers[role].get(url)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                html = response.get_data(as_text=True)
                pages.append(Page(url, role, lang, visible_nodes(html), html))
    return pages + _accept_terms_pages(app, visitors, world)


def _accept_terms_pages(app: Flask, visitors: Visitors, world: World) -> list[Page]:
    """The page asking to accept new terms, which everyone of the world (on the current
    terms) is sent past: as the seller would read it after accepting an earlier version."""
    seller = world.users["seller"]
    assert seller is not None
    pages: list[Page] = []
    with app.app_context():
        _set_terms(seller.id, EARLIER_TERMS)
        try:
            for lang in ROLES_BY_LANGUAGE:
                browser = visitors.browsers["seller"]
                with browser.session_transaction() as session:
                    session["lang"] = lang
                response = browser.get("/terms/accept")
                assert response.status_code == 200, response.status_code
                html = response.get_data(as_text=True)
                pages.append(Page("/terms/accept", "seller", lang, visible_nodes(html), html))
        finally:
            _set_terms(seller.id, TERMS_VERSION)
    return pages


def _set_terms(user_id: int, version: str) -> None:
    with unit_of_work():
        user = db.session.get(User, user_id)
        assert user is not None
        user.terms_version = version
