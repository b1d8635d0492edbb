"""Where the tests find the repository, their data and the golden cases, wherever they sit."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: tests/support/paths.py
DATA = ROOT / "tests" / "data"
GOLDEN = DATA / "golden"
