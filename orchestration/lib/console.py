"""A concise console logger: one short line per message, for people watching a run."""

import logging
import re
import sys

import dagster as dg

_POLICY_VARS = re.compile(r"--vars \{.*\}")
_MAX_LENGTH = 240


class _ConciseFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, "dagster_meta", {}) or {}
        message = _POLICY_VARS.sub("--vars <scoring policy>", str(meta.get("orig_message") or record.getMessage()))
        if len(message) > _MAX_LENGTH:
            message = message[: _MAX_LENGTH - 1] + "…"
        step = meta.get("step_key") or "run"
        line = f"{self.formatTime(record, '%H:%M:%S')} {step}: {message}"
        error = _error_of(meta.get("dagster_event"))
        return f"{line}\n    {error}" if error else line


def _error_of(event) -> str | None:
    """The cause of a failed step, in one line: without it the terminal would only say 'failed'."""
    error = getattr(getattr(event, "event_specific_data", None), "error", None)
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    return f"{error.cls_name}: {error.message.strip()}"[:_MAX_LENGTH * 4] if error is not None else None


@dg.logger(
    dg.Field({"log_level": dg.Field(str, default_value="INFO", is_required=False)}),
    description="Short progress lines on stderr.",
)
def concise_console(init_context: dg.InitLoggerContext) -> logging.Logger:
    level = init_context.logger_config["log_level"]
    logger = logging.getLogger("ccw.run")
    logger.setLevel(level)
    logger.propagate = False
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ConciseFormatter())
        logger.addHandler(handler)
    return logger
