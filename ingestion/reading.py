"""Turning a delivered file's bytes into text columns with the line number of every record."""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

UTF8_BOM = b"\xef\xbb\xbf"
LINE_COLUMN = "_line_number"


class FileRejected(Exception):
    """The file cannot be read at all; every line of it is quarantined."""

    def __init__(self, reason: str, *, line: int | None = None, column: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Malformed:
    line_number: int
    reason: str
    text: str


@dataclass(frozen=True)
class ParsedFile:
    encoding: str
    columns: list[str]
    """Header names, trimmed and lower-cased, in file order."""
    table: pa.Table
    """Every well-formed record as strings, plus its starting line number."""
    malformed: list[Malformed]

    @property
    def rows_read(self) -> int:
        return self.table.num_rows + len(self.malformed)


def decode(data: bytes) -> tuple[str, bytes]:
    """Detect the encoding (UTF-8 with or without BOM, else GB18030) and return UTF-8 bytes."""
    if data.startswith(UTF8_BOM):
        body = data[len(UTF8_BOM):]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _undecodable(body, error, "UTF-8 (with BOM)") from error
        return "utf-8-sig", body
    try:
        data.decode("utf-8")
        return "utf-8", data
    except UnicodeDecodeError as utf8_error:
        try:
            return "gb18030", data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError as gb18030_error:
            # The encoding that reads further is the file's own: where it stops is the corrupt byte.
            error = max(utf8_error, gb18030_error, key=lambda e: e.start)
            raise _undecodable(data, error, "UTF-8 or GB18030") from error


def _undecodable(data: bytes, error: UnicodeDecodeError, tried: str) -> FileRejected:
    line = data.count(b"\n", 0, error.start) + 1
    return FileRejected(
        f"undecodable bytes at line {line} (byte offset {error.start}): the file is neither {tried}",
        line=line,
    )


def parse(data: bytes) -> ParsedFile:
    encoding, text = decode(data)
    header_end = text.find(b"\n")
    header_line = text if header_end < 0 else text[:header_end]
    columns = [name.strip().lower() for name in next(csv.reader([header_line.decode().rstrip("\r")]), [])]
    if not any(columns):
        if text.strip():
            raise FileRejected("line 1 is blank but data follows: the header must be the first line", line=1)
        return ParsedFile(encoding, [], _empty_table([]), [])
    _check_header(columns)
    body = b"" if header_end < 0 else text[header_end + 1:]
    record_lines = _record_start_lines(body, first_line=2)
    if record_lines is None:
        table, malformed = _parse_slowly(body, columns)
    else:
        table, malformed = _parse_fast(body, columns, record_lines)
    return ParsedFile(encoding, columns, table, malformed)


def _check_header(columns: list[str]) -> None:
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            raise FileRejected(f"header column {position} has no name", line=1)
        if name in seen:
            raise FileRejected(f"header names column '{name}' twice", line=1, column=name)
        seen.add(name)


def _record_start_lines(body: bytes, first_line: int) -> np.ndarray | None:
    """Line numbers of the non-blank lines, or None when a quoted value spans lines.

    Vectorised: with no line holding an odd number of quotes, every non-blank line is one record.
    Quotes are few or none, so they are counted per line from their positions.
    """
    raw = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(raw == ord("\n"))
    ends = np.append(newlines, raw.size)
    starts = np.concatenate(([0], newlines + 1))
    quotes = np.flatnonzero(raw == ord('"'))
    quotes_in_line = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
    if np.any(quotes_in_line % 2):
        return None
    line_end_is_cr = np.zeros(ends.size, dtype=bool)
    has_content = ends > starts
    line_end_is_cr[has_content] = raw[ends[has_content] - 1] == ord("\r")
    content_length = ends - starts - line_end_is_cr
    non_blank = content_length > 0
    return np.flatnonzero(non_blank) + first_line


def _parse_fast(body: bytes, columns: list[str], record_lines: np.ndarray) -> tuple[pa.Table, list[Malformed]]:
    if record_lines.size == 0:
        return _empty_table(columns), []
    invalid: list[tuple[int, str]] = []

    def on_invalid(row) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(body),
        read_options=pacsv.ReadOptions(column_names=columns, use_threads=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=False, invalid_row_handler=on_invalid),
        convert_options=_text_columns(columns),
    )
    # pyarrow numbers records from 1, skipping blank lines: the n-th record starts on record_lines[n - 1].
    malformed = [
        Malformed(int(record_lines[number - 1]), _field_count_reason(len(columns), text), text)
        for number, text in invalid
    ]
    good = np.ones(record_lines.size, dtype=bool)
    good[[number - 1 for number, _ in invalid]] = False
    good_lines = record_lines[good]
    return table.append_column(LINE_COLUMN, pa.array(good_lines, type=pa.int64())), malformed


