from django.db import migrations

# Photo contests earn by the Active Citizen rule "photo_contest": 100 points for taking part
# (0 for a simplified account) and the contest's winner points, all "up to 10,000 points per
# contest" (cap period "scope", scope photo_contest:<contest>). points/0003_default_rules
# publishes it; this makes sure it exists even where those defaults were edited away.


def ensure(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    programme = Programme.objects.filter(code="active_citizen").first()
    if programme is None:
        return
    rule, created = EarningRule.objects.get_or_create(
        programme=programme,
        action="photo_contest",
        defaults={"name": "Photo contest", "description": "Take part in or win a photo contest."},
    )
    if created:
        RuleVersion.objects.create(
            rule=rule, number=1, amount_simplified=0, amount_standard=100, amount_full=100,
            cap_amount=10000, cap_period="scope", note="published default",
        )


class Migration(migrations.Migration):
    dependencies = [("voting", "0008_contests"), ("points", "0003_default_rules")]
    operations = [migrations.RunPython(ensure, migrations.RunPython.noop)]
