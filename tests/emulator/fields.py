"""Field masks as the Sheets API takes them: "sheets(properties(title),data)", "a.b,c/d".

A mask parses into a tree; applying it keeps only the named parts of a response.
"""

from __future__ import annotations

from typing import Any

from tests.emulator.state import invalid

Mask = dict[str, "Mask | None"]  # None below a name: keep everything under it


def _merge(into: Mask, path: list[str], sub: Mask | None) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        old = into.get(head, {})
        into[head] = None if sub is None or old is None else {**old, **sub}
        return
    child = into.get(head, {})
    if child is None:
        return
    into[head] = child
    _merge(child, rest, sub)


def _parse_list(text: str, pos: int) -> tuple[Mask, int]:
    mask: Mask = {}
    name = ""
    while pos <= len(text):
        char = text[pos] if pos < len(text) else ","
        if char == "(":
            sub, pos = _parse_list(text, pos + 1)
            _merge(mask, _path(name), sub)
            name = ""
        elif char in ",)":
            if name.strip():
                _merge(mask, _path(name), None)
            name = ""
            if char == ")":
                return mask, pos + 1
            pos += 1
            continue
        else:
            name += char
            pos += 1
            continue
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return mask, pos


def _path(name: str) -> list[str]:
    parts = [p.strip() for p in name.replace("/", ".").split(".")]
    if not all(parts):
        raise invalid(f"Invalid field selection {name}")
    return parts


def parse(text: str) -> Mask | None:
    """The mask tree of a fields string; None for "*" (everything)."""
    if text.strip() in ("*", ""):
        return None
    mask, _ = _parse_list(text.replace(" ", ""), 0)
    return mask


def apply(value: Any, mask: Mask | None) -> Any:
    """Keep only the masked parts; empty messages disappear as in Google's JSON."""
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply(item, mask) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {}
    for key, sub in mask.items():
        if key in value:
            part = apply(value[key], sub)
            if part != {} or (isinstance(value[key], dict) and not value[key]):
                kept[key] = part
    return kept


def paths(text: str) -> list[list[str]]:
    """Leaf paths of a mask, for update requests ("*" gives [["*"]])."""
    mask = parse(text)
    if mask is None:
        return [["*"]]
    found: list[list[str]] = []

    def walk(node: Mask, prefix: list[str]) -> None:
        for key, sub in node.items():
            if sub is None:
                found.append([*prefix, key])
            else:
                walk(sub, [*prefix, key])

    walk(mask, [])
    return found
