"""Where Superset keeps its state, the secrets it needs, and the environment its processes get."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.settings import REPO_ROOT, SettingsError
from orchestration.lib.warehouse import quality_file

CONFIG_FILE = REPO_ROOT / "superset" / "superset_config.py"
BUNDLE_DIR = REPO_ROOT / "superset" / "bundle"
ADMIN = "admin"


@dataclass(frozen=True)
class SupersetSettings:
    warehouse: Path
    home: Path
    secret_key: str
    admin_password: str

    @classmethod
    def from_env(cls, warehouse: Path) -> SupersetSettings:
        """Refuses to go on without the secret key and the admin password: there is no default."""
        missing = [name for name in ("CCW_SUPERSET_SECRET_KEY", "CCW_SUPERSET_ADMIN_PASSWORD") if not os.environ.get(name)]
        if missing:
            raise SettingsError(f"{' and '.join(missing)} must be set to serve the dashboards (see .env.example)")
        warehouse = warehouse.resolve()
        home = Path(os.environ.get("CCW_SUPERSET_HOME", warehouse.parent / "superset")).resolve()
        return cls(warehouse, home, os.environ["CCW_SUPERSET_SECRET_KEY"], os.environ["CCW_SUPERSET_ADMIN_PASSWORD"])

    @property
    def quality(self) -> Path:
        return quality_file(self.warehouse)

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
            "CCW_SUPERSET_HOME": str(self.home),
            "CCW_SUPERSET_SECRET_KEY": self.secret_key,
            "FLASK_APP": "superset.app:create_app()",
        }
