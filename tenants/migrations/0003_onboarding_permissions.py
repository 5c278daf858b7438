from django.db import migrations

from tenants.matrix_migrations import grant_to_existing_programmes


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_security_and_privacy_policy")]

    operations = [
        migrations.RunPython(
            grant_to_existing_programmes({"tenant_admin": ["members.import", "directory.export"], "moderator": ["directory.export"]}),
            migrations.RunPython.noop,
        )
    ]
