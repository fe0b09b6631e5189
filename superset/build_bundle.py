"""Writes the dashboards as Superset's own YAML bundle: `uv run python superset/build_bundle.py`.

The bundle in `superset/bundle/` is committed; this script is how it is changed. Every object gets
a UUID derived from its name, so that re-importing updates the same objects and never duplicates
them. Targets and grade limits are read from the scoring policy, the one place they live; a test
checks that the committed bundle is what this script writes from the current policy.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from orchestration.lib.policy import load_policy

BUNDLE_DIR = REPO_ROOT / "superset" / "bundle"
FOLDER = "ccw_dashboards"
WAREHOUSE_DB = "CCW warehouse"
QUALITY_DB = "CCW data quality"
VERSION = "1.0.0"


def fixed_uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ccw:{kind}:{name}"))


@dataclass(frozen=True)
class Dataset:
    name: str
    database: str
    schema: str
    columns: tuple[str, ...]
    """The columns native filters and row-level security may rely on."""
    sql: str | None = None
    table: str | None = None

    @property
    def uuid(self) -> str:
        return fixed_uuid("dataset", self.name)


@dataclass
class Chart:
    name: str
    viz_type: str
    dataset: Dataset
    form_data: dict
    query: dict
    width: int = 4
    height: int = 50

    @property
    def uuid(self) -> str:
        return fixed_uuid("chart", self.name)


@dataclass
class Dashboard:
    title: str
    slug: str
    rows: list[list[Chart]]
    filters: tuple[str, ...] = ("month", "team", "agent_id")
    charts: list[Chart] = field(init=False)

    def __post_init__(self) -> None:
        self.charts = [chart for row in self.rows for chart in row]


def metric(label: str, sql: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": sql, "label": label, "hasCustomLabel": True, "optionName": f"metric_{label}"}


def _query(columns: list, metrics: list[dict] | None, orderby: list | None = None, row_limit: int = 10000) -> dict:
    # No metrics at all (None, as a dashboard sends for a raw table) selects rows; an empty list would group by every column.
    return {
        "columns": columns,
        **({} if metrics is None else {"metrics": metrics}),
        "orderby": orderby or [],
        "filters": [],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "annotation_layers": [],
        "row_limit": row_limit,
        "series_limit": 0,
        "order_desc": True,
        "time_range": "No filter",
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
    }


def _form(viz_type: str, **values) -> dict:
    return {"viz_type": viz_type, "adhoc_filters": [], "time_range": "No filter", **values}


def big_number(name: str, dataset: Dataset, label: str, sql: str, number_format: str, note: str) -> Chart:
    m = metric(label, sql)
    form = _form("big_number_total", metric=m, subheader=note, subtitle=note, y_axis_format=number_format, header_font_size=0.4)
    return Chart(name, "big_number_total", dataset, form, _query([], [m]), width=3, height=28)


def table(name: str, dataset: Dataset, groupby: list[str], metrics: list[dict], width: int = 6) -> Chart:
    form = _form(
        "table", query_mode="aggregate", groupby=groupby, metrics=metrics, all_columns=[], percent_metrics=[],
        order_by_cols=[], row_limit=1000, server_page_length=10, order_desc=True, table_timestamp_format="%Y-%m-%d",
    )
    return Chart(name, "table", dataset, form, _query(groupby, metrics, [[metrics[0], False]]), width=width)


def listing(name: str, dataset: Dataset, columns: list[str], order: str, width: int = 6) -> Chart:
    form = _form(
        "table", query_mode="raw", groupby=[], metrics=[], all_columns=columns, percent_metrics=[],
        order_by_cols=[json.dumps([order, False])], row_limit=1000, server_page_length=10, table_timestamp_format="%Y-%m-%d %H:%M",
    )
    return Chart(name, "table", dataset, form, _query(columns, None, [[order, False]], row_limit=1000), width=width)


def pie(name: str, dataset: Dataset, column: str, m: dict) -> Chart:
    form = _form("pie", groupby=[column], metric=m, row_limit=100, sort_by_metric=True, show_labels=True, label_type="key_percent", show_legend=True)
    return Chart(name, "pie", dataset, form, _query([column], [m], [[m, False]]))


def _axis(column: str, grain: str | None) -> dict:
    axis = {"columnType": "BASE_AXIS", "sqlExpression": column, "label": column, "expressionType": "SQL"}
    return {**axis, "timeGrain": grain} if grain else axis


def series(
    name: str, dataset: Dataset, x: str, metrics: list[dict], *, groupby: list[str] | None = None,
    grain: str | None = None, bar: bool = False, number_format: str = "SMART_NUMBER", width: int = 6, where: str | None = None,
) -> Chart:
    viz_type = "echarts_timeseries_bar" if bar else "echarts_timeseries_line"
    form = _form(
        viz_type, x_axis=x, time_grain_sqla=grain, metrics=metrics, groupby=groupby or [], row_limit=10000,
        order_desc=True, show_legend=True, rich_tooltip=True, x_axis_sort_asc=True, y_axis_format=number_format,
        truncate_metric=True, markerEnabled=True,
    )
    query = _query([_axis(x, grain), *(groupby or [])], metrics, [[metrics[0], False]])
    if where:
        form["adhoc_filters"] = [{"expressionType": "SQL", "sqlExpression": where, "clause": "WHERE", "filterOptionName": "where"}]
        query["extras"]["where"] = f"({where})"
    return Chart(name, viz_type, dataset, form, query, width=width)


def waterfall(name: str, dataset: Dataset, x: str, m: dict) -> Chart:
    form = _form("waterfall", x_axis=x, metric=m, groupby=[], row_limit=100, show_value=True, x_ticks_layout="auto")
    return Chart(name, "waterfall", dataset, form, _query([_axis(x, None)], [m], [[x, True]]), width=6)


def build(policy) -> tuple[list[Dataset], list[Dashboard]]:
    """Every dataset and dashboard; the SQL below holds policy numbers rendered from the policy file."""
    categories = policy.get("scoring.categories")
    components = [name for category in categories.values() for name in category["components"]]
    grades = sorted(policy.get("scoring.grades").items(), key=lambda grade: grade[1])

    def target(category: str, component: str) -> float:
        return categories[category]["components"][component]["target"]

    next_grade = " ".join(f"when total_score < {limit} then '{grade}'" for grade, limit in grades)
    to_next = " ".join(f"when total_score < {limit} then {limit} - total_score" for _, limit in grades)
    unpivot = ", ".join(f"{c}_points" for c in components)
    team = ("month", "team", "agent_id")

    monthly = Dataset("agent_monthly", WAREHOUSE_DB, "marts", team, table="fct_agent_monthly")
    scorecard = Dataset(
        "agent_scorecard", WAREHOUSE_DB, "marts", team,
        sql=(
            "select s.*, case " + next_grade + " end as next_grade,\n"
            "  case " + to_next + " else 0 end as points_to_next_grade,\n"
            "  s.month > (select max(month) from marts.fct_agent_scorecard) - interval 6 month as in_last_6_months\n"
            "from marts.fct_agent_scorecard as s"
        ),
    )
    weights = ", ".join(
        f"('{name}', '{category}', {spec['weight']}, {categories[category]['weight']})"
        for category in categories for name, spec in categories[category]["components"].items()
    )
    # Each component's share of the total: its weight within its category among the components
    # with data, times its category's weight among the categories with data (as fct_agent_scorecard).
    components_ds = Dataset(
        "scorecard_components", WAREHOUSE_DB, "marts", team,
        sql=(
            "with points as (\n"
            f"  select * from (select agent_id, month, team, {unpivot} from marts.fct_agent_scorecard)\n"
            f"  unpivot include nulls (points for component in ({unpivot}))\n"
            "), weighted as (\n"
            "  select p.agent_id, p.month, p.team, w.component, w.category, p.points::double as points, w.component_weight, w.category_weight\n"
            "  from points as p\n"
            f"  join (values {weights}) as w (component, category, component_weight, category_weight)\n"
            "    on p.component = w.component || '_points'\n"
            "), categories as (\n"
            "  select agent_id, month, sum(category_weight) as present_weight\n"
            "  from (select distinct agent_id, month, category, category_weight from weighted where points is not null)\n"
            "  group by agent_id, month\n"
            ")\n"
            "select w.agent_id, w.month, w.team, w.component, w.category, w.points,\n"
            "  coalesce(w.points * w.component_weight\n"
            "    / sum(w.component_weight) filter (where w.points is not null) over (partition by w.agent_id, w.month, w.category)\n"
            "    * w.category_weight / c.present_weight, 0) as contribution\n"
            "from weighted as w join categories as c using (agent_id, month)"
        ),
    )
    queues = Dataset(
        "queue_daily", WAREHOUSE_DB, "marts", ("month",),
        sql="select *, date_trunc('month', call_date)::date as month from marts.fct_queue_daily",
    )
    team_days = Dataset(
        "team_daily_attendance", WAREHOUSE_DB, "marts", ("month", "team"),
        sql="select *, date_trunc('month', work_date)::date as month from marts.fct_team_daily_attendance",
    )
    agent_days = Dataset("agent_daily", WAREHOUSE_DB, "marts", team, table="fct_agent_daily")
    coverage = Dataset(
        "qa_coverage_weekly", WAREHOUSE_DB, "marts", team,
        sql="select *, date_trunc('month', week_start)::date as month from marts.fct_qa_coverage_weekly",
    )
    calls = Dataset(
        "agent_calls", WAREHOUSE_DB, "marts", team,
        sql=(
            "select c.call_id, c.agent_id, a.team, c.month, c.call_date, c.direction, c.queue, c.outcome,\n"
            "  c.talk_seconds, c.hold_seconds, c.wrap_seconds, c.handle_seconds, c.fcr_status\n"
            "from marts.fct_calls as c\n"
            "join marts.dim_agent as a on a.agent_id = c.agent_id\n"
            "  and c.call_date >= a.valid_from and (a.valid_to is null or c.call_date < a.valid_to)"
        ),
    )
    complaints = Dataset(
        "complaints", WAREHOUSE_DB, "marts", team,
        sql=(
            "select c.complaint_id, c.handler_agent_id as agent_id, a.team, c.received_month as month, c.channel,\n"
            "  coalesce(c.category, 'unknown') as category, c.is_resolved, c.is_resolved_on_time, c.is_resolved_successfully\n"
            "from intermediate.int_complaints_latest as c\n"
            "left join marts.dim_agent as a on a.agent_id = c.handler_agent_id\n"
            "  and c.received_at::date >= a.valid_from and (a.valid_to is null or c.received_at::date < a.valid_to)"
        ),
    )
    analyst_calls = Dataset("calls_with_customer_hash", WAREHOUSE_DB, "marts", ("month", "agent_id"), table="fct_calls")
    checks = Dataset("dq_results", QUALITY_DB, "audit", ("month",), sql="select *, checked_at::date as checked_date from audit.dq_results")
    loads = Dataset(
        "load_log", QUALITY_DB, "audit", (),
        sql="select *, date_trunc('month', file_date)::date as month from audit.load_log where is_current",
    )
    datasets = [monthly, scorecard, components_ds, queues, team_days, agent_days, coverage, calls, complaints, analyst_calls, checks, loads]

    rate = ".1%"
    sl_target = policy.get("queue.service_level_target")
    handled = metric("handled_calls", "sum(handled_calls)")
    overview = Dashboard("Centre overview", "centre-overview", [
        [
            big_number("Handled calls", monthly, "handled_calls", "sum(handled_calls)", ",d", "calls handled by agents"),
            big_number("Service level", queues, "service_level", "sum(answered_within_service_level) / nullif(sum(offered), 0)", rate, f"target {sl_target:.0%}"),
            big_number("Abandon rate", queues, "abandon_rate", "sum(abandoned) / nullif(sum(offered), 0)", rate, "abandoned / offered"),
            big_number("Average speed of answer (s)", queues, "asa_seconds", "sum(asa_seconds * answered) / nullif(sum(answered), 0)", ",.1f", "seconds to answer"),
        ],
        [
            big_number("Average handle time (s)", monthly, "aht_seconds", "sum(handle_seconds) / nullif(sum(handled_calls), 0)", ",.0f", f"target {target('results', 'aht_seconds'):.0f} s"),
            big_number("First-call resolution", monthly, "fcr_rate", "sum(fcr_resolved_calls) / nullif(sum(fcr_decidable_calls), 0)", rate, f"target {target('results', 'fcr_rate'):.0%}"),
            big_number("Customer satisfaction", monthly, "csat_rate", "sum(csat_rate * surveys) / nullif(sum(surveys), 0)", rate, f"target {target('results', 'csat_rate'):.0%}"),
            big_number("Attendance", monthly, "attendance_rate", "sum(present_days) / nullif(sum(scheduled_days), 0)", rate, "present / scheduled days"),
        ],
        [
            pie("Grade distribution", scorecard, "grade", metric("agents", "count(*)")),
            series("Service level and abandon rate by month", queues, "call_date", [
                metric("service_level", "sum(answered_within_service_level) / nullif(sum(offered), 0)"),
                metric("abandon_rate", "sum(abandoned) / nullif(sum(offered), 0)"),
            ], grain="P1M", number_format=rate, width=4),
            series("Handled calls by month", monthly, "month", [handled], grain="P1M", bar=True, width=4),
        ],
    ])

    score = metric("average_total_score", "avg(total_score)")
    team_performance = Dashboard("Team performance", "team-performance", [
        [
            table("Team leaderboard", scorecard, ["team"], [
                score, metric("agents", "count(distinct agent_id)"),
                metric("excellent_or_good", "count(*) filter (where grade in ('excellent', 'good'))"),
            ]),
            series("Component breakdown by team", scorecard, "team", [
                metric(f"{name}_score", f"avg({name}_score)") for name in categories
            ], bar=True),
        ],
        [series("Team daily attendance", team_days, "work_date", [metric("attendance_rate", "sum(agents_present) / nullif(sum(agents_scheduled), 0)")], groupby=["team"], grain="P1D", number_format=rate, width=12)],
    ])

    kpi_columns = [f"{c}_value" for c in components] + [f"{c}_points" for c in components]
    agent_scorecard = Dashboard("Agent scorecard", "agent-scorecard", [
        [
            big_number("Total score", scorecard, "total_score", "avg(total_score)", ",.1f", "60 results / 30 ability / 10 attitude"),
            big_number("Points to the next grade", scorecard, "points_to_next_grade", "avg(points_to_next_grade)", ",.1f", "0 at the top grade"),
            listing("Grade and review flags", scorecard, ["agent_id", "month", "team", "grade", "next_grade", "rank_in_team", "rank_in_centre", "review_flags"], "month"),
        ],
        [
            waterfall("Score composition", components_ds, "component", metric("contribution", "avg(contribution)")),
            series("Total score, last 6 months", scorecard, "month", [metric("total_score", "avg(total_score)")], grain="P1M", where="in_last_6_months"),
        ],
        [listing("Every KPI and its points", scorecard, ["agent_id", "month", *kpi_columns, "missing_components"], "month", width=12)],
        [
            listing("Calls", calls, ["call_date", "agent_id", "call_id", "direction", "queue", "outcome", "handle_seconds", "fcr_status"], "call_date"),
            listing("Evaluations by week", coverage, ["week_start", "agent_id", "evaluations", "qa_coverage_ok"], "week_start"),
        ],
    ])

    attendance = Dashboard("Attendance and discipline", "attendance-discipline", [
        [series("Late, early and absent by day", agent_days, "work_date", [
            metric("late", "sum(is_late)"), metric("early_leave", "sum(is_early_leave)"),
            metric("absent", "count(*) filter (where day_status = 'absent')"),
        ], grain="P1D", bar=True, width=12)],
        [
            table("By agent", monthly, ["agent_id", "team"], [
                metric("late_days", "sum(late_days)"), metric("early_leave_days", "sum(early_leave_days)"),
                metric("absent_days", "sum(absent_days)"), metric("leave_days", "sum(leave_days)"),
                metric("busy_violations", "sum(busy_violations)"),
            ]),
            series("Busy violations by team", monthly, "team", [metric("busy_violations", "sum(busy_violations)")], bar=True),
        ],
    ])

    quality = Dashboard("Quality and complaints", "quality-complaints", [
        [
            big_number("QA score", monthly, "qa_score", "sum(qa_score * qa_evaluations) / nullif(sum(qa_evaluations), 0)", ",.1f", f"target {target('results', 'qa_score'):.0f}"),
            big_number("Weeks meeting the QA minimum", coverage, "qa_coverage", "avg(qa_coverage_ok)", rate, f"at least {policy.get('quality.weekly_minimum_evaluations')} evaluations a week"),
            big_number("Complaint timeliness", complaints, "complaint_timeliness", "avg(case when is_resolved then is_resolved_on_time::int end)", rate, f"target {target('results', 'complaint_timeliness_rate'):.0%}"),
            big_number("Complaint success", complaints, "complaint_success", "avg(case when is_resolved then is_resolved_successfully::int end)", rate, f"target {target('results', 'complaint_success_rate'):.0%}"),
        ],
        [
            series("QA coverage by week", coverage, "week_start", [metric("weeks_ok", "avg(qa_coverage_ok)")], groupby=["team"], grain="P1W", number_format=rate),
            pie("Complaint categories", complaints, "category", metric("complaints", "count(*)")),
        ],
        [table("QA score by team", monthly, ["team"], [metric("qa_score", "sum(qa_score * qa_evaluations) / nullif(sum(qa_evaluations), 0)"), metric("evaluations", "sum(qa_evaluations)"), metric("fatal_errors", "sum(fatal_errors)")], width=12)],
    ])

    data_quality = Dashboard("Data quality", "data-quality", [
        [
            table("Recent runs", checks, ["run_id"], [
                metric("last_checked_at", "max(checked_at)"), metric("checks", "count(*)"),
                metric("failed_blocking", "count(*) filter (where not passed and severity = 'blocking')"),
                metric("failed_warnings", "count(*) filter (where not passed and severity = 'warning')"),
            ], width=12),
        ],
        [
            series("Checks passed and failed by day", checks, "checked_date", [
                metric("passed", "count(*) filter (where passed)"), metric("failed", "count(*) filter (where not passed)"),
            ], grain="P1D", bar=True),
            series("Quarantined rows per extract and day", loads, "file_date", [metric("quarantined_rows", "sum(rows_quarantined)")], groupby=["extract"], grain="P1D", bar=True),
        ],
        [listing("Failed checks", checks, ["checked_at", "check_name", "asset", "month", "severity", "observed_value", "details"], "checked_at", width=12)],
    ], filters=("month",))
    data_quality.rows[2][0].form_data["adhoc_filters"] = [
        {"expressionType": "SQL", "sqlExpression": "not passed", "clause": "WHERE", "filterOptionName": "failed_only"}
    ]
    data_quality.rows[2][0].query["filters"] = []
    data_quality.rows[2][0].query["extras"]["where"] = "(not passed)"
    return datasets, [overview, team_performance, agent_scorecard, attendance, quality, data_quality]


def _database_yaml(name: str) -> dict:
    # The file path is set when the bundle is imported; connections only ever read.
    connect_args = {"read_only": True, "config": {"enable_external_access": False}}
    return {
        "database_name": name, "sqlalchemy_uri": "duckdb:///:memory:", "cache_timeout": None,
        "expose_in_sqllab": name == WAREHOUSE_DB, "allow_run_async": False, "allow_ctas": False, "allow_cvas": False,
        "allow_dml": False, "allow_file_upload": False,
        "extra": {"engine_params": {"connect_args": connect_args}, "metadata_params": {}, "schemas_allowed_for_file_upload": []},
        "uuid": fixed_uuid("database", name), "version": VERSION,
    }


def _dataset_yaml(dataset: Dataset) -> dict:
    return {
        "table_name": dataset.table or dataset.name, "main_dttm_col": None, "description": None, "default_endpoint": None,
        "offset": 0, "cache_timeout": None, "schema": dataset.schema, "sql": dataset.sql, "params": None,
        "template_params": None, "filter_select_enabled": True, "fetch_values_predicate": None, "extra": None,
        "normalize_columns": False, "always_filter_main_dttm": False, "uuid": dataset.uuid, "metrics": [], "columns": [],
        "version": VERSION, "database_uuid": fixed_uuid("database", dataset.database),
    }


def _chart_yaml(chart: Chart) -> dict:
    query_context = {
        "datasource": {"id": 0, "type": "table"}, "force": False, "queries": [chart.query],
        "form_data": chart.form_data, "result_format": "json", "result_type": "full",
    }
    return {
        "slice_name": chart.name, "description": None, "certified_by": None, "certification_details": None,
        "viz_type": chart.viz_type, "params": chart.form_data, "query_context": json.dumps(query_context),
        "cache_timeout": None, "uuid": chart.uuid, "version": VERSION, "dataset_uuid": chart.dataset.uuid,
    }


def _dashboard_yaml(dashboard: Dashboard) -> dict:
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": dashboard.title}},
    }
    local_ids: dict[str, int] = {}
    for row_number, row in enumerate(dashboard.rows, start=1):
        row_id = f"ROW-{row_number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW", "id": row_id, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for chart in row:
            local_ids[chart.uuid] = len(local_ids) + 1
            chart_id = f"CHART-{chart.uuid[:8]}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART", "id": chart_id, "children": [], "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {"chartId": local_ids[chart.uuid], "uuid": chart.uuid, "width": chart.width, "height": chart.height, "sliceName": chart.name},
            }
    filters = [_native_filter(dashboard, column, local_ids) for column in dashboard.filters]
    metadata = {
        "native_filter_configuration": filters, "color_scheme": "supersetColors", "refresh_frequency": 0,
        "expanded_slices": {}, "label_colors": {}, "timed_refresh_immune_slices": [], "cross_filters_enabled": False,
        "default_filters": "{}", "chart_configuration": {},
        "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}, "chartsInScope": []},
    }
    return {
        "dashboard_title": dashboard.title, "description": None, "css": "", "slug": dashboard.slug,
        "certified_by": None, "certification_details": None, "published": True,
        "uuid": fixed_uuid("dashboard", dashboard.title), "position": position, "metadata": metadata, "version": VERSION,
    }


FILTER_NAMES = {"month": "Month", "team": "Team", "agent_id": "Agent"}


def _native_filter(dashboard: Dashboard, column: str, local_ids: dict[str, int]) -> dict:
    """A filter on every chart whose dataset has the column; the others are out of its scope."""
    source = next(chart.dataset for chart in dashboard.charts if column in chart.dataset.columns)
    excluded = sorted({local_ids[c.uuid] for c in dashboard.charts if column not in c.dataset.columns})
    return {
        "id": f"NATIVE_FILTER-{fixed_uuid('filter', dashboard.slug + column)[:10]}",
        "name": FILTER_NAMES[column], "filterType": "filter_select", "type": "NATIVE_FILTER", "description": "",
        "targets": [{"column": {"name": column}, "datasetUuid": source.uuid}],
        "controlValues": {
            "enableEmptyFilter": False, "defaultToFirstItem": False, "multiSelect": True,
            "searchAllOptions": False, "inverseSelection": False, "sortAscending": column != "month",
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [], "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded}, "tabsInScope": [],
    }


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")


def write_bundle(out_dir: Path) -> None:
    datasets, dashboards = build(load_policy())
    root = out_dir / FOLDER
    shutil.rmtree(root, ignore_errors=True)
    files: dict[Path, dict] = {root / "metadata.yaml": {"version": VERSION, "type": "assets", "timestamp": "2026-01-01T00:00:00+00:00"}}
    for name in (WAREHOUSE_DB, QUALITY_DB):
        files[root / "databases" / f"{_slug(name)}.yaml"] = _database_yaml(name)
    for dataset in datasets:
        files[root / "datasets" / _slug(dataset.database) / f"{dataset.name}.yaml"] = _dataset_yaml(dataset)
    for dashboard in dashboards:
        files[root / "dashboards" / f"{dashboard.slug}.yaml"] = _dashboard_yaml(dashboard)
        for chart in dashboard.charts:
            files[root / "charts" / f"{_slug(chart.name)}.yaml"] = _chart_yaml(chart)
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=120))


if __name__ == "__main__":
    write_bundle(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLE_DIR)
    print(f"bundle written to {BUNDLE_DIR / FOLDER}")
