"""The `auctions` blueprint, shared by the auction pages and the deposit reviewers' pages.

`auctions.views` attaches the auction pages and imports `auctions.deposit_views`, which
attaches the deposit reviewers' routes; the shell registers it from `auctions.views`.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app

from payments import deposits

bp = Blueprint("auctions", __name__)


def receipts_folder() -> Path:
    """Where the receipts of deposits are stored."""
    return deposits.receipt_folder(current_app.config["UPLOAD_FOLDER"])
