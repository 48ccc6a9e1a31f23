"""`flask files migrate`: the local documents into a real S3 server (S3_TEST_URL)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from core.storage import LocalStore, build_store
from tests import factories
from tests import s3 as s3_server


def test_migrate_copies_verifies_and_a_second_run_copies_nothing(
    app: Flask, tmp_path: Path
) -> None:
    uploads = tmp_path / "uploads"
    files = {f"evidence/{n:032x}.pdf": factories.PDF_BYTES + bytes([n]) for n in range(4)}
    files["deposits/" + "f" * 32 + ".pdf"] = factories.PDF_BYTES
    for key, data in files.items():
        (uploads / key).parent.mkdir(parents=True, exist_ok=True)
        (uploads / key).write_bytes(data)
    (uploads / "evidence" / ".half.pdf.part").write_bytes(b"%PDF")  # an upload cut short
    with s3_server.bucket() as (_, name):
        settings = {**s3_server.app_config(name, S3_PREFIX="docs"), "UPLOAD_FOLDER": str(uploads)}
        saved = {key: app.config.get(key) for key in settings}
        app.config.update(settings)
        try:
            with s3_server.credentials():
                runner = app.test_cli_runner()
                first = runner.invoke(args=["files", "migrate"])
                second = runner.invoke(args=["files", "migrate"])
                bucket = build_store(app.config)
        finally:
            app.config.update(saved)
        assert first.exit_code == 0, first.output
        assert "copied 5, already there 0, verified 5 of 5, failed 0" in first.output
        assert "copied 0, already there 5, verified 5 of 5, failed 0" in second.output
        assert sorted(bucket.keys()) == sorted(files)
        for key, data in files.items():
            with bucket.open(key) as body:
                assert body.read() == data
    assert sorted(LocalStore(uploads).keys()) == sorted(files)  # the local copies stay
