"""Personal data: customer numbers become a keyed hash before anything is written.

HMAC-SHA256 is computed inside DuckDB from precomputed key pads, so that millions of numbers are
hashed vectorised while the clear numbers never leave the in-memory batch.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_BLOCK_SIZE = 64  # SHA-256 block size in bytes
_PHONE_SEPARATORS = r"[\s\-().]"
# Runs of 7+ digits in free text may be phone or ID numbers, even split by the separators phone
# numbers are written with: masked wherever raw text is kept. Dates and times stay readable.
_DATE_TIME = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DIGIT_RUN = re.compile(rf"(?P<date_time>{_DATE_TIME})|\+?\d(?:{_PHONE_SEPARATORS}*\d){{6,}}[Xx]?")


class MissingHashKey(RuntimeError):
    pass


def key_pads(key: bytes) -> tuple[bytes, bytes]:
    """The inner and outer padded keys of HMAC (RFC 2104) for SHA-256."""
    if not key:
        raise MissingHashKey("the personal-data hashing key is empty")
    if len(key) > _BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK_SIZE, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def hash_sql(value_sql: str) -> str:
    """SQL for the HMAC of a phone number, given parameters $ipad and $opad (BLOBs)."""
    normalised = f"regexp_replace(nullif(trim({value_sql}), ''), '{_PHONE_SEPARATORS}', '', 'g')"
    return f"sha256($opad || unhex(sha256($ipad || encode({normalised}))))"


def hash_number(key: bytes, number: str) -> str:
    """The same hash as `hash_sql`, in Python: for tests and for matching a known customer."""
    normalised = re.sub(_PHONE_SEPARATORS, "", number.strip())
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def mask_digits(text: str) -> str:
    return _DIGIT_RUN.sub(lambda m: m.group() if m["date_time"] else "#" * len(m.group()), text)
