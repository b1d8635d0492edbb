"""Reading an email address cell (Personnes / Email, the reminder settings): one address
or an AddressError saying what is wrong; no mail header is ever built from anything else.
"""

from __future__ import annotations

import re
import unicodedata

from sheetsync.cells import as_text
from sheetsync.errors import AddressError
from sheetsync.model import CellValue
from sheetsync.text import visible

# Why a cell is not one address: the catalogue's variants of `email_invalid`.
SEVERAL, NO_AT, CONTROL, MALFORMED = "several", "no_at", "control", "malformed"

# Line breaks, tabs and every invisible character: control (Cc), format (Cf: zero-width
# spaces, bidi marks), line and paragraph separators (Zl, Zp).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
# `Nom <a@b.org>`: a display name, then the address between angle brackets.
_NAMED = re.compile(r"(?P<name>[^<>]*?)\s*<(?P<address>[^<>]*)>")
# A dot-atom local part (RFC 5322, letters of any script allowed as RFC 6531 does) and
# a domain of at least two labels, each letters, digits and inner hyphens.
_LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*")
_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
# Something@something between spaces, commas, semicolons or brackets: one address each.
_ADDRESS_LIKE = re.compile(r"[^\s,;<>]+@[^\s,;<>@]+")
MAX_LOCAL, MAX_ADDRESS, MAX_LABEL = 64, 254, 63  # RFC 5321's and DNS's limits


def is_invisible(char: str) -> bool:
    """A line break, a tab, or a character that shows nothing but may act."""
    return unicodedata.category(char) in _INVISIBLE


def parse_address(value: CellValue) -> str:
    """The one address a cell holds, surrounding spaces and line breaks trimmed.

    `Ana <ana@example.org>` is read as `ana@example.org` (the display name is dropped).
    Two addresses, no @, a line break or an invisible character inside, or anything
    else that is not an address: AddressError.
    """
    text = as_text(value).strip()
    named = _NAMED.fullmatch(text)
    address = named.group("address").strip() if named else text
    if len(_ADDRESS_LIKE.findall(text)) > 1:
        raise AddressError(SEVERAL)
    if any(is_invisible(c) for c in text):
        raise AddressError(CONTROL)
    if "@" not in address:
        raise AddressError(MALFORMED if "@" in text else NO_AT)
    if named and not _is_display_name(named.group("name")):
        raise AddressError(MALFORMED)
    if not _is_address(address):
        raise AddressError(MALFORMED)
    return address


def _is_display_name(name: str) -> bool:
    """`Ana`, `Ana Lopez` or `"Lopez, Ana"`: a comma or semicolon outside quotes would
    make `Lopez, Ana <a@b.org>` read as two recipients."""
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return '"' not in name[1:-1]
    return re.search(r"[,;\"@]", name) is None


def _is_address(address: str) -> bool:
    local, _, domain = address.partition("@")
    labels = domain.split(".")
    return (
        len(local) <= MAX_LOCAL
        and len(address) <= MAX_ADDRESS
        and _LOCAL.fullmatch(local) is not None
        and len(labels) >= 2  # a name and a top-level domain
        and all(_LABEL.fullmatch(label) and len(label) <= MAX_LABEL for label in labels)
        and not labels[-1].isdigit()
        and _ascii_domain(domain) is not None
    )


def _ascii_domain(domain: str) -> str | None:
    """The domain as DNS spells it (`café.fr` -> `xn--caf-dma.fr`), None if it has none."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def for_smtp(address: str) -> str:
    """A checked address as a mail server reads it: its domain in ASCII, so a server
    without SMTPUTF8 takes it when only the domain has letters beyond ASCII."""
    local, _, domain = address.partition("@")
    return f"{local}@{_ascii_domain(domain) or domain}"


# A line break shown where it is, in a message of one line.
_BREAKS = str.maketrans({"\n": "\u2424", "\r": "\u240d"})


def shown(text: str) -> str:
    """A cell's text for a one-line message: each line break shown as ␤ (␍ for a
    carriage return), the other control characters by `text.visible`."""
    return visible(text.replace("\r\n", "\n").translate(_BREAKS))
