"""Personal data: customer numbers are only ever stored hashed, national ID numbers never at all."""

from __future__ import annotations

import re

from ingestion.contract import EXTRACTS
from ingestion.loader import LoadSettings
from ingestion.pii import hash_number

HASH_KEY = b"ingestion-test-key"

PHONES = ["13800138000", "139-0139-0000", "+86 137 0137 0000", "(0755) 8888 1234"]
ID_NUMBERS = ["110105199001011234", "44030419851231002X", "320102198807070017"]


def test_a_customer_number_is_stored_only_as_its_keyed_hash(landing, warehouse) -> None:
    landing.write(
        "calls_2026-08-01.csv",
        [{"call_id": "c1", "customer_number": "13800138000"}, {"call_id": "c2", "customer_number": ""}],
    )

    warehouse.load("calls")

    columns = [
        name
        for (name,) in warehouse.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'calls'"
        ).fetchall()
    ]
    assert "customer_number" not in columns and "customer_number_hash" in columns
    assert [r["customer_number_hash"] for r in warehouse.raw("calls")] == [hash_number(HASH_KEY, "13800138000"), None]


def test_the_same_customer_has_the_same_hash_in_calls_and_complaints_whatever_the_separators(
    landing, warehouse
) -> None:
    landing.write(
        "calls_2026-08-01.csv",
        [{"call_id": "c1", "customer_number": "13800138000"}, {"call_id": "c2", "customer_number": "13900139000"}],
    )
    landing.write(
        "complaints_2026-08-01.csv",
        [
            {"complaint_id": "K1", "customer_number": "138-0013-8000"},
            {"complaint_id": "K2", "customer_number": " (138) 0013 8000 "},
        ],
    )

    warehouse.load("calls")
    warehouse.load("complaints")

    calls = [r["customer_number_hash"] for r in warehouse.raw("calls")]
    complaints = [r["customer_number_hash"] for r in warehouse.raw("complaints")]
    assert complaints == [calls[0], calls[0]]
    assert calls[0] != calls[1]
    assert calls[0] == hash_number(HASH_KEY, "138.0013.8000")


def test_a_key_longer_than_a_hash_block_gives_the_same_hash_as_in_python(landing, warehouse) -> None:
    long_key = "长".encode() * 40
    landing.write("calls_2026-08-01.csv", [{"customer_number": "13800138000"}])

    warehouse.load("calls", LoadSettings(hash_key=long_key, timezone="Asia/Shanghai", run_id="t"))

    assert [r["customer_number_hash"] for r in warehouse.raw("calls")] == [hash_number(long_key, "13800138000")]


def test_the_national_id_number_is_never_stored(landing, warehouse) -> None:
    landing.write("agents_2026-08-01.csv", [{"agent_id": "A001"}, {"agent_id": "A002", "hire_date": "soon"}])

    warehouse.load("agents")

    [agent] = warehouse.raw("agents")
    assert "id_card_number" not in agent
    [quarantined] = warehouse.quarantine("agents")
    assert '"id_card_number":"(removed)"' in quarantined["record"].replace(" ", "")


def write_personal_data_everywhere(landing) -> None:
    phone, other_phone, international, landline = PHONES
    landing.write(
        "calls_2026-08-01.csv",
        [
            {"call_id": "c1", "customer_number": phone},
            {"call_id": "c2", "customer_number": other_phone, "direction": "sideways"},
            {"call_id": "c1", "customer_number": international},
        ],
    )
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1", "customer_number": landline}])
    landing.write_text(
        "calls_2026-08-03.csv",
        "\n".join(
            [
                landing.header("calls"),
                landing.line("calls", call_id="c3", customer_number=landline) + ",surplus",
                f"c4,{other_phone}",
                landing.line("calls", call_id="c5", customer_number=f'"{international}'),
                landing.line("calls", call_id="c6", customer_number=phone, outcome='resolved"'),
            ]
        ),
    )
    landing.write(
        "calls_2026-08-04.csv",
        [{"customer_number": phone}],
        columns=["call_id", "customer_number", "direction"],
    )
    landing.write_bytes(
        "calls_2026-08-05.csv", f"{landing.header('calls')}\nc7,,inbound,账单,{phone}\n".encode("gb18030") + b"\xff\n"
    )
    landing.write("calls_2026_08_06.csv", [{"customer_number": other_phone}], extract="calls")
    landing.write(
        "complaints_2026-08-01.csv",
        [
            {"complaint_id": "K1", "customer_number": phone},
            {"complaint_id": "K1", "customer_number": international},
            {"complaint_id": "K2", "customer_number": landline, "received_at": "yesterday"},
        ],
    )
    first_id, second_id, third_id = ID_NUMBERS
    landing.write(
        "agents_2026-08-01.csv",
        [
            {"agent_id": "A001", "id_card_number": first_id},
            {"agent_id": "A001", "id_card_number": second_id},
            {"agent_id": "A002", "id_card_number": third_id, "tier": "zero"},
        ],
    )
    landing.write_text(
        "agents_2026-08-02.csv",
        "\n".join(
            [landing.header("agents"), f"A003,王芳,{second_id}", landing.line("agents", id_card_number=f'"{third_id}')]
        ),
    )
    landing.write("agents_2026-08-03.csv", [{"id_card_number": first_id}], columns=["agent_id", "id_card_number"])


def digits_only(text: str) -> str:
    return re.sub(r"[\s\-().+]", "", text)


def every_stored_value(con) -> list[tuple[str, str]]:
    """(table.column, value as text) for every non-null value of every table in the file."""
    columns = con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE NOT internal AND database_name = current_database()"
    ).fetchall()
    assert {schema for schema, _, _ in columns} >= {"raw", "audit"}
    values = []
    for schema, table, column in columns:
        rows = con.execute(
            f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL'
        ).fetchall()
        values += [(f"{schema}.{table}.{column}", value) for (value,) in rows]
    return values


def test_no_clear_phone_or_id_number_is_stored_anywhere_in_the_warehouse(landing, warehouse) -> None:
    write_personal_data_everywhere(landing)

    for extract in EXTRACTS:
        warehouse.load(extract)

    stored = every_stored_value(warehouse.con)
    assert warehouse.quarantine("calls") and warehouse.quarantine("agents")
    secrets = [digits_only(number) for number in PHONES + ID_NUMBERS]
    leaks = [(where, value) for where, value in stored for secret in secrets if secret in digits_only(value)]
    assert leaks == [], "\n".join(map(str, leaks))
