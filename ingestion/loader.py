"""Loading an extract's deliveries into the raw layer, with quarantine and a load log.

Files are loaded a few at a time, each batch in one transaction: every file's earlier delivery (if
any) is replaced, its valid rows land in `raw.<extract>`, its rejected rows in `audit.quarantine`,
and `audit.load_log` records its counts, which always reconcile: rows read = rows accepted + rows
quarantined. An interrupted load leaves whole files, loaded and logged, or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import duckdb
import pyarrow as pa

from ingestion.contract import Extract
from ingestion.landing import Delivery, find_deliveries
from ingestion.pii import key_pads, mask_digits
from ingestion.read_ahead import ReadAhead, ReadDelivery
from ingestion.reading import LINE_COLUMN, Malformed, ParsedFile
from ingestion.validation import enum_parameters, record_sql, validated_rows_sql

# How a later delivery's quarantine reason cites the first delivery of its id.
_FIRST_DELIVERED_IN = ": first delivered in "

ROWS_PER_BATCH = 400_000
"""Files are gathered until they hold this many rows, then loaded by one statement and one commit:
DuckDB's cost per statement and per commit is paid per batch, and a batch spans several of its row
groups, which its threads share (a daily calls file is about 42,000 rows, a states file 130,000)."""


@dataclass(frozen=True)
class LoadSettings:
    hash_key: bytes
    timezone: str = "Asia/Shanghai"
    run_id: str | None = None


@dataclass(frozen=True)
class FileLoad:
    file_name: str
    status: str
    """loaded, unchanged (same checksum as the current delivery), empty, or rejected."""
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    reason: str | None = None


@dataclass
class ExtractLoad:
    extract: str
    files: list[FileLoad] = field(default_factory=list)
    duplicates_quarantined: int = 0

    def total(self, attribute: str) -> int:
        return sum(getattr(f, attribute) for f in self.files if f.status != "unchanged")

    @property
    def changed(self) -> bool:
        return any(f.status != "unchanged" for f in self.files) or self.duplicates_quarantined > 0


def load_extract(
    con: duckdb.DuckDBPyConnection,
    landing,
    extract: Extract,
    settings: LoadSettings,
    progress: Callable[[str], None] | None = None,
) -> ExtractLoad:
    """Load every new or re-delivered file of the extract; unchanged files are skipped.

    A file with the name, size and modification time of its loaded delivery is not read again; one
    that was touched is read, and skipped when its checksum is unchanged.
    """
    result = ExtractLoad(extract.name)
    loaded = {
        name: (checksum, (size, modified))
        for name, checksum, size, modified in con.execute(
            "SELECT file_name, checksum, file_size, file_modified_ns FROM audit.load_log WHERE extract = ? AND is_current",
            [extract.name],
        ).fetchall()
    }
    current = {name: checksum for name, (checksum, _) in loaded.items()}
    loaded_before = set(current)
    deliveries = find_deliveries(landing, extract)
    pads = key_pads(settings.hash_key)
    file_stats = {d.file_name: _file_stat(d) for d in deliveries}

    def untouched(delivery: Delivery) -> bool:
        return delivery.file_name in current and loaded[delivery.file_name][1] == file_stats[delivery.file_name]

    batch: list[tuple[Delivery, ReadDelivery]] = []

    def load_batch() -> None:
        result.files.extend(_load_batch(con, batch, settings, pads, loaded_before, file_stats))
        batch.clear()

    with ReadAhead(deliveries, expected=lambda d: not untouched(d)) as reads:
        for number, delivery in enumerate(deliveries, start=1):
            if untouched(delivery):
                result.files.append(FileLoad(delivery.file_name, "unchanged"))
                continue
            read = reads.read(delivery)
            if current.get(delivery.file_name) == read.checksum:
                _record_file_stat(con, delivery, file_stats[delivery.file_name])
                result.files.append(FileLoad(delivery.file_name, "unchanged"))
                continue
            if delivery.file_name in loaded_before:
                # Its replacement may no longer hold an id whose later deliveries were quarantined as
                # duplicates: those files come later in delivery order and are read again.
                for name in _files_repeating_ids_of(con, delivery):
                    current.pop(name, None)
            batch.append((delivery, read))
            if sum(r.parsed.rows_read for _, r in batch if r.parsed) >= ROWS_PER_BATCH:
                load_batch()
            if progress and (number % 30 == 0 or number == len(deliveries)):
                progress(f"{extract.name}: {number}/{len(deliveries)} files")
        if batch:
            load_batch()
    result.duplicates_quarantined = _quarantine_later_deliveries(con, extract)
    if result.duplicates_quarantined:
        result.files = _recounted(con, extract, result.files)
    return result


def _record_file_stat(con: duckdb.DuckDBPyConnection, delivery: Delivery, file_stat: tuple[int, int]) -> None:
    con.execute(
        "UPDATE audit.load_log SET file_size = ?, file_modified_ns = ? WHERE extract = ? AND file_name = ? AND is_current",
        [*file_stat, delivery.extract.name, delivery.file_name],
    )


def _files_repeating_ids_of(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> list[str]:
    """Files holding rows quarantined as later deliveries of an id this file delivered first."""
    if delivery.extract.key_scope != "centre":
        return []
    cited = f"{_FIRST_DELIVERED_IN}{delivery.file_name} line "
    return [
        name
        for (name,) in con.execute(
            "SELECT DISTINCT file_name FROM audit.quarantine WHERE extract = ? AND contains(reason, ?)",
            [delivery.extract.name, cited],
        ).fetchall()
    ]


def _forget_earlier_delivery(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> None:
    """A re-delivered file replaces what its earlier delivery brought, rows and quarantine alike."""
    extract, name = delivery.extract, delivery.file_name
    con.execute(f"DELETE FROM {extract.raw_table} WHERE _file_name = ?", [name])
    con.execute("DELETE FROM audit.quarantine WHERE extract = ? AND file_name = ?", [extract.name, name])
    con.execute("UPDATE audit.load_log SET is_current = false WHERE extract = ? AND file_name = ?", [extract.name, name])


def _file_stat(delivery: Delivery) -> tuple[int, int]:
    stat = delivery.path.stat()
    return stat.st_size, stat.st_mtime_ns


def _load_batch(
    con, batch: list[tuple[Delivery, ReadDelivery]], settings: LoadSettings, pads, loaded_before: set[str], file_stats
) -> list[FileLoad]:
    con.begin()
    try:
        for delivery, _ in batch:
            # A file never loaded has nothing to forget: its rows and its log entry commit together.
            if delivery.file_name in loaded_before:
                _forget_earlier_delivery(con, delivery)
        file_loads = _load_files(con, batch, settings, pads)
        for delivery, _ in batch:
            _record_file_stat(con, delivery, file_stats[delivery.file_name])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return file_loads


def _load_files(con, batch: list[tuple[Delivery, ReadDelivery]], settings: LoadSettings, pads) -> list[FileLoad]:
    """Rows of files with the same columns go in together; each file is then logged in delivery order."""
    same_columns: dict[tuple[str, ...], list[tuple[Delivery, ParsedFile]]] = {}
    for delivery, read in batch:
        if read.parsed and read.parsed.rows_read:
            same_columns.setdefault(_extra_columns(delivery.extract, read.parsed), []).append((delivery, read.parsed))
    counts: dict[str, tuple[int, int]] = {}
    for extras, files in same_columns.items():
        counts |= _load_rows(con, files, extras, settings, pads)
    file_loads = []
    for delivery, read in batch:
        if read.rejection:
            file_loads.append(_reject_file(con, delivery, read, settings))
        elif not read.parsed.rows_read:
            file_loads.append(_log(con, delivery, read.checksum, read.encoding, "empty", settings, reason="no data rows"))
        else:
            accepted, quarantined = counts.get(delivery.file_name, (0, 0))
            quarantined += _quarantine_malformed(con, delivery, read.parsed.malformed)
            file_loads.append(
                _log(con, delivery, read.checksum, read.encoding, "loaded", settings, accepted=accepted, quarantined=quarantined)
            )
    return file_loads


def _extra_columns(extract: Extract, parsed: ParsedFile) -> tuple[str, ...]:
    known = {c.name for c in extract.columns}
    return tuple(name for name in parsed.columns if name not in known)


def _source_table(delivery: Delivery, parsed: ParsedFile, extras: tuple[str, ...]) -> pa.Table:
    """The file's text in the statement's columns: every contract column, its extras, its lineage."""
    table = parsed.table
    names = [*(c.name for c in delivery.extract.columns), *extras, LINE_COLUMN]
    columns = [
        table.column(name) if name in table.column_names else pa.nulls(table.num_rows, type=pa.string())
        for name in names
    ]
    columns.append(pa.repeat(pa.scalar(delivery.file_name), table.num_rows))
    columns.append(pa.repeat(pa.scalar(delivery.file_date), table.num_rows))
    return pa.Table.from_arrays(columns, names=[*names, "_file_name", "_file_date"])


def _load_rows(
    con, files: list[tuple[Delivery, ParsedFile]], extras: tuple[str, ...], settings: LoadSettings, pads
) -> dict[str, tuple[int, int]]:
    """Load the files' rows in one statement; returns each file's rows accepted and quarantined."""
    extract = files[0][0].extract
    ipad, opad = pads
    sql = validated_rows_sql(extract, list(extras))
    parameters = {"tz": settings.timezone, "ipad": ipad, "opad": opad, **enum_parameters(extract)}
    # DuckDB refuses a named parameter the statement does not use (no timestamp: no $tz, no hash: no pads).
    used = set(re.findall(r"\$(\w+)", sql))
    con.register("src", pa.concat_tables(_source_table(delivery, parsed, extras) for delivery, parsed in files))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE batch AS {sql}", {k: v for k, v in parameters.items() if k in used})
    finally:
        con.unregister("src")
    if extract.key:
        _reject_repeated_keys_in_file(con, extract)
    stored = ", ".join(f'"{c.name}" AS {c.raw_name}' for c in extract.stored_columns)
    con.execute(
        f"""
        INSERT INTO {extract.raw_table} BY NAME
        SELECT {stored}, _file_name, _file_date, _line_number, _extra, now()::TIMESTAMP AS _loaded_at
        FROM batch WHERE _error_reason IS NULL
        """
    )
    con.execute(
        f"""
        INSERT INTO audit.quarantine
        SELECT ?, _file_name, _line_number, _error_column, _error_reason, {record_sql(extract)}, _month, now()::TIMESTAMP
        FROM batch WHERE _error_reason IS NOT NULL
        """,
        [extract.name],
    )
    counts = con.execute(
        """
        SELECT _file_name, count(*) FILTER (WHERE _error_reason IS NULL), count(*) FILTER (WHERE _error_reason IS NOT NULL)
        FROM batch GROUP BY _file_name
        """
    ).fetchall()
    con.execute("DROP TABLE batch")
    return {name: (accepted, quarantined) for name, accepted, quarantined in counts}


def _reject_repeated_keys_in_file(con, extract: Extract) -> None:
    keys = ", ".join(f'"{k}"' for k in extract.key)
    shown = " || ', ' || ".join(f"'{k} ' || \"{k}\"" for k in extract.key)
    con.execute(
        f"""
        UPDATE batch SET
            _error_column = '{extract.key[0]}',
            _error_reason = 'duplicate ' || repeated.shown || ' (first at line ' || repeated.first_line || ')'
        FROM (
            SELECT _file_name, _line_number, {shown} AS shown,
                   min(_line_number) OVER (PARTITION BY _file_name, {keys}) AS first_line
            FROM batch WHERE _error_reason IS NULL
        ) AS repeated
        WHERE batch._file_name = repeated._file_name AND batch._line_number = repeated._line_number
          AND repeated._line_number > repeated.first_line
        """
    )


def _quarantine_malformed(con, delivery: Delivery, malformed: list[Malformed]) -> int:
    if not malformed:
        return 0
    rows = pa.table({
        "line_number": [m.line_number for m in malformed],
        "reason": [m.reason for m in malformed],
        "record": [mask_digits(m.text) or None for m in malformed],
    })
    con.register("malformed", rows)
    try:
        con.execute(
            "INSERT INTO audit.quarantine SELECT ?, ?, line_number, NULL, reason, to_json(record), ?, now()::TIMESTAMP FROM malformed",
            [delivery.extract.name, delivery.file_name, delivery.month],
        )
    finally:
        con.unregister("malformed")
    return len(malformed)


def _reject_file(con, delivery: Delivery, read: ReadDelivery, settings) -> FileLoad:
    """A file that cannot be read: each of its data lines is quarantined with the file's reason."""
    rejection, data_lines = read.rejection, list(read.rejected_lines)
    where = f"line {rejection.line}" if rejection.line else "file"
    reason = f"file {delivery.file_name} rejected ({where}): {rejection.reason}"
    con.execute(
        """
        INSERT INTO audit.quarantine
        SELECT ?, ?, unnest(?::BIGINT[]), ?, ?, NULL, ?, now()::TIMESTAMP
        """,
        [delivery.extract.name, delivery.file_name, data_lines, rejection.column, reason, delivery.month],
    )
    return _log(con, delivery, read.checksum, read.encoding, "rejected", settings, quarantined=len(data_lines), reason=reason)


