"""How `make test` shares the suite between workers (pytest-xdist, `--dist loadgroup`).

A test file is the unit of work, so that its module fixtures (a generated centre, a finished run)
are built once. The files of a directory that share a session fixture (a published centre, a
Superset server) stay together on one worker for the same reason. Units are handed out in
collection order (`--no-loadscope-reorder`), so that the many quick unit tests come last and
fill the gaps at the end instead of waiting in front of the long end-to-end files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SHARING_A_SESSION_FIXTURE = {"dashboards", "reliability", "scorecards"}


# Marked as each test is collected, before xdist reads the marks in its collection hook.
def pytest_itemcollected(item: pytest.Item) -> None:
    path = item.path.relative_to(TESTS)
    group = path.parts[0] if path.parts[0] in SHARING_A_SESSION_FIXTURE else path.as_posix()
    item.add_marker(pytest.mark.xdist_group(group))
