"""click's own words — "Error:", "Try … for help.", "Missing argument", "Invalid value
for" — in the user's language (SPEC §10).

click asks gettext for every sentence it prints (`_()` and `ngettext()` in its
modules). sheetsync answers those lookups from the catalogue (templates/messages.toml, area
`click`) when the user's
language — the sheet's once read, else LC_ALL/LANG, French by default — is one of
the catalogue's; click's English is its own message ids.
"""

from __future__ import annotations

import gettext

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from sheetsync import display, messages

MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
)


def said(message: str) -> str:
    """click's sentence in the user's language."""
    translated = messages.translations("click", display.user_lang()).get(message)
    return gettext.gettext(message) if translated is None else translated


def said_n(singular: str, plural: str, n: int) -> str:
    """click's sentence, singular or plural, in the user's language."""
    pair = messages.plural_translations("click", display.user_lang()).get((singular, plural))
    if pair is not None:
        return pair[0] if n == 1 else pair[1]
    return gettext.ngettext(singular, plural, n)


def install() -> None:
    """Answer click's lookups from this catalogue (click binds `_` and `ngettext`
    per module when it is imported)."""
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = said  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = said_n  # type: ignore[attr-defined]
