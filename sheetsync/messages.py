"""The catalogue of every sentence sheetsync says (templates/messages.toml, SPEC §10):
the anomaly codes with their severity and message, and every other sentence (terminal
lines, errors, help, statements, exports, mails) keyed area.name; docs/ANOMALIES.md is
rendered from it.

Library code asks for a sentence in a language it is given: `say(lang, key, **params)`,
or `message(key, lang, **params)` for an anomaly's message (its values, read from cells,
shown visible). Both render through the same `_render`.
"""

from __future__ import annotations

import argparse
import string
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sheetsync.model import Severity
from sheetsync.template import Lang, templates_dir
from sheetsync.text import closest, visible

CATALOGUE = "messages.toml"
# Tables of the catalogue that are not sentences.
_NOT_SENTENCES = frozenset({"languages", "docs", "sections", "codes"})
# Areas whose `en` is the message id a library asks for (click's gettext ids) and fills
# with its own parameters: a translation may leave some of them out.
FOREIGN = frozenset({"click"})


def placeholders(text: str) -> frozenset[str]:
    """The names of a template's {placeholders} (`{row.n}` and `{at[0]}` name `row`, `at`)."""
    return frozenset(
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    )


@dataclass(frozen=True)
class Wording:
    """One message template in every language, with the placeholders they all share."""

    key: str  # "code" or "code.variant" for an anomaly, "area.name" for a sentence
    texts: Mapping[str, str]  # language -> template
    fields: frozenset[str]

    @classmethod
    def read(cls, key: str, raw: Mapping[str, Any], languages: tuple[str, ...]) -> Wording:
        missing = [lang for lang in languages if not isinstance(raw.get(lang), str)]
        if missing:
            raise ValueError(f"{key}: no message in {', '.join(missing)}")
        texts = {lang: raw[lang] for lang in languages}
        foreign = key.split(".", maxsplit=1)[0] in FOREIGN
        fields = placeholders(texts["en" if foreign else languages[0]])
        for lang, text in texts.items():
            if not (placeholders(text) <= fields if foreign else placeholders(text) == fields):
                raise ValueError(f"{key}: the {lang} message differs in placeholders")
        return cls(key, texts, fields)

    @property
    def fr(self) -> str:
        return self.texts["fr"]

    @property
    def en(self) -> str:
        return self.texts["en"]

    def text(self, lang: Lang) -> str:
        return self.texts[lang]


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
    languages: tuple[str, ...]  # the catalogue's columns, the first one the default
    intro: str
    sections: dict[str, tuple[str, str]]  # key -> (French title, English title)
    entries: dict[str, Entry]  # in the catalogue's order
    wordings: dict[str, Wording]  # anomalies: "code" and "code.variant" -> template
    sentences: dict[str, Wording]  # every other sentence: "area.name" -> template


def _is_wording(table: Mapping[str, Any], languages: tuple[str, ...]) -> bool:
    return any(isinstance(table.get(lang), str) for lang in languages)


def _sentences(
    prefix: str, table: Mapping[str, Any], languages: tuple[str, ...]
) -> Iterator[Wording]:
    """The sentences of a table of areas, depth first: [cli.sync_done], [xlsx.backend.x]."""
    for name, sub in table.items():
        if not isinstance(sub, dict):
            raise ValueError(f"{prefix}{name}: a sentence is a table of languages")
        key = f"{prefix}{name}"
        if _is_wording(sub, languages):
            if any(isinstance(v, dict) for v in sub.values()):
                raise ValueError(f"{key}: a sentence holds no other sentence")
            yield Wording.read(key, sub, languages)
        else:
            yield from _sentences(f"{key}.", sub, languages)


