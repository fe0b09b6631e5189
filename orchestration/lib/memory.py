"""Giving the memory this process has freed back to the system."""

from __future__ import annotations

import ctypes
import gc


def release_freed_memory() -> None:
    """Collect Python's cyclic garbage, then return the C heap's free pages to the system.

    Great Expectations leaves its validations (and the frames they held) in reference cycles, which
    only a full collection frees, and glibc keeps freed pages in its heaps until told to trim them:
    the process keeps holding memory that nothing uses while dbt's DuckDB, in a process beside it,
    fills its own memory limit.
    """
    gc.collect()
    # The C library this process already runs on; glibc's alone has `malloc_trim`.
    malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if malloc_trim is not None:
        malloc_trim(0)
