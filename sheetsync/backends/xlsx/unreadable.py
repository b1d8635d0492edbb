"""Why a workbook part sheetsync must read or rewrite cannot be used, in the user's language."""

from __future__ import annotations

from typing import Literal

from sheetsync.display import user_lang
from sheetsync.errors import BackendError
from sheetsync.messages import say
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
    # A part every workbook has, absent or empty (DamagedPart).
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
        say(lang, "xlsx.unreadable.save_again_xlsx", why=tr(lang, *REASONS[reason], **params))
    )


class DamagedPart(Exception):  # noqa: N818 - a state of the package, not a kind of error
    """A part every workbook has is missing or empty: the package is damaged.

    Raised while the package is opened, turned by the backend into its damaged-workbook
    message. `titles` are the tabs the workbook lists, when it could be read: the
    message then speaks the sheet's language although no cell was read.
    """

    def __init__(
        self,
        part: str,
        damage: Literal["missing", "empty", "unlinked"],
        *,
        tab: str | None = None,
        titles: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{part}: {damage}")
        self.part, self.damage, self.tab, self.titles = part, damage, tab, titles

    @property
    def lang(self) -> Lang:
        return user_lang(titles_language(self.titles))

    def why(self) -> str:
        """What is wrong with the part, in the sheet's language (or the environment's)."""
        if self.damage == "unlinked":  # the workbook's relationships do not name the tab
            key = "tab_unlinked"
        else:
            key = ("tab_part_" if self.tab else "part_") + self.damage
        params = {"part": self.part} | ({"tab": self.tab} if self.tab else {})
        return tr(self.lang, *REASONS[key], **params)
