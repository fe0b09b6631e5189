"""Work handed to a forked child: its results come back, and so does its failure."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from orchestration.lib.forked import Forked, ForkedWorkFailed

FRAMES = {"calls": pd.DataFrame({"seconds": range(100_000)})}
"""Data the parent holds when it forks: the child reads it without its being sent."""


def child_pid_and_total(table: str) -> tuple[int, int]:
    return os.getpid(), int(FRAMES[table]["seconds"].sum())


def test_the_child_computes_from_the_parents_data_and_returns_its_results_in_order():
    work = Forked(lambda n: n * n, range(5))
    assert work.results() == [0, 1, 4, 9, 16]

    [(pid, total)] = Forked(child_pid_and_total, ["calls"]).results()
    assert pid != os.getpid()
    assert total == sum(range(100_000))


def test_a_failure_in_the_child_is_raised_in_the_parent_with_its_traceback():
    def broken(item: str) -> int:
        raise ValueError(f"no such column: {item}")

    with pytest.raises(ForkedWorkFailed, match="(?s)ValueError: no such column: duration"):
        Forked(broken, ["duration"]).results()


def test_a_child_that_dies_is_reported():
    def dies(_: int) -> int:
        os._exit(3)

    with pytest.raises(ForkedWorkFailed, match="without results \\(exit status 3\\)"):
        Forked(dies, [1]).results()


def test_large_results_do_not_block_the_child():
    """More than a pipe holds (64 KiB): the parent reads before it waits."""
    [payload] = Forked(lambda size: b"x" * size, [5_000_000]).results()
    assert len(payload) == 5_000_000
