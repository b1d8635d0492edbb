"""Job files: the TOML list of spreadsheets a nightly run syncs, with defaults and overrides.

Every mistake is reported as a JobFileError naming the file, the line and the key (exit 3).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetsync.backends.gsheets.retry import RetryPolicy
from sheetsync.errors import (
    JobFileError,
    UnknownSheetError,
)
from sheetsync.jobs.keys import OWN_KEYS, RUN_KEYS, SHEET_KEYS, TABLES, Check
from sheetsync.messages import did_you_mean, say
from sheetsync.targets import airtable_id, google_id, is_local_workbook
from sheetsync.template import Lang, lang_of
from sheetsync.text import name_key


@dataclass(frozen=True)
class SheetJob:
    """One spreadsheet of a job, its defaults and overrides merged."""

    name: str
    target: str  # a Google target as written, or an absolute local path
    as_of: str  # "today", "yesterday" or an ISO date
    strict: bool
    credentials: Path | None
    policy: RetryPolicy
    remind: bool = False  # email silent people and pilots after the sync (sheetsync remind)
    publish: Path | None = None  # the folder of the public page, written after the sync

    def as_of_date(self, today: dt.date) -> dt.date:
        """The date the sheet is computed as of, on a run started `today`."""
        if self.as_of == "today":
            return today
        if self.as_of == "yesterday":
            return today - dt.timedelta(days=1)
        return dt.date.fromisoformat(self.as_of)


@dataclass(frozen=True)
class JobFile:
    """A whole job: run-wide settings and its sheets, in file order."""

    path: Path
    language: Lang
    requests_per_minute: int
    concurrency: int
    log: Path | None
    sheets: tuple[SheetJob, ...]

    def select(self, only: tuple[str, ...]) -> tuple[SheetJob, ...]:
        """The sheets named in `only` (all when empty); an unknown name is an error,
        said in the job's language."""
        if not only:
            return self.sheets
        by_key = {name_key(s.name): s for s in self.sheets}
        for wanted in only:
            if name_key(wanted) not in by_key:
                maybe = did_you_mean(self.language, wanted, [s.name for s in self.sheets])
                raise UnknownSheetError(
                    say(
                        self.language,
                        "jobs.file.no_sheet_named",
                        w=wanted,
                        p=self.path,
                        m=maybe,
                    )
                ).said_in(self.language)
        keys = {name_key(n) for n in only}
        return tuple(s for s in self.sheets if name_key(s.name) in keys)


# ------------------------------------------------------------------ where keys are


class Lines:
    """Which line each table and key of a TOML text is on, to point at mistakes.

    A light scan, not a parser: tomllib has already accepted the text, and a key
    it cannot place falls back to its table's header line.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self.found: dict[tuple[str, int, str], int] = {}
        counts: dict[str, int] = {}
        table, index = "", 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            key = self._KEY.match(line)
            if header:
                table = header.group(2)
                counts[table] = counts.get(table, -1) + 1
                index = counts[table] if header.group(1) == "[[" else 0
                self.found.setdefault((table, index, ""), number)
            elif key:
                self.found.setdefault((table, index, key.group(1).strip("\"'")), number)

    def of(self, table: str, index: int = 0, key: str = "") -> int:
        return self.found.get((table, index, key)) or self.found.get((table, index, "")) or 1

    def top(self, name: str) -> int:
        """The line of a top-level table or key."""
        return self.found.get((name, 0, "")) or self.found.get(("", 0, name)) or 1


# ------------------------------------------------------------------ loading


@dataclass(frozen=True)
class _Reader:
    """Checks one job file's values, naming the line of whatever is wrong."""

    path: Path
    lines: Lines
    lang: Lang  # the file's own language once it says one, else the caller's

    def fail(self, line: int, message: str) -> JobFileError:
        return JobFileError(say(self.lang, "jobs.file.line", p=self.path, n=line, m=message))

    def value(self, table: str, index: int, key: str, raw: Any, check: Check) -> Any:
        where = (
            f"[{table}] {key}"
            if table == "defaults"
            else say(self.lang, "jobs.file.sheet", k=key, i=index + 1)
        )
        try:
            return check(raw, self.lang)
        except ValueError as error:
            raise self.fail(self.lines.of(table, index, key), f"{where} {error}.") from None

    def unknown(self, table: str, index: int, key: str, known: list[str]) -> JobFileError:
        line = self.lines.of(table, index, key)
        if key in RUN_KEYS:
            return self.fail(
                line,
                say(self.lang, "jobs.file.applies_whole_run_set_defaults", k=key),
            )
        maybe = did_you_mean(self.lang, key, known) or say(
            self.lang, "jobs.file.known_keys", k=", ".join(known)
        )
        return self.fail(
            line,
            say(self.lang, "jobs.file.unknown_key", k=key, t=table, m=maybe),
        )


