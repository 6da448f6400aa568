from django.db import migrations

# Moscow reading windows (days of the month, city time); operators edit them as rows.
WINDOWS = [
    ("cold_water", 15, 3),
    ("hot_water", 15, 3),
    ("electricity", 15, 26),
    ("heat", 15, 26),
    ("gas", 15, 26),
]

# Electronic Home's other earning rules (meter_reading and bill_cashback come with the ledger).
# Amounts by account level; a simplified account earns none. Figures are demo defaults.
RULES = [
    ("invite_neighbour", "Invite a neighbour", "A neighbour you invited joins and is verified.", 0, 20, 30),
    ("first_announcement", "First announcement", "Your first announcement on the building board.", 0, 10, 20),
    ("survey_create", "Create a neighbour survey", "Ask your neighbours in a survey.", 0, 10, 20),
    ("meeting_hold", "Hold an owners' meeting", "Initiate an owners' general meeting.", 0, 50, 100),
    ("meeting_join", "Vote in an owners' meeting", "Take part in an owners' general meeting.", 0, 20, 40),
]


def create(apps, schema_editor):
    ReadingWindow = apps.get_model("housing", "ReadingWindow")
    for resource, start, end in WINDOWS:
        ReadingWindow.objects.get_or_create(resource=resource, defaults={"start_day": start, "end_day": end})
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    programme = Programme.objects.get(code="electronic_home")
    for action, name, description, simple, std, full in RULES:
        rule, created = EarningRule.objects.get_or_create(
            programme=programme, action=action, defaults={"name": name, "description": description}
        )
        if created:
            RuleVersion.objects.create(
                rule=rule, number=1, amount_simplified=simple, amount_standard=std, amount_full=full,
                note="published default",
            )


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial"), ("points", "0003_default_rules")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
