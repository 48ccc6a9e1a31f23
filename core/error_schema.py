"""The one error body of the API, as documented in its OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

CODE_DOC = (
    "Stable, for programs (the message is for people). HTTP-level codes: bad_request, "
    "invalid_json (400); unauthorized (401); forbidden (403); not_found (404); "
    "method_not_allowed (405); conflict, idempotency_request_in_flight (409); "
    "precondition_failed (412); too_large (413); unsupported_media_type (415); invalid, "
    "idempotency_key_reused, invalid_idempotency_key (422); rate_limited (429); "
    "server_error (500). A refusal by the market's rules has its own code (e.g. "
    "bid_below_increment, seller_cannot_bid): see the table on /api/v1/docs."
)


class DomainErrorSchema(Schema):
    """An error: stable code, message in the request's language, field errors."""

    code = fields.String(required=True, metadata={"description": CODE_DOC})
    message = fields.String(
        required=True,
        metadata={"description": "In the request's language (Accept-Language: zh or en)."},
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={
            "description": "Messages by the field name the request used "
            "(`amount_minor`, `ip_assets.0.number`, `Idempotency-Key`); empty when "
            "no one field is at fault."
        },
    )
