"""The monthly HR scorecards: a PDF per agent, a workbook and a CSV of all, archived and e-mailed once.

`produce_month` is the entry point (the `ccw scorecards` command and the schedule call it); the
modules follow the row from the warehouse to HR's inbox: gate, data, breakdown, pdf, workbook,
archive, changes, ledger, message, mail, delivery, monthly.
"""

from orchestration.lib.scorecards.delivery import DeliveryReport, RetryPolicy
from orchestration.lib.scorecards.gate import GateVerdict, judge_month
from orchestration.lib.scorecards.mail import MailConfigError, SmtpSettings
from orchestration.lib.scorecards.monthly import (
    MonthResult,
    ScorecardsError,
    produce_month,
)

__all__ = [
    "DeliveryReport",
    "GateVerdict",
    "MailConfigError",
    "MonthResult",
    "RetryPolicy",
    "ScorecardsError",
    "SmtpSettings",
    "judge_month",
    "produce_month",
]