def _log(con, delivery: Delivery, checksum, encoding, status, settings, *, accepted=0, quarantined=0, reason=None) -> FileLoad:
    file_load = FileLoad(delivery.file_name, status, accepted + quarantined, accepted, quarantined, reason)
    con.execute(
        """
        INSERT INTO audit.load_log
        SELECT coalesce((SELECT max(load_id) FROM audit.load_log), 0) + 1,
               ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, NULL, NULL
        """,
        [
            settings.run_id, delivery.extract.name, delivery.file_name, delivery.file_date, checksum, encoding,
            status, reason, file_load.rows_read, accepted, quarantined, datetime.now(timezone.utc).replace(tzinfo=None),
        ],
    )
    return file_load


def _quarantine_later_deliveries(con, extract: Extract) -> int:
    """An id unique across the centre that appears again in another file: the first delivery stands.

    Only the ids of the loads since the last check are looked for elsewhere in the table (every id
    on a warehouse never checked), so an interrupted load is finished by the next one; only ids
    seen in more than one file are ranked.
    """
    if extract.key_scope != "centre":
        return 0
    keys = ", ".join(extract.key)
    shown = " || ', ' || ".join(f"'{k} ' || {k}" for k in extract.key)
    record = "json_object(" + ", ".join(f"'{c.raw_name}', {c.raw_name}" for c in extract.stored_columns) + ")"
    business_date = f"CAST({extract.business_date} AS DATE)" if extract.business_date else "_file_date"
    ordering = "ORDER BY _file_date, _file_name, _line_number"
    con.begin()
    try:
        checked_through = _ids_checked_through(con, extract)
        last_load = _last_load_id(con, extract)
        if checked_through is not None and checked_through >= last_load:
            con.commit()
            return 0
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE later_deliveries AS
            WITH repeated AS (
                SELECT {keys} FROM {extract.raw_table} {_rows_with_ids_of_loads_after(extract, checked_through)}
                GROUP BY {keys} HAVING count(DISTINCT _file_name) > 1
            ),
            ranked AS (
                SELECT raw.*,
                       row_number() OVER (PARTITION BY {keys} {ordering}) AS delivery_rank,
                       first_value(_file_name) OVER (PARTITION BY {keys} {ordering}) AS first_file,
                       first_value(_line_number) OVER (PARTITION BY {keys} {ordering}) AS first_line
                FROM {extract.raw_table} AS raw SEMI JOIN repeated USING ({keys})
            )
            SELECT * FROM ranked WHERE delivery_rank > 1
            """
        )
        moved = con.execute(
            f"""
            INSERT INTO audit.quarantine
            SELECT '{extract.name}', _file_name, _line_number, '{extract.key[0]}',
                   'duplicate ' || {shown} || '{_FIRST_DELIVERED_IN}' || first_file || ' line ' || first_line,
                   {record}, date_trunc('month', {business_date}), now()::TIMESTAMP
            FROM later_deliveries
            """
        ).fetchone()[0]
        con.execute(
            f"""
            DELETE FROM {extract.raw_table} AS raw
            USING later_deliveries AS later
            WHERE raw._file_name = later._file_name AND raw._line_number = later._line_number
            """
        )
        con.execute(
            """
            UPDATE audit.load_log AS log SET
                rows_accepted = log.rows_accepted - moved.rows,
                rows_quarantined = log.rows_quarantined + moved.rows
            FROM (SELECT _file_name, count(*) AS rows FROM later_deliveries GROUP BY _file_name) AS moved
            WHERE log.extract = ? AND log.is_current AND log.file_name = moved._file_name
            """,
            [extract.name],
        )
        con.execute("DROP TABLE later_deliveries")
        con.execute("DELETE FROM audit.id_checks WHERE extract = ?", [extract.name])
        con.execute("INSERT INTO audit.id_checks VALUES (?, ?, now()::TIMESTAMP)", [extract.name, last_load])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return moved


def _ids_checked_through(con, extract: Extract) -> int | None:
    """The last load whose ids were looked for across the table; None when never."""
    rows = con.execute("SELECT checked_through_load_id FROM audit.id_checks WHERE extract = ?", [extract.name]).fetchall()
    return rows[0][0] if rows else None


def _last_load_id(con, extract: Extract) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) FROM audit.load_log WHERE extract = ?", [extract.name]).fetchall()[0][0]


def _rows_with_ids_of_loads_after(extract: Extract, checked_through: int | None) -> str:
    """A SEMI JOIN to the ids the loads after `checked_through` brought; nothing when every id is to be looked at."""
    if checked_through is None:
        return ""
    keys = ", ".join(extract.key)
    return f"""AS raw SEMI JOIN (
                    SELECT {keys} FROM {extract.raw_table}
                    WHERE _file_name IN (
                        SELECT file_name FROM audit.load_log
                        WHERE extract = '{extract.name}' AND is_current AND load_id > {int(checked_through)}
                    )
                ) AS fresh USING ({keys})"""


def _recounted(con, extract: Extract, files: list[FileLoad]) -> list[FileLoad]:
    counts = {
        name: (accepted, quarantined)
        for name, accepted, quarantined in con.execute(
            "SELECT file_name, rows_accepted, rows_quarantined FROM audit.load_log WHERE extract = ? AND is_current",
            [extract.name],
        ).fetchall()
    }
    return [
        FileLoad(f.file_name, f.status, f.rows_read, *counts[f.file_name], f.reason) if f.file_name in counts else f
        for f in files
    ]

