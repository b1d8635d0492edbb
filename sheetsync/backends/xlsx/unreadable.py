"""Why a workbook part sheetsync must read or rewrite cannot be used, in the user's language."""

from __future__ import annotations

from typing import Literal

from sheetsync.display import user_lang
from sheetsync.errors import BackendError
from sheetsync.messages import say
from sheetsync.template import Lang, titles_language

# Why a part cannot be used: its sentence in the catalogue.
REASONS = {
    "no_workbook": "xlsx.unreadable.reason.no_workbook",
    "no_list": "xlsx.unreadable.reason.no_list",
    "styles": "xlsx.unreadable.reason.styles",
    "part": "xlsx.unreadable.reason.part",
    "no_names": "xlsx.unreadable.reason.no_names",
    # A part every workbook has, absent or empty (DamagedPart).
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
        return say(self.lang, REASONS[key], **params)
