"""Which loads of an extract have passed the current version of its raw expectation suite.

A raw row never changes once loaded: a corrected delivery is a load of its own, with new rows. So a
raw table's suite needs to see each load once per version of the suite, and a daily run validates
the day's files rather than the year. A load in which the suite found a blocking failure is not
marked, and every later run validates it again until it is replaced; a changed suite (another
digest) sees every load again.
"""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb


def pending_loads(con: duckdb.DuckDBPyConnection, extract: str, digest: str) -> list[int]:
    """The current loads of `extract` holding rows that the suite of `digest` has not passed."""
    rows = con.execute(
        """
        SELECT load_id FROM audit.load_log AS log
        WHERE extract = ? AND is_current AND rows_accepted > 0
          AND NOT EXISTS (
              SELECT 1 FROM audit.validated_loads AS validated
              WHERE validated.extract = log.extract AND validated.load_id = log.load_id AND validated.suite_digest = ?
          )
        ORDER BY load_id
        """,
        [extract, digest],
    ).fetchall()
    return [load_id for (load_id,) in rows]


def loads_condition(extract: str, load_ids: list[int]) -> str:
    """A condition on a raw table's rows: brought by one of `load_ids` (integers, inlined)."""
    ids = ", ".join(str(int(load_id)) for load_id in load_ids) or "NULL"
    return f"_file_name IN (SELECT file_name FROM audit.load_log WHERE extract = '{extract}' AND load_id IN ({ids}))"


def mark_validated(con: duckdb.DuckDBPyConnection, extract: str, load_ids: list[int], digest: str, run_id: str | None) -> None:
    validated_at = datetime.now(timezone.utc).replace(tzinfo=None)
    con.execute(
        "INSERT INTO audit.validated_loads SELECT ?, unnest(?::BIGINT[]), ?, ?, ?",
        [extract, load_ids, digest, run_id, validated_at],
    )
