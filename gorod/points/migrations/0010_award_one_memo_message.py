"""``points_award_one`` writes the transfer's ``memo_message`` too (NULL, as ``award`` does for a
plain text memo such as a vote's poll title). The function (0008) and the column (0009) were made
on two branches the same day; ``test_award_one.py`` checks that the function names every column."""

from importlib import import_module

from django.db import migrations

FUNCTION = (
    import_module("gorod.points.migrations.0008_award_one_function")
    .FUNCTION.replace(
        "rule_version_id, actor_id, memo, reverses_id, hold_id, created_at)",
        "rule_version_id, actor_id, memo, memo_message, reverses_id, hold_id, created_at)",
    )
    .replace(
        "p_version, NULL, left(p_memo, 200), NULL, NULL, p_created_at)",
        "p_version, NULL, left(p_memo, 200), NULL, NULL, NULL, p_created_at)",
    )
)
assert "memo_message" in FUNCTION and FUNCTION.count("NULL, NULL, NULL, p_created_at") == 1


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def previous(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(import_module("gorod.points.migrations.0008_award_one_function").FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("points", "0009_transfer_memo_message")]

    operations = [migrations.RunPython(create, previous)]
