"""An offline, stateful emulator of the part of the Google Sheets API v4 sheetsync uses.

Mount it on a requests session (in-process) or serve it on localhost.
"""

from tests.emulator.api import FAULTS, Emulator, Logged, Reply
from tests.emulator.transport import EmulatorAdapter, make_server, mount, serving

__all__ = [
    "FAULTS",
    "Emulator",
    "EmulatorAdapter",
    "Logged",
    "Reply",
    "make_server",
    "mount",
    "serving",
]
