"""The words and number formats of the scorecards, in Chinese and English, shared by every output."""

from __future__ import annotations

from datetime import date

from orchestration.lib.policy import Policy

CATEGORIES = {
    "results": ("工作业绩", "Work results"),
    "ability": ("工作能力", "Work ability"),
    "attitude": ("工作态度", "Work attitude"),
}
COMPONENTS = {
    "csat_rate": ("客户满意度", "Customer satisfaction"),
    "qa_score": ("监听分值", "QA score"),
    "fcr_rate": ("一次性解决率", "First-call resolution"),
    "answer_accuracy_rate": ("咨询解答准确率", "Answer accuracy"),
    "complaint_timeliness_rate": ("投诉处理及时率", "Complaint timeliness"),
    "complaint_success_rate": ("投诉处理成功率", "Complaint success"),
    "aht_seconds": ("平均通话时间", "Average handle time"),
    "communication": ("沟通能力", "Communication"),
    "problem_solving": ("问题解决能力", "Problem solving"),
    "learning": ("学习能力", "Learning"),
    "teamwork": ("团队协作能力", "Teamwork"),
    "discipline": ("劳动纪律", "Discipline"),
    "responsibility": ("责任心", "Responsibility"),
    "service_attitude": ("服务意识", "Service attitude"),
}
GRADES = {
    "excellent": ("优秀", "Excellent"),
    "good": ("良好", "Good"),
    "pass": ("合格", "Pass"),
    "fail": ("不合格", "Fail"),
}
# Each flag's text names the policy threshold that raised it (scoring.review_flags).
REVIEW_FLAGS = {
    "grade_fail": ("考核不合格", "grade fail", None),
    "complaints_in_month": ("当月被投诉 ≥ {n} 次", "{n}+ complaints this month", "scoring.review_flags.complaints_in_month"),
    "complaints_in_12_months": ("12个月内被投诉 ≥ {n} 次", "{n}+ complaints in 12 months", "scoring.review_flags.complaints_in_12_months"),
    "discipline_incidents": ("当月纪律事件 ≥ {n} 次", "{n}+ discipline incidents", "scoring.review_flags.discipline_incidents_in_month"),
    "fatal_qa_error": ("质检致命错误", "fatal QA error", None),
}
NOT_SCOREABLE = ("不可评分", "not scoreable")

# Column headings of the workbook and the CSV's meaning, keyed by the mart's column names.
FIELDS = {
    "agent_id": ("工号", "Agent ID"),
    "agent_name": ("姓名", "Name"),
    "team": ("班组", "Team"),
    "total_score": ("总分", "Total"),
    "grade": ("等级", "Grade"),
    "rank_in_team": ("组内排名", "Team rank"),
    "rank_in_centre": ("中心排名", "Centre rank"),
    "results_score": ("工作业绩", "Results"),
    "ability_score": ("工作能力", "Ability"),
    "attitude_score": ("工作态度", "Attitude"),
    "is_on_probation": ("试用期", "Probation"),
    "missing_components": ("缺失项", "Missing components"),
    "review_flags": ("复核原因", "Review flags"),
    "complaints_received": ("当月被投诉", "Complaints (month)"),
    "complaints_received_12_months": ("12个月被投诉", "Complaints (12 months)"),
    "discipline_incidents": ("纪律事件", "Discipline incidents"),
    "fatal_errors": ("致命错误", "Fatal errors"),
    "policy_version": ("政策版本", "Policy version"),
}


def bilingual(pair: tuple[str, ...], separator: str = " ") -> str:
    return f"{pair[0]}{separator}{pair[1]}"


def grade_text(grade: str | None) -> str:
    return bilingual(GRADES[grade]) if grade else bilingual(NOT_SCOREABLE)


def split_list(text: str | None) -> list[str]:
    """The mart's comma-separated lists (missing_components, review_flags) as names."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def review_flag_text(flag: str, policy: Policy) -> str:
    chinese, english, threshold_path = REVIEW_FLAGS.get(flag, (flag, flag, None))
    threshold = policy.get(threshold_path) if threshold_path else None
    return f"{chinese.format(n=threshold)} {english.format(n=threshold)}"


def component_text(component: str) -> str:
    return bilingual(COMPONENTS.get(component, (component, component)))


def month_text(month: date) -> str:
    return f"{month:%Y}年{month.month}月 {month:%B %Y}"


def score_text(score: float | None) -> str:
    """A score as shown to people: one decimal (the marts keep six)."""
    return "—" if score is None else f"{score:.1f}"


def value_text(component: str, value: float | None) -> str:
    """A component's own value in its unit: rates as percentages, AHT in seconds, ratings as given."""
    if value is None:
        return "—"
    if component.endswith("_rate"):
        return f"{value * 100:.1f}%"
    if component == "aht_seconds":
        return f"{value:.0f} 秒"
    if component == "qa_score":
        return f"{value:.1f}"
    if component == "discipline":
        return f"{value:.0f}"
    return _plain(value)


def floor_target_text(component: str, floor: float, target: float) -> str:
    """The line points follow, from 0 at the floor to 100 at the target, in the component's unit."""
    if component.endswith("_rate"):
        return f"{floor * 100:g}% → {target * 100:g}%"
    unit = " 秒" if component == "aht_seconds" else ""
    return f"{_plain(floor)} → {_plain(target)}{unit}"


def weight_text(weight: float | None) -> str:
    return "—" if weight is None else _plain(weight)


def _plain(number: float) -> str:
    """At most two decimals, without trailing zeros: 7.5, 18, 3.25."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text or "0"

