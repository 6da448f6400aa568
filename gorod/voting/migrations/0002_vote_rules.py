from django.db import migrations

# The vote, quiz, novelty_rating and photo_contest rules of Active Citizen are published by
# points/0003_default_rules (a vote: 20 points, 0 for a simplified account). Neighbour surveys
# earn nothing by default (their polls have an empty reward action); this migration only makes
# sure the vote rule exists when the points defaults were edited away.


def ensure(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    programme = Programme.objects.get(code="active_citizen")
    rule, created = EarningRule.objects.get_or_create(
        programme=programme,
        action="vote",
        defaults={"name": "Vote in a city poll", "description": "Take part in an Active Citizen vote."},
    )
    if created:
        RuleVersion.objects.create(
            rule=rule, number=1, amount_simplified=0, amount_standard=20, amount_full=20,
            cap_period="", note="published default",
        )


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_initial"), ("points", "0003_default_rules")]
    operations = [migrations.RunPython(ensure, migrations.RunPython.noop)]
