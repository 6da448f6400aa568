from django.db import migrations

# The city's points programmes. Services add their earning rules in their own migrations;
# operators then edit amounts, caps and windows as new rule versions in the console.
PROGRAMMES = [
    ("active_citizen", "Active Citizen", 10),
    ("electronic_home", "Electronic Home", 20),
    ("our_city", "Our City", 30),
    ("mission_city", "Mission City", 40),
    ("city_of_ideas", "City of Ideas", 50),
    ("million_prizes", "Million Prizes", 90),
    ("charity", "Charity", 95),
]


def create(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    for code, name, weight in PROGRAMMES:
        Programme.objects.get_or_create(code=code, defaults={"name": name, "ordering_weight": weight})


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
