"""docs/PUBLISH.md and docs/PUBLISH.fr.md stay true to budget.json: every key its schema
defines is in both guides, and every key the guides' tables name is in the schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.paths import ROOT

SCHEMA = json.loads((ROOT / "docs" / "budget.schema.json").read_text("utf-8"))


def keys(node: Any) -> Iterator[str]:
    """The property names of a schema, at every depth."""
    if isinstance(node, dict):
        yield from node.get("properties", {})
        for value in node.values():
            yield from keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from keys(value)


def table_of(doc: str) -> str:
    """The guide's table of budget.json's keys."""
    text = (ROOT / "docs" / doc).read_text("utf-8")
    section = text.split("## budget.json", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("| `"))


@pytest.mark.parametrize("doc", ["PUBLISH.md", "PUBLISH.fr.md"])
def test_every_key_of_the_schema_is_documented(doc: str) -> None:
    table = table_of(doc)
    missing = sorted({key for key in keys(SCHEMA) if f"`{key}`" not in table})
    assert missing == []


@pytest.mark.parametrize("doc", ["PUBLISH.md", "PUBLISH.fr.md"])
def test_the_guide_names_no_key_the_schema_lacks(doc: str) -> None:
    named = set(re.findall(r"`([a-z_0-9]+)`", table_of(doc)))
    values = {"ok", "warning", "over", "flag", "pro_rata", "first_come", "fr", "en"}
    assert sorted(named - set(keys(SCHEMA)) - values) == []
