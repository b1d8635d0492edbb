"""Conditional format rules in the emulator: added, deleted and checked as Google does.

Google keeps a tab's rules as an ordered list; requests name a rule by its index.
"""

from __future__ import annotations

from tests.emulator.state import Json, Sheet, Spreadsheet, invalid

# Condition types sheetsync may send, with how many values each takes.
VALUES_NEEDED = {
    "TEXT_EQ": 1,
    "TEXT_CONTAINS": 1,
    "NUMBER_LESS": 1,
    "NUMBER_GREATER": 1,
    "NUMBER_EQ": 1,
    "CUSTOM_FORMULA": 1,
    "BLANK": 0,
    "NOT_BLANK": 0,
}
# The only formatting a conditional rule may set (Google refuses anything else).
TEXT_FORMAT_KEYS = {"bold", "italic", "strikethrough", "underline", "foregroundColor"}
FORMAT_KEYS = {"textFormat", "backgroundColor", "backgroundColorStyle"}
COLOUR_KEYS = {"red", "green", "blue", "alpha"}


def _sheet_of(book: Spreadsheet, ranges: list[Json]) -> Sheet:
    if not ranges:
        raise invalid("Invalid ConditionalFormatRule: at least one range is required.")
    ids = {int(r.get("sheetId", 0)) for r in ranges}
    if len(ids) > 1:
        raise invalid("Invalid ConditionalFormatRule: all ranges must be on the same sheet.")
    sheet = book.sheet_by_id(ids.pop())
    for grid in ranges:
        end_row = int(grid.get("endRowIndex", sheet.row_count))
        end_col = int(grid.get("endColumnIndex", sheet.column_count))
        start_row, start_col = (
            int(grid.get("startRowIndex", 0)),
            int(grid.get("startColumnIndex", 0)),
        )
        if not (0 <= start_row < end_row <= sheet.row_count):
            raise invalid(f"Range ({sheet.title}!rows {start_row}:{end_row}) exceeds grid limits.")
        if not (0 <= start_col < end_col <= sheet.column_count):
            raise invalid(f"Range ({sheet.title}!cols {start_col}:{end_col}) exceeds grid limits.")
    return sheet


def _check_colour(colour: Json) -> None:
    if set(colour) - COLOUR_KEYS or not all(0 <= float(v) <= 1 for v in colour.values()):
        raise invalid(f"Invalid color: {colour}")


def _check_format(fmt: Json) -> None:
    text = fmt.get("textFormat", {})
    if set(fmt) - FORMAT_KEYS or set(text) - TEXT_FORMAT_KEYS:
        raise invalid(
            "Invalid ConditionalFormatRule: only bold, italic, strikethrough, underline, "
            "foreground color and background color formatting is supported."
        )
    for colour in (fmt.get("backgroundColor"), text.get("foregroundColor")):
        if colour is not None:
            _check_colour(colour)


def _check_condition(condition: Json) -> None:
    kind = condition.get("type")
    if kind not in VALUES_NEEDED:
        raise invalid(f"Invalid ConditionalFormatRule: unsupported condition type {kind}.")
    values = condition.get("values", [])
    if len(values) != VALUES_NEEDED[kind]:
        raise invalid(
            f"Invalid ConditionalFormatRule: {kind} needs {VALUES_NEEDED[kind]} value(s)."
        )
    texts = [str(v.get("userEnteredValue", "")) for v in values]
    if kind == "CUSTOM_FORMULA" and not texts[0].startswith("="):
        raise invalid("Invalid ConditionalFormatRule: a custom formula must start with '='.")
    if kind.startswith("NUMBER_"):
        try:
            float(texts[0])
        except ValueError:
            raise invalid(f"Invalid ConditionalFormatRule: {kind} needs a number.") from None


def add_conditional_format_rule(book: Spreadsheet, body: Json) -> Json:
    rule: Json = dict(body.get("rule", {}))
    sheet = _sheet_of(book, rule.get("ranges", []))
    if ("booleanRule" in rule) == ("gradientRule" in rule):
        raise invalid("Invalid ConditionalFormatRule: exactly one of booleanRule, gradientRule.")
    if "booleanRule" in rule:
        boolean = rule["booleanRule"]
        _check_condition(boolean.get("condition", {}))
        _check_format(boolean.get("format", {}))
    index = int(body.get("index", 0))
    if not 0 <= index <= len(sheet.conditional_formats):
        raise invalid(f"Invalid index {index} for conditional format rules of {sheet.title}.")
    sheet.conditional_formats.insert(index, rule)
    return {}


def delete_conditional_format_rule(book: Spreadsheet, body: Json) -> Json:
    sheet = book.sheet_by_id(int(body.get("sheetId", 0)))
    index = int(body.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise invalid(f"No conditional format on sheet: {sheet.sheet_id} at index: {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}
