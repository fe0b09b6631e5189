"""Memory freed in the `ccw` process goes back to the system before dbt starts beside it."""

from __future__ import annotations

import gc
import os

from orchestration.bench.memory import tree_rss_bytes
from orchestration.lib.memory import release_freed_memory

MB = 2**20


def resident_bytes() -> int:
    """This process's resident memory, as the benchmark measures it."""
    return tree_rss_bytes(os.getpid())


class Node:
    def __init__(self) -> None:
        self.payload = bytearray(4 * MB)
        self.cycle = self


def test_memory_held_by_unreachable_cycles_is_given_back() -> None:
    gc.disable()
    try:
        for _ in range(64):
            Node()  # unreachable at once, but held by its own cycle
        held = resident_bytes()
        release_freed_memory()
        released = resident_bytes()
    finally:
        gc.enable()

    assert held - released > 200 * MB
