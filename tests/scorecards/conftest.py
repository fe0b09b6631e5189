"""A real published warehouse and a real SMTP server on 127.0.0.1 for the scorecard tests.

- `published` is built once for the whole folder by `ccw generate` (8 agents, 2 teams, July and
  August 2026) and `ccw run`; `warehouse` is a fresh copy of it per test, free to alter.
- `smtp_server(port=None)` starts an aiosmtpd server that keeps every message it accepts and
  returns its inbox; `inbox` is one already started. Every server stops after its test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from scorecards_support import HASH_KEY, JULY, Inbox, output_of, run_ccw

from orchestration.lib.ports import free_port


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("centre")
    env = {**os.environ, "CCW_PII_HASH_KEY": HASH_KEY, "DAGSTER_HOME": str(root / "dagster")}
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    for args in (
        ("generate", "--out", str(landing), "--agents", "8", "--teams", "2", "--start", JULY, "--months", "2", "--seed", "3"),
        ("run", "--landing", str(landing), "--warehouse", str(warehouse)),
    ):
        result = run_ccw(*args, env=env)
        assert result.returncode == 0, output_of(result)
    return warehouse


@pytest.fixture
def warehouse(published, tmp_path) -> Path:
    copy = tmp_path / "published" / "warehouse.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(published, copy)
    return copy


@pytest.fixture
def smtp_server():
    controllers = []

    def start(port: int | None = None, **options: Any) -> Inbox:
        inbox = Inbox(port=port or free_port())
        controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port, **options)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def inbox(smtp_server) -> Inbox:
    return smtp_server()
