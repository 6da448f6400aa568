"""The map's box on PostgreSQL: a GiST index on the reports' points replaces the (latitude,
longitude) B-tree, which read the whole latitude band of a box (sql.in_box says why). SQLite has
no GiST: it keeps ``report_location``, which the model still declares for it; on PostgreSQL the
index is gone from the database only (Django drops indexes with IF EXISTS, so a later removal
from the model still applies)."""

from django.db import migrations

CREATE = (
    'CREATE INDEX IF NOT EXISTS report_point ON problems_report USING gist'
    ' ((point("longitude", "latitude")))'
)
RESTORE = 'CREATE INDEX IF NOT EXISTS report_location ON problems_report ("latitude", "longitude")'


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    schema_editor.execute("DROP INDEX IF EXISTS report_location")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(RESTORE)
    schema_editor.execute("DROP INDEX IF EXISTS report_point")


class Migration(migrations.Migration):
    dependencies = [("problems", "0003_map_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
