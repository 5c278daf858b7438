from rest_framework.permissions import BasePermission

from shared_apps.accounts.permissions import can


class TenantPermission(BasePermission):
    """The view's ``required_permission`` checked with ``can()`` in the host's tenant."""

    def has_permission(self, request, view):
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.is_public or not request.user.is_authenticated:
            return False
        return can(request.user, view.required_permission, tenant=tenant)
