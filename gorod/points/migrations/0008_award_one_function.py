"""``points_award_one``: one plain award (no cap, no budget, no expiry) in one call, PostgreSQL only.

A vote's ballot statement calls it (gorod.voting.sql), so that the ballot and its points are one
round trip instead of five (context read, wallet, transfer, balances). It writes exactly what
``gorod.points.services.award`` writes for such an award, in the ledger's lock order, and
refuses (``p_or_raise``: raises SQLSTATE GP001, else returns NULL, having written nothing) when
the caller's plan may be stale or the award is not plain: a newer rule version, a budget, a cap
or an expiry, a missing issuance account, or a transfer already under the key. The caller then
takes the full path. ``test_award_one.py`` checks that the columns written here are every column
of the models.
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION points_award_one(
    p_version bigint,
    p_issuance_key text,
    p_wallet_key text,
    p_resident bigint,
    p_amount bigint,
    p_reason text,
    p_source_key text,
    p_memo text,
    p_created_at timestamptz,
    p_or_raise boolean
) RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    v_programme bigint;
    v_issuance bigint;
    v_wallet bigint;
    v_transfer bigint;
BEGIN
    -- the plan's version is still the rule's newest, plain, and its programme has no budget
    SELECT r.programme_id INTO v_programme
      FROM points_ruleversion v
      JOIN points_earningrule r ON r.id = v.rule_id
      JOIN points_programme p ON p.id = r.programme_id
     WHERE v.id = p_version AND v.cap_amount IS NULL AND v.expiry_days IS NULL AND p.budget IS NULL
       AND NOT EXISTS (SELECT 1 FROM points_ruleversion n WHERE n.rule_id = v.rule_id AND n.number > v.number);
    IF v_programme IS NOT NULL AND p_amount > 0 THEN
        SELECT id INTO v_issuance FROM points_ledgeraccount WHERE key = p_issuance_key;
    END IF;
    IF v_issuance IS NOT NULL THEN
        SELECT id INTO v_wallet FROM points_ledgeraccount WHERE key = p_wallet_key;
        IF v_wallet IS NULL THEN
            -- a first award opens the wallet, as services._open_wallet does
            INSERT INTO points_ledgeraccount (key, kind, resident_id, programme_id, name, balance, held)
            VALUES (p_wallet_key, 'wallet', p_resident, NULL, '', 0, 0)
            ON CONFLICT DO NOTHING RETURNING id INTO v_wallet;
        END IF;
    END IF;
    IF v_wallet IS NOT NULL THEN
        INSERT INTO points_transfer (debit_id, credit_id, amount, programme_id, reason, source_key, basis,
                                     rule_version_id, actor_id, memo, reverses_id, hold_id, created_at)
        VALUES (v_issuance, v_wallet, p_amount, v_programme, p_reason, p_source_key, NULL,
                p_version, NULL, left(p_memo, 200), NULL, NULL, p_created_at)
        ON CONFLICT (source_key) DO NOTHING RETURNING id INTO v_transfer;
    END IF;
    IF v_transfer IS NULL THEN
        -- no transfer: nothing was written but, at most, the resident's first (empty) wallet,
        -- which a raise undoes with the rest of the statement
        IF p_or_raise THEN
            RAISE EXCEPTION 'points_award_one: not a plain award, take the full path' USING ERRCODE = 'GP001';
        END IF;
        RETURN NULL;
    END IF;
    -- both balances with their transfer, rows in ascending id order (the ledger's lock order)
    UPDATE points_ledgeraccount
       SET balance = balance + CASE WHEN id = v_issuance THEN -p_amount ELSE p_amount END
     WHERE id = least(v_issuance, v_wallet);
    UPDATE points_ledgeraccount
       SET balance = balance + CASE WHEN id = v_issuance THEN -p_amount ELSE p_amount END
     WHERE id = greatest(v_issuance, v_wallet);
    RETURN v_transfer;
END
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS points_award_one(bigint, text, text, bigint, bigint, text, text, text,"
            " timestamptz, boolean)"
        )


class Migration(migrations.Migration):
    dependencies = [("points", "0007_issuance_totals")]

    operations = [migrations.RunPython(create, drop)]
