"""Why a workbook part sheetsync must read or rewrite cannot be used, in the user's language."""

from __future__ import annotations

from sheetsync.display import user_lang
from sheetsync.errors import BackendError, DamagedPartError
from sheetsync.template import Lang, titles_language
from sheetsync.text import tr

REASONS = {
    "no_workbook": (
        "ce n'est pas un classeur Excel (aucune partie workbook)",
        "not an Excel workbook (no workbook part inside)",
    ),
    "no_list": (
        "les styles du classeur n'ont pas de liste <{tag}>",
        "the workbook's styles have no <{tag}> list",
    ),
    "styles": ("les styles du classeur sont illisibles", "the workbook's styles cannot be read"),
    "part": (
        "la partie {part} du classeur est illisible",
        "the workbook part {part} cannot be read",
    ),
    "no_names": (
        "le classeur ne liste aucun nom défini",
        "the workbook lists no defined names",
    ),
    # A part every workbook has, absent or empty (DamagedPartError).
    "part_missing": ("la partie {part} manque", "the part {part} is missing"),
    "part_empty": ("la partie {part} est vide", "the part {part} is empty"),
    "tab_part_missing": (
        "la partie {part} de l'onglet « {tab} » manque",
        "the part {part} of the tab '{tab}' is missing",
    ),
    "tab_part_empty": (
        "la partie {part} de l'onglet « {tab} » est vide",
        "the part {part} of the tab '{tab}' is empty",
    ),
    "tab_unlinked": (
        "l'onglet « {tab} » n'a pas de partie dans {part}",
        "the tab '{tab}' has no part in {part}",
    ),
}


def unreadable(reason: str, /, **params: object) -> BackendError:
    """The part is not as a spreadsheet program saves it: say so, and how to repair it."""
    lang = user_lang()
    return BackendError(
        tr(
            lang,
            "{why} ; enregistrez-le à nouveau au format .xlsx",
            "{why}; save it again as .xlsx",
            why=tr(lang, *REASONS[reason], **params),
        )
    )


def damage_lang(damage: DamagedPartError) -> Lang:
    """The language to say the damage in: the sheet's, told by its tab titles, else the
    environment's."""
    return user_lang(titles_language(damage.titles))


def damage_why(damage: DamagedPartError) -> str:
    """What is wrong with the part, in the sheet's language (or the environment's)."""
    if damage.damage == "unlinked":  # the workbook's relationships do not name the tab
        key = "tab_unlinked"
    else:
        key = ("tab_part_" if damage.tab else "part_") + damage.damage
    params = {"part": damage.part} | ({"tab": damage.tab} if damage.tab else {})
    return tr(damage_lang(damage), *REASONS[key], **params)
