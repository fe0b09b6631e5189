"""Publishing by swapping files: the working copy becomes the served file, the replaced one the next working copy.

A daily run changes a few hundred megabytes of a warehouse of several gigabytes. Copying the whole
working copy for every publication costs more than the run's SQL. Renaming it over the served file
costs nothing; the replaced file is kept as the previous generation, and the next writer rebuilds
its working copy from it by rewriting only the chunks that differ from the served file, for the
price of reading both. `ccw run` has a process of its own do that while it loads its definitions,
so no run waits for it. The previous generation may only be rewritten when no reader still holds
it: DuckDB locks every file it opens (a shared lock for read-only connections), so an exclusive lock
taken once the file has no public name proves it is free.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from orchestration.lib.durability import fsync, replace_durably

CHUNK_BYTES = 1 << 20
"""Chunks compared and rewritten as units: DuckDB writes 256 KiB blocks, a megabyte reads faster."""


def previous_generation(published: Path) -> Path:
    """Where the file a publication replaced waits to become the next working copy."""
    return published.with_name(f".{published.name}.previous")


def publish_by_swapping(working: Path, published: Path, staged: Path) -> int:
    """Atomically serve `working` as `published`; the bytes written.

    Swapping writes nothing: the working copy is renamed over the served file, whose file is kept as
    the previous generation (see `restore_working_copy`). When it cannot swap, the working copy is
    copied through `staged`, a hidden name in the same folder, and stays the working copy. A crash
    leaves either the old or the new served file, and at worst no working copy.
    """
    if not _can_swap(working, published):
        return _copy_durably(working, published, staged)
    fsync(working)
    previous = previous_generation(published)
    previous.unlink(missing_ok=True)
    os.link(published, previous)
    os.replace(working, published)
    fsync(published.parent)
    return 0


def restore_working_copy(working: Path, published: Path) -> int:
    """Make sure there is a working copy, equal to the served file if one had to be made; the bytes written.

    From the previous generation when nobody reads it, by rewriting the chunks that differ; else by
    copying the served file. One process at a time: another one waits, then finds it done.
    """
    with _exclusive(working.with_name(f".{working.name}.lock")):
        if working.exists() or not published.exists():
            return 0
        previous = previous_generation(published)
        if previous.exists():
            with _locked_if_free(previous) as free:
                if free:
                    written = rewrite_to_match(previous, published)
            if free:
                replace_durably(previous, working)
                return written
            previous.unlink()  # its readers keep their file
        return _copy_durably(published, working, working.with_name(f".{working.name}.copying"))


def restoring_in_background(working: Path, published: Path) -> subprocess.Popen | None:
    """`restore_working_copy` in a process of its own, when there is work for it; the first writer waits for it."""
    if working.exists() or not previous_generation(published).exists():
        return None
    return subprocess.Popen([sys.executable, "-m", __name__, str(working), str(published)])


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


def _copy_durably(source: Path, target: Path, staged: Path) -> int:
    shutil.copyfile(source, staged)
    replace_durably(staged, target)
    return target.stat().st_size


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


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


if __name__ == "__main__":
    restore_working_copy(Path(sys.argv[1]), Path(sys.argv[2]))
