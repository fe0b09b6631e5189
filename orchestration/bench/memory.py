"""Peak memory of a command and everything it starts, sampled from /proc while it runs."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Self

SAMPLE_SECONDS = 0.2
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) may hold spaces and parentheses: fields resume after the last ')'.
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants."""
    children = _children_by_parent()
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        try:
            resident_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident_pages * _PAGE_BYTES
    return total


class TreeSampler:
    """Samples a process tree's resident memory in the background: (time, bytes) pairs."""

    def __init__(self, root: int):
        self.root = root
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), tree_rss_bytes(self.root)))
            self._stop.wait(SAMPLE_SECONDS)

    def peak(self, start: float | None = None, end: float | None = None) -> int:
        return max(
            (rss for at, rss in self.samples if (start is None or at >= start) and (end is None or at <= end)),
            default=0,
        )
