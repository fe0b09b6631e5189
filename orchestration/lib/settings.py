"""The one place where the environment becomes settings: paths, time zone, secrets."""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
SAMPLE_MARKER = ".ccw-sample"
"""Written by `ccw generate` into a landing folder: its data is synthetic."""
DEFAULT_DUCKDB_MEMORY_LIMIT = "2.5GB"
"""DuckDB otherwise takes 80% of the machine's memory; past its limit it spills to disk. While dbt
builds, its process (DuckDB at this limit, and dbt's own 300 MB) runs beside the `ccw` process
(about 800 MB): together within 4 GB."""
_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


class SettingsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    landing: Path
    warehouse: Path
    timezone: str
    dagster_home: Path
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT

    @classmethod
    def from_env(cls) -> Settings:
        timezone = os.environ.get("CCW_TIMEZONE", "Asia/Shanghai")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise SettingsError(f"CCW_TIMEZONE={timezone!r} is not a known time zone") from error
        memory_limit = os.environ.get("CCW_DUCKDB_MEMORY_LIMIT", "").strip() or DEFAULT_DUCKDB_MEMORY_LIMIT
        if not _MEMORY_SIZE.fullmatch(memory_limit):
            raise SettingsError(f"CCW_DUCKDB_MEMORY_LIMIT={memory_limit!r} is not a size like 3GB or 500MB")
        return cls(
            landing=Path(os.environ.get("CCW_LANDING_DIR", DATA_DIR / "landing")).resolve(),
            warehouse=Path(os.environ.get("CCW_WAREHOUSE", DATA_DIR / "warehouse.duckdb")).resolve(),
            timezone=timezone,
            dagster_home=Path(os.environ.get("DAGSTER_HOME", DATA_DIR / "dagster")).resolve(),
            duckdb_memory_limit=memory_limit,
        )

    @property
    def working_warehouse(self) -> Path:
        """Where the pipeline builds; the published file is replaced from it only when checks pass."""
        return self.warehouse.with_name(f"{self.warehouse.stem}.working{self.warehouse.suffix}")

    @property
    def scorecards_dir(self) -> Path:
        """HR's monthly scorecards archive: `YYYY-MM/vN/` folders and the delivery ledger."""
        return Path(os.environ.get("CCW_SCORECARDS_DIR", self.warehouse.parent / "scorecards")).resolve()

    @property
    def quality_dir(self) -> Path:
        """Great Expectations results and Data Docs (`docs/index.html`) of the latest run."""
        return self.warehouse.parent / "data_quality"

    @property
    def sample_key_file(self) -> Path:
        return self.warehouse.parent / ".ccw-sample-pii-hash-key"


def spill_dir_of(warehouse_file: Path) -> Path:
    """Where DuckDB spills what does not fit its memory limit: beside the warehouse, on the same disk."""
    return warehouse_file.with_name(f"{warehouse_file.name}.spill")


def dbt_environment(warehouse_file: Path, memory_limit: str) -> dict[str, str]:
    """What dbt's committed profile reads: the file it builds and DuckDB's memory settings."""
    return {
        "CCW_DBT_WAREHOUSE": str(warehouse_file),
        "CCW_DBT_MEMORY_LIMIT": memory_limit,
        "CCW_DBT_TEMP_DIRECTORY": str(spill_dir_of(warehouse_file)),
    }


def is_sample_landing(landing: Path) -> bool:
    return (landing / SAMPLE_MARKER).exists()


def hash_key_from_env_or_sample(settings: Settings) -> tuple[str, str | None]:
    """The personal-data hashing key, and a note when a local sample key had to be used.

    Real extracts require CCW_PII_HASH_KEY; synthetic sample extracts may use a key kept beside
    the warehouse, outside git, so that a first run works with no set-up.
    """
    key = os.environ.get("CCW_PII_HASH_KEY", "")
    if key:
        return key, None
    if not is_sample_landing(settings.landing):
        raise SettingsError(
            "CCW_PII_HASH_KEY is not set: it is required to hash customer numbers "
            "(see .env.example); only sample extracts made by `ccw generate` may run without it"
        )
    key_file = settings.sample_key_file
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip(), f"sample data: customer numbers hashed with the local key {key_file}"


_POOLS_AND_TELEMETRY = "concurrency:\n  pools:\n    default_limit: 1\ntelemetry:\n  enabled: false\n"
"""Every pool, like the warehouse writers' one, limited to 1: all that `ccw` wrote before its event log."""
_EVENT_LOG = (
    "event_log_storage:\n  module: orchestration.lib.event_log\n  class: SqliteEventLogKeepingConnections\n"
    "  config:\n    base_dir: {runs}\n"
)
_CONFIG_OF_ANY_HOME = re.compile(re.escape(_POOLS_AND_TELEMETRY + _EVENT_LOG).replace(re.escape("{runs}"), '".*"'))


def dagster_config(home: Path) -> str:
    """The pools, and the event log that keeps its connections, in the stock folder of `home`."""
    return _POOLS_AND_TELEMETRY + _EVENT_LOG.format(runs=json.dumps(str(home / "history" / "runs")))


def _written_by_ccw(config: str) -> bool:
    """As `ccw` writes it for some home (a moved home's names the old folder), or as it wrote it before."""
    return config == _POOLS_AND_TELEMETRY or _CONFIG_OF_ANY_HOME.fullmatch(config) is not None


EVENT_BATCH_SIZE = 1000
"""Dagster's asset events stored together at most: a batch is one transaction (`lib/event_log.py`)."""


def prepare_environment(settings: Settings) -> Path:
    """Dagster's home and dbt's target file. A `dagster.yaml` edited by hand is left as it is."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    wanted = dagster_config(home)
    # Written only when it changes: a Dagster UI of the same home may be reading it.
    written = config.read_text() if config.exists() else None
    if written != wanted and (written is None or _written_by_ccw(written)):
        config.write_text(wanted)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", str(EVENT_BATCH_SIZE))
    # dbt's committed profile reads the file it builds from the environment.
    os.environ.update(dbt_environment(settings.working_warehouse, settings.duckdb_memory_limit))
    return home
