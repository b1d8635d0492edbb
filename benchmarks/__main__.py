"""Run every benchmark and write the figures: python -m benchmarks [--quick] [--sizes ...].

Each case runs in its own process; results land in benchmarks/results/ as JSON and Markdown.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import generate, tables

LATENCY = 0.05  # seconds per request, a typical round trip to Google from Europe
LOCAL_SIZES = (10_000, 100_000)
# The baseline sends ~20 requests per sync; with latency it is only measured up to here.
BASELINE_LATENCY_MAX = 100_000
# Above this, a 9-million-cell read takes the emulator minutes: only sheetsync without
# latency is measured there (latency adds 50 ms × 3 requests, nothing else).
FULL_GOOGLE_MAX = 100_000
OUT = Path(__file__).parent / "results"


def case(*args: object, module: str = "benchmarks.case") -> dict[str, object]:
    """Run one case in a fresh interpreter; its JSON answer."""
    command = [sys.executable, "-m", module, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


@contextmanager
def served(rows: int) -> Iterator[dict[str, str]]:
    """An emulator holding the generated spreadsheet, in its own process."""
    command = [sys.executable, "-m", "benchmarks.serve", str(rows)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert server.stdout is not None
        yield json.loads(server.stdout.readline())
    finally:
        server.terminate()
        server.wait(timeout=30)


def google(rows: int) -> dict[str, object]:
    found: dict[str, object] = {}
    with served(rows) as ready:
        found["build_seconds"] = ready["build_seconds"]
        for side in ("sheetsync", "baseline"):
            for latency in (0.0, LATENCY):
                if _skipped(rows, side, latency):
                    continue
                key = f"{side}@{int(latency * 1000)}ms"
                _say(f"google {rows} {key}")
                found[key] = case("google", side, ready["host"], ready[side], latency)
    return found


def _skipped(rows: int, side: str, latency: float) -> bool:
    if rows > FULL_GOOGLE_MAX:
        return side == "baseline" or bool(latency)
    return side == "baseline" and bool(latency) and rows > BASELINE_LATENCY_MAX


def local(rows: int, folder: Path) -> dict[str, object]:
    source = folder / f"input-{rows}.xlsx"
    found: dict[str, object] = {"build": case("build-xlsx", rows, source)}
    for side in ("sheetsync", "baseline"):
        copy = folder / f"{side}-{rows}.xlsx"
        shutil.copyfile(source, copy)
        _say(f"local {rows} {side}")
        found[side] = case("local", side, copy)
    copy = folder / f"close-{rows}.xlsx"
    shutil.copyfile(source, copy)
    _say(f"local {rows} sheetsync close")
    found["close"] = case("local-close", copy)
    return found


def run(sizes: list[int], out: Path) -> dict[str, object]:
    """Cheapest first; the figures are saved after each size, so a long run keeps its past."""
    results: dict[str, Any] = {"machine": tables.machine(), "sizes": sizes}
    results["compute"] = {}
    results["local"] = {}
    results["google"] = {}
    results["years"] = {}
    # Airtable's sizes are its own (a base of 200, 2,000, 20,000 contributions): cheap.
    _say("airtable 200, 2000, 20000")
    results["airtable"] = case(module="benchmarks.airtable")
    save(results, out)
    for n in sizes:
        results["compute"][str(n)] = _compute(n)
        # Three closed years and the current one against the current rows alone.
        _say(f"years {n}")
        results["years"][str(n)] = case(n, module="benchmarks.years")
    save(results, out)
    with tempfile.TemporaryDirectory(prefix="sheetsync-bench-") as folder:
        for n in (n for n in sizes if n in LOCAL_SIZES):
            results["local"][str(n)] = local(n, Path(folder))
            save(results, out)
    for n in sizes:
        results["google"][str(n)] = google(n)
        save(results, out)
    return results


def save(results: dict[str, Any], out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1), "utf-8")
    text = tables.markdown(results)
    (out / "results.md").write_text(text, "utf-8")
    return text


def _compute(rows: int) -> dict[str, object]:
    _say(f"compute {rows}")
    return case("compute", rows)


def _say(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k rows only")
    parser.add_argument("--sizes", help="comma-separated row counts, 'largest' allowed")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for results.json/.md")
    args = parser.parse_args()
    sizes = [*generate.SIZES, generate.largest_rows()]
    if args.quick:
        sizes = [1_000, 10_000]
    if args.sizes:
        sizes = [
            generate.largest_rows() if s == "largest" else int(s) for s in args.sizes.split(",")
        ]
    print(save(run(sizes, args.out), args.out))


if __name__ == "__main__":
    main()
