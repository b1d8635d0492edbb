"""Hostile local files: damaged or encrypted packages, symbolic links, read-only
workbooks, a folder named like a workbook.

Every artefact is real: a workbook made by `sheetsync init` then damaged byte by
byte, a real symbolic link, real permission bits, a real folder. Each case runs
through `pipeline.run_sync` and through the command line (exit codes).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from click.testing import CliRunner

from sheetsync import demo, display
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.backends.xlsx.package import open_package
from sheetsync.cli.main import cli
from sheetsync.errors import EXIT_BACKEND, BackendError
from sheetsync.sync import pipeline
from sheetsync.template import Lang
from tests.support.excel_parts import to_shared_strings

AS_OF = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
LOCAL_HEADER = struct.Struct("<4s5H3I2H")  # a zip local file header, 30 bytes


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A workbook as `sheetsync init --example` makes it: inputs only, never synced."""
    path = tmp_path_factory.mktemp("inputs") / "book.xlsx"
    XlsxBackend(path, "fr").init("fr", demo.example_rows("fr"))
    return path.read_bytes()


def _sync(path: Path) -> pipeline.Outcome:
    """A sync as the command line runs it: opened in the environment's language."""
    return pipeline.run_sync(XlsxBackend(path, display.environment_lang()), AS_OF, now=NOW)


def _cli(path: Path, lang: str) -> tuple[int, str]:
    result = CliRunner(env={"LC_ALL": lang, "LANG": lang}).invoke(
        cli, ["sync", str(path), "--as-of", AS_OF.isoformat()]
    )
    return result.exit_code, result.output


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------ damaged packages


def _data_span(data: bytes, part: str) -> tuple[int, int]:
    """Where the compressed bytes of `part` sit in the zip file `data`."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo(part)
    fields = LOCAL_HEADER.unpack_from(data, info.header_offset)
    start = info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1]
    return start, start + info.compress_size


def _corrupt_deflate(data: bytes, part: str) -> bytes:
    """`data` with one byte of `part`'s deflate stream flipped so that inflating it
    fails with a zlib error (checked here on the damaged bytes themselves)."""
    start, end = _data_span(data, part)
    for offset in range((start + end) // 2, end):
        damaged = bytearray(data)
        damaged[offset] ^= 0xFF
        try:
            zlib.decompressobj(-zlib.MAX_WBITS).decompress(bytes(damaged[start:end]))
        except zlib.error:
            return bytes(damaged)
    raise AssertionError(f"no single flipped byte breaks the deflate stream of {part}")


def _with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The package `data` with these parts replaced or added (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as dest:
        for info in source.infolist():
            if info.filename not in parts:
                dest.writestr(info, source.read(info))
        for name, content in parts.items():
            dest.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def corrupted_byte(inputs: bytes) -> bytes:
    return _corrupt_deflate(inputs, "xl/workbook.xml")


def truncated_workbook_xml(inputs: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(inputs)) as package:
        xml = package.read("xl/workbook.xml")
    cut = xml[: len(xml) // 2]
    with pytest.raises(ET.ParseError):
        ET.fromstring(cut)  # noqa: S314 - proves the part really is malformed XML
    return _with_parts(inputs, {"xl/workbook.xml": cut})


def not_a_zip(inputs: bytes) -> bytes:
    # What a browser saves when a download link led to a login page.
    return b"<!DOCTYPE html><html><body>Please sign in</body></html>\n" * 20


def truncated_zip(inputs: bytes) -> bytes:
    return inputs[: len(inputs) // 2]


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "corrupted deflate byte": corrupted_byte,
    "truncated xl/workbook.xml": truncated_workbook_xml,
    "not a zip": not_a_zip,
    "truncated zip": truncated_zip,
}


def test_the_damages_are_real(inputs: bytes) -> None:
    """Each damaged artefact fails in the standard library the way its name says."""
    with pytest.raises(zlib.error), zipfile.ZipFile(io.BytesIO(corrupted_byte(inputs))) as zf:
        zf.read("xl/workbook.xml")
    for damage in (not_a_zip, truncated_zip):
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(io.BytesIO(damage(inputs)))


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_workbook_stops_and_is_left_untouched(
    tmp_path: Path, inputs: bytes, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(DAMAGES[damage](inputs))
    before = path.read_bytes()
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    with pytest.raises(
        BackendError, match=re.escape("book.xlsx est un classeur endommagé")
    ) as caught:
        _sync(path)
    assert caught.value.exit_code == EXIT_BACKEND
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["book.xlsx"]


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_workbook_exits_4_through_the_cli(
    tmp_path: Path, inputs: bytes, damage: str
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(DAMAGES[damage](inputs))
    before = path.read_bytes()
    code, output = _cli(path, "en_US.UTF-8")
    assert code == EXIT_BACKEND, output
    assert "book.xlsx is a damaged workbook" in output
    assert "Traceback" not in output
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["book.xlsx"]


def test_damage_found_only_while_writing_leaves_the_file_untouched(
    tmp_path: Path, inputs: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part the read never inflates (an image) is corrupted: the rewrite meets it."""
    image = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    with_image = _with_parts(inputs, {"xl/media/image1.png": image})
    path = tmp_path / "book.xlsx"
    path.write_bytes(_corrupt_deflate(with_image, "xl/media/image1.png"))
    before = path.read_bytes()
    XlsxBackend(path, "fr").read(lambda title: True)  # reading alone does not notice
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # the French sheet's language wins
    with pytest.raises(BackendError, match="classeur endommagé"):
        _sync(path)
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["book.xlsx"]


