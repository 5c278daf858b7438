from django.db import migrations

DEFAULTS = [
    ("trade_register", 90, 10),
    ("director_id", None, 20),
    ("financial_statements", 548, 30),
    ("proof_of_address", 90, 40),
]


def add_default_types(apps, schema_editor):
    DocumentType = apps.get_model("verification", "DocumentType")
    VerificationSettings = apps.get_model("verification", "VerificationSettings")
    for code, max_age_days, position in DEFAULTS:
        DocumentType.objects.get_or_create(code=code, defaults={"max_age_days": max_age_days, "position": position})
    VerificationSettings.objects.get_or_create(pk=1, defaults={"validity_days": 365, "reminder_days": [30, 7]})


class Migration(migrations.Migration):
    dependencies = [("verification", "0001_initial")]

    operations = [migrations.RunPython(add_default_types, migrations.RunPython.noop)]
