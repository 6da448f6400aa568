from django.db import migrations

# A neighbour survey earns its author points (survey_create), and each survey is a new source
# key: without a cap a resident could open survey after survey for points. The points app's cap
# per resident and period bounds it: 40 points a month is two surveys at a full account's 20,
# four at a standard account's 10. Published as the rule's next version (earlier versions stay
# for the record); an operator may publish other terms later in the console.
SURVEY_CAP_POINTS = 40
SURVEY_CAP_PERIOD = "month"


def cap(apps, schema_editor):
    EarningRule = apps.get_model("points", "EarningRule")
    RuleVersion = apps.get_model("points", "RuleVersion")
    rule = EarningRule.objects.filter(programme__code="electronic_home", action="survey_create").first()
    if rule is None:
        return
    latest = RuleVersion.objects.filter(rule=rule).order_by("-number").first()
    if latest is None or latest.cap_amount is not None:
        return  # an operator has already capped it: their terms stand
    RuleVersion.objects.create(
        rule=rule,
        number=latest.number + 1,
        amount_simplified=latest.amount_simplified,
        amount_standard=latest.amount_standard,
        amount_full=latest.amount_full,
        percent_basis_points=latest.percent_basis_points,
        rounding=latest.rounding,
        expiry_days=latest.expiry_days,
        valid_from=latest.valid_from,
        valid_until=latest.valid_until,
        cap_amount=SURVEY_CAP_POINTS,
        cap_period=SURVEY_CAP_PERIOD,
        note="monthly cap: surveys are not a way to farm points",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0008_ownership_history_building_windows"),
        ("points", "0007_issuance_totals"),
    ]
    operations = [migrations.RunPython(cap, migrations.RunPython.noop)]
