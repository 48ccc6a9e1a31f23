"""Benchmark of `flask files migrate`: 10,000 small documents from a folder into S3.

    S3_TEST_URL=$(devservices/s3.sh start) .venv/bin/python bench/files_migrate.py [--documents 10000]

Writes --documents small PDFs and PNGs (1-4 kB, spread over the five document areas)
into a temporary UPLOAD_FOLDER, creates a fresh bucket on the S3 server at S3_TEST_URL
(or --endpoint-url; key pair S3_TEST_ACCESS_KEY/S3_TEST_SECRET_KEY, devservices/s3.sh's
defaults) and runs the real command twice: the migration (every object copied and read
back) and a resumed run (every object found with the same checksum). Prints the time,
documents per second and the verified count of each; the bucket is removed afterwards.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from core.storage import LocalStore
from marketplace import create_app
from tests import s3 as s3_server

AREAS = ("evidence", "deals", "deposits", "payments", "brokers")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n"


def make_documents(folder: Path, count: int) -> int:
    rng = random.Random(2026)
    store = LocalStore(folder)
    total = 0
    for n in range(count):
        head, ext = (PDF, "pdf") if n % 4 else (PNG, "png")
        body = head + rng.randbytes(rng.randint(1024, 4096))
        store.put(
            f"{AREAS[n % len(AREAS)]}/{n:032x}.{ext}", io.BytesIO(body), content_type="", sha256=""
        )
        total += len(body)
    return total


def run(app, label: str, count: int) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["files", "migrate"])
    seconds = time.perf_counter() - started
    summary = result.output.strip().splitlines()[-1]
    verified = re.search(r"verified (\d+)", summary)
    print(f"{label:<10} {seconds:7.1f} s  {count / seconds:7.0f} documents/s  {summary}")
    if result.exit_code != 0 or verified is None or int(verified.group(1)) != count:
        sys.exit(f"{label}: not every document was verified (exit {result.exit_code})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--endpoint-url", default=os.environ.get("S3_TEST_URL", ""))
    args = parser.parse_args()
    if not args.endpoint_url:
        sys.exit("Set S3_TEST_URL (S3_TEST_URL=$(devservices/s3.sh start)) or pass --endpoint-url.")
    os.environ["S3_TEST_URL"] = args.endpoint_url
    with tempfile.TemporaryDirectory() as work, s3_server.bucket() as (_, bucket):
        uploads = Path(work) / "uploads"
        size = make_documents(uploads, args.documents)
        print(
            f"{args.documents} documents, {size / 1e6:.1f} MB, into s3://{bucket} at {args.endpoint_url}"
        )
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.db",
                "UPLOAD_FOLDER": str(uploads),
                **s3_server.app_config(bucket, S3_PREFIX="bench"),
            }
        )
        with s3_server.credentials():
            run(app, "migrate", args.documents)
            run(app, "resume", args.documents)


if __name__ == "__main__":
    main()
