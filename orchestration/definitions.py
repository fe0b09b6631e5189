"""The one entry point of the pipeline: every asset, check, job and resource."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.automation.hr_scorecards import build_monthly_scorecards_schedule, hr_scorecards_job, hr_scorecards_restated
from orchestration.defs.automation.schedules import build_daily_schedule
from orchestration.defs.automation.sensors import build_landing_sensor, connect_exports_sensor, connect_import_job
from orchestration.defs.ingestion.assets import LandingResource, ingestion_assets
from orchestration.defs.publication.assets import published_warehouse
from orchestration.defs.quality.checks import marts_gate, raw_layer_gate
from orchestration.defs.transformation.assets import ccw_dbt_models
from orchestration.defs.transformation.dbt_command import DbtCommand
from orchestration.defs.transformation.project import dbt_project
from orchestration.lib.console import concise_console
from orchestration.lib.settings import Settings
from orchestration.lib.warehouse import WarehouseResource

settings = Settings.from_env()
months = ccw_dbt_models.partitions_def

pipeline_job = dg.define_asset_job(
    "ccw_pipeline",
    selection=dg.AssetSelection.all(),
    description="Load every extract, build and test the models, and publish the warehouse.",
)

backfill_job = dg.define_asset_job(
    "ccw_backfill",
    selection=dg.AssetSelection.assets(ccw_dbt_models, published_warehouse, hr_scorecards_restated),
    description="Recompute a range of months (a partition range of the dbt models) from the loaded extracts, check and publish.",
)

defs = dg.Definitions(
    assets=[*ingestion_assets, ccw_dbt_models, published_warehouse, hr_scorecards_restated],
    asset_checks=[raw_layer_gate, marts_gate],
    jobs=[pipeline_job, backfill_job, connect_import_job, hr_scorecards_job],
    schedules=[build_daily_schedule(pipeline_job, settings, months), build_monthly_scorecards_schedule(settings)],
    sensors=[build_landing_sensor(pipeline_job, settings, months), connect_exports_sensor],
    loggers={"console": concise_console},
    # Every step writes the one warehouse file, so steps run one at a time anyway; in one process
    # the definitions (and the dbt project) are loaded once per run, not once per step.
    executor=dg.in_process_executor,
    resources={
        "landing": LandingResource(
            path=str(settings.landing),
            timezone=settings.timezone,
            pii_hash_key=dg.EnvVar("CCW_PII_HASH_KEY"),
        ),
        "warehouse": WarehouseResource(
            published_path=str(settings.warehouse),
            working_path=str(settings.working_warehouse),
            quality_dir=str(settings.quality_dir),
            memory_limit=settings.duckdb_memory_limit,
        ),
        "dbt": DbtCommand(project_dir=dbt_project),
    },
)
