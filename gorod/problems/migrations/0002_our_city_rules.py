from django.db import migrations

# Earning rules of the Our City programme. Demo figures (the real service's amounts are not
# published in one place): an accepted report earns 50 points on a standard or full account, a
# rating of an organisation's answer 10; a daily cap keeps a resident from farming either.
RULES = [
    # action, name, description, simplified, standard, full, cap, cap_period
    ("report_accepted", "Report a problem", "A report accepted by the moderator.", 0, 50, 50, 150, "day"),
    ("answer_rating", "Rate an answer", "Rate how an organisation solved a problem.", 0, 10, 10, 30, "day"),
]


def create(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    programme = Programme.objects.get(code="our_city")
    for action, name, description, simple, std, full, cap, period in RULES:
        rule, created = EarningRule.objects.get_or_create(
            programme=programme, action=action, defaults={"name": name, "description": description}
        )
        if created:
            RuleVersion.objects.create(
                rule=rule, number=1, amount_simplified=simple, amount_standard=std, amount_full=full,
                cap_amount=cap, cap_period=period, note="Our City default",
            )


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial"), ("points", "0003_default_rules")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
