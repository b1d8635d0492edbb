"""The benchmark figures as Markdown tables, with the machine they ran on.

Ratios are baseline / sheetsync: above 1 means sheetsync is faster or lighter.
"""

from __future__ import annotations

import datetime as dt
import itertools
import platform
import subprocess
from importlib import metadata
from typing import Any

Json = dict[str, Any]
PACKAGES = ("pandas", "openpyxl", "gspread", "gspread-dataframe", "python-calamine", "numpy")
MB = 1_000_000


def machine() -> dict[str, str]:
    """CPU, system, interpreter and library versions, and when the run started."""
    found = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu(),
        "system": " ".join(platform.uname()[:3]),
        "python": platform.python_version(),
    }
    return found | {name: metadata.version(name) for name in PACKAGES}


def _cpu() -> str:
    listing = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    fields = dict(line.split(":", 1) for line in listing.splitlines() if ":" in line)
    name = fields.get("Model name", platform.processor()).strip()
    return f"{name}, {fields.get('CPU(s)', '?').strip()} CPUs"


def markdown(results: Json) -> str:
    parts = [
        "| Machine | |\n|---|---|\n"
        + "".join(f"| {k} | {v} |\n" for k, v in results["machine"].items()),
        google_table(results["google"], "first"),
        google_table(results["google"], "repeat"),
        floor_table(results["google"]),
        local_table(results["local"]),
        compute_table(results["compute"]),
        linearity(results["compute"]),
        floors_table(results["compute"]),
        stages_table(results["local"], results["google"]),
    ]
    return "\n".join(parts)


def ratio(baseline: float, sheetsync: float) -> str:
    return f"{baseline / sheetsync:.1f}×" if sheetsync > 0 else "–"


def google_table(google: Json, which: str) -> str:
    title = "first sync (output tabs created)" if which == "first" else "repeat sync (no change)"
    lines = [
        f"Google Sheets on the emulator, {title}. Time = wall time less the emulator's own.\n",
        "| Rows | Latency | Requests s / b | Sent MB s / b | Received MB s / b "
        "| Time s s / b | Speed-up | Wall s s / b | Peak MiB s / b |",
        "|---:|---:|---|---|---|---|---:|---|---|",
    ]
    for rows, found in google.items():
        for latency in ("0ms", "50ms"):
            own = found.get(f"sheetsync@{latency}")
            if own is None:
                continue
            other = found.get(f"baseline@{latency}")
            lines.append(_google_row(int(rows), latency, own, other, which))
    return "\n".join(lines) + "\n"


def _google_row(rows: int, latency: str, own: Json, other: Json | None, which: str) -> str:
    s, b = own[which], (other or {}).get(which)

    def pair(key: str, scale: float = 1, digits: int = 2) -> str:
        mine = f"{s[key] / scale:.{digits}f}"
        return f"{mine} / {b[key] / scale:.{digits}f}" if b else f"{mine} / –"

    peak = f"{own['peak_mib']:.0f} / " + (f"{other['peak_mib']:.0f}" if other else "–")
    speed = ratio(b["client"], s["client"]) if b else "–"
    return (
        f"| {rows:,} | {latency} | {pair('requests', digits=0)} | {pair('sent', MB)} "
        f"| {pair('received', MB)} | {pair('client')} | {speed} | {pair('wall')} | {peak} |"
    )


