from django.db import migrations

from tenants.matrix_migrations import grant_to_existing_programmes


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
        ("tenants", "0004_profile_and_verification_permissions"),
    ]

    operations = [
        migrations.RunPython(
            grant_to_existing_programmes({"tenant_admin": ["billing.summary"]}),
            migrations.RunPython.noop,
        )
    ]
