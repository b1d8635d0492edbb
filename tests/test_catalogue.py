"""The catalogue of sentences (templates/messages.toml) is whole and the code agrees with it.

Every entry has a message in every language of the catalogue, with the same placeholders;
every `say(lang, "area.name", ...)` asks for a key of the catalogue by its literal name,
with exactly its placeholders; every sentence of the catalogue is asked for somewhere
(a key named as a string literal in the package: a say(...) call or a table of keys).
Anomaly codes are checked the same way by test_anomaly_codes.py.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import sheetsync
from sheetsync import messages
from sheetsync.template import LANGS, templates_dir

SOURCE = Path(sheetsync.__file__).parent
CATALOGUE = messages.catalogue()
RAW: dict[str, Any] = tomllib.loads((templates_dir() / messages.CATALOGUE).read_text("utf-8"))


def _say_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and messages_call(node) == "say":
                calls.append((f"{path.relative_to(SOURCE.parent)}:{node.lineno}", node))
    return calls


def messages_call(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _literals() -> set[str]:
    return {
        node.value
        for path in SOURCE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


SAY_CALLS = _say_calls()
# Literals shaped like a key that are not one: module paths and the like.
NOT_KEYS: set[str] = set()


def _raw_entries(prefix: str, table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every table holding a message, anomalies and sentences, by key."""
    found: dict[str, dict[str, Any]] = {}
    for name, sub in table.items():
        if isinstance(sub, dict):
            key = f"{prefix}{name}"
            if any(isinstance(sub.get(lang), str) for lang in RAW["languages"]["codes"]):
                found[key] = sub
            found |= _raw_entries(f"{key}.", sub)
    return found


# The sections are the titles of docs/ANOMALIES.md, in French and English only.
RAW_ENTRIES = _raw_entries("", {k: v for k, v in RAW.items() if k not in {"languages", "sections"}})


def test_the_catalogue_speaks_the_template_s_languages() -> None:
    assert CATALOGUE.languages == LANGS


@pytest.mark.parametrize("key", sorted(RAW_ENTRIES))
def test_every_entry_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = RAW_ENTRIES[key]
    other = {"section", "severity", "doc_fr", "doc_en"}  # an anomaly code's
    texts = {k: v for k, v in entry.items() if isinstance(v, str) and k not in other}
    assert set(texts) == set(CATALOGUE.languages), f"{key}: languages {sorted(texts)}"
    # not empty (the French thousands separator is a narrow no-break space)
    assert all(texts.values()), f"{key}: an empty message"
    fields = {lang: messages.placeholders(text) for lang, text in texts.items()}
    if (
        key.split(".", maxsplit=1)[0] in messages.FOREIGN
    ):  # click fills its own; French may omit some
        assert all(f <= fields["en"] for f in fields.values()), f"{key}: {fields}"
    else:
        assert len(set(fields.values())) == 1, f"{key}: placeholders differ: {fields}"


def test_a_language_missing_or_a_placeholder_different_is_refused_at_load() -> None:
    head = '[languages]\ncodes = ["fr", "en", "oc"]\n[docs]\nintro = ""\n[sections]\n[codes]\n'
    whole = head + '[cli.done]\nfr = "Fait : {n}"\nen = "Done: {n}"\noc = "Fach : {n}"\n'
    assert messages.read(whole).sentences["cli.done"].texts["oc"] == "Fach : {n}"
    with pytest.raises(ValueError, match="no message in oc"):
        messages.read(head + '[cli.done]\nfr = "Fait"\nen = "Done"\n')
    with pytest.raises(ValueError, match="placeholders"):
        messages.read(head + '[cli.done]\nfr = "{n}"\nen = "Done"\noc = "{n}"\n')


def test_say_fills_exactly_the_placeholders() -> None:
    key, wording = next((k, w) for k, w in CATALOGUE.sentences.items() if w.fields)
    params = dict.fromkeys(wording.fields, "x")
    assert messages.say("en", key, **params) == wording.en.format(**params)
    assert messages.say("fr", key, **params) == wording.fr.format(**params)
    with pytest.raises(TypeError):
        messages.say("en", key)
    with pytest.raises(TypeError):
        messages.say("en", key, **params, extra="x")


def test_every_key_asked_for_is_in_the_catalogue() -> None:
    # A key is a literal: in the say() call, or in a table of keys the call reads
    # (REASONS[reason], STAGE_WORDS.get(stage)); no key is assembled.
    wrong = [
        f"{where}: {call.args[1].value!r} is not in the catalogue"
        for where, call in SAY_CALLS
        if isinstance(call.args[1], ast.Constant) and call.args[1].value not in CATALOGUE.sentences
    ]
    assert wrong == []
    areas = {key.split(".")[0] for key in CATALOGUE.sentences}
    shaped = {
        text
        for text in _literals()
        if re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", text) and text.split(".")[0] in areas
    }
    # a literal shaped like a key of an area is a key: a typo in a table shows here
    assert sorted(shaped - set(CATALOGUE.sentences) - NOT_KEYS) == []


def test_no_key_is_assembled() -> None:
    found = [
        where
        for where, call in SAY_CALLS
        if isinstance(call.args[1], ast.JoinedStr | ast.BinOp)
        or (isinstance(call.args[1], ast.Call) and messages_call(call.args[1]) == "format")
    ]
    assert found == []


def test_every_call_gives_the_entry_s_placeholders() -> None:
    wrong = []
    for where, call in SAY_CALLS:
        key = call.args[1]
        if any(k.arg is None for k in call.keywords) or not isinstance(key, ast.Constant):
            continue  # checked when it runs
        given = {str(k.arg) for k in call.keywords}
        fields = CATALOGUE.sentences[str(key.value)].fields
        if given != fields:
            wrong.append(f"{where}: {key.value!s} takes {sorted(fields)}, given {sorted(given)}")
    assert wrong == []


def _areas_read_whole() -> set[str]:
    """Areas read as a table, keyed by their English: translations("help", ...)."""
    return {
        str(node.args[0].value)
        for path in SOURCE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Call)
        and messages_call(node) in {"translations", "plural_translations"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_sentence_of_the_catalogue_is_asked_for() -> None:
    whole = _areas_read_whole()
    assert whole == {"help", "click"}
    unused = set(CATALOGUE.sentences) - _literals()
    assert sorted(key for key in unused if key.split(".")[0] not in whole) == []
