"""Serve a generated spreadsheet on localhost: python -m benchmarks.serve ROWS.

Prints one JSON line (host, spreadsheet ids) when ready, then serves until killed.
"""

from __future__ import annotations

import json
import sys
import time

from benchmarks import emulated, generate
from tests.emulator import make_server


def main() -> None:
    rows = int(sys.argv[1])
    start = time.perf_counter()
    emulated.compact_answers()
    emulator = emulated.BenchEmulator()
    sheetsync_id = emulated.load(emulator, generate.tabs(rows))
    baseline_id = emulated.share(emulator, sheetsync_id)
    server = make_server(emulator)
    host, port = server.server_address[:2]
    ready = {
        "host": f"{host!s}:{port}",
        "sheetsync": sheetsync_id,
        "baseline": baseline_id,
        "build_seconds": round(time.perf_counter() - start, 2),
    }
    print(json.dumps(ready), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
