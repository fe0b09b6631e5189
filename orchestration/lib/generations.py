"""Publishing by swapping files: the working copy becomes the served file, the replaced one the next working copy.

A daily run changes a few hundred megabytes of a warehouse of several gigabytes. Copying the whole
working copy for every publication costs more than the run's SQL. Renaming it over the served file
costs nothing, and the working copy is then rebuilt from the file it replaced by rewriting only the
chunks that differ, for the price of reading both. The replaced file may only be rewritten when no
reader still holds it: DuckDB locks every file it opens (a shared lock for read-only connections),
so an exclusive lock taken once the file has no public name proves it is free.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from orchestration.lib.durability import fsync, replace_durably

CHUNK_BYTES = 1 << 20
"""Chunks compared and rewritten as units: DuckDB writes 256 KiB blocks, a megabyte reads faster."""


def publish_by_swapping(working: Path, published: Path, replaced: Path) -> int:
    """Atomically serve `working` as `published`, and leave an equal working copy; the bytes written.

    `replaced` is a hidden name in the same folder for the file being replaced. A crash leaves either
    the old or the new served file; at worst the working copy is missing, and the next connection
    starts it again from the served file.
    """
    if not _can_swap(working, published):
        return _publish_by_copying(working, published, replaced)
    fsync(working)
    replaced.unlink(missing_ok=True)
    os.link(published, replaced)
    os.replace(working, published)
    with _locked_if_free(replaced) as free:
        if free:
            written = rewrite_to_match(replaced, published)
    if not free:
        replaced.unlink()  # its readers keep their file
        written = _copy(published, replaced)
    replace_durably(replaced, working)
    return written


def rewrite_to_match(target: Path, source: Path) -> int:
    """Make `target` byte for byte equal to `source`, writing only the chunks that differ; the bytes written."""
    written = 0
    with open(source, "rb", buffering=0) as reader, open(target, "r+b", buffering=0) as writer:
        size = os.fstat(reader.fileno()).st_size
        for offset in range(0, size, CHUNK_BYTES):
            wanted = os.pread(reader.fileno(), CHUNK_BYTES, offset)
            if os.pread(writer.fileno(), CHUNK_BYTES, offset) != wanted:
                os.pwrite(writer.fileno(), wanted, offset)
                written += len(wanted)
        os.ftruncate(writer.fileno(), size)
    return written


def _can_swap(working: Path, published: Path) -> bool:
    """A served file to swap with, on the same file system, and no connection left on the working copy."""
    if not published.exists() or os.stat(working).st_dev != os.stat(published.parent).st_dev:
        return False
    with _locked_if_free(working) as free:
        return free


def _publish_by_copying(working: Path, published: Path, staged: Path) -> int:
    written = _copy(working, staged)
    replace_durably(staged, published)
    return written


def _copy(source: Path, target: Path) -> int:
    shutil.copyfile(source, target)
    return target.stat().st_size


@contextmanager
def _locked_if_free(path: Path) -> Iterator[bool]:
    """Whether no process (this one included) holds a lock on the file; if so, locked until the block ends.

    The lock is an open file description lock: it conflicts with DuckDB's classic record locks even
    in this very process, where a classic lock would silently be shared. Once the file has no public
    name no new reader can reach it, and one that opened it just before cannot lock it now.
    """
    ofd_set_lock = getattr(fcntl, "F_OFD_SETLK", None)  # Linux only: elsewhere, never free
    whole_file = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
    with open(path, "r+b") as handle:
        locked = False
        if ofd_set_lock is not None:
            try:
                fcntl.fcntl(handle.fileno(), ofd_set_lock, whole_file)
                locked = True
            except OSError:
                pass  # a reader holds it
        yield locked
