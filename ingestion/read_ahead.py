"""Reading and parsing deliveries a few files ahead of the one being loaded.

Parsing a file is Python and Arrow work; loading it is DuckDB's. Both release the interpreter
while they run, so a reading thread keeps the next files ready while DuckDB loads the current one,
and the two share the machine's cores instead of taking turns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ingestion.contract import Extract
from ingestion.landing import Delivery, expected_name
from ingestion.reading import FileRejected, ParsedFile, parse

FILES_AHEAD = 10
"""How many files are held read ahead: enough to fill the next batch while DuckDB loads one, never the extract."""


@dataclass(frozen=True)
class ReadDelivery:
    checksum: str
    encoding: str | None
    """None when the bytes could not be decoded."""
    parsed: ParsedFile | None
    rejection: FileRejected | None
    """Why the whole file cannot be loaded; then `parsed` is None."""
    rejected_lines: tuple[int, ...] = ()
    """A rejected file's data lines (non-blank, after the header), each quarantined with its reason."""


def read_delivery(delivery: Delivery) -> ReadDelivery:
    data = delivery.path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    encoding = None
    try:
        if delivery.file_date is None:
            raise FileRejected(f"file name does not follow {expected_name(delivery.extract)}")
        parsed = parse(data)
        encoding = parsed.encoding
        _check_columns(delivery.extract, parsed)
    except FileRejected as rejection:
        return ReadDelivery(checksum, encoding, None, rejection, _data_lines(data))
    # The bytes are not kept: a loadable file goes on as its parsed table.
    return ReadDelivery(checksum, encoding, parsed, None)


def _data_lines(data: bytes) -> tuple[int, ...]:
    lines = [number for number, line in enumerate(data.split(b"\n"), start=1) if line.strip()]
    return tuple(lines[1:])  # the first line with content is the header


def _check_columns(extract: Extract, parsed: ParsedFile) -> None:
    if not parsed.columns:
        return
    missing = [c.name for c in extract.columns if c.required and c.name not in parsed.columns]
    if not missing:
        return
    reason = f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
    if len(parsed.columns) == 1 and any(sep in parsed.columns[0] for sep in ";\t|"):
        reason += " (the header has a single column: is the file comma-separated?)"
    raise FileRejected(reason, line=1, column=missing[0])


class ReadAhead:
    """Reads, in delivery order, the deliveries expected to be loaded, FILES_AHEAD at a time.

    `read(delivery)` hands over its prepared read, or reads it there and then when it was not
    expected (a file whose earlier neighbour was re-delivered must be read again).
    """

    def __init__(self, deliveries: Sequence[Delivery], expected: Callable[[Delivery], bool]):
        self._queue = [d for d in deliveries if expected(d)]
        self._next = 0
        self._pending: dict[str, Future[ReadDelivery]] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")

    def __enter__(self) -> ReadAhead:
        self._fill()
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def read(self, delivery: Delivery) -> ReadDelivery:
        future = self._pending.pop(delivery.file_name, None)
        self._fill()
        return future.result() if future else read_delivery(delivery)

    def _fill(self) -> None:
        while len(self._pending) < FILES_AHEAD and self._next < len(self._queue):
            delivery = self._queue[self._next]
            self._pending[delivery.file_name] = self._pool.submit(read_delivery, delivery)
            self._next += 1
