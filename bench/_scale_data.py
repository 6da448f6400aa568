"""Bulk data for bench/scaling.py, written by PostgreSQL itself (INSERT ... SELECT over
generate_series): residents with wallets, transfers, public reports and mixed ballots.

A set-up shortcut, not how the application writes: each generated row is a copy of a template
row that the services wrote (so every column the application needs is set as it sets it), with a
few columns varied by SQL over ``i``. Foreign keys are not re-checked row by row (the session runs
as a replica: ``session_replication_role``), since every id put in is taken from existing rows.

The ledger stays what the services would have left: every generated transfer moves points from
one of the programme's issuance accounts to a wallet, and the materialised balances of both sides
are moved by the sums of the new transfers in the same transaction, so every balance equals its
transfers and the ledger sums to zero (``manage.py points_check`` proves it afterwards).
"""

from __future__ import annotations

from typing import Any

# The city box of the generated reports (lon, lat).
CITY = (37.35, 55.55, 37.85, 55.90)


def _cursor() -> Any:
    from django.db import connection

    cursor = connection.cursor()
    cursor.execute("SET session_replication_role = replica")  # no per-row FK triggers for copies
    cursor.execute("SET synchronous_commit = off")
    return cursor


def _clone(
    cursor: Any, table: str, template_id: Any, count: int, overrides: dict[str, str], params: dict
) -> None:
    """``count`` copies of one row of ``table``, some columns given as SQL over ``i``."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'"
        " ORDER BY ordinal_position",
        [table],
    )
    columns = [c for (c,) in cursor.fetchall()]
    select = [overrides.get(c, f't."{c}"') for c in columns]
    names = ", ".join(f'"{c}"' for c in columns)
    id_column = '"id", ' if "id" in overrides else ""
    id_value = f"{overrides['id']}, " if "id" in overrides else ""
    cursor.execute(
        f'INSERT INTO "{table}" ({id_column}{names}) SELECT {id_value}{", ".join(select)} '
        f'FROM "{table}" t, generate_series(1, %(count)s) AS i WHERE t.id = %(template)s',
        {**params, "count": count, "template": template_id},
    )


def residents(template_id: int, start: int, count: int) -> None:
    """``count`` residents (``scale<start + i>``) copied from a template, each with a wallet."""
    cursor = _cursor()
    _clone(
        cursor,
        "accounts_resident",
        template_id,
        count,
        {"username": "'scale' || (%(start)s + i)", "email": "NULL", "phone": "NULL"},
        {"start": start},
    )
    cursor.execute(
        "INSERT INTO points_ledgeraccount (key, kind, resident_id, programme_id, name, balance, held)"
        " SELECT 'wallet:' || r.id, 'wallet', r.id, NULL, '', 0, 0 FROM accounts_resident r"
        " WHERE r.username LIKE 'scale%%' AND NOT EXISTS"
        " (SELECT 1 FROM points_ledgeraccount a WHERE a.resident_id = r.id)"
    )


def wallet_ids(cursor: Any) -> list[int]:
    cursor.execute(
        "SELECT a.id FROM points_ledgeraccount a JOIN accounts_resident r ON r.id = a.resident_id"
        " WHERE r.username LIKE 'scale%%' ORDER BY a.id"
    )
    return [row[0] for row in cursor.fetchall()]


def transfers(template_id: int, start: int, count: int, busy_wallet: int) -> None:
    """``count`` awards copied from a template award: from the template's programme's issuance
    accounts (in turn) to the generated wallets (a random one each), one in twenty to the busy
    resident; newer than every existing transfer. Balances moved by the same sums."""
    cursor = _cursor()
    wallets = wallet_ids(cursor)
    cursor.execute(
        "SELECT a.id FROM points_ledgeraccount a JOIN points_transfer t ON t.programme_id = a.programme_id"
        " WHERE t.id = %s AND a.kind = 'issuance' ORDER BY a.id",
        [template_id],
    )
    issuance = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT coalesce(max(id), 0), max(created_at) FROM points_transfer")
    last_id, newest = cursor.fetchone()
    _clone(
        cursor,
        "points_transfer",
        template_id,
        count,
        {
            "id": "%(last)s + i",
            "debit_id": "(%(issuance)s::bigint[])[1 + i %% %(n_issuance)s]",
            "credit_id": (
                "CASE WHEN i %% 20 = 0 THEN %(busy)s"
                " ELSE (%(wallets)s::bigint[])[1 + floor(random() * %(n_wallets)s)::int] END"
            ),
            "source_key": "'scale:' || (%(start)s + i)",
            "created_at": "%(newest)s::timestamptz + i * interval '1 millisecond'",
        },
        {
            "last": last_id,
            "issuance": issuance,
            "n_issuance": len(issuance),
            "busy": busy_wallet,
            "wallets": wallets,
            "n_wallets": len(wallets),
            "start": start,
            "newest": newest,
        },
    )
    cursor.execute(
        "UPDATE points_ledgeraccount a SET balance = a.balance + d.delta FROM ("
        " SELECT account, sum(delta) AS delta FROM ("
        "  SELECT credit_id AS account, amount AS delta FROM points_transfer WHERE id > %(last)s"
        "  UNION ALL SELECT debit_id, -amount FROM points_transfer WHERE id > %(last)s) moves"
        " GROUP BY account) d WHERE a.id = d.account",
        {"last": last_id},
    )
    # the identity column must hand out ids after the copies' (they were given explicitly)
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('points_transfer', 'id'), (SELECT max(id) FROM points_transfer))"
    )


def reports(template_id: int, count: int) -> None:
    """``count`` public reports copied from a template, spread at random over the city box."""
    _clone(
        _cursor(),
        "problems_report",
        template_id,
        count,
        {
            "latitude": f"round(({CITY[1]} + random() * {CITY[3] - CITY[1]})::numeric, 6)",
            "longitude": f"round(({CITY[0]} + random() * {CITY[2] - CITY[0]})::numeric, 6)",
        },
        {},
    )


def ballots(poll_id: int, start: int, count: int) -> None:
    """``count`` mixed ballots of the poll, each a copy of one of its mixed ballots with the same
    picks, a receipt of its own and the participation of a generated resident who has none yet."""
    cursor = _cursor()
    cursor.execute("SELECT id FROM voting_ballot WHERE poll_id = %s ORDER BY id LIMIT 1", [poll_id])
    (template,) = cursor.fetchone()
    cursor.execute(
        "WITH new AS ("
        " INSERT INTO voting_ballot (id, poll_id, choices, leaf, district_id)"
        " SELECT gen_random_uuid(), t.poll_id, t.choices, t.leaf, t.district_id"
        " FROM voting_ballot t, generate_series(1, %(count)s) i WHERE t.id = %(template)s RETURNING id)"
        " INSERT INTO voting_ballotchoice (id, ballot_id, poll_id, question_id, option_id, district_id)"
        " SELECT gen_random_uuid(), new.id, c.poll_id, c.question_id, c.option_id, c.district_id"
        " FROM new, voting_ballotchoice c WHERE c.ballot_id = %(template)s",
        {"count": count, "template": template},
    )
    cursor.execute(
        "INSERT INTO voting_ballotreceipt (id, poll_id, receipt_hash, leaf)"
        " SELECT gen_random_uuid(), %(poll)s, h, sha256(decode('00', 'hex') || convert_to('receipt|' || h, 'UTF8'))"
        " FROM (SELECT encode(sha256(convert_to('scale-receipt:' || (%(start)s + i), 'UTF8')), 'hex') AS h"
        "  FROM generate_series(1, %(count)s) i) x",
        {"poll": poll_id, "start": start, "count": count},
    )
    cursor.execute(
        "INSERT INTO voting_participation (poll_id, resident_id, voted_on)"
        " SELECT %(poll)s, r.id, current_date FROM accounts_resident r"
        " WHERE r.username LIKE 'scale%%' AND NOT EXISTS"
        " (SELECT 1 FROM voting_participation p WHERE p.poll_id = %(poll)s AND p.resident_id = r.id)"
        " ORDER BY r.id LIMIT %(count)s",
        {"poll": poll_id, "count": count},
    )


def analyze() -> None:
    cursor = _cursor()
    for table in (
        "accounts_resident",
        "points_ledgeraccount",
        "points_transfer",
        "problems_report",
        "voting_ballot",
        "voting_ballotchoice",
        "voting_ballotreceipt",
        "voting_participation",
    ):
        cursor.execute(f'ANALYZE "{table}"')
