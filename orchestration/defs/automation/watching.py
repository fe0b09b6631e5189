"""Noticing deliveries: a fingerprint of a folder's files, cheap enough to take every minute."""

from __future__ import annotations

import hashlib
from pathlib import Path


def folder_fingerprint(folder: Path, suffixes: tuple[str, ...]) -> str | None:
    """A hash of every matching file's path, size and modification time; None for an empty folder.

    A new file, a re-delivered one (same name, new content) and a removed one all change it;
    nothing is read but the directory entries.
    """
    if not folder.is_dir():
        return None
    entries = sorted(
        f"{path.relative_to(folder).as_posix()}\t{stat.st_size}\t{stat.st_mtime_ns}"
        for path in folder.rglob("*")
        if path.is_file() and path.name.lower().endswith(suffixes) and not _hidden(path.relative_to(folder))
        for stat in [path.stat()]
    )
    return hashlib.sha256("\n".join(entries).encode()).hexdigest() if entries else None


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
