"""The catalogue of anomaly codes (templates/anomalies.toml): each code's severity and
its message in French and English, and docs/ANOMALIES.md rendered from it.
"""

from __future__ import annotations

import argparse
import string
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sheetsync.model import Severity
from sheetsync.template import Lang, templates_dir
from sheetsync.text import visible

CATALOGUE = "anomalies.toml"


def placeholders(text: str) -> frozenset[str]:
    """The names of a template's {placeholders}."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@dataclass(frozen=True)
class Wording:
    """One message template in both languages, with the placeholders both share."""

    key: str  # "code", or "code.variant" for a variant or an added sentence
    fr: str
    en: str
    fields: frozenset[str]

    @classmethod
    def read(cls, key: str, raw: Mapping[str, Any]) -> Wording:
        fields = placeholders(raw["fr"])
        if placeholders(raw["en"]) != fields:
            raise ValueError(f"{key}: the French and English messages differ in placeholders")
        return cls(key, raw["fr"], raw["en"], fields)

    def text(self, lang: Lang) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Entry:
    """An anomaly code as the catalogue defines it."""

    code: str
    section: str
    severity: Severity
    doc_fr: str
    doc_en: str


@dataclass(frozen=True)
class Catalogue:
    intro: str
    sections: dict[str, tuple[str, str]]  # key -> (French title, English title)
    entries: dict[str, Entry]  # in the catalogue's order
    wordings: dict[str, Wording]  # "code" and "code.variant" -> template


@cache
def catalogue() -> Catalogue:
    """The catalogue, read once per process."""
    raw = tomllib.loads((templates_dir() / CATALOGUE).read_text("utf-8"))
    entries: dict[str, Entry] = {}
    wordings: dict[str, Wording] = {}
    for code, entry in raw["codes"].items():
        severity = Severity(entry["severity"])
        entries[code] = Entry(code, entry["section"], severity, entry["doc_fr"], entry["doc_en"])
        if "fr" in entry or "en" in entry:
            wordings[code] = Wording.read(code, entry)
        for variant, sub in entry.items():
            if isinstance(sub, dict):  # a sub-table: a variant, or a sentence added on a condition
                wordings[f"{code}.{variant}"] = Wording.read(f"{code}.{variant}", sub)
    sections = {key: (s["fr"], s["en"]) for key, s in raw["sections"].items()}
    return Catalogue(raw["docs"]["intro"], sections, entries, wordings)


def severity(code: str) -> Severity:
    """How serious an anomaly with this code is."""
    return catalogue().entries[code].severity


def message(key: str, lang: Lang, /, **params: object) -> str:
    """The message of a code (or of "code.variant") in `lang`, its placeholders filled.

    Every placeholder must be given and nothing else: a mismatch is a bug, not data.
    """
    wording = catalogue().wordings[key]
    if params.keys() != wording.fields:
        raise TypeError(f"message {key!r} takes {sorted(wording.fields)}, given {sorted(params)}")
    shown = {k: visible(v) if isinstance(v, str) else v for k, v in params.items()}
    return wording.text(lang).format(**shown)


# ---------------------------------------------------------------- docs/ANOMALIES.md


def _cell(text: str) -> str:
    return text.replace("|", r"\|")


def docs() -> str:
    """docs/ANOMALIES.md: the intro, then one table of codes per section."""
    book = catalogue()
    lines = ["# Anomaly codes / Codes des anomalies", "", book.intro.strip()]
    for key, (fr, en) in book.sections.items():
        lines += ["", f"## {en}" if en == fr else f"## {en} / {fr}", ""]
        lines += ["| Code | Severity | Français | English |", "|---|---|---|---|"]
        lines += [
            f"| `{e.code}` | {e.severity} | {_cell(e.doc_fr)} | {_cell(e.doc_en)} |"
            for e in book.entries.values()
            if e.section == key
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sheetsync.messages", description="The catalogue of anomaly codes."
    )
    parser.add_argument("--docs", action="store_true", help="print docs/ANOMALIES.md")
    if parser.parse_args(argv).docs:
        sys.stdout.write(docs())
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
