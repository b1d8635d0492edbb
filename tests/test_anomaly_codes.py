"""The source, the catalogue (templates/messages.toml) and docs/ANOMALIES.md agree.

Every code the source emits is in the catalogue and every catalogue code is
emitted; every message the source asks for is in the catalogue and every one is
asked for; each has both languages with the same placeholders; the doc is the
one the catalogue renders.

Codes are found with `ast`: the `code` argument of Anomaly(...) and of every
function that passes its own `code` parameter on to one (Sheet.anomaly,
_Rows.reject, checks' helpers...), given by keyword or by position, and the
strings assigned to a variable named `code`. Message keys are the first
argument of message(...).
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sheetsync
from sheetsync import messages
from sheetsync.model import Severity
from sheetsync.template import templates_dir

SOURCE = Path(sheetsync.__file__).parent
DOC = SOURCE.parent / "docs" / "ANOMALIES.md"
CODE = "code"
ANOMALY_CODE_INDEX = 6  # Anomaly(severity, tab, row, column, value, message, code)

MESSAGE = "message"

# Codes and message keys built with an f-string, and the values their placeholder takes.
EXPANSIONS = {
    "{column}_duplicate": ("group", "person"),  # parse_groups._duplicate: Groupes, Personnes
    "{key}_unknown": ("kind", "status"),  # parse_contributions._enum: its two enum columns
    "date_unreadable.{order}": ("day_first", "month_first"),  # parse.rows.date_unreadable
    "email_invalid.{reason}": ("several", "no_at", "control", "malformed"),  # parse.groups
}

Makers = dict[str, int | None]  # function name -> position of `code` (None: keyword only)


def _trees() -> list[ast.Module]:
    return [ast.parse(path.read_text("utf-8")) for path in sorted(SOURCE.rglob("*.py"))]


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _code_argument(call: ast.Call, makers: Makers) -> ast.expr | None:
    """The expression given as `code` to an anomaly maker; None for other calls."""
    name = _callee(call)
    if name not in makers:
        return None
    for keyword in call.keywords:
        if keyword.arg == CODE:
            return keyword.value
    index = makers[name]
    return call.args[index] if index is not None and index < len(call.args) else None


def _position_of_code(function: ast.FunctionDef) -> int | None:
    positional = [a.arg for a in function.args.posonlyargs + function.args.args]
    positional = [a for a in positional if a not in {"self", "cls"}]
    return positional.index(CODE) if CODE in positional else None


def _makers(trees: list[ast.Module]) -> Makers:
    """Anomaly, and every function that hands its `code` parameter to a maker."""
    makers: Makers = {"Anomaly": ANOMALY_CODE_INDEX}
    functions = [
        node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and CODE in [a.arg for a in [*node.args.args, *node.args.kwonlyargs]]
    ]
    grown = True
    while grown:
        grown = False
        for function in functions:
            if function.name in makers:
                continue
            calls = [n for n in ast.walk(function) if isinstance(n, ast.Call)]
            arguments = [_code_argument(call, makers) for call in calls]
            if any(isinstance(a, ast.Name) and a.id == CODE for a in arguments):
                makers[function.name] = _position_of_code(function)
                grown = True
    return makers


def _literals(node: ast.expr) -> list[str] | None:
    """A string constant, an f-string written with {placeholders}, or both branches of
    `"a" if ... else "b"`; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                str(part.value)
                if isinstance(part, ast.Constant)
                else "{" + ast.unparse(part.value) + "}"
                for part in node.values
                if isinstance(part, ast.Constant | ast.FormattedValue)
            )
        ]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _assigned_to_code(node: ast.Assign) -> Iterator[ast.expr]:
    for target in node.targets:
        if isinstance(target, ast.Name) and target.id == CODE:
            yield node.value
        elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
            yield from (
                value
                for name, value in zip(target.elts, node.value.elts, strict=False)
                if isinstance(name, ast.Name) and name.id == CODE
            )


def source_codes() -> tuple[set[str], list[str]]:
    """The codes written in the source, and the code arguments it cannot read."""
    trees = _trees()
    makers = _makers(trees)
    found: set[str] = set()
    unreadable: list[str] = []
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.Call) and (argument := _code_argument(node, makers)):
            texts = _literals(argument)
            if texts is not None:
                found.update(texts)
            elif not (isinstance(argument, ast.Name) and argument.id == CODE):
                unreadable.append(ast.unparse(node))
        elif isinstance(node, ast.Assign):
            found |= {t for v in _assigned_to_code(node) for t in _literals(v) or []}
    return found, unreadable


