"""Publication: the served warehouse is replaced only after every blocking check passed."""

from pathlib import Path

import dagster as dg

from orchestration.defs.transformation.assets import ccw_dbt_models
from orchestration.lib.quality import failed_blocking_checks
from orchestration.lib.warehouse import WAREHOUSE_POOL, WarehouseResource


@dg.asset(
    key=["published_warehouse"],
    group_name="publication",
    deps=list(ccw_dbt_models.keys),
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    description="The warehouse that dashboards and HR read, replaced atomically from the working copy.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    # Dagster already skips this step after a failed blocking check; the gate is re-read here so
    # that no path can publish numbers a check rejected.
    with warehouse.connect() as con:
        blocked_by = failed_blocking_checks(con, context.run_id)
    if blocked_by:
        raise dg.Failure(f"publication blocked by {len(blocked_by)} failed check(s): " + ", ".join(c for c, *_ in blocked_by[:10]))
    written = warehouse.publish()
    path = Path(warehouse.published_path)
    size = path.stat().st_size
    how = f"{written / 1e6:,.0f} MB copied" if written else "renamed into place"
    context.log.info(f"published {path} ({size / 1e6:,.0f} MB, {how})")
    return dg.MaterializeResult(metadata={"path": str(path), "bytes": size, "bytes_written": written})
