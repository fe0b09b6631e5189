"""Flushing to disk what a rename is about to make visible."""

from __future__ import annotations

import os
from pathlib import Path


def fsync(path: Path) -> None:
    """Flush a file's contents, or a folder's entries (after a rename in it), to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def replace_durably(staged: Path, target: Path) -> None:
    """Rename `staged` over `target` once its contents are on disk, then flush the rename itself:
    after a crash the target is the old file or the new one, whole."""
    fsync(staged)
    os.replace(staged, target)
    fsync(target.parent)
