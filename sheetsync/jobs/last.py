"""`sheetsync jobs last LOG...`: the last run recorded in one or more run logs, per sheet,
in the run's language; the logs of a sharded job's runners read together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sheetsync.jobs.log import LastRun, LatestRuns, latest_runs, summary_table
from sheetsync.messages import say
from sheetsync.template import Lang, lang_of


def describe_last(paths: Path | Sequence[Path], lang: Lang) -> tuple[str, int]:
    """The last run recorded in one or more logs, per sheet, and 0 if it all went well
    (else 1). Logs of a sharded job (one per runner) are read together: the last run of
    each share, a share with no run counting as a failure.

    A run with a start line and no end line (killed mid-way) is incomplete: 1.
    `lang`: the language until a run says its own (the command line's).
    """
    given = [paths] if isinstance(paths, Path) else list(paths)
    latest = latest_runs(given, lang)
    if not latest.runs:
        shown = ", ".join(str(p) for p in given)
        none = say(lang, "jobs.last.no_run_recorded", p=shown)
        return none, 1
    first = latest.runs[0]
    marked = first.start or first.results[0]
    run_lang: Lang = lang_of(marked.language) or "fr"
    lines = _last_titles(latest, run_lang, marked.job)
    results = [r for run in latest.runs for r in run.results]
    if results:
        lines.append(summary_table(results, run_lang))
    lines += [_incomplete(run, run_lang) for run in latest.runs if not run.complete]
    if latest.missing:
        lines.append(
            say(
                run_lang,
                "jobs.last.no_run_recorded_share_s",
                which=", ".join(f"{k}/{latest.count}" for k in latest.missing),
            )
        )
    fine = all(run.complete for run in latest.runs) and all(r.ok for r in results)
    return "\n".join(lines), 0 if fine and not latest.missing else 1


def _started(run: LastRun) -> str:
    return run.start.time if run.start else min(r.start for r in run.results)


def _last_titles(latest: LatestRuns, lang: Lang, job: str) -> list[str]:
    if not latest.count:
        return [say(lang, "jobs.last.last_run_started", job=job, start=_started(latest.runs[0]))]
    title = say(lang, "jobs.last.last_runs_shares", job=job, n=latest.count)
    parts = [
        say(
            lang,
            "jobs.last.share_started_sheet_s",
            k=run.shard[0] if run.shard else "?",
            n=latest.count,
            start=_started(run),
            s=len(run.results),
        )
        for run in latest.runs
    ]
    return [title, *parts]


def _incomplete(run: LastRun, lang: Lang) -> str:
    share = say(lang, "jobs.last.share", k=run.shard[0], n=run.shard[1]) if run.shard else ""
    return share + say(
        lang,
        "jobs.last.incomplete_run_end_not_recorded",
        done=len(run.results),
        n=run.start.sheets if run.start else len(run.results),
    )
