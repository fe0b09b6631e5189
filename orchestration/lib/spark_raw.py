"""The raw layer on Apache Spark: the loader's `raw.*` tables, exported from a DuckDB warehouse as
parquet, become Spark tables of the same names and types, which dbt's sources read.

    python -m orchestration.lib.spark_raw WAREHOUSE OUT_DIR

writes one parquet folder per raw table under OUT_DIR and prints the `create table` statements
that declare them on Spark (run them through beeline or any Thrift client once OUT_DIR is where
the cluster reads it, e.g. copied to HDFS or object storage, with the LOCATION changed to match).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from ingestion.contract import EXTRACTS_BY_NAME

RAW_SCHEMA = "raw"


def raw_tables() -> list[str]:
    """The raw tables the dbt sources read, e.g. `calls`, `agents`."""
    return sorted(extract.raw_table.split(".", 1)[1] for extract in EXTRACTS_BY_NAME.values())


def export_raw_layer(warehouse: Path, out_dir: Path) -> dict[str, Path]:
    """Write each raw table of `warehouse` to `out_dir/<table>/` as parquet; return the folders."""
    folders = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for table in raw_tables():
            folder = (out_dir / table).resolve()
            folder.mkdir(parents=True, exist_ok=True)
            connection.execute(f"copy {RAW_SCHEMA}.{table} to '{folder / 'part-0.parquet'}' (format parquet)")
            folders[table] = folder
    return folders


def spark_raw_layer_ddl(folders: dict[str, Path | str]) -> list[str]:
    """Statements that (re)declare every raw table on Spark as a parquet table over its folder."""
    statements = [f"create database if not exists {RAW_SCHEMA}"]
    for table, location in sorted(folders.items()):
        statements.append(f"drop table if exists {RAW_SCHEMA}.{table}")
        statements.append(f"create table {RAW_SCHEMA}.{table} using parquet location '{location}'")
    return statements


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python -m orchestration.lib.spark_raw WAREHOUSE OUT_DIR")
    folders = export_raw_layer(Path(sys.argv[1]), Path(sys.argv[2]))
    print(";\n".join(spark_raw_layer_ddl(folders)) + ";")


if __name__ == "__main__":
    main()
