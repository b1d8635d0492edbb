"""An Airtable backend on the project's emulator (tests/emulator/airtable), paced by the
emulator's clock: what the Airtable tests and the benchmark open."""

from __future__ import annotations

from sheetsync.backends.airtable.backend import AirtableBackend
from sheetsync.backends.airtable.limits import Policy
from sheetsync.backends.gsheets.ratelimit import RateLimiter
from tests.emulator.airtable import AirtableEmulator, mount


def backend_on(
    emulator: AirtableEmulator, base: str, token_limiter: RateLimiter | None = None
) -> AirtableBackend:
    """The backend of `base` on the emulator, its waits and time the emulator's clock
    (`token_limiter`: one shared by the bases of a token)."""
    return AirtableBackend(
        base,
        token="pat.test",  # noqa: S106 - the emulator takes any token
        endpoint="https://api.airtable.com",
        policy=Policy(sleep=emulator.clock.sleep),
        transport=mount(emulator),
        token_limiter=token_limiter,
        clock=emulator.clock,
        lang="fr",
    )
