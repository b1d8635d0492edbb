"""Where the time goes: cProfile of the compute stages, python -m benchmarks.profile [ROWS].

Prints the functions with the most time of their own; default size is the largest.
"""

from __future__ import annotations

import cProfile
import pstats
import sys

from benchmarks import case, generate


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else generate.largest_rows()
    profiler = cProfile.Profile()
    profiler.runcall(case.compute, rows)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(r"sheetsync", 25)


if __name__ == "__main__":
    main()
