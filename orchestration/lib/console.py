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
        return f"{self.formatTime(record, '%H:%M:%S')} {step}: {message}"


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
