"""Data-migration helper: programmes that exist keep their role matrix when a new
permission ships, and the roles meant to hold it gain it."""


def grant_to_existing_programmes(grants: dict[str, list[str]]):
    """A RunPython function adding ``grants`` (role -> permissions) to every tenant's matrix."""

    def grant(apps, schema_editor):
        Tenant = apps.get_model("tenants", "Tenant")
        for tenant in Tenant.objects.all():
            changed = False
            for role, permissions in grants.items():
                granted = set(tenant.role_matrix.get(role, []))
                if not granted.issuperset(permissions):
                    tenant.role_matrix[role] = sorted(granted | set(permissions))
                    changed = True
            if changed:
                tenant.save(update_fields=["role_matrix"])

    return grant
