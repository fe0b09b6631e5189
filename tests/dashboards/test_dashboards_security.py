"""Roles, row-level security, SQL Lab and secrets of the served dashboards, checked on the real server."""

from __future__ import annotations

import os

import pytest
import requests
from dashboards_support import run_ccw

from orchestration.lib.dashboards import SupersetError
from orchestration.lib.dashboards.access import team_role


def make_user(admin, superset, username: str, role: str):
    roles = {row["name"]: row["id"] for row in admin.list_all("/api/v1/security/roles/")}
    password = f"{username}-test-password"
    if not [user for user in admin.list_all("/api/v1/security/users/") if user["username"] == username]:
        admin.post(
            "/api/v1/security/users/",
            json={"first_name": username, "last_name": "Test", "username": username, "email": f"{username}@example.test",
                  "password": password, "active": True, "roles": [roles[role]]},
        )  # fmt: skip
    return superset.client(username, password)


def chart_ids(admin) -> dict[str, int]:
    return {chart["slice_name"]: chart["id"] for chart in admin.list_all("/api/v1/chart/", columns=["id", "slice_name"])}


def chart_response(client, chart_id: int) -> requests.Response:
    return client.session.get(f"{client.base_url}/api/v1/chart/{chart_id}/data/")


def run_sql(client, database_id: int, sql: str) -> requests.Response:
    return client.session.post(
        f"{client.base_url}/api/v1/sqllab/execute/", json={"database_id": database_id, "sql": sql, "schema": "marts", "runAsync": False}
    )


@pytest.fixture(scope="module")
def warehouse_db(admin) -> int:
    return {db["database_name"]: db["id"] for db in admin.list_all("/api/v1/database/")}["CCW warehouse"]


def test_roles_exist_for_executives_analysts_hr_and_each_team_lead(admin, centre):
    roles = {row["name"] for row in admin.list_all("/api/v1/security/roles/")}
    teams = [team for (team,) in centre.query("SELECT DISTINCT team FROM marts.dim_agent")]
    assert {"executive", "analyst", "hr", *(team_role(team) for team in teams)} <= roles


def test_a_team_lead_sees_only_their_own_team(admin, superset, centre, warehouse_db):
    team, other_teams = centre.query("SELECT team, (SELECT count(DISTINCT team) FROM marts.fct_agent_scorecard) - 1 FROM marts.fct_agent_scorecard ORDER BY team LIMIT 1")[0]
    assert other_teams > 0
    lead = make_user(admin, superset, "lead", team_role(team))
    charts = chart_ids(admin)
    for name in ("Team leaderboard", "Grade and review flags", "Calls", "Busy violations by team"):
        response = chart_response(lead, charts[name])
        assert response.status_code == 200, response.text[:300]
        (result,) = response.json()["result"]
        assert result["data"]
        assert {row["team"] for row in result["data"] if "team" in row} <= {team}
        if name == "Calls":
            agents = {row["agent_id"] for row in result["data"]}
            team_agents = {agent for (agent,) in centre.query("SELECT DISTINCT agent_id FROM marts.fct_agent_monthly WHERE team = ?", [team])}
            assert agents <= team_agents
    ((handled,),) = centre.query("SELECT sum(handled_calls) FROM marts.fct_agent_monthly WHERE team = ?", [team])
    (result,) = chart_response(lead, charts["Handled calls"]).json()["result"]
    assert result["data"] == [{"handled_calls": handled}]
    # Centre-wide queue numbers have no team: they are not shown to a lead at all.
    assert chart_response(lead, charts["Service level"]).status_code in (403, 404)
    assert run_sql(lead, warehouse_db, "SELECT 1").status_code in (401, 403)


def test_an_executive_sees_the_dashboards_but_has_no_sql_lab_and_no_customer_hashes(admin, superset, warehouse_db):
    executive = make_user(admin, superset, "executive_user", "executive")
    charts = chart_ids(admin)
    assert chart_response(executive, charts["Service level"]).status_code == 200
    assert {d["dashboard_title"] for d in executive.list_all("/api/v1/dashboard/")} >= {"Centre overview", "Team performance"}
    assert run_sql(executive, warehouse_db, "SELECT 1").status_code == 403
    visible = {dataset["table_name"] for dataset in executive.list_all("/api/v1/dataset/")}
    assert "fct_calls" not in visible and "agent_calls" in visible


def test_customer_number_hashes_are_only_in_the_analyst_dataset(admin, superset):
    with_hashes = set()
    for dataset in admin.list_all("/api/v1/dataset/"):
        columns = admin.get(f"/api/v1/dataset/{dataset['id']}")["result"]["columns"]
        if any(column["column_name"] == "customer_number_hash" for column in columns):
            with_hashes.add(dataset["table_name"])
    assert with_hashes == {"fct_calls"}
    analyst = make_user(admin, superset, "analyst_user", "analyst")
    assert "fct_calls" in {dataset["table_name"] for dataset in analyst.list_all("/api/v1/dataset/")}
    hr = make_user(admin, superset, "hr_user", "hr")
    assert "fct_calls" not in {dataset["table_name"] for dataset in hr.list_all("/api/v1/dataset/")}


def test_an_analyst_queries_the_marts_in_sql_lab_but_cannot_read_server_files(admin, superset, centre, warehouse_db):
    analyst = make_user(admin, superset, "analyst_user", "analyst")
    response = run_sql(analyst, warehouse_db, "SELECT count(*) AS agent_months FROM marts.fct_agent_monthly")
    assert response.status_code == 200, response.text[:300]
    assert response.json()["data"] == [{"agent_months": centre.query("SELECT count(*) FROM marts.fct_agent_monthly")[0][0]}]
    assert run_sql(analyst, warehouse_db, "SELECT * FROM read_csv('/etc/passwd')").status_code != 200
    assert run_sql(analyst, warehouse_db, "SELECT count(*) FROM raw.calls").status_code != 200
    # Not only refused by Superset's permissions: DuckDB itself is closed to files, even for the admin.
    response = run_sql(admin, warehouse_db, "SELECT * FROM read_csv('/etc/passwd')")
    assert response.status_code != 200
    assert "file system operations are disabled" in response.text
    assert run_sql(admin, warehouse_db, "CREATE TABLE marts.x AS SELECT 1").status_code != 200


def test_there_are_no_default_credentials(superset):
    for password in ("admin", "general", ""):
        with pytest.raises(SupersetError):
            superset.client("admin", password)
    env = {name: value for name, value in os.environ.items() if not name.startswith("CCW_SUPERSET_")}
    result = run_ccw("serve", "--warehouse", str(superset.settings.warehouse), "--port", "1", env=env)
    assert result.returncode != 0
    assert "CCW_SUPERSET_SECRET_KEY and CCW_SUPERSET_ADMIN_PASSWORD must be set" in result.stderr


def test_pages_allow_content_from_this_host_only(superset):
    policy = requests.get(f"{superset.url}/login/", timeout=60).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "scarf" not in policy and "https:" not in policy
