"""Documents in an S3-compatible bucket (AWS S3, MinIO, Ceph, SeaweedFS, S3Proxy…)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from botocore.handlers import add_expect_header

from core.storage.backends import ObjectInfo

# Uploads above 8 MiB go up in 8 MiB parts (multipart), read from the spooled file.
TRANSFER = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024)
_MISSING = {"404", "NoSuchKey", "NotFound"}


def make_client(
    *,
    endpoint_url: str | None,
    region: str | None,
    timeout: float | None = None,
) -> Any:
    """A boto3 S3 client; credentials come from boto3's chain (environment, profile, role).

    Patient by default (jobs, commands: 5 s to connect, 30 s for an answer, 3 attempts).
    With `timeout` (a request's budget, core.storage.guard) every wait is bounded by it
    and there is one attempt, without `Expect: 100-continue` (whose wait for the server's
    go-ahead would come on top).
    """
    config = BotoConfig(
        # botocore's default CRC checksum headers are refused by several S3-compatible
        # servers; send them only where the operation requires one.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": "path"} if endpoint_url else {},
        signature_version="s3v4",  # presigned URLs too (botocore signs them v2 elsewhere)
        retries={"total_max_attempts": 1 if timeout else 3, "mode": "standard"},
        connect_timeout=timeout or 5,
        read_timeout=timeout or 30,
        max_pool_connections=16,
    )
    client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)
    if timeout:
        client.meta.events.unregister("before-call.s3", add_expect_header)
    return client


def _remaining(body: IO[bytes]) -> int | None:
    """How many bytes are left to read in `body`, where it can tell (a file, a spool)."""
    if not body.seekable():
        return None
    here = body.tell()
    end = body.seek(0, 2)
    body.seek(here)
    return end - here


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING


class S3Store:
    """Objects under `prefix` in `bucket`; the SHA-256 of each is kept in its metadata."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        prefix: str = "",
        encrypt: bool = True,
        presigned_seconds: int = 60,
        redirect: bool = False,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.encrypt = encrypt
        self.presigned_seconds = presigned_seconds
        self.redirect = redirect

    def _name(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, body: IO[bytes], *, content_type: str, sha256: str) -> None:
        extra: dict[str, Any] = {"ContentType": content_type, "Metadata": {"sha256": sha256}}
        if self.encrypt:
            extra["ServerSideEncryption"] = "AES256"
        size = _remaining(body)
        if size is not None and size < TRANSFER.multipart_threshold:
            # one request; upload_fileobj would start a transfer manager and its threads
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=body, **extra)
        else:
            self.client.upload_fileobj(
                body, self.bucket, self._name(key), ExtraArgs=extra, Config=TRANSFER
            )

    def open(self, key: str) -> IO[bytes]:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from error
            raise
        return answer["Body"]

    def info(self, key: str) -> ObjectInfo | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return ObjectInfo(key, int(head["ContentLength"]), head.get("Metadata", {}).get("sha256"))

    def check(self) -> None:
        """Raise unless the bucket answers (a health probe)."""
        self.client.head_bucket(Bucket=self.bucket)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                if not item["Key"].endswith("/"):  # a folder marker, never a document
                    yield item["Key"][len(self.prefix) :]

    def download_url(self, key: str, *, content_type: str, disposition: str) -> str | None:
        if not self.redirect:
            return None
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self._name(key),
                    "ResponseContentType": content_type,
                    "ResponseContentDisposition": disposition,
                    "ResponseCacheControl": "private, no-store",
                },
                ExpiresIn=self.presigned_seconds,
            )
        )
