"""What a sync costs an Airtable base: requests and seconds at sheetsync's pace, for bases
of 200, 2,000 and 20,000 contributions, against the Airtable emulator of tests/.

`python -m benchmarks.airtable [SIZES]` prints JSON (also run by `make bench`). Each
size: the base made by `init` (its input records loaded 10 a request, not counted),
then the first sync (owned tables created, every record written), a sync with nothing
changed, and a sync after one contribution's amount was edited. "Paced seconds" is
the emulator's clock: the time the pace below 5 requests a second (and any 30-second
penalty) makes a sync take, network latency not included; "wall" is this machine's.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

from benchmarks import generate
from sheetsync.backends.airtable.backend import AirtableBackend
from sheetsync.sync.pipeline import run_sync
from tests.emulator.airtable import AirtableEmulator, Clock
from tests.support.airtable import backend_on

BASE = "appBENCHMARK00001"
SIZES = (200, 2_000, 20_000)
AS_OF = generate.AS_OF
FREE_CALLS = 1_000  # a month, per workspace, on Airtable's free plan
FREE_RECORDS = 1_000  # per base, on the free plan
NIGHTS = 30  # a nightly job's syncs in a month


@dataclass(frozen=True)
class Sync:
    requests: int
    writes: int  # of the requests, those that create, change or delete
    paced_seconds: float
    wall_seconds: float
    refused: int  # 429s seen (should be none: the pace holds)


def _backend(emulator: AirtableEmulator) -> AirtableBackend:
    return backend_on(emulator, BASE)


def base_of(rows: int) -> AirtableEmulator:
    """An emulated base holding the generated network, its record limit out of the way."""
    emulator = AirtableEmulator(Clock())
    emulator.base(BASE, record_limit=10**7)
    data = generate.workbook_rows(rows)
    data["settings"] = [*data["settings"], ["Limite d'enregistrements", 10**7, ""]]
    _backend(emulator).init("fr", data)
    emulator.clock.sleep(60.0)
    return emulator


def measured(emulator: AirtableEmulator) -> Sync:
    since, began, wall = len(emulator.log), emulator.clock(), time.perf_counter()
    emulator.clock.sleep(1.0)  # another process, a second later
    backend = _backend(emulator)
    run_sync(backend, AS_OF, now=dt.datetime(2027, 1, 2, 9, tzinfo=dt.UTC))
    seen = emulator.log[since:]
    assert backend.requests == len(seen), (backend.requests, len(seen))
    return Sync(
        requests=len(seen),
        writes=sum(1 for e in seen if e.method != "GET"),
        paced_seconds=round(emulator.clock() - began - 1.0, 1),
        wall_seconds=round(time.perf_counter() - wall, 2),
        refused=sum(1 for e in seen if e.status == 429),
    )


def one_size(rows: int) -> dict[str, Any]:
    emulator = base_of(rows)
    inputs = emulator.base(BASE).count()
    first = measured(emulator)
    unchanged = measured(emulator)
    record = emulator.table(BASE, "Contributions").records[0]
    record["fields"]["Montant demandé"] = float(record["fields"].get("Montant demandé", 0)) + 10
    edited = measured(emulator)
    records = emulator.base(BASE).count()
    return {
        "contributions": rows,
        "input_records": inputs,
        "records_after": records,
        "owned_records": records - inputs,
        "first": vars(first),
        "unchanged": vars(unchanged),
        "one_edit": vars(edited),
        "free_plan": {
            "fits_records": records <= FREE_RECORDS,
            "unchanged_syncs_a_month": FREE_CALLS // max(unchanged.requests, 1),
            "nightly_month_calls": NIGHTS * unchanged.requests,
        },
    }


def main(argv: list[str]) -> None:
    sizes = [int(s) for s in argv[0].split(",")] if argv else list(SIZES)
    print(json.dumps({str(n): one_size(n) for n in sizes}))


if __name__ == "__main__":
    main(sys.argv[1:])
