"""The committed bundle imported through the REST API: overwrites what exists, creates what is new."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import yaml

from orchestration.lib.dashboards.client import SupersetClient
from orchestration.lib.dashboards.settings import BUNDLE_DIR, SupersetSettings

WAREHOUSE_DB = "CCW warehouse"
QUALITY_DB = "CCW data quality"


def bundle_zip(settings: SupersetSettings, bundle_dir: Path = BUNDLE_DIR) -> bytes:
    """The bundle as Superset's ZIP, the databases pointing at this deployment's files."""
    files = {WAREHOUSE_DB: settings.warehouse, QUALITY_DB: settings.quality}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(bundle_dir.rglob("*.yaml")):
            content = path.read_text()
            if path.parent.name == "databases":
                database = yaml.safe_load(content)
                database["sqlalchemy_uri"] = f"duckdb:///{files[database['database_name']]}"
                content = yaml.safe_dump(database, sort_keys=False, allow_unicode=True)
            archive.writestr(str(path.relative_to(bundle_dir)), content)
    return buffer.getvalue()


def import_bundle(client: SupersetClient, settings: SupersetSettings) -> None:
    client.post(
        "/api/v1/assets/import/",
        files={"bundle": ("ccw_dashboards.zip", bundle_zip(settings), "application/zip")},
        data={"passwords": "{}"},
    )


def datasets(client: SupersetClient) -> dict[str, dict]:
    """Every dataset by name, with its id and database name."""
    rows = client.list_all("/api/v1/dataset/", columns=["id", "table_name", "database.database_name", "uuid"])
    return {row["table_name"]: row for row in rows}


def refresh_columns(client: SupersetClient) -> dict[str, dict]:
    """Reads every dataset's columns from the warehouse (the bundle names tables, not their types);
    returns the datasets by name, each with the names of its `columns`."""
    found = datasets(client)
    for dataset in found.values():
        client.put(f"/api/v1/dataset/{dataset['id']}/refresh")
        columns = client.get(f"/api/v1/dataset/{dataset['id']}")["result"]["columns"]
        dataset["columns"] = {column["column_name"] for column in columns}
    return found
