"""Files netops writes: private by default, whole or not at all, and never outside their folder.

Reports, pictures, plans and the store hold PD data (device names, addresses, findings), so
they are created 0640 (the store and secrets 0600) whatever the umask says. A name taken from
an input file can become a path component (a hypervisor's plan folder); `inside` resolves the
path and refuses it unless it stays inside its root, before anything is written or deleted.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from netops.errors import InputError, NetopsError

REPORT_MODE = 0o640
FOLDER_MODE = 0o750


class UnsafePathError(NetopsError):
    """A path built from input data would land outside the folder it belongs to."""


def inside(root: Path, *parts: str) -> Path:
    """`root/part/...` resolved (symlinks too); UnsafePathError unless strictly below root."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target == base or not target.is_relative_to(base):
        raise UnsafePathError(f"refused: {'/'.join(parts)!r} would be outside {base}")
    return target


def write_private(path: Path, data: str | bytes, mode: int = REPORT_MODE) -> None:
    """Atomically replace `path` with `data`, created with `mode` (a reader never sees half a file)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, path)
    except OSError as exc:
        raise NetopsError(f"cannot write {path}: {exc.strerror or exc}") from exc


def create_private(path: Path, mode: int = 0o600) -> None:
    """Create an empty file with `mode` if it does not exist yet (so what fills it is never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))


def read_capped(path: Path, limit: int, kind: str, name: str | None = None) -> bytes:
    """A file's bytes, read no further than `limit` + 1: a missing file, a folder, an unreadable file or one
    over `limit` is one InputError line (`kind` names the files, e.g. "topology files"; `name` is how the
    error names the file, the path by default)."""
    named = name if name is not None else path
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise InputError.at(named, None, "(file)", "file not found") from exc
    except IsADirectoryError as exc:
        raise InputError.at(named, None, "(file)", "is a folder, not a file") from exc
    except OSError as exc:
        raise InputError.at(named, None, "(file)", f"cannot read: {exc.strerror or exc.__class__.__name__}") from exc
    if len(data) > limit:
        raise InputError.at(named, None, "(file)", f"over {limit // 2**20} MB; {kind} that large are refused")
    return data
