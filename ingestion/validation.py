"""The contract's row rules as one set-based SQL statement per extract.

The statement reads the registered text batch `src` (every contract column present, as strings)
and yields each column typed, plus the row's first broken rule (`_error_column`, `_error_reason`),
its masked `_record` and its business `_month`. Identifiers come from the contract; data and
settings arrive as parameters ($tz, $ipad, $opad, $enum_<column>). A batch may hold several files:
each row carries its file's `_file_name` and `_file_date`.
"""

from __future__ import annotations

from ingestion.contract import FALSE_WORDS, TRUE_WORDS, Column, Extract
from ingestion.pii import hash_sql
from ingestion.reading import LINE_COLUMN

# An offset only after a time of day: a bare date ends in "-DD", which is no offset.
_OFFSET = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$"
_LOCAL_TIMESTAMP_FORMATS = (
    "['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M']"
)
_WHOLE_NUMBER = "'[+-]?[0-9]+'"
_EXPECTED = {
    "integer": "a whole number",
    "number": "a number",
    "timestamp": "a timestamp (YYYY-MM-DD HH:MM:SS, or ISO 8601 with an offset)",
    "date": "a date (YYYY-MM-DD)",
    "time": "a time of day (HH:MM)",
    "month": "a month (YYYY-MM)",
    "boolean": "a boolean (true/false, 1/0, Y/N, 是/否)",
}


def _text(column: Column) -> str:
    return f'"{column.name}__text"'


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def typed_sql(column: Column) -> str:
    """SQL turning the column's trimmed text into its contract type (NULL when it does not parse)."""
    value = _text(column)
    match column.type:
        case "string":
            return hash_sql(value) if column.personal == "hash" else value
        case "enum":
            return f"lower({value})"
        case "integer":
            return f"CASE WHEN regexp_full_match({value}, {_WHOLE_NUMBER}) THEN try_cast({value} AS BIGINT) END"
        case "number":
            return f"try_cast({value} AS DOUBLE)"
        case "timestamp":
            # Offsets are converted to the centre's wall clock; plain timestamps already are local.
            return (
                f"CASE WHEN regexp_matches({value}, '{_OFFSET}') "
                f"THEN timezone($tz, try_cast({value} AS TIMESTAMPTZ)) "
                f"ELSE try_strptime({value}, {_LOCAL_TIMESTAMP_FORMATS}) END"
            )
        case "date":
            return f"CAST(try_strptime({value}, '%Y-%m-%d') AS DATE)"
        case "time":
            return f"CAST(try_strptime({value}, ['%H:%M', '%H:%M:%S']) AS TIME)"
        case "month":
            return f"CAST(try_strptime({value} || '-01', '%Y-%m-%d') AS DATE)"
        case "boolean":
            return (
                f"CASE WHEN lower({value}) IN ({_words(TRUE_WORDS)}) THEN true "
                f"WHEN lower({value}) IN ({_words(FALSE_WORDS)}) THEN false END"
            )
    raise ValueError(f"unknown column type {column.type}")


def _shown(column: Column) -> str:
    """The offending text as it may appear in a reason: personal data never does."""
    return "'(personal data)'" if column.personal else f"'''' || {_text(column)} || ''''"


