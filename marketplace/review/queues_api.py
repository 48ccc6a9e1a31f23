"""The reviewers' queues as the API gives them (`GET /api/v1/review/`): each queue of the
`/review/` page with its count and the operation that lists its rows, from the page's own
builder (`marketplace.review.queues`)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext
from marshmallow import Schema, fields, validate

from accounts.auth import api_reader, token_api
from core.schema_out import out_fields
from marketplace.review import queues

blp = token_api("review_api", __name__, "The reviewers' queues (审核), as the review page shows them")  # fmt: skip

_KEYS = ["ownership", "bank_refunds", "announcements", "organisations"]


@out_fields(integers="count", strings="title items_url")
class WaitingQueueOutSchema(Schema):
    """A queue: how many rows wait in it, its heading in the request's language and the API
    operation that lists them (`items_url`)."""

    queue = fields.String(validate=validate.OneOf(_KEYS), metadata={"description": "ownership, bank_refunds, announcements or organisations"})  # fmt: skip


class WaitingQueuesOutSchema(Schema):
    """The review page's queues, in its order."""

    queues = fields.List(fields.Nested(WaitingQueueOutSchema))


@blp.read("/", WaitingQueuesOutSchema, (403, "Only the market's reviewers see the queues."))
def review_queues() -> dict[str, Any]:
    """What waits for the market's reviewers, as the review page counts it: listings whose
    ownership awaits a decision, bank refunds owed, auction announcements to publish and
    organisations to verify; each queue's rows are at its `items_url`."""
    waiting = queues.review_queues(api_reader()).queues()
    return {
        "queues": [
            {"queue": q.key, "title": gettext(q.title), "count": len(q.rows), "items_url": url_for(q.endpoint)}
            for q in waiting
        ]
    }  # fmt: skip
