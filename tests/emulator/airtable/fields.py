"""Field values checked by type as Airtable checks them, and records answered as it
answers them: an empty field is absent, a computed field cannot be written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.emulator.airtable.limits import ApiError, invalid

Json = dict[str, Any]
LONGEST_TEXT = 100_000  # characters of a long text field, Airtable's most
TEXT = frozenset({"singleLineText", "multilineText", "email", "url", "phoneNumber", "richText"})
NUMBERS = frozenset({"number", "currency", "percent", "duration", "rating"})
COMPUTED = frozenset(
    {
        "formula",
        "rollup",
        "count",
        "multipleLookupValues",
        "createdTime",
        "autoNumber",
        "lastModifiedTime",
        "createdBy",
        "lastModifiedBy",
        "button",
    }
)
PRIMARY = frozenset(
    {
        *TEXT,
        "number",
        "currency",
        "percent",
        "date",
        "dateTime",
        "formula",
        "autoNumber",
        "duration",
    }
)
KNOWN = frozenset(
    {
        *TEXT,
        *NUMBERS,
        *COMPUTED,
        "date",
        "dateTime",
        "checkbox",
        "singleSelect",
        "multipleSelects",
        "multipleRecordLinks",
    }
)


def bad_value(field: Json, value: object) -> ApiError:
    return invalid(
        "INVALID_VALUE_FOR_COLUMN",
        f'Field "{field["name"]}" cannot accept the provided value',
    )


def _date(text: object) -> bool:
    try:
        dt.date.fromisoformat(str(text))
    except ValueError:
        return False
    return isinstance(text, str) and len(text) == 10


def check(field: Json, value: Any, linked: set[str] | None) -> Any:  # noqa: C901, PLR0911, PLR0912
    """The value stored for a write, or the 422 Airtable answers."""
    kind = field["type"]
    if kind in COMPUTED:
        raise invalid(
            "INVALID_VALUE_FOR_COLUMN",
            f'Field "{field["name"]}" cannot accept a value because the field is computed',
        )
    if value is None:
        return None
    if kind in TEXT:
        if not isinstance(value, str) or len(value) > LONGEST_TEXT:
            raise bad_value(field, value)
        return value or None
    if kind in NUMBERS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_value(field, value)
        return value
    if kind == "date":
        if not _date(value):
            raise bad_value(field, value)
        return value
    if kind == "dateTime":
        try:
            dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise bad_value(field, value) from None
        return value
    if kind == "checkbox":
        if not isinstance(value, bool):
            raise bad_value(field, value)
        return value or None
    if kind == "singleSelect":
        names = {c["name"] for c in field.get("options", {}).get("choices", [])}
        if value not in names:
            raise invalid(
                "INVALID_MULTIPLE_CHOICE_OPTIONS",
                f'Insufficient permissions to create new select option ""{value}""',
            )
        return value
    if kind == "multipleRecordLinks":
        if not isinstance(value, list) or any(v not in (linked or set()) for v in value):
            raise invalid(
                "ROW_DOES_NOT_EXIST", f'Record ID does not exist in field "{field["name"]}"'
            )
        return value or None
    raise bad_value(field, value)


def check_new_field(spec: Json) -> None:
    if spec.get("type") not in KNOWN or not spec.get("name"):
        raise invalid("INVALID_FIELD_TYPE", f"Unknown field type {spec.get('type')!r}")
    if spec["type"] in {"number", "currency", "percent"}:
        precision = (spec.get("options") or {}).get("precision")
        if not isinstance(precision, int) or not 0 <= precision <= 8:
            raise invalid("INVALID_FIELD_OPTIONS", "precision must be an integer 0 to 8")
