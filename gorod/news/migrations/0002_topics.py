from django.db import migrations

TOPICS = [
    ("transport", "Transport"),
    ("roads", "Roads"),
    ("road_closures", "Road closures"),
    ("housing", "Housing"),
    ("health", "Health"),
    ("education", "Education"),
    ("children", "Children"),
    ("pets", "Pets"),
    ("culture", "Culture"),
    ("sport", "Sport"),
    ("ecology", "Ecology"),
    ("city", "City life"),
]


def create(apps, schema_editor):
    Topic = apps.get_model("news", "Topic")
    for code, name in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
