"""Search with Elasticsearch frozen: how long the search page and the API take.

A relay (tests/faults/relay.py) in front of ELASTICSEARCH_URL accepts and never
answers, as a node stopped with SIGSTOP. Prints each request's time.

    python bench/hung_search.py [requests]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(requests: int = 5) -> None:
    from flask_migrate import upgrade

    from config import Config
    from marketplace import create_app
    from search import EXTENSION_KEY
    from search.elasticsearch import ElasticsearchBackend, make_client
    from tests.faults.relay import NodeRelay

    work = Path(tempfile.mkdtemp(prefix="hung-search-"))
    relay = NodeRelay(os.environ["ELASTICSEARCH_URL"].split(",")[0], default_port=9200)
    relay.up()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'db.sqlite'}",
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": relay.url,
            "JOBS_IMMEDIATE": True,
            # production's budgets (the testing settings give busy CI machines more)
            "SEARCH_BUDGET_PAGE_MS": Config.SEARCH_BUDGET_PAGE_MS,
            "SEARCH_BUDGET_API_MS": Config.SEARCH_BUDGET_API_MS,
        }
    )
    with app.app_context():
        upgrade()
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend(
        make_client([relay.url]), alias=f"bench-hung-{uuid.uuid4().hex[:8]}"
    )
    client = app.test_client()
    client.get("/search", query_string={"q": "电池"})  # warm
    relay.hang()
    for path in ("/search", "/api/v1/listings/"):
        for _ in range(requests):
            started = time.perf_counter()
            status = client.get(path, query_string={"q": "电池"}).status_code
            print(f"{path:20} {status} {time.perf_counter() - started:7.3f} s", flush=True)
    relay.heal()
    relay.down()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
