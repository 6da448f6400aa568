from django.db import migrations

# Published Moscow figures where known (DESIGN.md section 5, "Demo defaults"); a simplified
# account earns nothing everywhere. Sources: mos.ru and ag.mos.ru programme pages as summarised
# in DESIGN.md; some figures come from secondary sources. Operators change them as new versions.
RULES = [
    # programme, action, name, description, simplified, standard, full, percent_bp, cap, cap_period
    ("active_citizen", "vote", "Vote in a city poll", "Take part in an Active Citizen vote.", 0, 20, 20, None, None, ""),
    ("active_citizen", "novelty_rating", "Rate a city novelty", "Rate a city novelty or news item (Pulse of the capital).", 0, 3, 3, None, 30, "day"),
    ("active_citizen", "quiz", "Take a quiz", "Complete a city quiz.", 0, 20, 20, None, None, ""),
    ("active_citizen", "photo_contest", "Photo contest", "Take part in or win a photo contest.", 0, 100, 100, None, 10000, "scope"),
    ("electronic_home", "meter_reading", "Submit a meter reading", "Once per meter and period.", 0, 10, 20, None, None, ""),
    ("electronic_home", "bill_cashback", "Pay the utility bill", "5% of the paid amount back as points, rounded down.", 0, 0, 0, 500, None, ""),
    ("mission_city", "sport_norms", "Pass sport norms", "Points per norm passed.", 0, 1000, 1000, None, 15000, "scope"),
    ("mission_city", "reading_marathon", "Reading marathon", "Points per book read.", 0, 1000, 1000, None, 50000, "scope"),
    ("mission_city", "museum_visit", "Visit a museum", "A confirmed museum visit.", 0, 700, 700, None, None, ""),
]


def create(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    for prog, action, name, description, simple, std, full, pct, cap, period in RULES:
        programme = Programme.objects.get(code=prog)
        rule, created = EarningRule.objects.get_or_create(
            programme=programme, action=action, defaults={"name": name, "description": description}
        )
        if created:
            RuleVersion.objects.create(
                rule=rule, number=1, amount_simplified=simple, amount_standard=std, amount_full=full,
                percent_basis_points=pct, cap_amount=cap, cap_period=period, note="published default",
            )


class Migration(migrations.Migration):
    dependencies = [("points", "0002_programmes")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
