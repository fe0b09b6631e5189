"""Connect's UTC timestamps as the centre's local wall clock, the way the contract writes time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingestion.connect.errors import ConnectImportError

WALL_CLOCK_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_utc(text: str | None) -> datetime | None:
    """`2019-08-13T20:52:30.704Z` (agent events) or `2022-04-08T15:01:22Z` (contact records).

    Raises ValueError on anything else; a timestamp without an offset is UTC, as every Connect
    timestamp is.
    """
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class LocalClock:
    """The centre's time zone: local days name the files, local wall-clock time fills them."""

    def __init__(self, zone_name: str):
        try:
            self.zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConnectImportError(f"{zone_name!r} is not a known time zone (CCW_TIMEZONE)") from error

    def local(self, moment: datetime) -> datetime:
        # Whole seconds, cut rather than rounded, so that a contact or state never ends before it starts.
        return moment.astimezone(self.zone).replace(microsecond=0, tzinfo=None)

    def wall(self, moment: datetime | None) -> str:
        return self.local(moment).strftime(WALL_CLOCK_FORMAT) if moment else ""

    def day(self, moment: datetime) -> date:
        return self.local(moment).date()
