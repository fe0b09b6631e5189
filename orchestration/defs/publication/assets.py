"""Publication: the served warehouse is replaced only after everything upstream succeeded."""


import dagster as dg

from orchestration.defs.transformation.assets import ccw_dbt_models
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
    path = warehouse.publish()
    context.log.info(f"published {path}")
    return dg.MaterializeResult(metadata={"path": str(path), "bytes": path.stat().st_size})
