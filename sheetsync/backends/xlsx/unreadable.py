"""Why a workbook part sheetsync must rewrite cannot be used, in the user's language."""

from __future__ import annotations

from sheetsync.display import user_lang
from sheetsync.errors import BackendError
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
    "no_styles": ("le classeur n'a pas de partie styles", "the workbook has no styles part"),
}


def unreadable(reason: str, /, **params: object) -> BackendError:
    """The part is not as a spreadsheet program saves it: say so, and how to repair it."""
    lang = user_lang()
    fr, en = REASONS[reason]
    return BackendError(
        tr(
            lang,
            "{why} ; enregistrez-le à nouveau au format .xlsx",
            "{why}; save it again as .xlsx",
            why=tr(lang, fr, en, **params),
        )
    )
