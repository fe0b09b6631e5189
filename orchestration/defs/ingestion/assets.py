"""One asset per extract: load its new and re-delivered files into the raw layer."""


from pathlib import Path

import dagster as dg

from ingestion.contract import EXTRACTS, Extract
from ingestion.loader import LoadSettings, load_extract
from ingestion.schema import create_schemas
from orchestration.lib.warehouse import WAREHOUSE_POOL, WarehouseResource


class LandingResource(dg.ConfigurableResource):
    path: str
    timezone: str
    pii_hash_key: str


def build_ingestion_asset(extract: Extract) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", extract.name],
        group_name="ingestion",
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", "csv"},
        tags={"system": extract.system},
        description=f"Accepted rows of every `{extract.folder}` delivery; rejected rows go to audit.quarantine.",
    )
    def load(context: dg.AssetExecutionContext, landing: LandingResource, warehouse: WarehouseResource):
        settings = LoadSettings(landing.pii_hash_key.encode(), landing.timezone, context.run_id)
        with warehouse.connect() as con:
            create_schemas(con)
            result = load_extract(con, Path(landing.path), extract, settings, progress=context.log.info)
        loaded = [f for f in result.files if f.status != "unchanged"]
        context.log.info(
            f"{extract.name}: {len(loaded)} new or changed files of {len(result.files)}, "
            f"{result.total('rows_read'):,} rows read, {result.total('rows_accepted'):,} accepted, "
            f"{result.total('rows_quarantined'):,} quarantined"
        )
        return dg.MaterializeResult(
            metadata={
                "files_loaded": len(loaded),
                "files_rejected": sum(f.status == "rejected" for f in loaded),
                "files_unchanged": len(result.files) - len(loaded),
                "rows_read": result.total("rows_read"),
                "rows_accepted": result.total("rows_accepted"),
                "rows_quarantined": result.total("rows_quarantined"),
                "later_duplicates_quarantined": result.duplicates_quarantined,
            }
        )

    return load


ingestion_assets = [build_ingestion_asset(extract) for extract in EXTRACTS]
