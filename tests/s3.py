"""The test S3 server (S3Proxy, devservices/s3.sh) at S3_TEST_URL: buckets and stores.

`make test` starts it and sets S3_TEST_URL. Without it the S3 tests are skipped with
the reason, except under CI=true, where a missing server fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from core.storage.s3 import S3Store, make_client

ACCESS_KEY = os.environ.get("S3_TEST_ACCESS_KEY", "devservices")
SECRET_KEY = os.environ.get("S3_TEST_SECRET_KEY", "devservices-secret")


def endpoint() -> str:
    """S3_TEST_URL, or skip (fail under CI=true)."""
    url = os.environ.get("S3_TEST_URL", "").strip()
    if not url:
        reason = "S3_TEST_URL is not set: run `devservices/s3.sh start` and export its URL"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the S3 tests must run)")
        pytest.skip(reason)
    return url


@contextmanager
def credentials() -> Iterator[None]:
    """The test server's key pair in the environment, where boto3's chain finds it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        patch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        patch.delenv("AWS_SESSION_TOKEN", raising=False)
        patch.delenv("AWS_PROFILE", raising=False)
        yield


@contextmanager
def bucket() -> Iterator[tuple[Any, str]]:
    """A new bucket on the test server (emptied and removed afterwards) and a client."""
    url = endpoint()
    with credentials():
        client = make_client(endpoint_url=url, region="us-east-1")
        name = f"test-docs-{secrets.token_hex(6)}"
        client.create_bucket(Bucket=name)
        try:
            yield client, name
        finally:
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
                for item in page.get("Contents", []):
                    # S3Proxy lists its folders as "x/" keys; they go with their last file
                    if not item["Key"].endswith("/"):
                        client.delete_object(Bucket=name, Key=item["Key"])
            client.delete_bucket(Bucket=name)


def store(client: Any, name: str, **options: Any) -> S3Store:
    """A store in the bucket under its own prefix (the test server refuses SSE headers)."""
    return S3Store(client, name, prefix=f"p-{secrets.token_hex(4)}", encrypt=False, **options)


def app_config(name: str, **more: Any) -> dict[str, Any]:
    """The settings that point the app at the bucket."""
    return {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": endpoint(),
        "S3_REGION": "us-east-1",
        "S3_SERVER_SIDE_ENCRYPTION": False,
        "S3_DOWNLOADS": "stream",
        **more,
    }
