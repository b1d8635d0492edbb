"""What the public page tests share: the schema budget.json follows."""

from __future__ import annotations

import json

from tests.support.paths import ROOT

SCHEMA = json.loads((ROOT / "docs" / "budget.schema.json").read_text("utf-8"))
