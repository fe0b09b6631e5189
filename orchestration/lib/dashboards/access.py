"""Roles and row-level security, set through the REST API so that a re-run converges.

- `executive`: every dashboard dataset, no SQL Lab;
- `hr`: the scorecard and attendance datasets;
- `analyst`: every dataset (customer number hashes included) and SQL Lab on the `marts` schema;
- `team_lead_<team>`: the datasets with a `team` column, always filtered to that team; no SQL Lab.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.lib.dashboards.assets import WAREHOUSE_DB
from orchestration.lib.dashboards.client import SupersetClient

ANALYST_ONLY = {"fct_calls"}
"""Datasets with customer number hashes."""
HR = {"agent_scorecard", "scorecard_components", "fct_agent_monthly", "fct_agent_daily", "qa_coverage_weekly", "agent_calls", "team_daily_attendance"}


def team_role(team: str) -> str:
    return f"team_lead_{team}"


def teams(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [team for (team,) in con.execute("SELECT DISTINCT team FROM marts.dim_agent WHERE team IS NOT NULL ORDER BY 1").fetchall()]


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class AccessSetter:
    def __init__(self, client: SupersetClient, datasets: dict[str, dict]) -> None:
        self.client = client
        self.datasets = datasets
        self.permissions = {
            (row["permission"]["name"], row["view_menu"]["name"]): row["id"]
            for row in client.list_all("/api/v1/security/permissions-resources/")
        }
        self.roles = {row["name"]: row["id"] for row in client.list_all("/api/v1/security/roles/")}
        self.team_datasets = {name for name, d in datasets.items() if "team" in d["columns"] and name not in ANALYST_ONLY}

    def role_permissions(self, role: str) -> set[int]:
        result = self.client.get(f"/api/v1/security/roles/{self.roles[role]}/permissions/")["result"]
        return {row["id"] for row in result}

    def dataset_access(self, names: set[str]) -> set[int]:
        wanted = {f"[{d['database']['database_name']}].[{d['table_name']}](id:{d['id']})" for n, d in self.datasets.items() if n in names}
        return {pv for (permission, view), pv in self.permissions.items() if permission == "datasource_access" and view in wanted}

    def ensure_role(self, name: str, permission_ids: set[int]) -> int:
        if name not in self.roles:
            self.roles[name] = self.client.post("/api/v1/security/roles/", json={"name": name})["id"]
        self.client.post(f"/api/v1/security/roles/{self.roles[name]}/permissions", json={"permission_view_menu_ids": sorted(permission_ids)})
        return self.roles[name]

    def ensure_team_filter(self, role_id: int, team: str) -> None:
        name = team_role(team)
        rule = {
            "name": name, "filter_type": "Regular", "description": f"{team} only", "group_key": "team",
            "tables": sorted(self.datasets[n]["id"] for n in self.team_datasets),
            "roles": [role_id], "clause": f"team = {_sql_literal(team)}",
        }
        existing = [r for r in self.client.list_all("/api/v1/rowlevelsecurity/") if r["name"] == name]
        if existing:
            self.client.put(f"/api/v1/rowlevelsecurity/{existing[0]['id']}", json=rule)
        else:
            self.client.post("/api/v1/rowlevelsecurity/", json=rule)


def set_access(client: SupersetClient, datasets: dict[str, dict], warehouse: Path) -> list[str]:
    """Creates or updates every role and team filter; returns the roles' names."""
    access = AccessSetter(client, datasets)
    gamma = access.role_permissions("Gamma")
    everything = set(datasets)
    sql_lab = access.role_permissions("sql_lab")  # Superset's own, kept current by `superset init`
    marts = {access.permissions[("schema_access", f"[{WAREHOUSE_DB}].[marts]")]}
    access.ensure_role("executive", gamma | access.dataset_access(everything - ANALYST_ONLY))
    access.ensure_role("hr", gamma | access.dataset_access(HR))
    access.ensure_role("analyst", gamma | sql_lab | marts | access.dataset_access(everything))
    names = ["executive", "hr", "analyst"]
    for team in teams(warehouse):
        role_id = access.ensure_role(team_role(team), gamma | access.dataset_access(access.team_datasets))
        access.ensure_team_filter(role_id, team)
        names.append(team_role(team))
    return names
