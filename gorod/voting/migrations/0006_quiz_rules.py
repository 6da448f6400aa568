from django.db import migrations

# Quizzes and quests of Active Citizen. "quiz" (taking part, 20 points) comes with the ledger's
# defaults (points/0003_default_rules) and is only ensured here; a correct answer and a finished
# quest are demo defaults. A simplified account earns nothing, as everywhere.
RULES = [
    # action, name, description, simplified, standard, full
    ("quiz", "Take a quiz", "Complete a city quiz.", 0, 20, 20),
    ("quiz_correct", "Correct quiz answer", "Points per correct answer in quizzes that award them.", 0, 5, 5),
    ("quest_complete", "Complete a quest", "Finish every task of an Active Citizen quest.", 0, 50, 50),
]


def create(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    programme = Programme.objects.get(code="active_citizen")
    for action, name, description, simple, std, full in RULES:
        rule, created = EarningRule.objects.get_or_create(
            programme=programme, action=action, defaults={"name": name, "description": description}
        )
        if created:
            RuleVersion.objects.create(
                rule=rule, number=1, amount_simplified=simple, amount_standard=std, amount_full=full,
                cap_period="", note="published default",
            )


class Migration(migrations.Migration):
    dependencies = [("voting", "0005_quizzes"), ("points", "0003_default_rules")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
