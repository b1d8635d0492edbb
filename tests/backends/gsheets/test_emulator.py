"""The Sheets API emulator speaks Google's wire format, through gspread's HTTP client."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError

from tests.emulator import Emulator, a1, mount, serving


def client(emulator: Emulator) -> Any:
    return gspread.Client(None, session=mount(requests.Session(), emulator)).http_client  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sheet1", a1.A1Range("Sheet1")),
        ("'Dépenses d''été'!A1:B2", a1.A1Range("Dépenses d'été", 0, 2, 0, 2)),
        ("'My tab'", a1.A1Range("My tab")),
        ("Data!A:C", a1.A1Range("Data", None, None, 0, 3)),
        ("B3", a1.A1Range(None, 2, 3, 1, 2)),
        ("Data!A5:C", a1.A1Range("Data", 4, None, 0, 3)),
    ],
)
def test_a1_parse(text: str, expected: a1.A1Range) -> None:
    assert a1.parse(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Sheet1", "Sheet1"), ("My tab", "'My tab'"), ("It's", "'It''s'"), ("A1", "'A1'")],
)
def test_titles_are_quoted_like_google(title: str, expected: str) -> None:
    assert a1.quote_title(title) == expected


def test_batch_get_trims_and_quotes_range(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"Mon onglet": [["a", "b", ""], ["c"], [], [""]]})
    body = client(emulator).values_batch_get(sid, ["'Mon onglet'"])
    (found,) = body["valueRanges"]
    assert found["range"] == "'Mon onglet'!A1:Z1000"
    assert found["values"] == [["a", "b"], ["c"]]


@pytest.mark.parametrize(
    ("locale", "option", "expected"),
    [
        ("fr_FR", "FORMATTED_VALUE", ["28/11/2026", "3,5", "TRUE"]),
        ("en_GB", "FORMATTED_VALUE", ["28/11/2026", "3.5", "TRUE"]),
        ("fr_FR", "UNFORMATTED_VALUE", [46354, 3.5, True]),
    ],
)
def test_render_options_follow_locale(locale: str, option: str, expected: list[Any]) -> None:
    emulator = Emulator()
    typed = "28/11/2026" if locale != "en_US" else "11/28/2026"
    number = "3,5" if locale.startswith("fr") else "3.5"
    sid = emulator.create(locale=locale, tabs={"T": [[typed, number, "TRUE"]]})
    body = client(emulator).values_get(sid, "T", params={"valueRenderOption": option})
    assert body["values"] == [expected]


def test_formatted_string_dates_and_columns(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["2026-01-02", 1], ["x", 2]]})
    params = {
        "valueRenderOption": "UNFORMATTED_VALUE",
        "dateTimeRenderOption": "FORMATTED_STRING",
        "majorDimension": "COLUMNS",
    }
    body = client(emulator).values_get(sid, "T!A1:B2", params=params)
    assert body["values"] == [["2026-01-02", "x"], [1, 2]]
    assert body["range"] == "T!A1:B2"


# 2026-03-31 at 14:05:33, and a duration of 26 h 30 min: serial numbers.
MOMENT, SPAN = 46112 + (14 * 3600 + 5 * 60 + 33) / 86400, 26.5 / 24


@pytest.mark.parametrize(
    ("locale", "number_format", "value", "shown"),
    [
        ("fr_FR", {"type": "DATE"}, MOMENT, "31/03/2026"),
        ("en_US", {"type": "DATE"}, MOMENT, "3/31/2026"),
        ("de_DE", {"type": "DATE"}, MOMENT, "31.03.2026"),
        ("fr_FR", {"type": "DATE_TIME"}, MOMENT, "31/03/2026 14:05:33"),
        ("en_US", {"type": "DATE_TIME"}, MOMENT, "3/31/2026 14:05:33"),
        ("fr_FR", {"type": "TIME"}, MOMENT, "14:05:33"),
        ("en_US", {"type": "TIME"}, MOMENT, "2:05:33 PM"),
        ("fr_FR", {"type": "TIME", "pattern": "[h]:mm:ss"}, SPAN, "26:30:00"),
        ("fr_FR", {"type": "TIME", "pattern": "[h]:mm"}, 2 / 24, "2:00"),
        ("fr_FR", {"type": "TIME", "pattern": "[mm]:ss"}, 2 / 24, "120:00"),
        ("fr_FR", {"type": "DATE", "pattern": "d mmm yyyy"}, MOMENT, "31 mars 2026"),
        ("fr_FR", {"type": "DATE", "pattern": "dddd d mmmm yyyy"}, MOMENT, "mardi 31 mars 2026"),
        ("en_US", {"type": "DATE", "pattern": "ddd, mmm d, yyyy"}, MOMENT, "Tue, Mar 31, 2026"),
        ("de_DE", {"type": "DATE", "pattern": "d. mmmm yyyy"}, MOMENT, "31. März 2026"),
        ("fr_FR", {"type": "DATE", "pattern": "dd/mm"}, MOMENT, "31/03"),
        (
            "en_US",
            {"type": "DATE_TIME", "pattern": 'mmmm d "at" h:mm a/p'},
            MOMENT,
            "March 31 at 2:05 p",
        ),
        (
            "fr_FR",
            {"type": "DATE", "pattern": "yyyy-mm-dd hh:mm:ss.000"},
            46112.5,
            "2026-03-31 12:00:00.000",
        ),
        # Plain numbers stay numbers, whatever their format.
        ("fr_FR", {"type": "NUMBER", "pattern": "0.00"}, 2, 2),
        ("fr_FR", {"type": "CURRENCY", "pattern": "#,##0.00 €"}, 12.5, 12.5),
        ("fr_FR", {"type": "PERCENT"}, 0.5, 0.5),
    ],
)
def test_formatted_string_shows_dates_times_and_durations_in_their_format(
    locale: str, number_format: dict[str, Any], value: float, shown: object
) -> None:
    emulator = Emulator()
    sid = emulator.create(locale=locale, tabs={"T": [[value]]})
    emulator.books[sid].sheets[0].cells[(0, 0)]["userEnteredFormat"] = {
        "numberFormat": number_format
    }
    params = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "FORMATTED_STRING"}
    assert client(emulator).values_get(sid, "T", params=params)["values"] == [[shown]]
    serial = client(emulator).values_get(
        sid, "T", params={**params, "dateTimeRenderOption": "SERIAL_NUMBER"}
    )
    assert serial["values"] == [[value]]
    # FORMATTED_VALUE shows the same text, the date option being ignored with it.
    params["valueRenderOption"] = "FORMATTED_VALUE"
    if isinstance(shown, str):
        assert client(emulator).values_get(sid, "T", params=params)["values"] == [[shown]]


def test_user_entered_formula_and_raw_text(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    api = client(emulator)
    api.values_update(
        sid, "T!A1", params={"valueInputOption": "USER_ENTERED"}, body={"values": [["=1+1"]]}
    )
    api.values_update(sid, "T!B1", params={"valueInputOption": "RAW"}, body={"values": [["=1+1"]]})
    body = api.values_get(sid, "T", params={"valueRenderOption": "FORMULA"})
    assert body["values"] == [["=1+1", "=1+1"]]
    grid = api.spreadsheets_get(
        sid, params={"fields": "sheets.data.rowData.values.userEnteredValue"}
    )
    cells = grid["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert cells == [
        {"userEnteredValue": {"formulaValue": "=1+1"}},
        {"userEnteredValue": {"stringValue": "=1+1"}},
    ]


def test_values_batch_update_and_clear(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["a", "b"], ["c", "d"]]})
    api = client(emulator)
    api.values_batch_update(
        sid, {"valueInputOption": "RAW", "data": [{"range": "T!A2", "values": [["z"]]}]}
    )
    cleared = api.values_batch_clear(sid, body={"ranges": ["T!B1:B2"]})
    assert cleared["clearedRanges"] == ["T!B1:B2"]
    assert emulator.tab_values(sid, "T") == [["a"], ["z"]]


def test_fields_mask_and_ranges_limit_sheets(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"A": [["1"]], "B b": [["x", "y"]]})
    body = client(emulator).spreadsheets_get(
        sid,
        params={
            "fields": "properties/locale,"
            "sheets(properties(title),data/rowData/values/effectiveValue)",
            "ranges": ["'B b'!B1"],
        },
    )
    assert body == {
        "properties": {"locale": "fr_FR"},
        "sheets": [
            {
                "properties": {"title": "B b"},
                "data": [{"rowData": [{"values": [{"effectiveValue": {"stringValue": "y"}}]}]}],
            }
        ],
    }


def test_batch_update_is_all_or_nothing(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["keep"]]})
    requests_ = [
        {"addSheet": {"properties": {"title": "New"}}},
        {
            "updateCells": {
                "start": {"sheetId": 0},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "lost"}}]}],
                "fields": "userEnteredValue",
            }
        },
        {"addSheet": {"properties": {"title": "t"}}},
    ]
    with pytest.raises(APIError) as caught:
        client(emulator).batch_update(sid, {"requests": requests_})
    assert caught.value.code == 400
    assert 'A sheet with the name "t" already exists' in caught.value.error["message"]
    assert caught.value.error["status"] == "INVALID_ARGUMENT"
    assert [s.title for s in emulator.books[sid].sheets] == ["T"]
    assert emulator.tab_values(sid, "T") == [["keep"]]


def test_metadata_protection_validation_and_charts(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["x"]]})
    api = client(emulator)
    reply = api.batch_update(
        sid,
        {
            "requests": [
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "k",
                            "metadataValue": "v",
                            "location": {"sheetId": 0},
                            "visibility": "DOCUMENT",
                        }
                    }
                },
                {
                    "addProtectedRange": {
                        "protectedRange": {"range": {"sheetId": 0}, "warningOnly": True}
                    }
                },
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": 0,
                            "startRowIndex": 1,
                            "endRowIndex": 3,
                            "startColumnIndex": 0,
                            "endColumnIndex": 1,
                        },
                        "rule": {
                            "condition": {
                                "type": "ONE_OF_LIST",
                                "values": [{"userEnteredValue": "oui"}],
                            }
                        },
                    }
                },
                {
                    "addChart": {
                        "chart": {
                            "spec": {"title": "c"},
                            "position": {"overlayPosition": {"anchorCell": {"sheetId": 0}}},
                        }
                    }
                },
            ]
        },
    )
    meta = reply["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert meta["location"] == {"locationType": "SHEET", "sheetId": 0}
    chart_id = reply["replies"][3]["addChart"]["chart"]["chartId"]
    api.batch_update(
        sid,
        {
            "requests": [
                {
                    "deleteDeveloperMetadata": {
                        "dataFilter": {"developerMetadataLookup": {"metadataKey": "k"}}
                    }
                },
                {"deleteEmbeddedObject": {"objectId": chart_id}},
            ]
        },
    )
    sheet = emulator.books[sid].sheets[0]
    assert (sheet.developer_metadata, sheet.charts, len(sheet.protected_ranges)) == ([], [], 1)
    assert sheet.cells[(2, 0)]["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"


def test_cell_limit(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    big = {
        "addSheet": {
            "properties": {
                "title": "Big",
                "gridProperties": {"rowCount": 400_000, "columnCount": 26},
            }
        }
    }
    with pytest.raises(APIError) as caught:
        client(emulator).batch_update(sid, {"requests": [big]})
    assert caught.value.error == {
        "code": 400,
        "message": "Invalid requests[0].addSheet: This action would increase the number of "
        "cells in the workbook above the limit of 10000000 cells.",
        "status": "INVALID_ARGUMENT",
    }


@pytest.mark.parametrize(
    ("access", "write", "code"),
    [("none", False, 403), ("reader", True, 403), ("reader", False, 200)],
)
def test_access(emulator: Emulator, access: str, write: bool, code: int) -> None:
    sid = emulator.create(tabs={"T": []})
    emulator.books[sid].access = access
    method, path = (
        ("POST", f"/v4/spreadsheets/{sid}:batchUpdate")
        if write
        else ("GET", f"/v4/spreadsheets/{sid}")
    )
    reply = emulator.handle(
        method,
        "https://sheets.googleapis.com" + path,
        b'{"requests": [{"deleteSheet": {"sheetId": 0}}]}',
    )
    assert reply.status == code


def test_unknown_spreadsheet_is_404(emulator: Emulator) -> None:
    with pytest.raises(APIError) as caught:
        client(emulator).spreadsheets_get("nope")
    assert caught.value.error == {
        "code": 404,
        "message": "Requested entity was not found.",
        "status": "NOT_FOUND",
    }


def test_quota_per_minute() -> None:
    now = [0.0]
    emulator = Emulator(read_quota=2, clock=lambda: now[0])
    sid = emulator.create()
    api = client(emulator)
    api.spreadsheets_get(sid)
    api.spreadsheets_get(sid)
    with pytest.raises(APIError) as caught:
        api.spreadsheets_get(sid)
    assert caught.value.code == 429
    now[0] = 61.0
    assert api.spreadsheets_get(sid)["spreadsheetId"] == sid


@pytest.mark.parametrize(
    ("fault", "error", "applied"),
    [
        ("429", APIError, False),
        ("503", APIError, False),
        ("timeout", requests.exceptions.ReadTimeout, False),
        ("drop_before", requests.exceptions.ConnectionError, False),
        ("drop_after", requests.exceptions.ConnectionError, True),
    ],
)
def test_fault_injection(
    emulator: Emulator, fault: str, error: type[Exception], applied: bool
) -> None:
    sid = emulator.create(tabs={"T": []})
    emulator.inject(fault)
    with pytest.raises(error):
        client(emulator).batch_update(
            sid, {"requests": [{"addSheet": {"properties": {"title": "N"}}}]}
        )
    assert ("N" in [s.title for s in emulator.books[sid].sheets]) is applied
    assert emulator.log[-1].fault == fault


def test_log_counts_requests_and_body_sizes(emulator: Emulator) -> None:
    sid = emulator.create()
    client(emulator).batch_update(sid, {"requests": [{"addSheet": {"properties": {"title": "N"}}}]})
    (entry,) = emulator.log
    assert (entry.method, entry.path, entry.status) == (
        "POST",
        f"/v4/spreadsheets/{sid}:batchUpdate",
        200,
    )
    assert entry.body_size > 20


def test_create_endpoint(emulator: Emulator) -> None:
    body = (
        client(emulator)
        .request(
            "post",
            "https://sheets.googleapis.com/v4/spreadsheets",
            json={"properties": {"title": "New", "locale": "en_US"}},
        )
        .json()
    )
    assert body["properties"]["title"] == "New"
    assert body["spreadsheetId"] in emulator.books


def test_localhost_server(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["a"]]})
    emulator.latency = 0.01
    with serving(emulator) as host:
        answer = requests.get(f"http://{host}/v4/spreadsheets/{sid}/values/T", timeout=5)
        missing = requests.get(f"http://{host}/v4/spreadsheets/nope", timeout=5)
        emulator.inject("drop_before")
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"http://{host}/v4/spreadsheets/{sid}", timeout=5)
    assert answer.json()["values"] == [["a"]]
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"


# ------------------------------------------------------------ Google's limits (docs/GOOGLE.md)

GRID_1000 = "Max rows: 1000, max columns: 26"


def _refusal(emulator: Emulator, call: Any) -> dict[str, Any]:
    with pytest.raises(APIError) as caught:
        call(client(emulator))
    assert caught.value.code == caught.value.error["code"]
    error: dict[str, Any] = dict(caught.value.error)
    return error


def test_request_body_over_10485760_bytes_is_refused(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["keep"]]})
    text = "x" * 40_000
    rows = [{"values": [{"userEnteredValue": {"stringValue": text}}]}] * 263
    request = {"updateCells": {"start": {"sheetId": 0}, "rows": rows, "fields": "*"}}
    error = _refusal(emulator, lambda api: api.batch_update(sid, {"requests": [request]}))
    message = "Request payload size exceeds the limit: 10485760 bytes."
    assert error == {
        "code": 400,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": "badRequest"}],
        "status": "INVALID_ARGUMENT",
    }
    assert emulator.log[-1].body_size > 10_485_760
    assert emulator.tab_values(sid, "T") == [["keep"]]


def test_request_body_of_exactly_the_limit_is_read(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    body = b'{"requests": []}'
    body += b" " * (10_485_760 - len(body))
    reply = emulator.handle(
        "POST", f"https://sheets.googleapis.com/v4/spreadsheets/{sid}:batchUpdate", body
    )
    assert reply.status == 400
    assert b"must specify at least one request" in reply.body


CELL_MESSAGE = "Your input contains more than the maximum of 50000 characters in a single cell."


def test_more_than_50000_characters_in_a_cell(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    api = client(emulator)
    api.values_update(
        sid, "T!A1", params={"valueInputOption": "RAW"}, body={"values": [["y" * 50_000]]}
    )
    error = _refusal(
        emulator,
        lambda api: api.values_update(
            sid,
            "T!A2",
            params={"valueInputOption": "USER_ENTERED"},
            body={"values": [["y" * 50_001]]},
        ),
    )
    assert error == {"code": 400, "message": CELL_MESSAGE, "status": "INVALID_ARGUMENT"}
    cell = {"userEnteredValue": {"formulaValue": "=" + "1" * 50_000}}
    request = {
        "updateCells": {"start": {"sheetId": 0}, "rows": [{"values": [cell]}], "fields": "*"}
    }
    error = _refusal(emulator, lambda api: api.batch_update(sid, {"requests": [request]}))
    assert error["message"] == "Invalid requests[0].updateCells: " + CELL_MESSAGE
    assert emulator.tab_values(sid, "T") == [["y" * 50_000]]


def test_values_written_outside_the_grid(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"Mon onglet": [], "T": []})
    error = _refusal(
        emulator,
        lambda api: api.values_update(
            sid,
            "'Mon onglet'!A1000",
            params={"valueInputOption": "RAW"},
            body={"values": [["a"], ["b"]]},
        ),
    )
    assert error["message"] == (
        f"Range ('Mon onglet'!A1000:A1001) exceeds grid limits. {GRID_1000}"
    )
    error = _refusal(
        emulator,
        lambda api: api.values_update(
            sid, "T!AA1", params={"valueInputOption": "RAW"}, body={"values": [["a"]]}
        ),
    )
    assert error["message"] == f"Range (T!AA1) exceeds grid limits. {GRID_1000}"
    assert emulator.tab_values(sid, "Mon onglet") == []


def _cells(sheet_id: int, rows: int, row_index: int = 0) -> dict[str, Any]:
    values = [{"values": [{"userEnteredValue": {"numberValue": n}}]} for n in range(rows)]
    start = {"sheetId": sheet_id, "rowIndex": row_index, "columnIndex": 0}
    return {"updateCells": {"start": start, "rows": values, "fields": "userEnteredValue"}}


def test_batch_update_outside_the_grid_unless_resized_first(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    error = _refusal(emulator, lambda api: api.batch_update(sid, {"requests": [_cells(0, 1001)]}))
    assert error["message"] == (
        f"Invalid requests[0].updateCells: Range (T!A1:A1001) exceeds grid limits. {GRID_1000}"
    )
    repeat = {
        "repeatCell": {
            "range": {"sheetId": 0, "startColumnIndex": 26, "endColumnIndex": 27},
            "cell": {"userEnteredFormat": {}},
            "fields": "userEnteredFormat",
        }
    }
    error = _refusal(emulator, lambda api: api.batch_update(sid, {"requests": [repeat]}))
    assert error["message"].startswith("Invalid requests[0].repeatCell: Range (T!AA1:AA1000)")
    resize = {
        "updateSheetProperties": {
            "properties": {"sheetId": 0, "gridProperties": {"rowCount": 1001}},
            "fields": "gridProperties.rowCount",
        }
    }
    client(emulator).batch_update(sid, {"requests": [resize, _cells(0, 1001)]})
    assert len(emulator.tab_values(sid, "T")) == 1001
    assert emulator.books[sid].sheets[0].row_count == 1001


def test_append_cells_adds_rows_but_not_columns(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": [["a"]] * 1000})
    row = {"values": [{"userEnteredValue": {"stringValue": "b"}}]}
    append = {"appendCells": {"sheetId": 0, "rows": [row, row], "fields": "userEnteredValue"}}
    client(emulator).batch_update(sid, {"requests": [append]})
    assert emulator.books[sid].sheets[0].row_count == 1002
    assert emulator.tab_values(sid, "T")[-2:] == [["b"], ["b"]]
    wide = {"values": [{"userEnteredValue": {"stringValue": "c"}}] * 27}
    append = {"appendCells": {"sheetId": 0, "rows": [wide], "fields": "userEnteredValue"}}
    error = _refusal(emulator, lambda api: api.batch_update(sid, {"requests": [append]}))
    assert error["message"] == (
        "Invalid requests[0].appendCells: Attempting to write column: 26, beyond the last "
        "requested column of: 25"
    )


@pytest.mark.parametrize("kind", ["addSheet", "updateSheetProperties"])
def test_tab_titles_are_unique_ignoring_case(emulator: Emulator, kind: str) -> None:
    sid = emulator.create(tabs={"Synthèse": [], "Autre": []})
    other = emulator.books[sid].sheets[1].sheet_id
    request = (
        {"addSheet": {"properties": {"title": "SYNTHÈSE"}}}
        if kind == "addSheet"
        else {
            "updateSheetProperties": {
                "properties": {"sheetId": other, "title": "SYNTHÈSE"},
                "fields": "title",
            }
        }
    )
    error = _refusal(emulator, lambda api: api.batch_update(sid, {"requests": [request]}))
    assert error == {
        "code": 400,
        "message": f'Invalid requests[0].{kind}: A sheet with the name "SYNTHÈSE" already '
        "exists. Please enter another name.",
        "status": "INVALID_ARGUMENT",
    }
    assert [s.title for s in emulator.books[sid].sheets] == ["Synthèse", "Autre"]


def test_a_tab_may_change_the_case_of_its_own_title(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"Synthèse": []})
    rename = {"properties": {"sheetId": 0, "title": "SYNTHÈSE"}, "fields": "title"}
    client(emulator).batch_update(sid, {"requests": [{"updateSheetProperties": rename}]})
    assert emulator.books[sid].sheets[0].title == "SYNTHÈSE"


def test_not_shared_is_403_permission_denied(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    emulator.books[sid].access = "none"
    error = _refusal(emulator, lambda api: api.spreadsheets_get(sid))
    assert error == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }


def test_api_not_enabled_is_403_service_disabled(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    emulator.disable_api("987654321098")
    error = _refusal(emulator, lambda api: api.spreadsheets_get(sid))
    url = "https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=987654321098"
    assert (error["code"], error["status"]) == (403, "PERMISSION_DENIED")
    assert error["message"].startswith(
        "Google Sheets API has not been used in project 987654321098 before or it is disabled. "
        f"Enable it by visiting {url} then retry."
    )
    info = error["details"][0]
    assert info["@type"] == "type.googleapis.com/google.rpc.ErrorInfo"
    assert (info["reason"], info["domain"]) == ("SERVICE_DISABLED", "googleapis.com")
    assert info["metadata"]["consumer"] == "projects/987654321098"
    assert info["metadata"]["service"] == "sheets.googleapis.com"
    assert info["metadata"]["activationUrl"] == url
    assert error["details"][2]["links"][0]["url"] == url
    assert "errors" not in error
    emulator.enable_api()
    assert client(emulator).spreadsheets_get(sid)["spreadsheetId"] == sid


def test_api_not_enabled_legacy_access_not_configured(emulator: Emulator) -> None:
    sid = emulator.create(tabs={"T": []})
    emulator.disable_api("987654321098", legacy=True)
    error = _refusal(emulator, lambda api: api.values_get(sid, "T"))
    (item,) = error["errors"]
    assert (item["reason"], item["domain"]) == ("accessNotConfigured", "usageLimits")
    assert "project 987654321098" in item["message"]
    assert "details" not in error
