"""Input of the account forms and API."""

from __future__ import annotations

from flask_babel import gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from accounts import documents, services, signup_checks
from accounts.models import Organisation, OrganisationKind, TokenScope
from accounts.tokens import DEFAULT_DAYS
from core.domain import N_
from core.marshmallow_messages import REQUIRED
from core.schema_kit import InputSchema, StoredFileOutSchema, download_url
from core.schema_out import out_fields, page_of
from core.service_kit import Upload


class SignUpSchema(Schema):
    """A person, and the organisation they register or ask to join."""

    email = fields.Email(
        required=True, error_messages={**REQUIRED, "invalid": N_("Not a valid email address.")}
    )
    name = fields.String(required=True, validate=validate.Length(1, 100), error_messages=REQUIRED)
    password = fields.String(required=True, error_messages=REQUIRED)
    organisation_mode = fields.String(
        load_default="create", validate=validate.OneOf(["create", "join"])
    )
    org_name = fields.String(load_default="")
    org_name_en = fields.String(load_default="")
    kind = fields.String(
        load_default=OrganisationKind.UNIVERSITY.value,
        validate=validate.OneOf(
            [k.value for k in OrganisationKind if k != OrganisationKind.OPERATOR]
        ),
    )
    credit_code = fields.String(load_default="")
    # Abroad: ISO 3166 country and the national registration number instead of a credit code.
    country = fields.String(
        load_default="CN",
        validate=validate.Regexp(
            r"^[A-Za-z]{2}$",
            error=N_(
                "Choose the country of registration (a Chinese organisation gives its credit code)."
            ),
        ),
    )
    registration_number = fields.String(load_default="", validate=validate.Length(max=40))
    region = fields.String(load_default="")
    join_credit_code = fields.String(load_default="")
    consent = fields.String(load_default="")  # the version of the terms accepted
    asks_consent = True  # the form's checkbox; the API records a consent sent, if any

    @validates_schema(skip_on_field_errors=False)
    def _whole_form(self, data: dict, **_: object) -> None:
        """Every field's problem at once: what is missing, and what the rules refuse."""
        joining = data.get("organisation_mode") == "join"
        abroad = not joining and data.get("country", "CN").upper() != "CN"
        identity = ("org_name_en", "registration_number") if abroad else ("credit_code",)
        needed = ("join_credit_code",) if joining else ("org_name", *identity, "region")
        errors = {f: [N_("This field is required.")] for f in needed if not data[f].strip()}
        checks_code = not (joining or abroad or "credit_code" in errors)
        credit_code = data["credit_code"] if checks_code else None
        join_code = (
            data["join_credit_code"] if joining and "join_credit_code" not in errors else None
        )
        problems = signup_checks.rule_problems(data.get("password", ""), credit_code, join_code)
        if abroad and "registration_number" not in errors:
            problems += signup_checks.foreign_problems(data["country"], data["registration_number"])
        if "password" not in data:
            problems = [p for p in problems if p.field != "password"]
        if self.asks_consent:
            problems += signup_checks.consent_problems(data["consent"] or None)
        for field, messages in signup_checks.field_errors(problems, gettext).items():
            errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)


def sign_up_input(data: dict, locale: str, licence: Upload | None = None) -> services.SignUp:
    """A loaded SignUpSchema as the sign-up use case's input; `locale` is the request's."""
    organisation = None
    if data["organisation_mode"] == "create":
        organisation = services.NewOrganisation(
            name=data["org_name"],
            name_en=data["org_name_en"],
            kind=OrganisationKind(data["kind"]),
            credit_code=data["credit_code"],
            region=data["region"],
            licence=licence,
            country=data["country"].upper(),
            registration_number=data["registration_number"],
        )
    return services.SignUp(
        email=data["email"],
        name=data["name"],
        password=data["password"],
        organisation=organisation,
        join_credit_code=data["join_credit_code"] if data["organisation_mode"] == "join" else None,
        locale=_language(data, locale),
        terms_version=data.get("consent") or None,
    )


def _language(data: dict, locale: str) -> str:
    """English for a reader in English and for an organisation registered abroad (its
    people may switch later); Chinese otherwise (Babel says zh_Hans_CN)."""
    abroad = data["organisation_mode"] == "create" and data["country"].upper() != "CN"
    return "en" if locale.startswith("en") or abroad else "zh_CN"


class SignInSchema(Schema):
    """Email and password."""

    email = fields.String(required=True, error_messages=REQUIRED)
    password = fields.String(required=True, error_messages=REQUIRED)
    next = fields.String(load_default="")