def _parse_slowly(body: bytes, columns: list[str]) -> tuple[pa.Table, list[Malformed]]:
    """Quoted values span lines (or a quote is broken): the csv module tracks lines exactly.

    A quote opened and never properly closed swallows the lines after it. So a record spanning lines
    with broken quoting or the wrong number of fields has only its first line quarantined, and
    reading resumes on the next line: the rows it swallowed are read on their own.
    """
    physical_lines = io.StringIO(body.decode(), newline="").readlines()  # split where the csv module splits
    values: list[list[str]] = [[] for _ in columns]
    lines: list[int] = []
    malformed: list[Malformed] = []
    resume_at: int | None = 0
    while resume_at is not None:
        resume_at = _read_records(physical_lines, resume_at, columns, values, lines, malformed)
    arrays = [pa.array(v, type=pa.string()) for v in values] + [pa.array(lines, type=pa.int64())]
    return pa.Table.from_arrays(arrays, names=[*columns, LINE_COLUMN]), malformed


def _read_records(
    physical_lines: list[str],
    first: int,
    columns: list[str],
    values: list[list[str]],
    lines: list[int],
    malformed: list[Malformed],
) -> int | None:
    """Read records from body line `first` (0-based) on; return the body line to resume at after a broken record."""
    reader = csv.reader(itertools.islice(physical_lines, first, None), strict=True)
    consumed = 0
    while True:
        start = first + consumed + 2  # the record's first line in the file; the header is line 1
        text = physical_lines[start - 2].rstrip("\r\n") if start - 2 < len(physical_lines) else ""
        try:
            record = next(reader)
        except StopIteration:
            return None
        except csv.Error as error:
            # Within one line a misplaced quote is read leniently, as the fast path reads it.
            record = _lenient_record(text) if reader.line_num == consumed + 1 else None
            if record is None:
                malformed.append(Malformed(start, f"a quote opened on this line is not closed properly ({error})", text))
                return start - 1
        spanned, consumed = reader.line_num - consumed, reader.line_num
        if not record:
            continue
        if len(record) != len(columns):
            reason = f"expected {len(columns)} fields, found {len(record)}"
            if spanned > 1:
                last = start + spanned - 1
                reason += f" in a record running to line {last}: a quote opened on this line is not closed properly"
                malformed.append(Malformed(start, reason, text))
                return start - 1
            malformed.append(Malformed(start, reason, text))
            continue
        for column_values, value in zip(values, record):
            column_values.append(value)
        lines.append(start)


def _lenient_record(text: str) -> list[str] | None:
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return None


def _field_count_reason(expected: int, text: str) -> str:
    found = len(next(csv.reader([text]), []))
    return f"expected {expected} fields, found {found}"


def _text_columns(columns: list[str]) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        column_types={name: pa.string() for name in columns},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def _empty_table(columns: list[str]) -> pa.Table:
    names = [*columns, LINE_COLUMN]
    return pa.Table.from_arrays([pa.array([], type=pa.string()) for _ in columns] + [pa.array([], pa.int64())], names=names)
