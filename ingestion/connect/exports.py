"""Reading export files as Kinesis Data Firehose delivers them: JSON records, plain or gzipped.

Firehose writes each record as it arrives: one JSON object per line, objects back to back with no
separator at all, or (when a batch is exported by hand) one JSON array. Any mix of those is read,
whether or not the file is gzipped, which is told from its first bytes, not from its name.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingestion.connect.errors import ConnectImportError

EXPORT_SUFFIXES = (".json", ".jsonl", ".gz")
GZIP_MAGIC = b"\x1f\x8b"
_WHITESPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class ExportRecord:
    record: dict
    source: str
    """Where it came from, for error messages: `contacts-1.jsonl record 3 (line 3)`."""


def export_files(path: Path) -> tuple[list[Path], list[Path]]:
    """The files to read under a file or folder, and the files of the folder that were left aside.

    Firehose names its objects without an extension unless it compresses them (`.gz`), so a
    file with no extension is read too; hidden files and folders never are.
    """
    if path.is_file():
        return [path], []
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    readable = [p for p in files if p.suffix.lower() in EXPORT_SUFFIXES or not p.suffix]
    return readable, [p for p in files if p not in readable]


def read_export(path: Path) -> Iterator[ExportRecord]:
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ConnectImportError(f"{path}: the gzip data is damaged ({error})") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConnectImportError(f"{path}: not UTF-8 text at byte {error.start}: is it a Connect export?") from error
    yield from _records(text, path)


def _records(text: str, path: Path) -> Iterator[ExportRecord]:
    decoder = json.JSONDecoder()
    position = _WHITESPACE.match(text, 0).end()
    number = 0
    while position < len(text):
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ConnectImportError(
                f"{path}: not JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from error
        for item in value if isinstance(value, list) else [value]:
            number += 1
            if not isinstance(item, dict):
                raise ConnectImportError(f"{path}: record {number} (line {line}) is not a JSON object")
            yield ExportRecord(item, f"{path.name} record {number} (line {line})")
        position = _WHITESPACE.match(text, position).end()
