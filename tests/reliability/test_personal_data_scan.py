"""No clear customer phone number or national ID anywhere a full run leaves something behind.

The secrets are every `customer_number` and `id_card_number` of the sample's extracts, plus those
on the broken lines the sample was given (quarantined rows keep their record). The places scanned:
every column of every table of the published warehouse and of the working copy, every file under
the Dagster home (run storage, event logs, dbt's log), the Great Expectations results and Data
Docs, the run's stdout and stderr, and HR's scorecards of the month (CSV, workbook, PDFs, manifest).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
from conftest import (
    BROKEN_LINES_PERSONAL_DATA,
    HASH_KEY,
    ID_ON_SHORT_LINE,
    MONTH,
    PHONE_ON_BROKEN_ROW,
    ccw,
    environment,
    output_of,
)
from pypdf import PdfReader

from ingestion.pii import hash_number

SEPARATORS = re.compile(r"[\s\-().+]")
CANDIDATES = re.compile(r"\d{7,}[Xx]?")


def normalised(text: str) -> str:
    return SEPARATORS.sub("", text).upper()


def personal_data_of(landing: Path) -> set[str]:
    """Every customer number and national ID in the extracts, as digits (an ID may end in X)."""
    secrets = {normalised(value) for value in BROKEN_LINES_PERSONAL_DATA}
    for folder, column in (("telephony/calls", "customer_number"), ("qa/complaints", "customer_number"), ("hr/agents", "id_card_number")):
        for path in (landing / folder).glob("*.csv"):
            data = path.read_bytes()
            text = data.decode("utf-8-sig") if _is_utf8(data) else data.decode("gb18030")
            for row in csv.DictReader(io.StringIO(text)):
                value = normalised(row.get(column) or "")
                if len(value) >= 7:
                    secrets.add(value)
    return secrets


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Scanner:
    """Finds secrets in text, even written with separators, by their length: set lookups, no pairwise search."""

    def __init__(self, secrets: set[str]):
        self.secrets = secrets
        self.lengths = sorted({len(s) for s in secrets})
        self.found: dict[str, set[str]] = {}

    def scan(self, where: str, text: str) -> None:
        for run in CANDIDATES.findall(normalised(text)):
            for length in self.lengths:
                for start in range(len(run) - length + 1):
                    if run[start:start + length] in self.secrets:
                        self.found.setdefault(run[start:start + length], set()).add(where)


def warehouse_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(schema.table.column, values joined) for every column of every table and view."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
        assert {schema for schema, _, _ in columns} >= {"raw", "audit", "staging", "marts"}
        for schema, table, column in columns:
            values = con.execute(
                f'SELECT string_agg(DISTINCT CAST("{column}" AS VARCHAR), \' | \') FROM "{schema}"."{table}"'
            ).fetchone()[0]
            yield f"{path.name}:{schema}.{table}.{column}", values or ""


def file_texts(root: Path) -> Iterator[tuple[str, str]]:
    """The text of every file under root: PDFs page by page, workbooks member by member, the rest as bytes."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield str(path), path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".pdf":
            yield f"{path} (text)", "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        elif path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path}!{member}", archive.read(member).decode("utf-8", errors="replace")


def scanned(scanner: Scanner, texts: Iterable[tuple[str, str]]) -> int:
    count = 0
    for where, text in texts:
        scanner.scan(where, text)
        count += 1
    return count


def test_no_clear_phone_number_or_national_id_is_left_anywhere_by_a_full_run(sample_run, tmp_path):
    secrets = personal_data_of(sample_run.landing)
    assert len(secrets) > 1000
    control = Scanner(secrets)
    scanned(control, file_texts(sample_run.landing / "telephony" / "calls"))
    assert normalised(PHONE_ON_BROKEN_ROW) in control.found, "the scanner finds the numbers where they are in clear"

    warehouse = tmp_path / "published" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(sample_run.warehouse, warehouse)
    produced = ccw("scorecards", "--month", MONTH, "--warehouse", str(warehouse), "--out", str(tmp_path / "scorecards"), env=sample_run.env)
    assert produced.returncode == 0, output_of(produced)
    assert list((tmp_path / "scorecards").rglob("*.pdf")) and list((tmp_path / "scorecards").rglob("*.xlsx"))

    scanner = Scanner(secrets)
    places = 0
    places += scanned(scanner, warehouse_texts(sample_run.warehouse))
    places += scanned(scanner, warehouse_texts(sample_run.working))
    places += scanned(scanner, file_texts(sample_run.dagster_home))
    places += scanned(scanner, file_texts(sample_run.root / "data_quality"))
    places += scanned(scanner, file_texts(tmp_path / "scorecards"))
    places += scanned(scanner, [("ccw run output", sample_run.output), ("ccw scorecards output", produced.stdout + produced.stderr)])

    assert list((sample_run.root / "data_quality").rglob("*.html")), "Data Docs were scanned"
    assert places > 300
    assert scanner.found == {}


def test_quarantined_rows_keep_customer_numbers_hashed_and_digits_of_unsplit_lines_masked(sample_run):
    with duckdb.connect(str(sample_run.warehouse), read_only=True) as con:
        records = dict(
            con.execute(
                "SELECT line_number, record FROM audit.quarantine WHERE extract = 'calls' AND record LIKE '%PII-BROKEN%'"
            ).fetchall()
        )
    broken_row, *unsplit = [records[line] for line in sorted(records)]
    assert hash_number(HASH_KEY.encode(), PHONE_ON_BROKEN_ROW) in broken_row
    assert len(unsplit) == 2 and all("#######" in record for record in unsplit)
    assert "#" * len(ID_ON_SHORT_LINE) in unsplit[1]


def test_real_extracts_are_refused_without_the_key_even_beside_a_sample_key(sample_run, tmp_path):
    """A landing folder without the sample marker needs CCW_PII_HASH_KEY; a sample key lying beside the warehouse is not used."""
    landing = tmp_path / "landing"
    shutil.copytree(sample_run.landing / "telephony", landing / "telephony")
    (tmp_path / ".ccw-sample-pii-hash-key").write_text("a key made for sample data\n")
    env = {k: v for k, v in environment(tmp_path).items() if k != "CCW_PII_HASH_KEY"}

    refused = ccw("run", "--landing", str(landing), "--warehouse", str(tmp_path / "warehouse.duckdb"), env=env)

    assert refused.returncode == 1, output_of(refused)
    assert "CCW_PII_HASH_KEY is not set: it is required to hash customer numbers" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "warehouse.duckdb").exists() and not (tmp_path / "warehouse.working.duckdb").exists()
