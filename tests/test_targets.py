"""Which backend a TARGET names: local workbooks, Google Sheets URLs and gsheet:<ID>."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.targets import google_id, is_local_workbook, open_backend


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0", "1AbC-d_9"),
        ("https://docs.google.com/spreadsheets/u/1/d/XyZ/", "XyZ"),
        ("gsheet:1AbC", "1AbC"),
        ("budget.xlsx", None),
        ("gsheet:", None),
    ],
)
def test_google_id(text: str, expected: str | None) -> None:
    assert google_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("budget.xlsx", True), ("Budget.XLSM", True), ("budget.ods", False), ("gsheet:1", False)],
)
def test_is_local_workbook(text: str, expected: bool) -> None:
    assert is_local_workbook(text) is expected


@pytest.mark.parametrize("text", ["budget.xlsx", "budget.ods", "folder/book.xlsm"])
def test_anything_but_google_opens_as_a_local_workbook(text: str) -> None:
    backend = open_backend(text, None, "fr")
    assert isinstance(backend, XlsxBackend)
    assert backend.path == Path(text)


def test_a_google_target_opens_with_the_session_and_policy_given() -> None:
    session = requests.Session()
    backend = open_backend("gsheet:1AbC", Path("key.json"), "fr", session=session, policy=NO_WAIT)
    assert isinstance(backend, GoogleBackend)
    assert (backend.spreadsheet_id, backend.policy) == ("1AbC", NO_WAIT)
    assert backend._session is session
