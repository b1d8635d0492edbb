"""Finding, adding and reading entries of an OOXML part's lists (styles, defined names),
by text: the parts are copied as they are, only the entries sheetsync needs change.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, unescape

from sheetsync.backends.xlsx.unreadable import unreadable


def section(xml: str, tag: str) -> re.Match[str] | None:
    return re.search(rf"<{tag}\b([^>]*?)(?:/>|>(.*?)</{tag}>)", xml, re.DOTALL)


def children(body: str, tag: str) -> list[str]:
    pattern = rf"<{tag}(?:\s[^>]*?)?/>|<{tag}(?:\s[^>]*?)?(?<!/)>.*?</{tag}>"
    return re.findall(pattern, body, re.DOTALL)


def append_child(xml: str, found: re.Match[str], child: str, count: int | None) -> str:
    """The list element `found` with `child` appended and its count attribute updated."""
    tag = found.group(0)[1:].split(">")[0].split()[0].rstrip("/")
    attrs = found.group(1).rstrip()
    if count is not None:
        attrs = re.sub(r'\s*\bcount="\d*"', "", attrs) + f' count="{count}"'
    replaced = f"<{tag}{attrs}>{found.group(2) or ''}{child}</{tag}>"
    return xml[: found.start()] + replaced + xml[found.end() :]


def find_or_append(xml: str, tag: str, child_tag: str, child: str) -> tuple[str, int]:
    """Index of an identical entry in a style list, appending it when absent."""
    found = section(xml, tag)
    if found is None:
        raise unreadable("no_list", tag=tag)
    entries = children(found.group(2) or "", child_tag)
    if child in entries:
        return xml, entries.index(child)
    return append_child(xml, found, child, len(entries) + 1), len(entries)


_BUILTIN_FORMATS = {"0": 1, "0.00": 2, "#,##0.00": 4, "0%": 9, "0.00%": 10}


def find_or_append_format(xml: str, code: str) -> tuple[str, int]:
    """numFmtId of a format code: built-in, already defined, or appended."""
    if code in _BUILTIN_FORMATS:
        return xml, _BUILTIN_FORMATS[code]
    if section(xml, "numFmts") is None:
        opening = re.search(r"<styleSheet\b[^>]*>", xml)
        if opening is None:
            raise unreadable("styles")
        xml = xml[: opening.end()] + '<numFmts count="0"/>' + xml[opening.end() :]
    found = section(xml, "numFmts")
    assert found is not None
    entries = children(found.group(2) or "", "numFmt")
    defined = {}
    for child in entries:
        found_attrs = {name: double or single for name, double, single in attributes(child)}
        code_found = unescape(found_attrs.get("formatCode", ""), _ENTITIES)
        defined[code_found] = int(found_attrs.get("numFmtId", "0"))
    if code in defined:
        return xml, defined[code]
    new_id = max([163, *defined.values()]) + 1
    element = f'<numFmt numFmtId="{new_id}" formatCode="{escape(code, _ENTITIES_OUT)}"/>'
    return append_child(xml, found, element, len(entries) + 1), new_id


_ENTITIES = {"&quot;": '"', "&apos;": "'"}
_ENTITIES_OUT = {'"': "&quot;"}


def attributes(element: str) -> list[tuple[str, str, str]]:
    """(name, double-quoted value, single-quoted value) of an element's attributes."""
    opening = element.split(">", 1)[0]
    return re.findall(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", opening)