def source_message_keys() -> tuple[set[str], list[str]]:
    """The keys given to message(...), and the calls whose key it cannot read.

    A key given as the variable `code` is one of the codes, collected above.
    """
    found: set[str] = set()
    unreadable: list[str] = []
    for node in (n for tree in _trees() for n in ast.walk(tree)):
        if not (isinstance(node, ast.Call) and _callee(node) == MESSAGE and node.args):
            continue
        key = node.args[0]
        texts = _literals(key)
        if texts is not None:
            found.update(texts)
        elif not (isinstance(key, ast.Name) and key.id == CODE):
            unreadable.append(ast.unparse(node))
    return found, unreadable


def expanded(codes: set[str]) -> set[str]:
    result = set()
    for code in codes:
        if "{" not in code:
            result.add(code)
            continue
        assert code in EXPANSIONS, f"list the values of {code} in EXPANSIONS"
        placeholder = re.search(r"\{[^}]*\}", code)
        assert placeholder is not None
        result |= {code.replace(placeholder.group(0), value) for value in EXPANSIONS[code]}
    return result


def documented_codes() -> list[str]:
    return re.findall(r"^\| `([a-z0-9_]+)` \|", DOC.read_text("utf-8"), flags=re.MULTILINE)


def raw_catalogue() -> dict[str, Any]:
    return tomllib.loads((templates_dir() / messages.CATALOGUE).read_text("utf-8"))


def raw_wordings() -> dict[str, dict[str, Any]]:
    """Every table of the catalogue holding a message: codes and their sub-tables."""
    wordings = {}
    for code, entry in raw_catalogue()["codes"].items():
        if "fr" in entry or "en" in entry:
            wordings[code] = entry
        wordings |= {f"{code}.{k}": sub for k, sub in entry.items() if isinstance(sub, dict)}
    return wordings


SOURCE_CODES, UNREADABLE = source_codes()
CODES = sorted(expanded(SOURCE_CODES))
SOURCE_KEYS, UNREADABLE_KEYS = source_message_keys()
MESSAGE_KEYS = sorted(expanded(SOURCE_KEYS))
CATALOGUE = messages.catalogue()
RAW_CODES: dict[str, dict[str, Any]] = raw_catalogue()["codes"]
RAW_WORDINGS = raw_wordings()


def test_every_code_argument_is_a_literal() -> None:
    assert UNREADABLE == []


def test_every_message_key_is_a_literal() -> None:
    assert UNREADABLE_KEYS == []


@pytest.mark.parametrize("code", CODES)
def test_emitted_code_is_in_the_catalogue(code: str) -> None:
    assert code in CATALOGUE.entries


def test_every_catalogue_code_is_emitted() -> None:
    assert sorted(set(CATALOGUE.entries) - set(CODES)) == []


@pytest.mark.parametrize("key", MESSAGE_KEYS)
def test_message_asked_for_is_in_the_catalogue(key: str) -> None:
    assert key in CATALOGUE.wordings


def test_every_catalogue_message_is_asked_for() -> None:
    # A code's own message may be asked for through the variable `code`.
    assert sorted(set(CATALOGUE.wordings) - set(MESSAGE_KEYS) - set(CODES)) == []


@pytest.mark.parametrize("code", sorted(RAW_CODES))
def test_catalogue_entry_is_complete(code: str) -> None:
    entry = RAW_CODES[code]
    assert entry["severity"] in set(Severity)
    assert entry["section"] in raw_catalogue()["sections"]
    assert entry["doc_fr"].strip()
    assert entry["doc_en"].strip()
    assert code in CATALOGUE.wordings or any(k.startswith(f"{code}.") for k in RAW_WORDINGS)


@pytest.mark.parametrize("key", sorted(RAW_WORDINGS))
def test_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    wording = RAW_WORDINGS[key]
    assert wording["fr"].strip()
    assert wording["en"].strip()
    assert messages.placeholders(wording["fr"]) == messages.placeholders(wording["en"])


def test_a_missing_or_extra_placeholder_is_an_error() -> None:
    assert messages.message("duplicate", "en", earlier=3).startswith("Probable duplicate of row 3")
    with pytest.raises(TypeError):
        messages.message("duplicate", "en")
    with pytest.raises(TypeError):
        messages.message("duplicate", "fr", earlier=3, extra="x")


def test_the_doc_is_the_one_the_catalogue_renders() -> None:
    # Regenerate it with: python -m sheetsync.messages --docs > docs/ANOMALIES.md
    assert DOC.read_text("utf-8") == messages.docs()


def test_the_doc_lists_every_catalogue_code_once() -> None:
    assert sorted(documented_codes()) == sorted(CATALOGUE.entries)


def test_every_expansion_is_used() -> None:
    assert set(EXPANSIONS) <= SOURCE_CODES | SOURCE_KEYS


@pytest.mark.parametrize(
    "code", ["creative_inviter_unknown", "creative_inviter_ambiguous", "group_missing"]
)
def test_the_collector_finds_codes_given_every_way(code: str) -> None:
    # By keyword through Sheet.anomaly and _Rows.reject, and by position to reject.
    assert code in CODES
