"""Why a workbook part sheetsync must read or rewrite cannot be used, in the language the
backend speaks (or the sheet's, told by its tab titles)."""

from __future__ import annotations

from sheetsync.errors import BackendError, DamagedPartError, UnreadablePartError
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


def unreadable(reason: str, /, **params: object) -> UnreadablePartError:
    """The part is not as a spreadsheet program saves it; the backend says so (`said`)."""
    return UnreadablePartError(reason, params)


def said(error: UnreadablePartError, lang: Lang) -> BackendError:
    """The unreadable part in `lang`, and how to repair it."""
    why = say(lang, REASONS[error.reason], **error.params)
    return BackendError(say(lang, "xlsx.unreadable.save_again_xlsx", why=why))


def damage_lang(damage: DamagedPartError, lang: Lang, *, settled: bool) -> Lang:
    """The language to say the damage in: the sheet's, told by its tab titles, else `lang`
    (the backend's); `settled`: `lang` is known to be the sheet's and outranks the titles."""
    return lang if settled else titles_language(damage.titles) or lang


def damage_why(damage: DamagedPartError, lang: Lang) -> str:
    """What is wrong with the part, in `lang` (see damage_lang)."""
    if damage.damage == "unlinked":  # the workbook's relationships do not name the tab
        key = "tab_unlinked"
    else:
        key = ("tab_part_" if damage.tab else "part_") + damage.damage
    params = {"part": damage.part} | ({"tab": damage.tab} if damage.tab else {})
    return say(lang, REASONS[key], **params)
