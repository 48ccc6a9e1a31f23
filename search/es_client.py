"""The Elasticsearch client: how it is made, its failures as SearchUnavailable, budgets."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, UnsupportedProductError
from elasticsearch.helpers import BulkIndexError

from core.breaker import remaining
from search.backend import SearchUnavailable

MIN_REQUEST_SECONDS = 0.005


def make_client(
    urls: Sequence[str],
    *,
    api_key: str | None = None,
    basic_auth: tuple[str, str] | None = None,
    ca_certs: str | None = None,
    request_timeout: float = 5.0,
    max_retries: int = 1,
) -> Elasticsearch:
    """A client for one or several nodes (ELASTICSEARCH_URL), with API key or basic auth.

    A refused connection is retried once on another node by default; a timeout is not
    (a hung node would cost it twice): the caller falls back (SearchUnavailable).
    """
    options: dict[str, Any] = {
        "request_timeout": request_timeout,
        "max_retries": max_retries,
        "retry_on_timeout": False,
    }
    if api_key:
        options["api_key"] = api_key
    if basic_auth:
        options["basic_auth"] = basic_auth
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(list(urls), **options)


@contextmanager
def unavailable_on_failure(action: str) -> Iterator[None]:
    """Turn transport failures, 5xx, 429 and bulk failures into SearchUnavailable."""
    try:
        yield
    except SearchUnavailable:
        raise
    except (TransportError, UnsupportedProductError) as error:
        raise SearchUnavailable(f"Elasticsearch {action}: {error}") from error
    except BulkIndexError as error:
        raise SearchUnavailable(
            f"Elasticsearch {action}: {len(error.errors)} documents failed: {error.errors[:3]}"
        ) from error
    except ApiError as error:
        if error.status_code >= 500 or error.status_code in (408, 429):
            raise SearchUnavailable(f"Elasticsearch {action}: {error}") from error
        raise


def budgeted(client: Elasticsearch) -> Elasticsearch:
    """`client` for a query within the current budget (core.breaker.within), if any, and
    then without retries; SearchUnavailable once the budget is spent."""
    left = remaining()
    if left is None:
        return client
    if left < MIN_REQUEST_SECONDS:
        raise SearchUnavailable("Elasticsearch: the request's time budget is spent")
    return client.options(request_timeout=left, max_retries=0)
