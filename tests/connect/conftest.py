"""Fixtures of the Connect import tests: the recorded exports as delivered, and a landing folder."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from recorded_exports import RECORDS, Exports


@pytest.fixture
def exports(tmp_path: Path) -> Exports:
    """The recorded exports as delivered: the back-to-back records gzipped, as Firehose compresses them."""
    root = tmp_path / "exports"
    shutil.copytree(RECORDS / "agent_events", root / "agent_events")
    ctr = root / "ctr"
    ctr.mkdir()
    shutil.copy(RECORDS / "ctr" / "contacts-1.jsonl", ctr)
    shutil.copy(RECORDS / "ctr" / "contacts-2.json", ctr)
    (ctr / "contacts-3.json.gz").write_bytes(gzip.compress((RECORDS / "ctr" / "contacts-3.json").read_bytes(), mtime=0))
    return Exports(ctr, root / "agent_events")


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return tmp_path / "landing"
