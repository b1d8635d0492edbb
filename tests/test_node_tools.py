"""A program the tests need is skipped for, with what installs it, except on CI, where
its absence fails the test (tests/support/node_tools.py)."""

from __future__ import annotations

import pytest

from tests.support.node_tools import required


def test_nothing_missing_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    required(None)


def test_a_missing_program_skips_off_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        required("Chromium is not installed")


def test_a_missing_program_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="Chromium is not installed: CI must"):
        required("Chromium is not installed")
