from django.db import migrations

from tenants.matrix_migrations import grant_to_existing_programmes


class Migration(migrations.Migration):
    dependencies = [("tenants", "0005_billing_permissions")]

    operations = [
        migrations.RunPython(
            grant_to_existing_programmes({
                "tenant_admin": ["catalogue.moderate", "showroom.edit"],
                "moderator": ["catalogue.moderate"],
            }),
            migrations.RunPython.noop,
        )
    ]
