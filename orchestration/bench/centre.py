"""The benchmark's centre: generated once into a cache folder and reused while its parameters hold."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ingestion.contract import EXTRACTS
from ingestion.landing import find_deliveries
from orchestration.lib.settings import SAMPLE_MARKER

COMPLETE_MARKER = ".bench-centre.json"
"""Written last: a cache folder without it was interrupted and is generated again."""


@dataclass(frozen=True)
class CentreParameters:
    agents: int
    months: int
    teams: int
    start: date
    seed: int = 0

    @property
    def key(self) -> str:
        return f"centre-{self.agents}a-{self.teams}t-{self.months}m-{self.start:%Y-%m}-s{self.seed}"


@dataclass(frozen=True)
class Centre:
    landing: Path
    rows: dict[str, int]
    generated_seconds: float
    reused: bool

    @property
    def last_day(self) -> date:
        """The latest date in a delivery's name: the day the daily run receives."""
        return max(d.file_date for extract in EXTRACTS for d in find_deliveries(self.landing, extract) if d.file_date)


def cached_centre(cache: Path, parameters: CentreParameters, progress: Callable[[str], None]) -> Centre:
    from ingestion.sample import generate_centre

    folder = cache / parameters.key
    marker = folder / COMPLETE_MARKER
    if marker.exists():
        recorded = json.loads(marker.read_text())
        return Centre(folder, recorded["rows"], recorded["generated_seconds"], reused=True)
    shutil.rmtree(folder, ignore_errors=True)
    progress(f"generating {parameters.agents} agents over {parameters.months} months into {folder}")
    started = time.monotonic()
    rows = generate_centre(
        folder,
        agents=parameters.agents,
        teams=parameters.teams,
        start=parameters.start,
        months=parameters.months,
        seed=parameters.seed,
        progress=progress,
    )
    elapsed = time.monotonic() - started
    (folder / SAMPLE_MARKER).write_text("Synthetic extracts written by `ccw generate`.\n")
    parameters_json = asdict(parameters) | {"start": parameters.start.isoformat()}
    marker.write_text(json.dumps({"parameters": parameters_json, "rows": rows, "generated_seconds": elapsed}, indent=2))
    return Centre(folder, rows, elapsed, reused=False)


def link_landing(centre: Centre, landing: Path, *, before: date | None = None, on: date | None = None) -> int:
    """Link the centre's deliveries dated before `before` (or on `on`) into `landing`; returns how many.

    Links keep the cached files' size and modification time, as an untouched delivery would.
    """
    (landing / SAMPLE_MARKER).parent.mkdir(parents=True, exist_ok=True)
    (landing / SAMPLE_MARKER).write_text("Synthetic extracts written by `ccw generate`.\n")
    linked = 0
    for extract in EXTRACTS:
        for delivery in find_deliveries(centre.landing, extract):
            if (before and delivery.file_date >= before) or (on and delivery.file_date != on):
                continue
            target = landing / extract.folder / delivery.file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.symlink_to(delivery.path.resolve())
            linked += 1
    return linked