def floor_table(google: Json) -> str:
    """Bytes a sync received against the values.batchGet floor of the tabs it reads."""
    lines = [
        "Bytes read per sync against their floor: one values.batchGet (UNFORMATTED_VALUE, "
        "dates as serial numbers) of the tabs the sync reads (target ≤ 1.5×).\n",
        "| Rows | Sync | Requests | Received MB | Floor MB | Received ÷ floor |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for rows, found in google.items():
        own = found.get("sheetsync@0ms")
        if own is None or "values_floor" not in own:
            continue
        for which in ("first", "repeat"):
            got, floor = own[which]["received"], own["values_floor"][which]
            lines.append(
                f"| {int(rows):,} | {which} | {own[which]['requests']:.0f} | {got / MB:.2f} "
                f"| {floor / MB:.2f} | {got / floor:.2f}× |"
            )
    return "\n".join(lines) + "\n"


def local_table(local: Json) -> str:
    lines = [
        "Local .xlsx: sheetsync vs pandas.read_excel + openpyxl load and save.\n",
        "| Rows | File MB | First sync s s / b | Speed-up | Repeat sync s s / b | Speed-up "
        "| Peak MiB s / b |",
        "|---:|---:|---|---:|---|---:|---|",
    ]
    for rows, found in local.items():
        s, b = found["sheetsync"], found["baseline"]
        first = (s["first"]["wall"], b["first"]["wall"])
        repeat = (s["repeat"]["wall"], b["repeat"]["wall"])
        lines.append(
            f"| {int(rows):,} | {found['build']['bytes'] / MB:.1f} "
            f"| {first[0]:.2f} / {first[1]:.2f} | {ratio(first[1], first[0])} "
            f"| {repeat[0]:.2f} / {repeat[1]:.2f} | {ratio(repeat[1], repeat[0])} "
            f"| {s['peak_mib']:.0f} / {b['peak_mib']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def compute_table(compute: Json) -> str:
    lines = [
        "Compute only (cells already in memory), seconds per stage.\n",
        "| Rows | Parse | Rules | Checks | Report | Total | Rows/s | µs/row | Peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rows, found in compute.items():
        stages = found["stages"]
        total = sum(stages.values())
        cells = " | ".join(f"{stages[k]:.2f}" for k in ("parse", "rules", "checks", "report"))
        lines.append(
            f"| {int(rows):,} | {cells} | {total:.2f} | {int(rows) / total:,.0f} "
            f"| {total / int(rows) * 1e6:.1f} | {found['peak_mib']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line seconds = fixed + per_row × rows; returns (fixed, per_row)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return mean_y - slope * mean_x, slope


def linearity(compute: Json) -> str:
    points = [(int(rows), sum(found["stages"].values())) for rows, found in compute.items()]
    if len(points) < 2:
        return ""
    fixed, per_row = fit(points)
    steps = [
        f"{b[0] / a[0]:.0f}× rows → {b[1] / a[1]:.1f}× time" for a, b in itertools.pairwise(points)
    ]
    worst = max(abs(y - (fixed + per_row * x)) / y for x, y in points)
    return (
        f"Growth with rows: {'; '.join(steps)}. Least-squares line: "
        f"{fixed:.2f} s + {per_row * 1e6:.1f} µs × rows (largest deviation from it "
        f"{worst:.0%}).\n"
    )


FLOORED = {
    "parse": "Parse",
    "rules": "Rules",
    "checks": "Checks",
    "report": "Report",
    "ledger_first": "Ledger, first sync",
    "ledger_repeat": "Ledger, repeat sync",
    "ledger_close": "Ledger, close",
    "state_read": "State read",
}


def floors_table(compute: Json) -> str:
    """Each stage next to its floor (benchmarks/floors.py): seconds and stage ÷ floor."""
    found = {rows: c for rows, c in compute.items() if "floors" in c}
    if not found:
        return ""
    lines = [
        "Each stage against its floor (the plainest way to do its bulk alone, "
        "benchmarks/floors.py): stage s / floor s (stage ÷ floor), fastest of a few runs.\n",
        "| Stage | " + " | ".join(f"{int(rows):,} rows" for rows in found) + " |",
        "|---|" + "---|" * len(found),
    ]
    for key, name in FLOORED.items():
        cells = []
        for c in found.values():
            seconds = {**c["stages"], **c["ledger"]}[key]
            floor = c["floors"][key]
            cells.append(f"{seconds:.3f} / {floor:.3f} ({seconds / floor:.1f}×)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    peaks = " | ".join(f"{c['peak_mib']:.0f}" for c in found.values())
    lines.append(f"| Peak MiB (all of the above) | {peaks} |")
    return "\n".join(lines) + "\n"


# Stages sheetsync.sync.pipeline logs under their own name; the others are the rules and ledger.
LOGGED = ("read", "parse", "checks", "report", "write")


def _full_passes(sync: Json) -> str:
    """A sync's full gc passes and their seconds ("–" in results recorded before)."""
    if "full_passes" not in sync:
        return "–"
    return f"{sync['full_passes']} ({sync['full_pass_seconds']:.2f})"


def stages_table(local: Json, google: Json) -> str:
    """Where sheetsync's syncs spend their time, from the stages sheetsync.sync.pipeline logs."""
    lines = [
        "Where sheetsync's time goes, per stage as `sheetsync.sync.pipeline` logs it (seconds; "
        "outside read = wall less read; rules + ledger = the closings, the rules under "
        "them, the journal and the state tab; full gc = the full passes of Python's "
        "garbage collector, their count and seconds, inside the stages).\n",
        "| Case | Rows | Sync | Wall | Read | Outside read | Parse | Rules + ledger | Checks "
        "| Report | Write | Full gc | Peak MiB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    cases = [("local", rows, found["sheetsync"]) for rows, found in local.items()]
    cases += [("local", rows, found["close"]) for rows, found in local.items() if "close" in found]
    for rows, found in google.items():
        for latency in ("0ms", "50ms"):
            own = found.get(f"sheetsync@{latency}")
            if own is not None:
                cases.append((f"Google {latency}", rows, own))
    for name, rows, own in cases:
        if "stages" not in own:
            continue
        for which in own["stages"]:
            logged = own["stages"][which]
            ledger = sum(v for k, v in logged.items() if k not in LOGGED)
            times = [logged.get("parse", 0.0), ledger]
            times += [logged.get(k, 0.0) for k in ("checks", "report", "write")]
            sync = own[which]
            lines.append(
                f"| {name} | {int(rows):,} | {which} | {sync['wall']:.2f} "
                f"| {logged.get('read', 0.0):.2f} | {sync['outside_read']:.2f} | "
                + " | ".join(f"{t:.2f}" for t in times)
                + f" | {_full_passes(sync)} | {own['peak_mib']:.0f} |"
            )
    return "\n".join(lines) + "\n"
