"""LibreOffice headless for the tests: the program (required on CI, skipped elsewhere)
and one way to have it open a workbook and save it in another format."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(path: Path, target: str, outdir: Path, profile: Path) -> None:
    """LibreOffice opens `path` and saves it into `outdir` as `target` (xlsx, pdf, or a
    "csv:…" filter), with its own user profile in `profile` so runs never share one."""
    command = [
        soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
