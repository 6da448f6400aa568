import hashlib

from django.db import migrations, models


def fill_leaves(apps, schema_editor):
    Ballot = apps.get_model("voting", "Ballot")
    for ballot in Ballot.objects.all().only("pk", "receipt_hash", "choices").iterator():
        leaf = hashlib.sha256(b"\x00" + f"{ballot.receipt_hash}|{ballot.choices}".encode()).digest()
        Ballot.objects.filter(pk=ballot.pk).update(leaf=leaf)


class Migration(migrations.Migration):
    dependencies = [("voting", "0002_vote_rules")]
    operations = [
        migrations.AddField(model_name="ballot", name="leaf", field=models.BinaryField(default=b"", max_length=32), preserve_default=False),
        migrations.RunPython(fill_leaves, migrations.RunPython.noop),
    ]
