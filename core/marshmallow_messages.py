"""marshmallow's built-in error messages, listed so that pybabel extracts them.

marshmallow (4.x) raises these English texts; `core.forms` and the API pass
every error message through gettext, so a translation in translations/*/messages.po
is shown instead. Only messages that reach us unchanged can be matched: templates
with placeholders ("Must be one of: {choices}.", "Length must be between {min} and
{max}.", "Must be greater than or equal to {min}.", "Longer than maximum length
{max}." ...) are formatted by marshmallow first; give such validators an explicit
`error=N_(...)` in the schema instead.
"""

from __future__ import annotations

from typing import Any

from core.domain import N_

MARSHMALLOW_MESSAGES: tuple[str, ...] = (
    # marshmallow.fields.Field
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    # Nested, List, Tuple, Mapping/Dict
    N_("Invalid type."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid mapping type."),
    # String, UUID
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid UUID."),
    # Number, Integer, Float, Decimal, Boolean
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Not a valid integer."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    # DateTime, NaiveDateTime, AwareDateTime, Time, Date, TimeDelta
    # ("Not a valid {obj_type}." with a fixed obj_type per field class)
    N_("Not a valid datetime."),
    N_("Not a valid naive datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid time."),
    N_("Not a valid date."),
    N_("Not a valid period of time."),
    # Url, Email, IP addresses and interfaces
    N_("Not a valid URL."),
    N_("Not a valid email address."),
    N_("Not a valid IP address."),
    N_("Not a valid IPv4 address."),
    N_("Not a valid IPv6 address."),
    N_("Not a valid IP interface."),
    N_("Not a valid IPv4 interface."),
    N_("Not a valid IPv6 interface."),
    # marshmallow.validate (Regexp, Predicate, NoneOf defaults without placeholders)
    N_("String does not match expected pattern."),
    N_("Invalid input."),
    # marshmallow.Schema
    N_("Invalid input type."),
    N_("Unknown field."),
)

# The error_messages of a required field in our schemas: one wording everywhere.
# (Typed as marshmallow's parameter is, so mypy accepts it for every field class.)
REQUIRED: dict[str, str | list[Any] | dict[Any, Any]] = {"required": N_("This field is required.")}
