"""No user-facing sentence bypasses the catalogue (SPEC §10, issue 22).

Every message an exception shows the user, every line echoed to the terminal and every
usage error is built by `messages.say(lang, key, ...)`, `messages.message(...)` or a
helper that returns one; a bare string or f-string there would be one language only.

And no sentence is written in two languages inline: no `tr(...)`, no comparison of a
language with "fr" or "en", no (French, English) pair of strings outside the catalogue
module. The few sites that must stay carry a `# inline language:` comment saying why, on
their statement's first line or the line above; ALLOWED caps how many there are.
"""

from __future__ import annotations

import ast
import re
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


# ---------------------------------------------------------------- inline languages

# The catalogue's reader, and the template's (tab, column and enum names in each
# language: the other half of the data in templates/, read the same way).
DATA_MODULES = {PACKAGE / "messages.py", PACKAGE / "template.py"}
MARK = "# inline language:"
ALLOWED = 6  # sites marked with MARK, at most
LANGUAGE_CODES = {"fr", "en"}
# A token, not a sentence: a key, a code, a suffix, a codec, a constant, a colour.
_WORD = re.compile(r"\.?[a-z0-9_\-]*|[A-Z0-9_]+|[0-9A-Fa-f]+")


def _is_pair(node: ast.expr) -> bool:
    """("Erreurs", "Errors"): two different strings, one of them more than a key."""
    if not (isinstance(node, ast.Tuple) and len(node.elts) == 2):
        return False
    texts = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return (
        len(texts) == 2
        and texts[0] != texts[1]
        and set(texts) != LANGUAGE_CODES
        and any(c.isalpha() for c in texts[0] + texts[1])
        and not all(_WORD.fullmatch(t) for t in texts)
    )


def _compares_language(node: ast.expr) -> bool:
    """lang == "fr", "en" != x, language in ("fr", "en") is fine (a check, not a choice)."""
    if not isinstance(node, ast.Compare):
        return False
    if not all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
        return False
    sides = [node.left, *node.comparators]
    return any(isinstance(x, ast.Constant) and x.value in LANGUAGE_CODES for x in sides)


def _is_tr(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) == "tr"


def inline_languages(source: str) -> Iterator[tuple[int, str, int | None]]:
    """(line, what, marked) of each sentence written in two languages inline; marked is
    the first line of the statement its `# inline language:` comment covers, or None."""
    lines = source.splitlines()
    tree = ast.parse(source)
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr):
            continue
        if _is_tr(node):
            what = "tr(...)"
        elif _compares_language(node):
            what = "a language compared with fr/en"
        elif _is_pair(node):
            what = "a (fr, en) pair"
        else:
            continue
        # the innermost statement holding the node: the comments just above it, or its
        # lines up to the node's
        held = [s for s in statements if s.lineno <= node.lineno <= (s.end_lineno or s.lineno)]
        first = max((s.lineno for s in held), default=node.lineno) - 1  # 0-based
        above = first
        while above > 0 and lines[above - 1].strip().startswith("#"):
            above -= 1
        near = lines[above : node.lineno]
        yield node.lineno, what, first + 1 if any(MARK in line for line in near) else None


def test_the_check_finds_inline_languages() -> None:
    source = (
        'a = tr(lang, "oui", "yes")\n'
        'b = "Erreurs" if lang == "fr" else "Errors"\n'
        'c = {"x": ("écrit", "written")}\n'
        'd = ("today", "yesterday")\n'
        'e = ("fr", "en")\n'
        "# inline language: a reason\n"
        'f = lang == "fr"\n'
    )
    found = sorted((line, marked) for line, _, marked in inline_languages(source))
    assert found == [(1, None), (2, None), (3, None), (7, 7)]


def _sites() -> tuple[list[str], set[str]]:
    """The sites written inline unmarked, and the marked statements (file:line)."""
    unmarked, marked = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in DATA_MODULES:
            continue
        where = path.relative_to(PACKAGE.parent)
        for line, what, statement in inline_languages(path.read_text("utf-8")):
            if statement is None:
                unmarked.append(f"{where}:{line} {what}")
            else:
                marked.add(f"{where}:{statement}")
    return unmarked, marked


def test_no_sentence_is_written_in_two_languages_inline() -> None:
    unmarked, _ = _sites()
    assert unmarked == [], "sentences outside the catalogue (templates/messages.toml):\n" + (
        "\n".join(unmarked)
    )


def test_only_a_handful_of_inline_language_sites_remain() -> None:
    _, marked = _sites()
    assert len(marked) <= ALLOWED, "\n".join(sorted(marked))


# ---------------------------------------------------------------- the language is given

# Where the ambient language (display.user_lang, display.speak, display.speaking, the
# environment's LC_ALL and LANG) may be read or set: the command line decides the
# language and passes it down (SPEC §10).
DECIDES_LANGUAGE = (PACKAGE / "cli", PACKAGE / "display.py")
# Library modules that still read it, until they take the language explicitly too.
# The list only shrinks: a module here that no longer reads it fails the test below.
STILL_AMBIENT: set[str] = set()
_AMBIENT = {"user_lang", "speaking", "environment_lang"}
_LOCALE_VARIABLES = {"LC_ALL", "LANG"}


def ambient_language(source: str) -> Iterator[tuple[int, str]]:
    """Calls that read or set the ambient language: user_lang(…), speaking(…),
    environment_lang(…) (bare or display.…) and display.speak(…); and the names of the
    environment's locale variables, read directly."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in _LOCALE_VARIABLES:
            yield node.lineno, str(node.value)
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        if isinstance(callee, ast.Name) and callee.id in _AMBIENT:
            yield node.lineno, callee.id
        elif isinstance(callee, ast.Attribute) and (
            callee.attr in _AMBIENT
            or (callee.attr == "speak" and _name(callee.value).endswith("display"))
        ):
            yield node.lineno, f"{_name(callee.value)}.{callee.attr}"


def test_the_check_finds_the_ambient_language() -> None:
    source = (
        "from sheetsync import display\n"
        "from sheetsync.display import speaking, user_lang\n"
        "say(user_lang(), 'k')\n"
        "display.speak('en')\n"
        "with display.speaking('fr'):\n    pass\n"
        "with speaking(None):\n    pass\n"
        "say(display.user_lang(), 'k')\n"
        "say(lang, 'k')\n"
        "progress.speak('en')\n"
        "say(environment_lang(), 'k')\n"
        "os.environ.get('LC_ALL')\n"
    )
    assert sorted(line for line, _ in ambient_language(source)) == [3, 4, 5, 7, 9, 12, 13]


def test_only_the_command_line_decides_the_language() -> None:
    reads: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(path.is_relative_to(place) for place in DECIDES_LANGUAGE):
            continue
        found = [f"{line} {name}(...)" for line, name in ambient_language(path.read_text())]
        if found:
            reads[str(path.relative_to(PACKAGE.parent))] = found
    unexpected = {path: lines for path, lines in reads.items() if path not in STILL_AMBIENT}
    assert not unexpected, f"take `lang` explicitly instead: {unexpected}"
    assert set(reads) >= STILL_AMBIENT, f"no longer ambient: {STILL_AMBIENT - set(reads)}"
