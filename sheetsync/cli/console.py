"""What a person sees in the terminal, and what a machine reads with --json.

Both are drawn from the rendered output tables, so they always agree with the
tabs written to the spreadsheet.
"""

from __future__ import annotations

import json
from typing import Any

from sheetsync import display
from sheetsync.messages import say
from sheetsync.model import Anomaly, OutputTable, Severity
from sheetsync.sync.pipeline import Outcome
from sheetsync.template import Lang, load
from sheetsync.text import visible

BAR_WIDTH = 20
SHOWN = 20  # anomaly lines in the terminal before "… and N more"
SEVERITY_HEADINGS = {
    Severity.ERROR: "console.heading.errors",
    Severity.WARNING: "console.heading.warnings",
}
SEVERITY_WORDS = {
    Severity.ERROR: "console.count.errors",
    Severity.WARNING: "console.count.warnings",
    Severity.INFO: "console.count.infos",
}


def bar(fraction: float) -> str:
    """A fixed-width gauge; a group over its envelope shows a full bar and a '!'."""
    filled = max(0, min(BAR_WIDTH, round(fraction * BAR_WIDTH)))
    return "█" * filled + "░" * (BAR_WIDTH - filled) + ("!" if fraction > 1 else " ")


def group_lines(outcome: Outcome) -> list[str]:
    """One line per group: name, gauge, percent, consumed / envelope, state, cut."""
    table = outcome.table("group_summary")
    keys = _keys("group_summary")
    lang = outcome.book.lang
    width = max((len(str(r[keys.index("group")])) for r in table.rows), default=10)
    lines = []
    for values in table.rows[:-1]:  # the last row is the Total
        row = dict(zip(keys, values, strict=True))
        fraction = _number(row["consumed_pct"])
        consumed = display.money(int(_number(row["consumed"])), lang, table.currency)
        envelope = display.money(int(_number(row["envelope"])), lang, table.currency)
        line = (
            f"  {row['group']!s:<{width}}  {bar(fraction)} {fraction:>5.0%}"
            f"  {consumed} / {envelope}  {row['state']}"
        )
        factor = _number(row["applied_factor"], default=1.0)
        if factor < 1:
            line += say(lang, "console.factor", f=display.decimal(factor, lang))
        lines.append(line)
    return lines


def _number(value: object, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) else default


def summary_text(
    outcome: Outcome, target: str, *, dry_run: bool = False, limit: int | None = SHOWN
) -> str:
    """The whole terminal summary of a check or a sync."""
    lang = outcome.book.lang
    counts = ", ".join(say(lang, key, n=outcome.count(s)) for s, key in SEVERITY_WORDS.items())
    lines = [target, *group_lines(outcome), say(lang, "console.anomalies", c=counts)]
    lines += anomaly_lines(outcome, limit)
    lines.append(_write_line(outcome, lang, dry_run=dry_run))
    return "\n".join(map(visible, lines))


LISTED = (Severity.ERROR, Severity.WARNING)  # infos are counted, not listed


def anomaly_lines(outcome: Outcome, limit: int | None = SHOWN) -> list[str]:
    """What to fix: errors first, then warnings, each kind together, in the tab's order.

    At most `limit` lines (None: all), then how many more the Anomalies tab holds.
    """
    lang = outcome.book.lang
    lines: list[str] = []
    for severity in LISTED:
        found = [a for a in outcome.anomalies if a.severity is severity]
        if not found:
            continue
        kinds = list(dict.fromkeys(a.code for a in found))  # in order of first appearance
        found.sort(key=lambda a: kinds.index(a.code))
        lines += [say(lang, SEVERITY_HEADINGS[severity])]
        lines += [f"  {_where(a, lang)}{a.message}" for a in found]
    shown = [line for line in lines if line.startswith("  ")]
    if limit is None or len(shown) <= limit:
        return lines
    kept, count = [], 0
    for line in lines:
        count += line.startswith("  ")
        if count > limit:
            break
        kept.append(line)
    title = load().output("anomalies").name(lang)
    more = say(lang, "console.more_see_tab_all", n=len(shown) - limit, tab=title)
    return [*kept, more]


def _where(anomaly: Anomaly, lang: Lang) -> str:
    """Tab, row as the sheet shows it, and column, before the message."""
    parts = [anomaly.tab]
    if anomaly.row is not None:
        parts.append(say(lang, "console.row", n=anomaly.row))
    if anomaly.column:
        parts.append(anomaly.column)
    return say(lang, "console.where", where=", ".join(parts))


def _write_line(outcome: Outcome, lang: Lang, *, dry_run: bool) -> str:
    if outcome.written:
        return say(lang, "console.tabs_written", t=", ".join(outcome.changed))
    if dry_run and outcome.changed:
        return say(lang, "console.dry_run_tab_s_would", n=len(outcome.changed))
    if not outcome.changed:
        return say(lang, "console.nothing_changed_nothing_written")
    return say(lang, "console.check_only_nothing_written")


def summary_json(outcome: Outcome, target: str) -> str:
    """The same summary for machines: amounts in integer cents."""
    table = outcome.table("group_summary")
    keys = _keys("group_summary")
    document: dict[str, Any] = {
        "target": target,
        "language": outcome.book.lang,
        "currency": table.currency,
        "groups": [dict(zip(keys, _jsonable(r), strict=True)) for r in table.rows],
        # Brought forward from earlier periods, payable (smoothing top-ups included),
        # paid and balance per payee, as the Paiements tab (SPEC §12).
        "payouts": [
            dict(zip(_keys("payouts"), _jsonable(r), strict=True))
            for r in outcome.table("payouts").rows
        ],
        "anomaly_counts": {s.value: outcome.count(s) for s in Severity},
        "anomalies": [
            {
                "severity": a.severity.value,
                "code": a.code,
                "tab": a.tab,
                "row": a.row,
                "column": a.column,
                "value": a.value,
                "message": a.message,
            }
            for a in outcome.anomalies
        ],
        "changed_tabs": list(outcome.changed),
        "written": outcome.written,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _keys(table_key: str) -> list[str]:
    return [c.key for c in load().output(table_key).columns]


def _jsonable(row: tuple[object, ...]) -> list[object]:
    return [v if isinstance(v, int | float | str | type(None)) else str(v) for v in row]


def closing_lines(table: OutputTable, lang: Lang) -> list[str]:
    """A closing tab as text: each line's section and name, then its amounts by column."""
    lines = []
    for row in table.rows:
        cells = dict(zip(table.header, row, strict=False))
        figures = [
            f"{name} {_shown(value, kind, table.currency, lang)}"
            for name, kind, value in zip(table.header[2:], table.kinds[2:], row[2:], strict=False)
            if value not in (None, "") and kind in {"money", "hours"}
        ]
        label = " ".join(str(v) for v in row[:2] if v not in (None, ""))
        detail = cells.get(table.header[-1])
        text = f"  {label}" + (" — " + " · ".join(figures) if figures else "")
        if detail and not figures:
            text += f" — {detail}"
        lines.append(text)
    return lines


def _shown(value: object, kind: str, currency: str, lang: Lang) -> str:
    if kind == "money":
        return display.money(int(value), lang, currency)  # type: ignore[call-overload]
    return display.decimal(float(value), lang)  # type: ignore[arg-type]
