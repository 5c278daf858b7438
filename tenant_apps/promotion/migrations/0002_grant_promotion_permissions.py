from django.db import migrations

from tenants.matrix_migrations import grant_to_existing_programmes


class Migration(migrations.Migration):
    dependencies = [
        ("promotion", "0001_initial"),
        ("tenants", "0006_catalogue_permissions"),
    ]

    operations = [
        migrations.RunPython(
            grant_to_existing_programmes({
                "tenant_admin": ["promotion.manage", "promotion.request"],
                "moderator": ["promotion.manage"],
                "company_rep": ["promotion.request"],
            }),
            migrations.RunPython.noop,
        )
    ]
