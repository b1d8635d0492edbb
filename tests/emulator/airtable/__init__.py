"""An offline emulator of the part of Airtable's Web API sheetsync uses, as strict as
Airtable on its limits; reached through pyairtable's real HTTP code (an adapter)."""

from tests.emulator.airtable.api import AirtableEmulator, Killed, mount
from tests.emulator.airtable.limits import Clock

__all__ = ["AirtableEmulator", "Clock", "Killed", "mount"]
