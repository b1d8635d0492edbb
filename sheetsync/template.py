"""The template definition (tabs, columns, enums, settings) read from templates/.

Every other module asks this one for names; none repeats them by hand.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")


def normalize(text: str) -> str:
    """Key for matching names: no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", stripped)


@dataclass(frozen=True)
class Named:
    """Something with a French and an English name, plus aliases."""

    key: str
    fr: str
    en: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: Lang) -> str:
        return self.fr if lang == "fr" else self.en

    def match_keys(self) -> set[str]:
        return {normalize(n) for n in (self.fr, self.en, *self.aliases)}


@dataclass(frozen=True)
class Column(Named):
    kind: str = "text"
    required: bool = False
    enum: str | None = None
    suggest: str | None = None
    list: str | None = None  # dropdown fed by the names of another input tab
    width: int = 14


@dataclass(frozen=True)
class Tab(Named):
    columns: tuple[Column, ...] = ()
    required: bool = False
    one_of: tuple[str, ...] = ()
    on_init: bool = True  # False: `init` creates it only when given rows (a form's responses)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Enum:
    key: str
    default: str
    values: tuple[Named, ...]

    def label(self, value_key: str, lang: Lang) -> str:
        return next(v for v in self.values if v.key == value_key).name(lang)

    def labels(self, lang: Lang) -> list[str]:
        return [v.name(lang) for v in self.values]

    def lookup(self, text: str) -> str | None:
        """The value key a user's text stands for, or None."""
        wanted = normalize(text)
        return next((v.key for v in self.values if wanted in v.match_keys()), None)


@dataclass(frozen=True)
class Setting(Named):
    type: str = "text"
    default: str = ""
    # Bounds a value must keep, in the unit users type (€, %, hours); "" for none.
    min: str = ""
    max: str = ""
    help_fr: str = ""
    help_en: str = ""
    optional: bool = False  # blank when missing, not reported as defaulted

    def help(self, lang: Lang) -> str:
        return self.help_fr if lang == "fr" else self.help_en


@dataclass(frozen=True)
class Template:
    default_language: Lang
    enums: dict[str, Enum]
    inputs: tuple[Tab, ...]
    outputs: tuple[Tab, ...]
    settings: tuple[Setting, ...] = field(default=())
    ledger: tuple[Tab, ...] = field(default=())  # closing, journal and state tabs
    exports: tuple[Tab, ...] = field(default=())  # tables only `sheetsync export` writes

    def initial_inputs(self, filled: Collection[str] = ()) -> tuple[Tab, ...]:
        """The input tabs `init` creates: all but those another tool makes (a form's
        responses tab), which are created only when `filled` holds their key."""
        return tuple(t for t in self.inputs if t.on_init or t.key in filled)

    def input(self, key: str) -> Tab:
        return next(t for t in self.inputs if t.key == key)

    def output(self, key: str) -> Tab:
        return next(t for t in self.outputs if t.key == key)

    def setting(self, key: str) -> Setting:
        return next(s for s in self.settings if s.key == key)

    def ledger_tab(self, key: str) -> Tab:
        return next(t for t in self.ledger if t.key == key)

    def export(self, key: str) -> Tab:
        return next(t for t in self.exports if t.key == key)


def templates_dir() -> Path:
    """templates/ shipped inside the package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "template.toml").is_file():
            return candidate
    raise FileNotFoundError("templates/template.toml not found")


def _named(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "aliases": tuple(raw.get("aliases", ()))}


def _tab(raw: dict[str, Any]) -> Tab:
    columns = tuple(Column(**_named(c)) for c in raw["columns"])
    return Tab(**{**_named(raw), "columns": columns, "one_of": tuple(raw.get("one_of", ()))})


def lang_of(raw: object) -> Lang | None:
    """A language code read from a file, a setting or an option: one of LANGS, else None."""
    for lang in LANGS:
        if raw == lang:
            return lang
    return None


def titles_language(titles: Collection[str]) -> Lang | None:
    """The language of a workbook told by its tab titles alone (before any cell is read):
    the one whose input tab names more titles match; None when they do not tell."""
    votes = dict.fromkeys(LANGS, 0)
    for title in titles:
        for tab in load().inputs:
            for lang in LANGS:
                votes[lang] += normalize(title) == normalize(tab.name(lang))
    best = max(votes.values())
    winners = [lang for lang, count in votes.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


@cache
def definition() -> dict[str, Any]:
    """templates/template.toml as TOML, read once per process: the one reader of the
    file, for the tables the Template does not model (charts, notes)."""
    return tomllib.loads((templates_dir() / "template.toml").read_text("utf-8"))


@cache
def load() -> Template:
    """The template definition, parsed once per process."""
    raw = definition()
    enums = {
        key: Enum(key, e["default"], tuple(Named(**_named(v)) for v in e["values"]))
        for key, e in raw["enums"].items()
    }
    return Template(
        default_language=raw["default_language"],
        enums=enums,
        inputs=tuple(_tab(t) for t in raw["inputs"]),
        outputs=tuple(_tab(t) for t in raw["outputs"]),
        settings=tuple(Setting(**_named(s)) for s in raw["settings"]),
        ledger=tuple(_tab(t) for t in raw.get("ledger", ())),
        exports=tuple(_tab(t) for t in raw.get("exports", ())),
    )
