"""Who may see and do what in finance: the one place that decides it.

Finance staff hold a platform role (``PlatformRole``) granted by an operator; they see
every programme's figures and act on them (run a reconciliation, resolve a mismatch,
queue a failed Stripe event again). Operators see the same pages but do not act: they
grant the role instead. Everything is on the platform's own host; a programme's
administrators see their own programme's summary on its host (``billing.summary``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

_CACHE_KEY = "_finance_platform_roles"


def platform_roles(user) -> frozenset[str]:
    """The platform roles ``user`` holds, read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if _CACHE_KEY not in user.__dict__:
        from shared_apps.finance.models import PlatformRole

        user.__dict__[_CACHE_KEY] = frozenset(PlatformRole.objects.filter(user=user).values_list("role", flat=True))
    return user.__dict__[_CACHE_KEY]


def forget_roles(user) -> None:
    user.__dict__.pop(_CACHE_KEY, None)


def is_finance_staff(user) -> bool:
    from shared_apps.finance.models import PlatformRole

    return PlatformRole.Role.FINANCE in platform_roles(user)


def is_operator(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def may_view_finance(user) -> bool:
    return is_operator(user) or is_finance_staff(user)


def may_act_on_finance(user) -> bool:
    return is_finance_staff(user)


def _on_platform_host(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.is_public


def _guard(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _on_platform_host(request):
                raise PermissionDenied
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Finance pages: finance staff and operators, on the platform's host only.
finance_view_required = _guard(may_view_finance)
# Finance actions: finance staff only.
finance_staff_required = _guard(may_act_on_finance)