def read(text: str) -> Catalogue:
    """A catalogue from its TOML text; a missing language or placeholder is an error."""
    raw = tomllib.loads(text)
    languages = tuple(raw["languages"]["codes"])
    entries: dict[str, Entry] = {}
    wordings: dict[str, Wording] = {}
    for code, entry in raw["codes"].items():
        severity = Severity(entry["severity"])
        entries[code] = Entry(code, entry["section"], severity, entry["doc_fr"], entry["doc_en"])
        if _is_wording(entry, languages):
            wordings[code] = Wording.read(code, entry, languages)
        for variant, sub in entry.items():
            if isinstance(sub, dict):  # a sub-table: a variant, or a sentence added on a condition
                key = f"{code}.{variant}"
                wordings[key] = Wording.read(key, sub, languages)
    areas = {k: v for k, v in raw.items() if k not in _NOT_SENTENCES}
    sentences = {w.key: w for w in _sentences("", areas, languages)}
    clash = sorted(k for k in sentences if k in wordings or k.split(".")[0] in entries)
    if clash:
        raise ValueError(f"sentence keys clash with anomaly codes: {clash}")
    sections = {key: (s["fr"], s["en"]) for key, s in raw["sections"].items()}
    return Catalogue(languages, raw["docs"]["intro"], sections, entries, wordings, sentences)


@cache
def catalogue() -> Catalogue:
    """The catalogue, read once per process."""
    return read((templates_dir() / CATALOGUE).read_text("utf-8"))


def severity(code: str) -> Severity:
    """How serious an anomaly with this code is."""
    return catalogue().entries[code].severity


def _render(wording: Wording, lang: Lang, params: Mapping[str, object]) -> str:
    """The one renderer: the template in `lang`, every placeholder given and nothing else
    (a mismatch is a bug, not data)."""
    if params.keys() != wording.fields:
        raise TypeError(
            f"message {wording.key!r} takes {sorted(wording.fields)}, given {sorted(params)}"
        )
    return wording.text(lang).format(**params)


def say(lang: Lang, key: str, /, **params: object) -> str:
    """The sentence `key` ("area.name") in `lang`, its placeholders filled."""
    return _render(catalogue().sentences[key], lang, params)


def did_you_mean(lang: Lang, name: str, known: list[str]) -> str:
    """ " (vouliez-vous dire « X » ?)" when a known name is close to `name`, else "":
    the one hint after an unknown name, wherever one is refused."""
    guess = closest(name, known)
    return say(lang, "hint.did_you_mean", name=guess) if guess else ""


@cache
def translations(area: str, lang: Lang) -> Mapping[str, str]:
    """English text -> its text in `lang`, for an area keyed by the English a library
    gives (the commands' help, click's sentences); plural pairs left out."""
    prefix = f"{area}."
    return {
        w.en: w.text(lang)
        for key, w in catalogue().sentences.items()
        if key.startswith(prefix) and not key.endswith((".one", ".many"))
    }


@cache
def plural_translations(area: str, lang: Lang) -> Mapping[tuple[str, str], tuple[str, str]]:
    """(English singular, English plural) -> both in `lang`, for the .one/.many pairs."""
    book = catalogue().sentences
    pairs = {}
    for key, one in book.items():
        if key.startswith(f"{area}.") and key.endswith(".one"):
            many = book[key.removesuffix(".one") + ".many"]
            pairs[one.en, many.en] = (one.text(lang), many.text(lang))
    return pairs


def message(key: str, lang: Lang, /, **params: object) -> str:
    """The message of an anomaly code (or of "code.variant") in `lang`, its placeholders
    filled; text values come from cells and are shown visible (a bell is shown ␇)."""
    shown = {k: visible(v) if isinstance(v, str) else v for k, v in params.items()}
    return _render(catalogue().wordings[key], lang, shown)


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
        prog="python -m sheetsync.messages", description="The catalogue of sentences."
    )
    parser.add_argument("--docs", action="store_true", help="print docs/ANOMALIES.md")
    if parser.parse_args(argv).docs:
        sys.stdout.write(docs())
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
