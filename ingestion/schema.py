"""The raw and audit layers' tables, derived from the contract."""

from __future__ import annotations

import duckdb

from ingestion.contract import EXTRACTS, Column, Extract

SQL_TYPES = {
    "string": "VARCHAR",
    "enum": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "time": "TIME",
    "month": "DATE",
    "boolean": "BOOLEAN",
}

# Lineage kept on every raw row: which delivery it came from and what else that file carried.
LINEAGE_COLUMNS = (
    ("_file_name", "VARCHAR NOT NULL"),
    ("_file_date", "DATE"),
    ("_line_number", "BIGINT NOT NULL"),
    ("_extra", "VARCHAR"),
    ("_loaded_at", "TIMESTAMP NOT NULL"),
)

AUDIT_TABLES = {
    "load_log": """
        load_id BIGINT NOT NULL,
        run_id VARCHAR,
        extract VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        file_date DATE,
        checksum VARCHAR,
        encoding VARCHAR,
        status VARCHAR NOT NULL,
        reason VARCHAR,
        rows_read BIGINT NOT NULL,
        rows_accepted BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL,
        is_current BOOLEAN NOT NULL,
        loaded_at TIMESTAMP NOT NULL,
        file_size BIGINT,
        file_modified_ns BIGINT
    """,
    "builds": """
        run_id VARCHAR,
        transform_version VARCHAR NOT NULL,
        recompute_from DATE,
        full_refresh BOOLEAN NOT NULL,
        max_load_id BIGINT,
        built_at TIMESTAMP NOT NULL
    """,
    "dq_results": """
        run_id VARCHAR,
        check_name VARCHAR NOT NULL,
        asset VARCHAR NOT NULL,
        month DATE,
        severity VARCHAR NOT NULL,
        passed BOOLEAN NOT NULL,
        observed_value VARCHAR,
        details VARCHAR,
        checked_at TIMESTAMP NOT NULL
    """,
    "validated_loads": """
        extract VARCHAR NOT NULL,
        load_id BIGINT NOT NULL,
        suite_digest VARCHAR NOT NULL,
        run_id VARCHAR,
        validated_at TIMESTAMP NOT NULL
    """,
    "validated_mart_months": """
        mart VARCHAR NOT NULL,
        month DATE NOT NULL,
        suite_digest VARCHAR NOT NULL,
        run_id VARCHAR,
        validated_at TIMESTAMP NOT NULL
    """,
    "id_checks": """
        extract VARCHAR NOT NULL,
        checked_through_load_id BIGINT NOT NULL,
        checked_at TIMESTAMP NOT NULL
    """,
    "quarantine": """
        extract VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        line_number BIGINT,
        column_name VARCHAR,
        reason VARCHAR NOT NULL,
        record VARCHAR,
        month DATE,
        quarantined_at TIMESTAMP NOT NULL
    """,
}


FILE_STAT_COLUMNS = ("file_size", "file_modified_ns")
"""What a delivery's file looked like when loaded: a file with the same name, size and time is unchanged."""


def raw_column_type(column: Column) -> str:
    return SQL_TYPES[column.type]


def raw_columns_ddl(extract: Extract) -> str:
    contract = [f"{c.raw_name} {raw_column_type(c)}" for c in extract.stored_columns]
    lineage = [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
    return ",\n    ".join(contract + lineage)


def create_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and audit layers if they are not there yet; never touches existing data."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    for extract in EXTRACTS:
        con.execute(f"CREATE TABLE IF NOT EXISTS {extract.raw_table} (\n    {raw_columns_ddl(extract)}\n)")
    for table, columns in AUDIT_TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS audit.{table} ({columns})")
    # Warehouses loaded before files were recognised by size and time get the columns, empty.
    for column in FILE_STAT_COLUMNS:
        con.execute(f"ALTER TABLE audit.load_log ADD COLUMN IF NOT EXISTS {column} BIGINT")