def load_job_file(path: Path, lang: Lang) -> JobFile:
    """Read and check a job file; raise JobFileError naming the line and key at fault.

    `lang`: the language of its mistakes until the file declares its own (the command
    line's)."""
    path = Path(path).absolute()
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise JobFileError(say(lang, "jobs.file.cannot_read_job_file", p=path, e=error)) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise JobFileError(say(lang, "jobs.file.not_valid_toml", p=path, e=error)).said_in(
            lang
        ) from None
    # Once the file says its language, its mistakes are told in it, like the run.
    reader = _Reader(path, Lines(text), _declared_language(document) or lang)
    try:
        return _build(document, reader)
    except JobFileError as error:
        raise error.said_in(reader.lang) from None


def _declared_language(document: dict[str, Any]) -> Lang | None:
    defaults = document.get("defaults")
    language = defaults.get("language") if isinstance(defaults, dict) else None
    return lang_of(language)


def _build(document: dict[str, Any], reader: _Reader) -> JobFile:
    for key in document:
        if key not in TABLES:
            raise reader.fail(
                reader.lines.top(key),
                say(reader.lang, "jobs.file.unknown_table_key_job_file", k=key),
            )
    defaults = _table(document.get("defaults", {}), "defaults", 0, reader)
    merged = {
        **{k: d for k, (_, d) in {**SHEET_KEYS, **RUN_KEYS}.items()},
        **_checked(defaults, "defaults", 0, {**SHEET_KEYS, **RUN_KEYS}, reader),
    }
    sheets = _sheets(document.get("sheets"), merged, reader)
    log = merged["log"]
    return JobFile(
        path=reader.path,
        language=merged["language"],
        requests_per_minute=merged["requests_per_minute"],
        concurrency=merged["concurrency"],
        log=_relative(reader.path, log) if log else None,
        sheets=sheets,
    )


def _table(raw: Any, table: str, index: int, reader: _Reader) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise reader.fail(
            reader.lines.top(table),
            say(reader.lang, "jobs.file.must_table", t=table),
        )
    return raw


def _checked(
    raw: Mapping[str, Any],
    table: str,
    index: int,
    allowed: Mapping[str, tuple[Check, Any]],
    reader: _Reader,
) -> dict[str, Any]:
    known = [*allowed, *(OWN_KEYS if table == "sheets" else ())]
    for key in raw:
        if key not in known:
            raise reader.unknown(table, index, key, known)
    return {
        key: reader.value(table, index, key, value, allowed[key][0])
        for key, value in raw.items()
        if key in allowed
    }


def _sheets(raw: Any, defaults: dict[str, Any], reader: _Reader) -> tuple[SheetJob, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail(
            reader.lines.top("sheets"),
            say(reader.lang, "jobs.file.no_spreadsheet_listed_add_one"),
        )
    sheets: list[SheetJob] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        sheet = _sheet(_table(entry, "sheets", index, reader), index, defaults, reader)
        if name_key(sheet.name) in seen:
            line = reader.lines.of("sheets", index, "name")
            raise reader.fail(
                line,
                say(reader.lang, "jobs.file.name_used_twice_names_must", n=sheet.name),
            )
        seen.add(name_key(sheet.name))
        sheets.append(sheet)
    return tuple(sheets)


def _sheet(raw: dict[str, Any], index: int, defaults: dict[str, Any], reader: _Reader) -> SheetJob:
    values = {**defaults, **_checked(raw, "sheets", index, SHEET_KEYS, reader)}
    own: dict[str, str] = {}
    for key, check in OWN_KEYS.items():
        if key not in raw:
            line = reader.lines.of("sheets", index)
            raise reader.fail(
                line,
                say(reader.lang, "jobs.file.sheet_has_no_add", i=index + 1, k=key),
            )
        own[key] = reader.value("sheets", index, key, raw[key], check)
    target = _target(own["target"], index, reader)
    credentials = _credentials(values["credentials"], index, "credentials" in raw, reader)
    return SheetJob(
        name=own["name"],
        target=target,
        as_of=values["as_of"],
        strict=values["strict"],
        remind=values["remind"],
        publish=None if values["publish"] is None else _relative(reader.path, values["publish"]),
        credentials=credentials,
        policy=RetryPolicy(
            attempts=values["attempts"],
            max_seconds=values["retry_for"],
            base_delay=values["retry_delay"],
            timeout=(min(10.0, values["timeout"]), values["timeout"]),
        ),
    )


def _target(text: str, index: int, reader: _Reader) -> str:
    if google_id(text) is not None or airtable_id(text) is not None:
        return text
    if is_local_workbook(text):
        return str(_relative(reader.path, text))
    raise reader.fail(
        reader.lines.of("sheets", index, "target"),
        say(reader.lang, "jobs.file.target_sheet_must_google_sheets", i=index + 1, t=text),
    )


def _credentials(text: str | None, index: int, own: bool, reader: _Reader) -> Path | None:
    if text is None:
        return None
    path = _relative(reader.path, text)
    if not path.is_file():
        table, at = ("sheets", index) if own else ("defaults", 0)
        raise reader.fail(
            reader.lines.of(table, at, "credentials"),
            say(reader.lang, "jobs.file.credentials_file_not_found_give", p=path),
        )
    return path


def _relative(job_path: Path, text: str) -> Path:
    """Paths in a job file are relative to the file itself, not to where cron runs."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else job_path.parent / path
