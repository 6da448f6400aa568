from django.db import migrations

# Points for an idea the experts accept (City of Ideas). No published figure is known; 500 points
# for a standard or full account, none for a simplified one (DESIGN.md section 5). Operators
# change it as a new version.


def create(apps, schema_editor):
    Programme = apps.get_model("points", "Programme")
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    programme = Programme.objects.filter(code="city_of_ideas").first()
    if programme is None:
        return
    rule, created = EarningRule.objects.get_or_create(
        programme=programme,
        action="idea_accepted",
        defaults={"name": "Idea accepted by the experts", "description": "An idea of yours the experts accept."},
    )
    if created:
        RuleVersion.objects.create(
            rule=rule, number=1, amount_simplified=0, amount_standard=500, amount_full=500, note="demo default"
        )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial"), ("points", "0003_default_rules")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
