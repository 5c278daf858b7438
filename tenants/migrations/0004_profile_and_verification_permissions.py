from django.db import migrations

from tenants.matrix_migrations import grant_to_existing_programmes


class Migration(migrations.Migration):
    dependencies = [("tenants", "0003_onboarding_permissions")]

    operations = [
        migrations.RunPython(
            grant_to_existing_programmes({
                "tenant_admin": ["profiles.edit_own", "verification.request"],
                "company_rep": ["profiles.edit_own", "verification.request"],
                "expert": ["profiles.edit_own"],
            }),
            migrations.RunPython.noop,
        )
    ]
