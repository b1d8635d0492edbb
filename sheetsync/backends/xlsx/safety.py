"""Checks on a workbook file before any of it is parsed: crafted packages are
refused (zip bombs, XML entity expansion, part names escaping the package).

A real .xlsx never needs any of these tricks, so refusing costs users nothing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from sheetsync.errors import BackendError
from sheetsync.messages import say
from sheetsync.template import Lang

# Far above any real budget workbook (a 100k-row tab is a few tens of MB).
MAX_TOTAL_SIZE = 1 << 30
MAX_PARTS = 10_000
# Spreadsheet XML compresses 10-50 times; a bomb compresses thousands of times.
MAX_RATIO = 400
RATIO_FLOOR = 8 << 20  # small parts may compress as much as they like
PROLOG_BYTES = 64 << 10  # a DOCTYPE can only sit before the root element
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_DECLARATIONS_UTF16 = tuple(
    d.decode("ascii").encode(codec) for d in _DECLARATIONS for codec in ("utf-16-le", "utf-16-be")
)


def check_package(path: Path, lang: Lang) -> None:
    """Raise BackendError if the file is a crafted zip package; do nothing otherwise.

    A file that is not a zip at all is left to the reader, whose message says so;
    a refusal is said in `lang`.
    """
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            _check_names(path.name, infos, lang)
            _check_sizes(path.name, infos, lang)
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    _check_prolog(path.name, package, info, lang)
    except (zipfile.BadZipFile, OSError):
        return


def _refuse(name: str, why: str, lang: Lang) -> BackendError:
    return BackendError(
        say(lang, "xlsx.safety.refused_not_workbook_saved_spreadsheet", name=name, why=why)
    )


def part_name_problem(part: str, lang: Lang) -> str | None:
    """Why a part name could reach outside the package, or None when it is safe."""
    if part.startswith(("/", "\\")) or (len(part) > 1 and part[1] == ":"):
        return say(lang, "xlsx.safety.part_name_absolute_path", p=part)
    if "\\" in part or "\x00" in part:
        return say(lang, "xlsx.safety.part_name_holds_backslash_nul", p=part)
    if ".." in PurePosixPath(part).parts:
        return say(lang, "xlsx.safety.part_name_climbs_out_package", p=part)
    return None


def _check_names(name: str, infos: list[zipfile.ZipInfo], lang: Lang) -> None:
    if len(infos) > MAX_PARTS:
        raise _refuse(name, say(lang, "xlsx.safety.holds_parts", n=len(infos)), lang)
    seen: set[str] = set()
    for info in infos:
        problem = part_name_problem(info.filename, lang)
        if problem:
            raise _refuse(name, problem, lang)
        # Two parts of one name: readers would disagree on which one counts.
        if info.filename.lower() in seen:
            raise _refuse(
                name,
                say(lang, "xlsx.safety.part_appears_twice", p=info.filename),
                lang,
            )
        seen.add(info.filename.lower())


def _check_sizes(name: str, infos: list[zipfile.ZipInfo], lang: Lang) -> None:
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        raise _refuse(name, say(lang, "xlsx.safety.unpacks_mb", n=total >> 20), lang)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse(
                name,
                say(lang, "xlsx.safety.part_unpacks_times_larger", p=info.filename, r=ratio),
                lang,
            )


def _check_prolog(name: str, package: zipfile.ZipFile, info: zipfile.ZipInfo, lang: Lang) -> None:
    # Read only the start: the declared sizes were checked, but a lying header
    # must not make this check itself unpack a bomb.
    with package.open(info) as stream:
        head = stream.read(PROLOG_BYTES)
    if any(d in head.upper() for d in _DECLARATIONS) or any(d in head for d in _DECLARATIONS_UTF16):
        raise _refuse(
            name,
            say(lang, "xlsx.safety.part_declares_dtd_entities", p=info.filename),
            lang,
        )
