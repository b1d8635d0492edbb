"""click's own words — "Error:", "Try … for help.", "Missing argument", "Invalid value
for" — in the user's language (SPEC §10).

click asks gettext for every sentence it prints (`_()` and `ngettext()` in its
modules). sheetsync answers those lookups from the catalogue below when the user's
language is French — the sheet's once read, else LC_ALL/LANG, French by default —
and leaves them as click wrote them otherwise.
"""

from __future__ import annotations

import gettext

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from sheetsync import display

FRENCH = {
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "No such option {name!r}.": "Option inconnue {name!r}.",
    "No such command {name!r}.": "Commande inconnue {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Aborted!": "Interrompu.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Could not open file {filename!r}: {message}": (
        "Impossible d'ouvrir le fichier {filename!r} : {message}"
    ),
    # click names the file kind ("File", "Directory") when the options are made, in
    # English: the French sentences leave it out.
    "{name} {filename!r} does not exist.": "{filename!r} n'existe pas.",
    "{name} {filename!r} is a directory.": "{filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{filename!r} est un fichier.",
    "{name} {filename!r} is not readable.": "{filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{filename!r} n'est pas modifiable.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "integer": "nombre entier",
    "float": "nombre",
    "default: {default}": "par défaut : {default}",
}
FRENCH_PLURALS = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de : {possibilities} ?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas l'une des valeurs {choices}.",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option {name!r} demande une valeur.",
        "L'option {name!r} demande {nargs} valeurs.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
}
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
    if display.user_lang() == "fr" and message in FRENCH:
        return FRENCH[message]
    return gettext.gettext(message)


def said_n(singular: str, plural: str, n: int) -> str:
    """click's sentence, singular or plural, in the user's language."""
    if display.user_lang() == "fr" and (singular, plural) in FRENCH_PLURALS:
        one, many = FRENCH_PLURALS[singular, plural]
        return one if n == 1 else many
    return gettext.ngettext(singular, plural, n)


def install() -> None:
    """Answer click's lookups from this catalogue (click binds `_` and `ngettext`
    per module when it is imported)."""
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = said  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = said_n  # type: ignore[attr-defined]
