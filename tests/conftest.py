"""How `make test` shares the suite between workers (pytest-xdist, `--dist loadgroup`).

A test file is the unit of work, so that its module fixtures (a generated centre, a finished run)
are built once. The files of a directory that share a session fixture (a published centre, a
Superset server) stay together on one worker for the same reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SHARING_A_SESSION_FIXTURE = {"dashboards", "reliability", "scorecards"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path.relative_to(TESTS)
        group = path.parts[0] if path.parts[0] in SHARING_A_SESSION_FIXTURE else path.as_posix()
        item.add_marker(pytest.mark.xdist_group(group))
