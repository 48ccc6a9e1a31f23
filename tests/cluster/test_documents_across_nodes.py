"""Evidence uploaded through node A is downloaded through node B: the nodes keep no
document on their own disks, only in the shared bucket (STORAGE_BACKEND=s3)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import requests

from tests import factories
from tests.cluster.conftest import Cluster

DOCUMENT = factories.PDF_BYTES + b"%% scanned certificate, page after page\n" * 8000  # ~300 kB


def _seed(cluster: Cluster) -> tuple[int, str, str]:
    """A draft listing; its owner's and a stranger's API tokens."""
    with cluster.database():
        now = datetime.now(UTC)
        owner, stranger = factories.seller(now), factories.seller(now)
        listing = factories.listing(owner, now)
        return (
            listing.id,
            factories.api_token(owner, "cluster-owner", now=now),
            factories.api_token(stranger, "cluster-stranger", now=now),
        )


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_evidence_uploaded_on_node_a_is_downloaded_on_node_b(cluster: Cluster) -> None:
    cluster.up()
    listing_id, owner, stranger = _seed(cluster)
    uploaded = requests.post(
        f"{cluster.a.base}/api/v1/listings/{listing_id}/evidence",
        data={"kind": "certificate"},
        files={"file": ("专利证书.pdf", DOCUMENT, "application/pdf")},
        headers={"Authorization": f"Bearer {owner}"},
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    evidence_id = uploaded.json()["id"]

    file_url = f"/api/v1/listings/{listing_id}/evidence/{evidence_id}/file?download=1"
    got = requests.get(
        cluster.b.base + file_url, headers={"Authorization": f"Bearer {owner}"}, timeout=30
    )
    assert got.status_code == 200, got.text
    assert hashlib.sha256(got.content).hexdigest() == hashlib.sha256(DOCUMENT).hexdigest()
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Cache-Control"] == "private, no-store"
    assert got.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "专利证书.pdf" in unquote(got.headers["Content-Disposition"])

    # The same authorisation on B as on A: a stranger learns nothing of the document.
    refused = requests.get(
        cluster.b.base + file_url, headers={"Authorization": f"Bearer {stranger}"}, timeout=30
    )
    assert refused.status_code == 404 and refused.content != DOCUMENT

    # Kept in the bucket (with its checksum), on neither node's disk.
    keys = [
        item["Key"]
        for page in cluster.s3.get_paginator("list_objects_v2").paginate(
            Bucket=cluster.bucket, Prefix="cluster/evidence/"
        )
        for item in page.get("Contents", [])
        if not item["Key"].endswith("/")
    ]
    heads = [cluster.s3.head_object(Bucket=cluster.bucket, Key=key) for key in keys]
    assert any(
        head["ContentLength"] == len(DOCUMENT)
        and head["Metadata"].get("sha256") == hashlib.sha256(DOCUMENT).hexdigest()
        for head in heads
    )
    for node in (cluster.a, cluster.b):
        assert _files_under(Path(node.env["UPLOAD_FOLDER"])) == []