def rule_checks(extract: Extract) -> list[tuple[str, str, str]]:
    """(column, SQL condition that breaks the rule, SQL reason), in the order rules are judged."""
    checks: list[tuple[str, str, str]] = []
    for column in extract.columns:
        typed = f'"{column.name}"'
        if column.personal:
            continue  # free text by contract: nothing to break, and its clear value is never read here
        if column.required:
            checks.append((column.name, f"{_text(column)} IS NULL", "'required value is empty'"))
        if column.type == "enum":
            checks.append((
                column.name,
                f"{typed} IS NOT NULL AND NOT list_contains($enum_{column.name}, {typed})",
                f"'unknown value ' || {_shown(column)} || ' (expected one of: {', '.join(column.values)})'",
            ))
        elif column.type in _EXPECTED:
            unparsed = f"{typed} IS NULL"
            if column.type == "integer":
                # Digits too many for a BIGINT are still a whole number: its range rule names them.
                unparsed = f"NOT regexp_full_match({_text(column)}, {_WHOLE_NUMBER})"
            checks.append((
                column.name,
                f"{_text(column)} IS NOT NULL AND {unparsed}",
                f"'not {_EXPECTED[column.type]}: ' || {_shown(column)}",
            ))
        compared = f"try_cast({_text(column)} AS DOUBLE)" if column.type == "integer" else typed
        if column.minimum is not None:
            checks.append((column.name, f"{compared} < {column.minimum}", f"'below the minimum {column.minimum:g}: ' || {_shown(column)}"))
        if column.maximum is not None:
            checks.append((column.name, f"{compared} > {column.maximum}", f"'above the maximum {column.maximum:g}: ' || {_shown(column)}"))
        if column.type == "integer":
            checks.append((
                column.name,
                f"{_text(column)} IS NOT NULL AND {typed} IS NULL",
                f"'a whole number too large to store: ' || {_shown(column)}",
            ))
    for rule in extract.ordered:
        earlier, later = extract.column(rule.earlier), extract.column(rule.later)
        checks.append((
            later.name,
            f'"{later.name}" < "{earlier.name}"',
            f"'{later.name} ' || {_shown(later)} || ' is before {earlier.name} ' || {_shown(earlier)}",
        ))
    return checks


def enum_parameters(extract: Extract) -> dict[str, list[str]]:
    return {f"enum_{c.name}": list(c.values) for c in extract.columns if c.type == "enum"}


def validated_rows_sql(extract: Extract, extra_columns: list[str]) -> str:
    """SELECT over `src`: the typed contract columns, lineage, and the row's first broken rule.

    The clear text of personal data is hashed in the second step and goes no further.
    """
    texts = ",\n            ".join(f"nullif(trim(src.\"{c.name}\"), '') AS {_text(c)}" for c in extract.columns)
    typed = ",\n            ".join(f'{typed_sql(c)} AS "{c.name}"' for c in extract.columns)
    personal_texts = [_text(c) for c in extract.columns if c.personal]
    carried = f"texts.* EXCLUDE ({', '.join(personal_texts)})" if personal_texts else "texts.*"
    extra = "json_object(" + ", ".join(f"{_literal(n)}, src.{_identifier(n)}" for n in extra_columns) + ")" if extra_columns else "NULL"
    checks = rule_checks(extract)
    error_column = "CASE " + " ".join(f"WHEN {cond} THEN '{col}'" for col, cond, _ in checks) + " END"
    error_reason = "CASE " + " ".join(f"WHEN {cond} THEN {reason}" for _, cond, reason in checks) + " END"
    business_date = f'CAST("{extract.business_date}" AS DATE)' if extract.business_date else "NULL"
    return f"""
    WITH texts AS (
        SELECT
            {texts},
            src.{LINE_COLUMN} AS _line_number,
            src._file_name,
            src._file_date,
            {extra} AS _extra
        FROM src
    ),
    typed AS (
        SELECT
            {typed},
            {carried}
        FROM texts
    )
    SELECT
        *,
        {error_column} AS _error_column,
        {error_reason} AS _error_reason,
        date_trunc('month', coalesce({business_date}, _file_date)) AS _month
    FROM typed
    """


def _literal(text: str) -> str:
    """An extra column's header name as a SQL string: it is data from the file, quotes and all."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def record_sql(extract: Extract) -> str:
    """JSON of a validated row as the quarantine keeps it: the text, hashes for personal data."""
    return "json_object(" + ", ".join(f"'{c.name}', {_recorded(c)}" for c in extract.columns) + ")"


def _recorded(column: Column) -> str:
    if column.personal == "drop":
        return "'(removed)'"
    if column.personal == "hash":
        return f'"{column.name}"'
    return _text(column)