def _cfb_header() -> bytes:
    """The first sector of an OLE compound file, as Excel writes an encrypted workbook.

    Excel (and sheetsync) recognise the format by its first eight bytes,
    D0 CF 11 E0 A1 B1 1A E1; the rest of a real header follows (version 3,
    512-byte sectors, little-endian, empty DIFAT), then zero sectors as padding.
    No real encryption is needed: nothing past the signature is ever read.
    """
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),  # CLSID
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # byte order: little-endian
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        bytes(6),  # reserved
        0,  # directory sectors (0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        0x1000,  # mini stream cutoff
        0xFFFFFFFE,  # first mini FAT sector: none
        0,  # mini FAT sectors
        0xFFFFFFFE,  # first DIFAT sector: none
        0,  # DIFAT sectors
    )
    difat = struct.pack("<I", 0) + b"\xff" * 4 * 108
    return header + difat


def test_the_cfb_stand_in_is_a_compound_file_header() -> None:
    header = _cfb_header()
    assert len(header) == 512
    assert header[:8] == bytes.fromhex("D0CF11E0A1B11AE1")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr_FR.UTF-8", "secret.xlsx est protégé par un mot de passe"),
        ("en_US.UTF-8", "secret.xlsx is password-protected"),
    ],
)
def test_encrypted_workbook_is_named_as_such(
    tmp_path: Path, lang: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(_cfb_header() + bytes(512 * 8))
    before = path.read_bytes()
    monkeypatch.setenv("LC_ALL", lang)
    with pytest.raises(BackendError, match=re.escape(expected)) as caught:
        _sync(path)
    assert "endommagé" not in str(caught.value)
    assert "damaged" not in str(caught.value)
    code, output = _cli(path, lang)
    assert code == EXIT_BACKEND
    assert expected in output
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["secret.xlsx"]


# ------------------------------------------------------------------ parts missing or empty

# Every part a workbook cannot do without, as Excel lays the package out: the text of
# the cells in the shared string table. The sheet is the Contributions tab's.
REQUIRED_PARTS = {
    "content types": "[Content_Types].xml",
    "package relationships": "_rels/.rels",
    "workbook": "xl/workbook.xml",
    "workbook relationships": "xl/_rels/workbook.xml.rels",
    "a sheet": "xl/worksheets/sheet4.xml",
    "shared strings": "xl/sharedStrings.xml",
    "styles": "xl/styles.xml",
}
# Damaged before the tab titles can be read: the message follows LC_ALL/LANG.
BEFORE_THE_TITLES = ("_rels/.rels", "xl/workbook.xml")


def _excel_like(lang: Lang, folder: Path) -> bytes:
    """A workbook made by `sheetsync init --example`, its text moved to the shared
    string table as Excel saves it."""
    path = folder / f"excel-{lang}.xlsx"
    XlsxBackend(path, "fr").init(lang, demo.example_rows(lang))
    to_shared_strings(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def excel_like(tmp_path_factory: pytest.TempPathFactory) -> dict[Lang, bytes]:
    folder = tmp_path_factory.mktemp("excel")
    return {lang: _excel_like(lang, folder) for lang in ("fr", "en")}


def _damaged_part(data: bytes, part: str, damage: str) -> bytes:
    """The package with `part` left out of the zip ("missing") or stored as 0 bytes
    ("empty"), every other part as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as dest:
        for info in source.infolist():
            if info.filename != part:
                dest.writestr(info, source.read(info))
            elif damage == "empty":
                dest.writestr(info, b"")
    return out.getvalue()


def _part_size(data: bytes, part: str) -> int | None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.getinfo(part).file_size if part in package.namelist() else None


def _expected(part: str, damage: str, sheet: Lang, environment: Lang) -> str:
    """What the message says of the part, in the language it should speak."""
    lang = environment if part in BEFORE_THE_TITLES else sheet
    tab = " de l'onglet « Contributions »" if lang == "fr" else " of the tab 'Contributions'"
    tab = tab if part.startswith("xl/worksheets/") else ""
    if lang == "fr":
        what = "manque" if damage == "missing" else "est vide"
        return f"book.xlsx est un classeur endommagé (la partie {part}{tab} {what})"
    what = "is missing" if damage == "missing" else "is empty"
    return f"book.xlsx is a damaged workbook (the part {part}{tab} {what})"


def test_the_excel_like_workbook_holds_every_required_part(excel_like: dict[Lang, bytes]) -> None:
    for data in excel_like.values():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            sheets = {s.title: s.part for s in open_package(package).sheets}
            assert b't="s"' in package.read(sheets["Contributions"])
        assert sheets["Contributions"] == REQUIRED_PARTS["a sheet"]
        assert all(_part_size(data, part) for part in REQUIRED_PARTS.values())
        for part in REQUIRED_PARTS.values():
            assert _part_size(_damaged_part(data, part, "missing"), part) is None
            assert _part_size(_damaged_part(data, part, "empty"), part) == 0


@pytest.mark.parametrize("damage", ["missing", "empty"])
@pytest.mark.parametrize("part", list(REQUIRED_PARTS.values()), ids=list(REQUIRED_PARTS))
@pytest.mark.parametrize("command", ["check", "sync"])
def test_a_required_part_missing_or_empty_stops_with_a_message(
    tmp_path: Path, excel_like: dict[Lang, bytes], part: str, damage: str, command: str
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(_damaged_part(excel_like["fr"], part, damage))
    before = path.read_bytes()
    result = CliRunner(env={"LC_ALL": "en_US.UTF-8", "LANG": ""}).invoke(
        cli, [command, str(path), "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == EXIT_BACKEND, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback: a message and a code
    assert "Traceback" not in result.output
    assert _expected(part, damage, "fr", "en") in result.output
    french = part not in BEFORE_THE_TITLES
    assert result.output.startswith("Erreur : " if french else "Error: ")
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["book.xlsx"]


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("languages", [("fr", "en"), ("en", "fr")], ids=["fr-sheet", "en-sheet"])
def test_the_damage_is_told_in_the_sheets_language_once_its_titles_are_read(
    tmp_path: Path,
    excel_like: dict[Lang, bytes],
    monkeypatch: pytest.MonkeyPatch,
    part: str,
    languages: tuple[Lang, Lang],
) -> None:
    """Styles missing: the tab titles say the sheet's language. workbook.xml missing:
    nothing of the sheet can be read, the environment's language is used."""
    sheet, environment = languages
    path = tmp_path / "book.xlsx"
    path.write_bytes(_damaged_part(excel_like[sheet], part, "missing"))
    before = path.read_bytes()
    monkeypatch.setenv("LC_ALL", {"fr": "fr_FR.UTF-8", "en": "en_US.UTF-8"}[environment])
    with pytest.raises(BackendError) as caught:
        _sync(path)
    assert str(caught.value).startswith(_expected(part, "missing", sheet, environment))
    assert caught.value.exit_code == EXIT_BACKEND
    assert path.read_bytes() == before
    assert _listing(tmp_path) == ["book.xlsx"]


@pytest.mark.parametrize(
    ("settled", "told"), [(False, "en"), (True, "fr")], ids=["titles-win", "job-wins"]
)
def test_a_settled_language_outranks_the_tab_titles(
    tmp_path: Path, excel_like: dict[Lang, bytes], settled: bool, told: Lang
) -> None:
    """An English sheet with its styles missing, opened in French: its tab titles tell
    English, unless the French is settled (a nightly job's language)."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(_damaged_part(excel_like["en"], "xl/styles.xml", "missing"))
    with pytest.raises(BackendError) as caught:
        XlsxBackend(path, "fr", settled=settled).read(lambda title: True)
    assert str(caught.value).startswith(_expected("xl/styles.xml", "missing", told, told))
    assert caught.value.lang == told  # the command line says "Erreur :" in it too


def test_a_tab_the_relationships_do_not_name_is_a_damage(
    tmp_path: Path, excel_like: dict[Lang, bytes]
) -> None:
    """workbook.xml lists Contributions (r:id rId4); the relationship rId4 was lost."""
    rels = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(io.BytesIO(excel_like["en"])) as package:
        xml = package.read(rels).decode("utf-8")
    cut = re.sub(r'<Relationship [^>]*Id="rId4"[^>]*/>', "", xml)
    assert cut != xml
    path = tmp_path / "book.xlsx"
    path.write_bytes(_with_parts(excel_like["en"], {rels: cut.encode("utf-8")}))
    before = path.read_bytes()
    code, output = _cli(path, "fr_FR.UTF-8")
    assert code == EXIT_BACKEND, output
    assert f"the tab 'Contributions' has no part in {rels}" in output
    assert "Traceback" not in output
    assert path.read_bytes() == before


# ------------------------------------------------------------------ files and folders


def test_symlinked_workbook_is_written_through_to_its_target(tmp_path: Path, inputs: bytes) -> None:
    real = tmp_path / "shared" / "budget.xlsx"
    real.parent.mkdir()
    real.write_bytes(inputs)
    link = tmp_path / "mine" / "book.xlsx"
    link.parent.mkdir()
    link.symlink_to(real)
    outcome = _sync(link)
    assert outcome.written
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes() != inputs
    openpyxl.load_workbook(real).close()
    backup = link.with_name("book.xlsx.bak")
    assert backup.is_file()
    assert not backup.is_symlink()
    assert backup.read_bytes() == inputs
    assert _listing(real.parent) == ["budget.xlsx"]
    assert _listing(link.parent) == ["book.xlsx", "book.xlsx.bak"]
    # The next sync writes through again, the backup now the first synced version.
    synced = real.read_bytes()
    pipeline.run_sync(XlsxBackend(link, "fr"), dt.date(2026, 7, 1), now=NOW)
    assert link.is_symlink()
    assert backup.read_bytes() == synced


def test_symlinked_workbook_through_the_cli(tmp_path: Path, inputs: bytes) -> None:
    real = tmp_path / "budget.xlsx"
    real.write_bytes(inputs)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real.name)  # a relative link, as `ln -s budget.xlsx link.xlsx` makes
    code, output = _cli(link, "en_US.UTF-8")
    assert code == 0, output
    assert link.is_symlink()
    assert os.readlink(link) == "budget.xlsx"
    assert real.read_bytes() != inputs
    assert not (tmp_path / "link.xlsx.bak").is_symlink()
    assert (tmp_path / "link.xlsx.bak").read_bytes() == inputs


def test_target_open_in_a_spreadsheet_program_is_seen_through_the_link(
    tmp_path: Path, inputs: bytes
) -> None:
    real = tmp_path / "shared" / "budget.xlsx"
    real.parent.mkdir()
    real.write_bytes(inputs)
    (real.parent / ".~lock.budget.xlsx#").write_text("someone,host,,;", "utf-8")
    link = tmp_path / "book.xlsx"
    link.symlink_to(real)
    with pytest.raises(BackendError, match="est ouvert dans un tableur"):
        _sync(link)
    assert real.read_bytes() == inputs
    assert link.is_symlink()


def _make_read_only(path: Path) -> Path:
    path.chmod(0o444)
    # Tests run as root here, where the bits are not enforced: they are checked as bits.
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    return path


@pytest.fixture
def read_only(tmp_path: Path, inputs: bytes) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(inputs)
    return _make_read_only(path)


@pytest.mark.parametrize(
    ("sheet", "environment", "expected"),
    [
        ("fr", "en_US.UTF-8", "book.xlsx est en lecture seule"),
        ("en", "fr_FR.UTF-8", "book.xlsx is read-only"),
    ],
)
def test_read_only_workbook_is_refused_in_the_sheets_language(
    tmp_path: Path, sheet: Lang, environment: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_only = tmp_path / "book.xlsx"
    XlsxBackend(read_only, "fr").init(sheet, demo.example_rows(sheet))
    inputs = read_only.read_bytes()
    _make_read_only(read_only)
    monkeypatch.setenv("LC_ALL", environment)  # the sheet's language wins once known
    with pytest.raises(BackendError, match=re.escape(expected)) as caught:
        _sync(read_only)
    assert caught.value.exit_code == EXIT_BACKEND
    assert read_only.read_bytes() == inputs
    assert stat.S_IMODE(read_only.stat().st_mode) == 0o444
    assert _listing(read_only.parent) == ["book.xlsx"]


def test_read_only_workbook_exits_4_through_the_cli(read_only: Path, inputs: bytes) -> None:
    code, output = _cli(read_only, "en_US.UTF-8")
    assert code == EXIT_BACKEND, output
    assert "book.xlsx est en lecture seule" in output  # a French sheet
    assert read_only.read_bytes() == inputs
    assert _listing(read_only.parent) == ["book.xlsx"]


def test_read_only_workbook_can_still_be_checked(read_only: Path) -> None:
    """Reading needs no write permission: a dry run computes as usual."""
    outcome = pipeline.run_sync(XlsxBackend(read_only, "fr"), AS_OF, dry_run=True, now=NOW)
    assert outcome.changed
    assert not outcome.written


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr_FR.UTF-8", "est un dossier, pas un classeur"), ("en_US.UTF-8", "is a folder")],
)
def test_folder_named_like_a_workbook_says_it_is_a_folder(
    tmp_path: Path, lang: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    monkeypatch.setenv("LC_ALL", lang)
    with pytest.raises(BackendError, match=re.escape(expected)) as caught:
        _sync(folder)
    assert "not found" not in str(caught.value)
    code, output = _cli(folder, lang)
    assert code == EXIT_BACKEND
    assert expected in output
    assert "not found" not in output
    assert _listing(folder) == []
