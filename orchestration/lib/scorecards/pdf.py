"""One agent's month on one A4 page, in Chinese and English."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from orchestration.lib.policy import Policy
from orchestration.lib.scorecards.breakdown import (
    CategoryLine,
    ComponentLine,
    breakdown,
)
from orchestration.lib.scorecards.data import MonthScorecards
from orchestration.lib.scorecards.edition import Edition
from orchestration.lib.scorecards.fonts import chinese_font
from orchestration.lib.scorecards.labels import (
    CATEGORIES,
    FIELDS,
    bilingual,
    component_text,
    floor_target_text,
    grade_text,
    month_text,
    review_flag_text,
    score_text,
    split_list,
    value_text,
    weight_text,
)

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
CATEGORY_FILL = colors.HexColor("#e4ecf7")
ACCENT = colors.HexColor("#2563a8")
ALERT = colors.HexColor("#b42318")
ALERT_FILL = colors.HexColor("#fdecea")
PAGE_WIDTH = A4[0] - 30 * mm


def write_scorecard_pdf(path: Path, row: Mapping[str, Any], cards: MonthScorecards, policy: Policy, edition: Edition) -> None:
    font = chinese_font()
    styles = _Styles(font)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{row['agent_id']} {row['agent_name'] or ''} {edition.month:%Y-%m}",
        author="ccw",
        subject="月度绩效考核 Monthly performance scorecard",
    )
    story = [
        Paragraph("月度绩效考核表　Monthly Performance Scorecard", styles.title),
        Paragraph(month_text(edition.month), styles.subtitle),
    ]
    if edition.is_restatement:
        story += [_restatement_notice(edition, styles), Spacer(0, 3 * mm)]
    story += [
        _summary(row, cards, styles),
        Spacer(0, 4 * mm),
        _components_table(breakdown(row, policy), row, styles),
        Spacer(0, 3 * mm),
        *_notes(row, policy, styles),
        Spacer(0, 3 * mm),
        Paragraph("近6个月总分　Total score, last 6 months", styles.heading),
        _trend(cards.trends[row["agent_id"]], font, styles),
        Spacer(0, 3 * mm),
        Paragraph(_footer(edition), styles.small),
    ]
    doc.build(story)


class _Styles:
    def __init__(self, font: str) -> None:
        def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(name, **{"fontName": font, "fontSize": size, "leading": size * 1.3, "textColor": INK, "wordWrap": "CJK", **extra})

        self.font = font
        self.title = style("title", 17, textColor=ACCENT, spaceAfter=1 * mm)
        self.subtitle = style("subtitle", 11, textColor=MUTED, spaceAfter=3 * mm)
        self.heading = style("heading", 10.5, textColor=ACCENT, spaceAfter=1 * mm)
        self.body = style("body", 8.5)
        self.cell = style("cell", 8.5)
        self.label = style("label", 7.5, textColor=MUTED)
        self.big = style("big", 18, leading=22, alignment=TA_CENTER)
        self.big_note = style("big_note", 12, leading=22, alignment=TA_CENTER)
        self.big_label = style("big_label", 7.5, textColor=MUTED, alignment=TA_CENTER)
        self.alert = style("alert", 8.5, textColor=ALERT)
        self.small = style("small", 7, textColor=MUTED)


def _restatement_notice(edition: Edition, styles: _Styles) -> Table:
    text = (
        f"更正版　Restated: version {edition.version} replaces version {edition.restates}"
        f" delivered {edition.restated_delivered_at or ''}; the numbers of this month changed after delivery."
    )
    notice = Table([[Paragraph(text, styles.alert)]], colWidths=[PAGE_WIDTH])
    notice.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, ALERT), ("BACKGROUND", (0, 0), (-1, -1), ALERT_FILL)]))
    return notice


def _summary(row: Mapping[str, Any], cards: MonthScorecards, styles: _Styles) -> Table:
    def labelled(field: str, value: str) -> Paragraph:
        return Paragraph(f'<font color="#616e7c" size="7.5">{bilingual(FIELDS[field])}</font><br/>{value}', styles.cell)

    def big(field: str, value: str, style: ParagraphStyle = styles.big) -> list[Paragraph]:
        return [Paragraph(value, style), Paragraph(bilingual(FIELDS[field]), styles.big_label)]

    team_size = cards.scored_in_team(row["team"])
    probation = "是 Yes" if row["is_on_probation"] else "否 No"
    identity = [
        labelled("agent_name", row["agent_name"] or "—"),
        labelled("agent_id", row["agent_id"]),
        labelled("team", row["team"]),
        labelled("is_on_probation", probation),
    ]
    scores = [
        big("total_score", score_text(row["total_score"])),
        big("grade", grade_text(row["grade"]), styles.big if row["grade"] else styles.big_note),
        big("rank_in_team", _rank(row["rank_in_team"], team_size)),
        big("rank_in_centre", _rank(row["rank_in_centre"], cards.scored_in_centre)),
    ]
    table = Table([identity, scores], colWidths=[PAGE_WIDTH / 4] * 4)
    table.setStyle(
        TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
            ("BACKGROUND", (0, 1), (-1, 1), CATEGORY_FILL),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 1), (-1, 1), 5),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 5),
        ])
    )
    return table


def _rank(rank: int | None, scored: int) -> str:
    return "—" if rank is None else f"{rank} / {scored}"


def _components_table(categories: tuple[CategoryLine, ...], row: Mapping[str, Any], styles: _Styles) -> Table:
    header = ["考核项目 Component", "实际值 Value", "底线 → 目标\nFloor → target", "得分 Points\n(0-100)", "政策权重\nPolicy weight", "实际权重\nApplied weight"]
    data: list[list[Any]] = [header]
    category_rows, missing_rows = [], []
    for category in categories:
        category_rows.append(len(data))
        has_data = any(not line.is_missing for line in category.components)
        data.append([
            bilingual(CATEGORIES[category.category]),
            "",
            "",
            score_text(category.score),
            weight_text(category.weight),
            weight_text(category.weight if has_data else None),
        ])
        for line in category.components:
            if line.is_missing:
                missing_rows.append(len(data))
            data.append(_component_row(line))
    weights = " + ".join(f"{category.weight / 100:g} × {CATEGORIES[category.category][0]}" for category in categories)
    data.append([Paragraph(f"总分 Total = {weights}", styles.cell), "", "", score_text(row["total_score"]), "100", ""])
    table = Table(data, colWidths=[PAGE_WIDTH * share for share in (0.32, 0.14, 0.16, 0.12, 0.13, 0.13)], repeatRows=1)
    commands = [
        ("FONT", (0, 0), (-1, -1), styles.font, 8.5),
        ("FONT", (0, 0), (-1, 0), styles.font, 7.5),
        ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
        ("LEADING", (0, 0), (-1, 0), 9),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("SPAN", (0, -1), (2, -1)),
    ]
    for index in category_rows:
        commands += [("BACKGROUND", (0, index), (-1, index), CATEGORY_FILL), ("TEXTCOLOR", (0, index), (-1, index), ACCENT)]
    for index in missing_rows:
        commands.append(("TEXTCOLOR", (0, index), (-1, index), MUTED))
    table.setStyle(TableStyle(commands))
    return table


def _component_row(line: ComponentLine) -> list[str]:
    target = floor_target_text(line.component, line.floor, line.target)
    if line.is_missing:
        return [f"　{component_text(line.component)}", "缺失 missing", target, "—", weight_text(line.policy_weight), "—"]
    return [
        f"　{component_text(line.component)}",
        value_text(line.component, line.value),
        target,
        score_text(line.points),
        weight_text(line.policy_weight),
        weight_text(line.applied_weight),
    ]


def _notes(row: Mapping[str, Any], policy: Policy, styles: _Styles) -> list[Paragraph]:
    missing = split_list(row["missing_components"])
    missing_text = (
        "、".join(component_text(name) for name in missing) + "（权重分配给同类其他项目 weight spread over the rest of the category）"
        if missing else "无 none"
    )
    flags = split_list(row["review_flags"])
    flags_text = "；".join(review_flag_text(flag, policy) for flag in flags) if flags else "无 none"
    counts = " · ".join(
        f"{bilingual(FIELDS[field])}: {row[field]}"
        for field in ("complaints_received", "complaints_received_12_months", "discipline_incidents", "fatal_errors")
    )
    return [
        Paragraph(f"<b>缺失项 Missing components:</b> {missing_text}", styles.body),
        Paragraph(f"<b>复核原因 Review flags:</b> {flags_text}", styles.alert if flags else styles.body),
        Paragraph(counts, styles.label),
    ]


def _trend(points: tuple[tuple[Any, float | None], ...], font: str, styles: _Styles) -> Table:
    drawing = Drawing(PAGE_WIDTH * 0.6, 42 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 10 * mm, 8 * mm
    chart.width, chart.height = PAGE_WIDTH * 0.6 - 14 * mm, 30 * mm
    chart.data = [[total for _, total in points]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, 6.5
    chart.categoryAxis.categoryNames = [f"{month:%Y-%m}" for month, _ in points]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 6.5
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.nudge = font, 6.5, 6
    drawing.add(chart)
    if all(total is None for _, total in points):
        drawing.add(String(PAGE_WIDTH * 0.3, 20 * mm, "无可评分月份 no scoreable month", fontName=font, fontSize=8, textAnchor="middle"))
    listing = Table(
        [["月份 Month", "总分 Total"]] + [[f"{month:%Y-%m}", score_text(total)] for month, total in points],
        colWidths=[PAGE_WIDTH * 0.2, PAGE_WIDTH * 0.15],
    )
    listing.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, -1), font, 8),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, INK),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ])
    )
    layout = Table([[drawing, listing]], colWidths=[PAGE_WIDTH * 0.62, PAGE_WIDTH * 0.38])
    layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return layout


def _footer(edition: Edition) -> str:
    return (
        f"政策版本 Policy version: {edition.policy_version}　·　版本 Version: v{edition.version}"
        f"　·　发布运行 Publication run: {edition.publication_run_id}"
        f"　·　生成时间 Generated: {edition.generated_at:%Y-%m-%d %H:%M} UTC"
    )
