"""Replace a local file in one step: write a temporary file beside it, keep the
previous one as a backup, rename; a crash at any moment leaves a whole file.

A symbolic link is written through: the file it points to is replaced and the
link stays a link. A file whose permissions forbid writing is refused, never
replaced behind the user's back.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from sheetsync.errors import BackendError
from sheetsync.messages import say
from sheetsync.template import Lang


def replace_atomically(
    path: Path, produce: Callable[[IO[bytes]], None], backup: Path | None, lang: Lang
) -> None:
    """Write through a temporary file in the same folder, then rename over `path`.

    The previous file, if any, is kept as `backup` (a regular file, even when
    `path` is a link). Nothing is changed when `produce` raises. A file it cannot
    write is said in `lang`.
    """
    path = Path(os.path.realpath(path))  # through any symbolic link, to the real file
    _refuse_read_only(path, lang)
    folder = path.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BackendError(
            say(lang, "atomic.cannot_write", folder=folder, why=exc.strerror)
        ) from exc
    try:
        with os.fdopen(handle, "wb") as out:
            produce(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _mode_for(path))
        if backup is not None and path.exists():
            _keep_backup(path, backup)
        os.replace(temp, path)
        _sync_folder(folder)
    except OSError as exc:
        raise BackendError(
            say(lang, "atomic.cannot_write_2", name=path.name, why=exc.strerror or exc)
        ) from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def is_read_only(path: Path) -> bool:
    """Whether the file's permission bits forbid this user to write it.

    The bits themselves are read: os.access says yes to root whatever they are.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return False
    if info.st_uid == os.geteuid():
        return not info.st_mode & stat.S_IWUSR
    if os.geteuid() == 0:
        return not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    return not os.access(path, os.W_OK)


def _refuse_read_only(path: Path, lang: Lang) -> None:
    if is_read_only(path):
        raise BackendError(say(lang, "atomic.read_only_sheetsync_left_unchanged", name=path.name))


def _mode_for(path: Path) -> int:
    # Keep the file's permissions; a new file gets what the umask allows.
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _keep_backup(path: Path, backup: Path) -> None:
    # Staged then renamed, so a crash at any point leaves the previous backup or the new one.
    staged = backup.with_name(f".{backup.name}.new")
    staged.unlink(missing_ok=True)
    try:
        os.link(path, staged)  # instant, and the rename below leaves it the old file
    except OSError:
        shutil.copyfile(path, staged)
    os.replace(staged, backup)


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every system can open a folder.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
