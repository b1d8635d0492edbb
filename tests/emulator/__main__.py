"""Run the Sheets API emulator as a localhost server: python -m tests.emulator --port N.

Point sheetsync at it with SHEETS_EMULATOR_HOST=127.0.0.1:N.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.emulator.api import Emulator
from tests.emulator.transport import make_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--locale", default="fr_FR")
    parser.add_argument(
        "--seed", type=Path, help="JSON file {tab title: rows} for a first spreadsheet"
    )
    args = parser.parse_args()
    emulator = Emulator()
    tabs = json.loads(args.seed.read_text("utf-8")) if args.seed else None
    spreadsheet_id = emulator.create(locale=args.locale, tabs=tabs)
    server = make_server(emulator, args.host, args.port)
    print(f"Sheets API emulator on http://{args.host}:{args.port} (spreadsheet {spreadsheet_id})")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
