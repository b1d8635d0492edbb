"""No user-facing sentence bypasses the catalogues (SPEC §10).

Every message an exception shows the user, every line echoed to the terminal and every
usage error is built by `tr(lang, fr, en)`, `messages.message(...)` or a helper that
returns one; a bare string or f-string there would be one language only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import sheetsync

PACKAGE = Path(sheetsync.__file__).parent

# Constructors whose first argument a person reads.
USER_FACING_ERRORS = {
    "SheetsyncError",
    "StructureError",
    "BackendError",
    "LockHeldError",
    "LockFileError",
    "JobFileError",
    "UnknownSheetError",
    "RunLogError",
    "UnknownPersonError",
    "UnknownPayeeError",
    "ClosingError",
    "RefusedError",
    "UsageError",
    "BadParameter",
    "ClickException",
}
ECHOES = {"echo", "secho", "fail"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_sentence(node: ast.expr) -> bool:
    """A literal with words in it: a string or f-string holding letters."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and any(c.isalpha() for c in str(part.value))
            for part in node.values
        )
    if isinstance(node, ast.BinOp):  # "..." + x, "..." % x
        return _is_sentence(node.left) or _is_sentence(node.right)
    return False


def bypasses(source: str) -> Iterator[tuple[int, str]]:
    """(line, callee) of each call that hands a person a one-language sentence."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        callee = _name(node.func)
        if (callee in USER_FACING_ERRORS or callee in ECHOES) and _is_sentence(node.args[0]):
            yield node.lineno, callee


def test_the_check_finds_a_bare_sentence() -> None:
    source = 'raise BackendError(f"{name} not found")\nclick.echo("done")\n'
    assert [callee for _, callee in bypasses(source)] == ["BackendError", "echo"]
    translated = 'raise BackendError(tr(lang, "{n} introuvable", "{n} not found", n=name))\n'
    assert list(bypasses(translated)) == []


def test_no_user_facing_string_bypasses_the_catalogues() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line} {callee}(...)"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, callee in bypasses(path.read_text("utf-8"))
    ]
    assert found == [], "one-language sentences shown to users:\n" + "\n".join(found)
