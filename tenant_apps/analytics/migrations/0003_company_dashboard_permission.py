from django.db import migrations

from tenants.matrix_migrations import grant_to_existing_programmes


class Migration(migrations.Migration):
    """Company representatives of existing programmes gain their company's dashboard.

    A tenant app's migration runs once per schema; the grant is idempotent, so every
    run after the first changes nothing.
    """

    dependencies = [("analytics", "0002_rollups"), ("tenants", "0006_catalogue_permissions")]

    operations = [
        migrations.RunPython(
            grant_to_existing_programmes({"company_rep": ["analytics.view_own"]}),
            migrations.RunPython.noop,
        )
    ]
