"""The Content-Security-Policy lets the site's own scripts run and nothing else.

Every other walk fails on a blocked script too (tests/e2e/conftest.py `new_page`); these
steps cover the pages whose scripts no other walk touches.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.e2e


def test_the_pages_own_scripts_run_under_the_policy(live_app: tuple[Flask, str], new_page) -> None:
    _, base = live_app
    page = new_page("en")
    page.goto(f"{base}/signup")
    expect(page.locator("#join-org")).to_be_hidden()
    page.get_by_label("Join a registered one").check()  # the page's inline script, with nonce
    expect(page.locator("#join-org")).to_be_visible()
    expect(page.locator("#create-org")).to_be_hidden()

    page.goto(f"{base}/search?q=battery")
    page.get_by_label("Sort by").select_option("newest")  # static/js/autosubmit.js
    expect(page).to_have_url(re.compile(r"sort=newest"))

    page.goto(f"{base}/needs")
    page.get_by_label("Sort by").select_option("newest")
    expect(page).to_have_url(re.compile(r"sort=newest"))


def test_a_script_without_the_nonce_is_blocked(
    live_app: tuple[Flask, str], browser: Browser
) -> None:
    _, base = live_app
    context = browser.new_context()
    try:
        page = context.new_page()
        blocked: list[str] = []
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{base}/")
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.appendChild(script);
            }"""
        )
        expect(page.locator("body")).to_be_visible()
        assert page.evaluate("() => window.injected === undefined")
        assert blocked, "the browser did not report the blocked script"
    finally:
        context.close()
