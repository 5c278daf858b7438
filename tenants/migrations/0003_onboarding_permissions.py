from django.db import migrations

GRANTS = {"tenant_admin": ["members.import", "directory.export"], "moderator": ["directory.export"]}


def grant_onboarding_permissions(apps, schema_editor):
    # Existing programmes keep their matrix; admins (and moderators, for the export) gain the new permissions.
    Tenant = apps.get_model("tenants", "Tenant")
    for tenant in Tenant.objects.all():
        changed = False
        for role, permissions in GRANTS.items():
            granted = set(tenant.role_matrix.get(role, []))
            if not granted.issuperset(permissions):
                tenant.role_matrix[role] = sorted(granted | set(permissions))
                changed = True
        if changed:
            tenant.save(update_fields=["role_matrix"])


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_security_and_privacy_policy")]

    operations = [migrations.RunPython(grant_onboarding_permissions, migrations.RunPython.noop)]
