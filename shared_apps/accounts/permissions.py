"""The one permission check: ``can(user, "module.action")`` against the tenant's matrix."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection

from tenants import catalog


def current_tenant():
    tenant = getattr(connection, "tenant", None)
    if tenant is None or getattr(tenant, "schema_name", "public") == "public":
        return None
    return tenant


def role_in(user, tenant) -> str:
    """The user's role in ``tenant``; ``visitor`` for anonymous people and non-members."""
    if tenant is None or user is None or not user.is_authenticated or not user.is_active:
        return catalog.VISITOR
    cache = user.__dict__.setdefault("_roles_by_tenant", {})
    if tenant.pk not in cache:
        from shared_apps.accounts.models import Membership

        cache[tenant.pk] = (
            Membership.objects.for_tenant(tenant).filter(user=user).values_list("role", flat=True).first()
            or catalog.VISITOR
        )
    return cache[tenant.pk]


def permissions_in(user, tenant) -> frozenset[str]:
    if tenant is None:
        return frozenset()
    role = role_in(user, tenant)
    granted = tenant.permissions_for(role)
    if role != catalog.VISITOR and not granted >= catalog.PERMISSIONS.keys():
        from shared_apps.access.selectors import extra_permissions

        # Time-bound grants and badges from activity rules add to the role, for members only.
        granted = granted | extra_permissions(user, tenant)
    return frozenset(p for p in granted if _module_enabled(tenant, p))


def _module_enabled(tenant, permission: str) -> bool:
    module = permission.split(".", 1)[0]
    return module not in catalog.MODULES or tenant.has_module(module)


def can(user, permission: str, *, tenant=None) -> bool:
    """May ``user`` do ``permission`` in ``tenant`` (default: the current request's tenant)?

    ``plan.<feature>`` asks instead whether the paid plan of the user's company includes
    that feature (shared_apps.billing.entitlements), so views gate both the same way.
    """
    tenant = tenant or current_tenant()
    if permission.startswith(catalog.PLAN_FEATURE_PREFIX):
        from shared_apps.billing.entitlements import user_has_feature

        return user_has_feature(user, permission.removeprefix(catalog.PLAN_FEATURE_PREFIX), tenant=tenant)
    return permission in permissions_in(user, tenant)


def permission_required(permission: str):
    """View decorator: sign-in page for visitors, 403 for members who lack the permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if can(request.user, permission, tenant=getattr(request, "tenant", None)):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped

    return decorator


def operator_required(view):
    """Platform operators only, and only on the platform's own host."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None or not tenant.is_public:
            raise PermissionDenied
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_staff and request.user.is_active):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
