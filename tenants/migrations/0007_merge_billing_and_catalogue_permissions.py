from django.db import migrations


class Migration(migrations.Migration):
    """The billing and catalogue branches each granted their permissions after 0004."""

    dependencies = [
        ("tenants", "0005_billing_permissions"),
        ("tenants", "0006_catalogue_permissions"),
    ]

    operations = []
