"""The participation's own index on ``poll_id`` goes: ``participation_once_per_poll`` (poll,
resident) serves every lookup by poll, and each ballot wrote an entry into both.

Only the index is dropped. Django's AlterField would also drop and re-create the foreign key,
which checks every participation row under a lock that holds ballots back: seconds at a million
ballots, in the middle of a vote."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "voting_participation_poll_id_ed243c36"


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0015_budget_project_images"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="participation",
                    name="poll",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="voting.poll",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "voting_participation" ("poll_id")',
                ),
            ],
        ),
    ]
