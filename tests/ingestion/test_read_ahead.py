"""Deliveries read ahead in a thread are exactly what reading them there and then gives."""

from __future__ import annotations

import pytest

from ingestion.contract import EXTRACTS_BY_NAME
from ingestion.landing import find_deliveries
from ingestion.read_ahead import FILES_AHEAD, ReadAhead, read_delivery

CALLS = EXTRACTS_BY_NAME["calls"]


def write_days(landing, days: int) -> None:
    for day in range(1, days + 1):
        landing.write(f"calls_2026-08-{day:02d}.csv", [{"call_id": f"c{day}-{n}"} for n in range(3)])


def test_reads_ahead_equal_reads_in_place_for_loadable_and_rejected_files(landing) -> None:
    write_days(landing, FILES_AHEAD + 3)
    landing.write("calls_2026-08-20.csv", [{"call_id": "c20"}], columns=["call_id", "direction"])
    landing.write_bytes("calls_2026-08-21.csv", b"call_id,direction\n\xff\xfe\xfa,inbound\n")
    deliveries = find_deliveries(landing.root, CALLS)

    with ReadAhead(deliveries, expected=lambda d: True) as reads:
        read_ahead = [reads.read(d) for d in deliveries]

    in_place = [read_delivery(d) for d in deliveries]
    assert [r.checksum for r in read_ahead] == [r.checksum for r in in_place]
    assert [r.parsed.table if r.parsed else None for r in read_ahead] == [r.parsed.table if r.parsed else None for r in in_place]
    assert [str(r.rejection) for r in read_ahead] == [str(r.rejection) for r in in_place]
    assert [str(r.rejection) for r in read_ahead if r.rejection] == [
        "missing required columns: queue, enqueued_at, ended_at, talk_seconds, hold_seconds, wrap_seconds, outcome",
        "undecodable bytes at line 2 (byte offset 18): the file is neither UTF-8 or GB18030",
    ]


def test_a_delivery_not_expected_is_read_when_asked(landing) -> None:
    write_days(landing, 3)
    deliveries = find_deliveries(landing.root, CALLS)
    expected = deliveries[::2]

    with ReadAhead(deliveries, expected=lambda d: d in expected) as reads:
        checksums = [reads.read(d).checksum for d in deliveries]

    assert checksums == [read_delivery(d).checksum for d in deliveries]


def test_a_file_that_cannot_be_read_fails_when_its_turn_comes(landing) -> None:
    write_days(landing, 3)
    deliveries = find_deliveries(landing.root, CALLS)
    deliveries[1].path.unlink()

    with ReadAhead(deliveries, expected=lambda d: True) as reads:
        assert reads.read(deliveries[0]).parsed.table.num_rows == 3
        with pytest.raises(FileNotFoundError):
            reads.read(deliveries[1])
        assert reads.read(deliveries[2]).parsed.table.num_rows == 3
