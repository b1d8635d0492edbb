"""The keys a job file may hold, their defaults, and how each value is checked; the
words of a job file's mistakes, in the language each check is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sheetsync.backends.gsheets.ratelimit import DEFAULT_PER_MINUTE
from sheetsync.messages import say
from sheetsync.template import Lang

AS_OF_WORDS = ("today", "yesterday")
MAX_CONCURRENCY = 32


Check = Callable[[Any, Lang], Any]  # raises ValueError said in the language given


def _boolean(value: Any, lang: Lang) -> bool:
    if not isinstance(value, bool):
        raise ValueError(say(lang, "jobs.keys.must_true_false"))
    return value


def _positive_int(value: Any, lang: Lang) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(say(lang, "jobs.keys.must_whole_number_least_1"))
    return value


def _positive_number(value: Any, lang: Lang) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(say(lang, "jobs.keys.must_number_seconds_above_0"))
    return float(value)


def _text(value: Any, lang: Lang) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(say(lang, "jobs.keys.must_non_empty_text_quotes"))
    return value.strip()


def _language(value: Any, lang: Lang) -> str:
    if value not in ("fr", "en"):
        raise ValueError(say(lang, "jobs.keys.must_fr_en"))
    return str(value)


def _as_of(value: Any, lang: Lang) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value in AS_OF_WORDS:
        return value
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(say(lang, "jobs.keys.must_today_yesterday_date_such")) from None


def _concurrency(value: Any, lang: Lang) -> int:
    number = _positive_int(value, lang)
    if number > MAX_CONCURRENCY:
        raise ValueError(say(lang, "jobs.keys.must_most", n=MAX_CONCURRENCY))
    return number


# Keys a sheet may override, with their defaults.
SHEET_KEYS: dict[str, tuple[Check, Any]] = {
    "credentials": (_text, None),
    "as_of": (_as_of, "today"),
    "strict": (_boolean, False),
    "remind": (_boolean, False),
    "publish": (_text, None),
    "timeout": (_positive_number, 60.0),
    "attempts": (_positive_int, 6),
    "retry_for": (_positive_number, 100.0),
    "retry_delay": (_positive_number, 1.0),
}
# Keys that hold for the whole run: only in [defaults].
RUN_KEYS: dict[str, tuple[Check, Any]] = {
    "language": (_language, "fr"),
    "requests_per_minute": (_positive_int, DEFAULT_PER_MINUTE),
    "concurrency": (_concurrency, 1),
    "log": (_text, None),
}
OWN_KEYS: dict[str, Check] = {"name": _text, "target": _text}
TABLES = ("defaults", "sheets")