class PasswordChangeSchema(Schema):
    """The current password, and the new one."""

    current_password = fields.String(required=True, error_messages=REQUIRED)
    password = fields.String(required=True, error_messages=REQUIRED)


class ReasonSchema(Schema):
    """A decision's reason."""

    reason = fields.String(load_default="")


_CREDS = "Only without a bearer token: the first token is issued for these credentials."


class DecisionReasonSchema(InputSchema):
    """A decision's reason (API): required to refuse, an optional note otherwise."""

    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class TokenInSchema(InputSchema):
    """A personal API token to issue: a name, read or write, and days until it expires."""

    name = fields.String(load_default="", validate=validate.Length(max=100))
    scope = fields.String(
        load_default=TokenScope.WRITE.value,
        validate=validate.OneOf([s.value for s in TokenScope]),
        metadata={"description": "read: GET only; write: every method"},
    )
    days = fields.Integer(
        load_default=DEFAULT_DAYS,
        metadata={"description": "Days until it expires: 1 to API_TOKEN_MAX_DAYS (365)"},
    )


class TokenRequestSchema(TokenInSchema):
    """A token to issue; without a bearer token, the email and password of its owner."""

    email = fields.String(
        load_default=None, validate=validate.Length(max=254), metadata={"description": _CREDS}
    )
    password = fields.String(
        load_default=None, validate=validate.Length(max=200), metadata={"description": _CREDS}
    )


@out_fields(integers="id", strings="name scope", datetimes="created_at expires_at last_used_at? revoked_at?")  # fmt: skip
class TokenOutSchema(Schema):
    """A personal API token as its owner sees it (never its secret, which only issue shows)."""

    state = fields.String(metadata={"description": "active, expired or revoked"})


class TokenIssuedSchema(TokenOutSchema):
    """A token just issued, with its secret: shown this once, never stored."""

    secret = fields.String()


TokenPageSchema = page_of(
    TokenOutSchema, "The caller's tokens, newest first.", name="TokenPageSchema"
)


class OrganisationDocumentOutSchema(StoredFileOutSchema):
    """A document the organisation gave (its business licence, or registration abroad)."""

    file_url = download_url("organisations_api.document_file", "document_id")


@out_fields(integers="id", strings="name name_en? region rejection_reason?", datetimes="created_at verified_at?")  # fmt: skip
class OrganisationOutSchema(Schema):
    """An organisation and its verification."""

    kind = fields.String(attribute="kind.value")
    credit_code = fields.String(
        allow_none=True, metadata={"description": "Unified social credit code; null abroad"}
    )
    country = fields.String(metadata={"description": "ISO 3166 country of registration"})
    registration_number = fields.String(
        allow_none=True, metadata={"description": "National registration number abroad"}
    )
    status = fields.String(
        attribute="status.value", metadata={"enum": ["pending", "verified", "rejected"]}
    )
    documents = fields.Method(
        "_documents", metadata={"type": "array", "items": {"type": "object"}, "description": "the documents it gave at sign-up, each with its `file_url`"}
    )  # fmt: skip

    def _documents(self, organisation: Organisation) -> list[dict[str, object]]:
        found = documents.documents_of(organisation.id)
        return OrganisationDocumentOutSchema(many=True).dump(found)


@out_fields(integers="id organisation_id?", strings="email name", booleans="membership_approved")
class UserOutSchema(Schema):
    """A person of the market as the API shows them to themselves and their organisation."""

    org_role = fields.String(attribute="org_role.value")


class CallerOutSchema(UserOutSchema):
    """The caller: their account, roles and organisation."""

    reviewer = fields.Boolean(attribute="can_review")
    locale = fields.String()
    organisation = fields.Nested(OrganisationOutSchema, allow_none=True)


class SignUpInSchema(SignUpSchema, InputSchema):
    """A sign-up by API: the person, and the organisation they register (`organisation_mode`
    create) or ask to join (join, with `join_credit_code`); `consent`, the version of the
    terms and privacy notice the person accepted, is recorded when sent."""

    asks_consent = False


class MembersOutSchema(Schema):
    """The members of the caller's organisation; those waiting to join (its admin only)."""

    members = fields.List(fields.Nested(UserOutSchema))
    pending = fields.List(fields.Nested(UserOutSchema))


class PingSchema(Schema):
    """Who the bearer token (or session) speaks for: a check that costs nothing else."""

    user_id = fields.Integer()
