"""Writing extracts into the landing layout of the contract, as each source system encodes them."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from ingestion.contract import Extract

HR_ENCODING = "gb18030"
"""The HR system exports in GB18030, as Chinese HR systems commonly do."""
BOM_EXTRACTS = ("surveys",)
"""The survey platform writes UTF-8 with a byte-order mark."""
UTF8_BOM = b"\xef\xbb\xbf"

# The ACD exports bare values; the HR and QA systems quote every text value. Either way, every
# column is written as text so that a file's quoting does not change with the values in it.
_QUOTING = {"telephony": "none", "hr": "needed", "qa": "needed"}


def landing_path(landing: Path, extract: Extract, stamp: str) -> Path:
    """`stamp` is YYYY-MM-DD for daily extracts and YYYY-MM for monthly ones."""
    return landing / extract.folder / f"{extract.file_prefix}_{stamp}.csv"


def encoding_of(extract: Extract) -> str:
    if extract.system == "hr":
        return HR_ENCODING
    return "utf-8-sig" if extract.name in BOM_EXTRACTS else "utf-8"


def write_extract(landing: Path, extract: Extract, stamp: str, rows: pa.Table | dict[str, pa.Array] | None) -> int:
    """Write one file with the contract's header; None writes a header-only file. Returns the rows."""
    table = _in_contract_order(extract, rows)
    path = landing_path(landing, extract, stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = encoding_of(extract)
    options = pacsv.WriteOptions(quoting_style=_QUOTING[extract.system])
    if encoding == "utf-8":
        pacsv.write_csv(table, path, options)
    else:
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, options)
        text = buffer.getvalue()
        path.write_bytes(UTF8_BOM + text if encoding == "utf-8-sig" else text.decode("utf-8").encode(encoding))
    return table.num_rows


def _in_contract_order(extract: Extract, rows: pa.Table | dict[str, pa.Array] | None) -> pa.Table:
    names = [c.name for c in extract.columns]
    if rows is None:
        return pa.table({name: pa.array([], type=pa.string()) for name in names})
    columns = dict(zip(rows.column_names, rows.columns)) if isinstance(rows, pa.Table) else dict(rows)
    if set(columns) != set(names):
        raise ValueError(f"{extract.name}: columns {sorted(columns)} are not the contract's {sorted(names)}")
    return pa.table({name: columns[name].cast(pa.string()) for name in names})
