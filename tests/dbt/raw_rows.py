"""Writing hand-made rows straight into the raw layer, as the loader would have accepted them."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb

from ingestion.contract import EXTRACTS_BY_NAME
from ingestion.schema import create_schemas


def date_in_file_name(file_name: str) -> dt.date:
    """`calls_2026-08-03.csv` -> 2026-08-03; a monthly `ratings_2026-08.csv` -> 2026-08-01."""
    date_text = file_name.rsplit("_", 1)[1].removesuffix(".csv")
    return dt.date.fromisoformat(date_text if len(date_text) == 10 else f"{date_text}-01")


def load_raw_files(
    warehouse: Path,
    raw_files: dict[str, dict[str, list[dict]]],
    loaded_at: dt.datetime,
    file_date: Callable[[str], dt.date] = date_in_file_name,
) -> None:
    """`raw_files`: extract -> file name -> rows; each row gets the lineage of its file and line."""
    with duckdb.connect(str(warehouse)) as connection:
        create_schemas(connection)
        for table, files in raw_files.items():
            for file_name, rows in files.items():
                for line_number, row in enumerate(rows, start=2):
                    values = {
                        **row, "_file_name": file_name, "_file_date": file_date(file_name),
                        "_line_number": line_number, "_extra": None, "_loaded_at": loaded_at,
                    }
                    connection.execute(
                        f"insert into {EXTRACTS_BY_NAME[table].raw_table} ({', '.join(values)}) "
                        f"values ({', '.join('?' for _ in values)})",
                        list(values.values()),
                    )
