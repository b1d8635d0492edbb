"""Why a workbook part sheetsync must read or rewrite cannot be used, in the user's language."""

from __future__ import annotations

from sheetsync.display import user_lang
from sheetsync.errors import BackendError, DamagedPartError
from sheetsync.messages import say
from sheetsync.template import Lang, titles_language

# Why a part cannot be used: its sentence in the catalogue.
REASONS = {
    "no_workbook": "xlsx.unreadable.reason.no_workbook",
    "no_list": "xlsx.unreadable.reason.no_list",
    "styles": "xlsx.unreadable.reason.styles",
    "part": "xlsx.unreadable.reason.part",
    "no_names": "xlsx.unreadable.reason.no_names",
    # A part every workbook has, absent or empty (DamagedPartError).
    "part_missing": "xlsx.unreadable.reason.part_missing",
    "part_empty": "xlsx.unreadable.reason.part_empty",
    "tab_part_missing": "xlsx.unreadable.reason.tab_part_missing",
    "tab_part_empty": "xlsx.unreadable.reason.tab_part_empty",
    "tab_unlinked": "xlsx.unreadable.reason.tab_unlinked",
}


def unreadable(reason: str, /, **params: object) -> BackendError:
    """The part is not as a spreadsheet program saves it: say so, and how to repair it."""
    lang = user_lang()
    return BackendError(
        say(lang, "xlsx.unreadable.save_again_xlsx", why=say(lang, REASONS[reason], **params))
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
    return say(damage_lang(damage), REASONS[key], **params)
