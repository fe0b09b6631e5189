"""Python work on a second core: a child forked from this process, which already holds the data.

Great Expectations validates in Python, one core at a time. A forked child starts with this
process's modules and data frames in place (nothing imported again, nothing pickled on the way
in) and hands back only what it computed. The child must not use what it shares with the parent's
threads, such as a DuckDB connection: it gets plain data and returns picklable results.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class ForkedWorkFailed(RuntimeError):
    pass


class Forked(Generic[Result]):
    """`[function(item) for item in items]`, being computed by a forked child; `results()` waits for it."""

    def __init__(self, function: Callable[[Item], Result], items: Iterable[Item]) -> None:
        items = list(items)
        read_end, write_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(read_end)
            _compute_and_exit(function, items, write_end)
        os.close(write_end)
        self._reader = os.fdopen(read_end, "rb")

    def results(self) -> list[Result]:
        # Read to the end before waiting: a child blocked on a full pipe would never exit.
        with self._reader:
            payload = self._reader.read()
        _, status = os.waitpid(self._pid, 0)
        if not payload:
            raise ForkedWorkFailed(f"the forked child ended without results ({_described(status)})")
        outcome, value = pickle.loads(payload)
        if outcome == "failed":
            raise ForkedWorkFailed(f"the forked child failed:\n{value}")
        return value


def _compute_and_exit(function: Callable, items: list, write_end: int) -> None:
    """The child's whole life: it never returns into the parent's code, nor runs its exit handlers."""
    try:
        payload = pickle.dumps(("done", [function(item) for item in items]))
    except BaseException:
        payload = pickle.dumps(("failed", traceback.format_exc()))
    try:
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


def _described(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
