"""Every chart of every provisioned dashboard answers through the REST chart data API, with the marts' numbers."""

from __future__ import annotations

import json

import pytest

from orchestration.lib.dashboards.access import set_access
from orchestration.lib.dashboards.assets import import_bundle, refresh_columns

DASHBOARDS = {"Centre overview", "Team performance", "Agent scorecard", "Attendance and discipline", "Quality and complaints", "Data quality"}


def chart_data(client, chart_id: int) -> dict:
    response = client.session.get(f"{client.base_url}/api/v1/chart/{chart_id}/data/")
    assert response.status_code == 200, response.text[:500]
    (result,) = response.json()["result"]
    assert not result.get("error"), result["error"]
    return result


def chart_data_where(client, chart_name: str, where: str) -> list[dict]:
    """The chart's saved query, narrowed as a dashboard filter would narrow it."""
    chart = client.get(f"/api/v1/chart/{charts_by_name(client)[chart_name]}")["result"]
    query_context = json.loads(chart["query_context"])
    query_context["queries"][0]["extras"]["where"] = where
    (result,) = client.post("/api/v1/chart/data", json=query_context)["result"]
    return result["data"]


def charts_by_name(client) -> dict[str, int]:
    return {chart["slice_name"]: chart["id"] for chart in client.list_all("/api/v1/chart/", columns=["id", "slice_name"])}


def one_value(client, chart_name: str) -> float:
    (row,) = chart_data(client, charts_by_name(client)[chart_name])["data"]
    (value,) = row.values()
    return value


def test_the_six_dashboards_are_provisioned_with_native_filters(admin):
    dashboards = admin.list_all("/api/v1/dashboard/", columns=["id", "dashboard_title", "json_metadata"])
    assert {d["dashboard_title"] for d in dashboards} == DASHBOARDS
    for dashboard in dashboards:
        details = admin.get(f"/api/v1/dashboard/{dashboard['id']}")["result"]
        filters = {f["name"] for f in json.loads(details["json_metadata"])["native_filter_configuration"]}
        assert "Month" in filters
        if dashboard["dashboard_title"] != "Data quality":
            assert filters == {"Month", "Team", "Agent"}


def test_every_chart_of_every_dashboard_returns_rows(admin):
    checked = 0
    for dashboard in admin.list_all("/api/v1/dashboard/", columns=["id"]):
        charts = admin.get(f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]
        assert charts
        for chart in charts:
            result = chart_data(admin, chart["id"])
            assert result["rowcount"] > 0, chart["slice_name"]
            checked += 1
    assert checked == len(charts_by_name(admin))


def test_overview_numbers_equal_the_marts(admin, centre):
    ((handled, fcr, attendance),) = centre.query(
        "SELECT sum(handled_calls), sum(fcr_resolved_calls) / sum(fcr_decidable_calls), sum(present_days) / sum(scheduled_days) FROM marts.fct_agent_monthly"
    )
    ((service_level, abandon_rate),) = centre.query(
        "SELECT sum(answered_within_service_level) / sum(offered), sum(abandoned) / sum(offered) FROM marts.fct_queue_daily"
    )
    assert one_value(admin, "Handled calls") == handled
    assert one_value(admin, "First-call resolution") == pytest.approx(fcr)
    assert one_value(admin, "Attendance") == pytest.approx(attendance)
    assert one_value(admin, "Service level") == pytest.approx(service_level)
    assert one_value(admin, "Abandon rate") == pytest.approx(abandon_rate)
    grades = {row["grade"]: row["agents"] for row in chart_data(admin, charts_by_name(admin)["Grade distribution"])["data"]}
    assert grades == dict(centre.query("SELECT grade, count(*) FROM marts.fct_agent_scorecard GROUP BY grade"))


def test_team_agent_and_quality_numbers_equal_the_marts(admin, centre):
    leaderboard = chart_data(admin, charts_by_name(admin)["Team leaderboard"])["data"]
    expected = dict(centre.query("SELECT team, avg(total_score)::double FROM marts.fct_agent_scorecard GROUP BY team"))
    assert {row["team"]: pytest.approx(row["average_total_score"]) for row in leaderboard} == expected
    (total,) = centre.query("SELECT avg(total_score)::double FROM marts.fct_agent_scorecard")[0]
    assert one_value(admin, "Total score") == pytest.approx(total)
    # The waterfall's steps add up to the total: each component weighs what the scoring policy says.
    steps = chart_data(admin, charts_by_name(admin)["Score composition"])["data"]
    assert sum(step["contribution"] for step in steps) == pytest.approx(total)
    agent, month, agent_total = centre.query("SELECT agent_id, month::varchar, total_score::double FROM marts.fct_agent_scorecard ORDER BY 1, 2 LIMIT 1")[0]
    steps = chart_data_where(admin, "Score composition", f"agent_id = '{agent}' AND month = DATE '{month}'")
    assert len(steps) == 14
    assert sum(step["contribution"] for step in steps) == pytest.approx(agent_total)
    ((quarantined,),) = centre.query("SELECT count(*) FROM audit.quarantine")
    series = chart_data(admin, charts_by_name(admin)["Quarantined rows per extract and day"])["data"]
    assert sum(row["quarantined_rows"] for row in series) == quarantined


def test_provisioning_again_updates_in_place_without_duplicates(admin, superset):
    def inventory() -> dict[str, int]:
        paths = ("/api/v1/dashboard/", "/api/v1/chart/", "/api/v1/dataset/", "/api/v1/database/", "/api/v1/security/roles/", "/api/v1/rowlevelsecurity/")
        return {path: len(admin.list_all(path)) for path in paths}

    before = inventory()
    import_bundle(admin, superset.settings)
    set_access(admin, refresh_columns(admin), superset.settings.warehouse)
    assert inventory() == before
    assert one_value(admin, "Handled calls") > 0


def test_listing_charts_select_their_rows_without_grouping_them(admin):
    """A raw table's saved query is the one its dashboard sends: grouping by every column would cost a scan and a sort."""
    charts = admin.list_all("/api/v1/chart/", columns=["id", "slice_name", "params"])
    listings = [chart for chart in charts if json.loads(chart["params"]).get("query_mode") == "raw"]
    assert {chart["slice_name"] for chart in listings} >= {"Calls", "Every KPI and its points", "Failed checks"}
    for chart in listings:
        result = chart_data(admin, chart["id"])
        assert "GROUP BY" not in result["query"].upper(), chart["slice_name"]
