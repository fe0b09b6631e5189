"""HR's copies of the whole month: an Excel workbook (a centre summary and a sheet per team) and a CSV.

Both hold the marts' numbers unrounded; the workbook's cell formats round them for reading. Under
each sheet's Chinese and English headings, a grey row names the mart column a column holds.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from orchestration.lib.policy import SCORE_COMPONENTS, Policy
from orchestration.lib.scorecards.changes import AgentChange
from orchestration.lib.scorecards.data import MonthScorecards
from orchestration.lib.scorecards.edition import Edition
from orchestration.lib.scorecards.labels import (
    CATEGORIES,
    COMPONENTS,
    FIELDS,
    bilingual,
    component_text,
    grade_text,
    month_text,
    review_flag_text,
    split_list,
)

TITLE_ROW, NOTE_ROW, HEADING_ROW, FIELD_ROW, FIRST_DATA_ROW = 1, 2, 3, 4, 5
CENTRE_SHEET = "中心汇总 Centre"
CHANGES_SHEET = "更正 Changes"
POLICY_SHEET = "政策 Policy"
SCORE_FORMAT, RATE_FORMAT, COUNT_FORMAT, RATING_FORMAT = "0.0", "0.0%", "0", "0.0#"
HEADING_FILL = PatternFill("solid", fgColor="E4ECF7")
FIELD_FONT = Font(color="8A94A6", italic=True, size=8)
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
EXCEL_SHEET_NAME_LENGTH = 31

CENTRE_COLUMNS = (
    "rank_in_centre", "agent_id", "agent_name", "team", "rank_in_team", "total_score", "grade",
    "results_score", "ability_score", "attitude_score", "is_on_probation", "review_flags", "missing_components",
)
TEAM_COLUMNS = (
    "rank_in_team", "rank_in_centre", "agent_id", "agent_name", "total_score", "grade",
    "results_score", "ability_score", "attitude_score",
    *(f"{component}_{part}" for components in SCORE_COMPONENTS.values() for component in components for part in ("value", "points")),
    "missing_components", "review_flags", "complaints_received", "complaints_received_12_months",
    "discipline_incidents", "fatal_errors", "is_on_probation", "policy_version",
)


def write_workbook(path: Path, cards: MonthScorecards, policy: Policy, edition: Edition, changes: Sequence[AgentChange]) -> None:
    workbook = Workbook()
    workbook.properties.title = f"月度绩效考核 Monthly scorecards {edition.month:%Y-%m} v{edition.version}"
    workbook.properties.creator = "ccw"
    by_centre_rank = sorted(cards.rows, key=lambda row: (row["rank_in_centre"] is None, row["rank_in_centre"] or 0, row["agent_id"]))
    centre = workbook.active
    centre.title = CENTRE_SHEET
    _fill(centre, f"中心汇总 Centre summary — {month_text(edition.month)}", edition, CENTRE_COLUMNS, by_centre_rank, policy)
    used_names = {CENTRE_SHEET, CHANGES_SHEET, POLICY_SHEET}
    for team in cards.teams:
        sheet = workbook.create_sheet(_sheet_name(team, used_names))
        rows = [row for row in cards.rows if row["team"] == team]
        _fill(sheet, f"{team} — {month_text(edition.month)}", edition, TEAM_COLUMNS, rows, policy)
    if changes:
        _changes_sheet(workbook.create_sheet(CHANGES_SHEET), edition, changes)
    _policy_sheet(workbook.create_sheet(POLICY_SHEET), policy, edition)
    workbook.save(path)


def write_csv(path: Path, cards: MonthScorecards, edition: Edition) -> None:
    """Every mart column of every agent, unrounded, plus which version of the month it is (UTF-8 with BOM, for Excel)."""
    columns = ["agent_id", "agent_name", *(c for c in cards.columns if c != "agent_id"), "scorecard_version", "restates_version"]
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in cards.rows:
            extra = {"scorecard_version": edition.version, "restates_version": edition.restates}
            writer.writerow(["" if value is None else value for value in ({**row, **extra}[c] for c in columns)])


def _fill(sheet: Worksheet, title: str, edition: Edition, columns: Sequence[str], rows: Sequence[Mapping[str, Any]], policy: Policy) -> None:
    sheet.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    sheet.cell(NOTE_ROW, 1, _edition_note(edition)).font = Font(color="B42318" if edition.is_restatement else "616E7C", size=9)
    for index, column in enumerate(columns, start=1):
        heading = sheet.cell(HEADING_ROW, index, _heading(column))
        heading.font, heading.fill = Font(bold=True), HEADING_FILL
        heading.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.cell(FIELD_ROW, index, column).font = FIELD_FONT
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
        render, number_format = _cell_content(column, policy)
        for offset, row in enumerate(rows):
            cell = sheet.cell(FIRST_DATA_ROW + offset, index, render(row))
            if number_format:
                cell.number_format = number_format
    sheet.row_dimensions[HEADING_ROW].height = 30
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3)
    if rows:
        sheet.auto_filter.ref = f"A{FIELD_ROW}:{get_column_letter(len(columns))}{FIELD_ROW + len(rows)}"


def _edition_note(edition: Edition) -> str:
    note = f"版本 Version v{edition.version} · 政策版本 Policy {edition.policy_version} · 生成 Generated {edition.generated_at:%Y-%m-%d %H:%M} UTC"
    if edition.is_restatement:
        note = f"更正版 RESTATED: replaces v{edition.restates} delivered {edition.restated_delivered_at} (see sheet {CHANGES_SHEET}) · " + note
    return note


def _heading(column: str) -> str:
    if column in FIELDS:
        return bilingual(FIELDS[column], "\n")
    component, part = column.rsplit("_", 1)
    chinese, english = COMPONENTS[component]
    return f"{chinese} {'值' if part == 'value' else '得分'}\n{english} {part}"


def _cell_content(column: str, policy: Policy) -> tuple[Callable[[Mapping[str, Any]], Any], str | None]:
    if column == "grade":
        return (lambda row: grade_text(row["grade"])), None
    if column == "missing_components":
        return (lambda row: "、".join(component_text(name) for name in split_list(row[column]))), None
    if column == "review_flags":
        return (lambda row: "；".join(review_flag_text(flag, policy) for flag in split_list(row[column]))), None
    if column == "is_on_probation":
        return (lambda row: "是 Yes" if row[column] else "否 No"), None
    return (lambda row: row[column]), _number_format(column)


def _number_format(column: str) -> str | None:
    if column.endswith(("_score", "_points")):
        return SCORE_FORMAT
    if column.endswith("_rate_value"):
        return RATE_FORMAT
    if column in ("aht_seconds_value", "discipline_value") or column.startswith(("rank_", "complaints_")):
        return COUNT_FORMAT
    if column.endswith("_value"):
        return RATING_FORMAT
    return None


def _width(column: str) -> float:
    if column in ("review_flags", "missing_components"):
        return 36
    if column in ("agent_name", "team", "policy_version", "grade"):
        return 16
    return 12


def _changes_sheet(sheet: Worksheet, edition: Edition, changes: Sequence[AgentChange]) -> None:
    sheet.cell(TITLE_ROW, 1, f"更正 Changes since v{edition.restates} — {month_text(edition.month)}").font = Font(bold=True, size=13)
    sheet.cell(NOTE_ROW, 1, _edition_note(edition)).font = Font(color="B42318", size=9)
    headings = [
        ("agent_id", "工号\nAgent ID"), ("agent_name", "姓名\nName"), ("team", "班组\nTeam"), ("change", "变更\nChange"),
        ("total_score_before", "原总分\nTotal before"), ("total_score_after", "新总分\nTotal after"),
        ("grade_before", "原等级\nGrade before"), ("grade_after", "新等级\nGrade after"),
        ("rank_in_team_before", "原组内排名\nTeam rank before"), ("rank_in_team_after", "新组内排名\nTeam rank after"),
        ("rank_in_centre_before", "原中心排名\nCentre rank before"), ("rank_in_centre_after", "新中心排名\nCentre rank after"),
        ("fields", "变更字段\nChanged columns"),
    ]
    for index, (field, heading) in enumerate(headings, start=1):
        cell = sheet.cell(HEADING_ROW, index, heading)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADING_FILL, Alignment(wrap_text=True)
        sheet.cell(FIELD_ROW, index, field).font = FIELD_FONT
        sheet.column_dimensions[get_column_letter(index)].width = 40 if field == "fields" else 14
    kinds = {"changed": "变更 changed", "added": "新增 added", "removed": "移除 removed"}
    for offset, change in enumerate(changes):
        before, after = change.before or {}, change.after or {}
        values = [
            change.agent_id, change.agent_name, change.team, kinds[change.kind],
            before.get("total_score"), after.get("total_score"),
            grade_text(before["grade"]) if before else None, grade_text(after["grade"]) if after else None,
            before.get("rank_in_team"), after.get("rank_in_team"), before.get("rank_in_centre"), after.get("rank_in_centre"),
            ", ".join(change.fields),
        ]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(FIRST_DATA_ROW + offset, index, value)
            if index in (5, 6):
                cell.number_format = SCORE_FORMAT
    sheet.row_dimensions[HEADING_ROW].height = 30


def _policy_sheet(sheet: Worksheet, policy: Policy, edition: Edition) -> None:
    sheet.cell(TITLE_ROW, 1, f"评分政策 Scoring policy {edition.policy_version}").font = Font(bold=True, size=13)
    sheet.cell(NOTE_ROW, 1, "每项得分在底线 (0分) 与目标 (100分) 之间线性计算 · Points run linearly from the floor (0) to the target (100)").font = Font(size=9)
    headings = ["类别 Category", "类别权重 Category weight", "项目 Component", "权重 Weight", "底线 Floor", "目标 Target"]
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(HEADING_ROW, index, heading)
        cell.font, cell.fill = Font(bold=True), HEADING_FILL
        sheet.column_dimensions[get_column_letter(index)].width = 26 if index in (1, 3) else 14
    row = FIELD_ROW
    for category, components in SCORE_COMPONENTS.items():
        settings = policy.get(f"scoring.categories.{category}")
        for component in components:
            line = settings["components"][component]
            values = [bilingual(CATEGORIES[category]), settings["weight"], component_text(component), line["weight"], line["floor"], line["target"]]
            for index, value in enumerate(values, start=1):
                sheet.cell(row, index, value)
            row += 1


def _sheet_name(team: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub("_", team).strip("'")[:EXCEL_SHEET_NAME_LENGTH] or "team"
    name, suffix = base, 2
    while name in used:
        name = f"{base[:EXCEL_SHEET_NAME_LENGTH - len(str(suffix)) - 1]}~{suffix}"
        suffix += 1
    used.add(name)
    return name
