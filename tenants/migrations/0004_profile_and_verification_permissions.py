from django.db import migrations

GRANTS = {
    "tenant_admin": ["profiles.edit_own", "verification.request"],
    "company_rep": ["profiles.edit_own", "verification.request"],
    "expert": ["profiles.edit_own"],
}


def grant_profile_permissions(apps, schema_editor):
    # Existing programmes keep their matrix; the roles that own profiles gain the new permissions.
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
    dependencies = [("tenants", "0003_onboarding_permissions")]

    operations = [migrations.RunPython(grant_profile_permissions, migrations.RunPython.noop)]
