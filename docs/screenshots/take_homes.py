"""Photograph each role's home over the demo market: docs/screenshots/home-<role>.png.

    CHROMIUM_PATH=/usr/bin/chromium .venv/bin/python docs/screenshots/take_homes.py

Builds the demo market (`flask demo load`) in a temporary database, serves it on a free
port and signs each demo person in through the Chinese sign-in form.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from marketplace import create_app  # noqa: E402
from marketplace.demo import loader  # noqa: E402

PEOPLE = {
    "seller": "seller@demo.market",
    "buyer": "buyer@demo.market",
    "broker": "broker@demo.market",
    "reviewer": "reviewer@demo.market",
    "admin": "admin@demo.market",
}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="homes-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'demo.db'}",
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    print(runner.invoke(args=["demo", "load", "--listings", "120"]).output.splitlines()[0])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    out = ROOT / "docs" / "screenshots"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        for role, email in PEOPLE.items():
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/signin")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", loader.PASSWORDS[email])
            page.click("form button[type=submit]")
            page.wait_for_url(f"{base}/home")
            page.screenshot(path=str(out / f"home-{role}.png"), full_page=True)
            print(role, page.url)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
