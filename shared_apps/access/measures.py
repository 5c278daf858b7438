"""Activity measures that rules compare to a threshold. Other modules register their own.

A measure takes a tenant and the ids of its members and returns, per user id, a number.
It must answer in a few queries whatever the number of members (one aggregate, not one
query per member), because rules are evaluated for every member of every tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MeasureFunction = Callable[[object, Iterable[int]], dict[int, int]]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    compute: MeasureFunction


MEASURES: dict[str, Measure] = {}


def register(key: str, label) -> Callable[[MeasureFunction], MeasureFunction]:
    """Decorator: ``@measures.register("inquiries_answered", _("Inquiries answered"))``."""

    def decorator(function: MeasureFunction) -> MeasureFunction:
        MEASURES[key] = Measure(key=key, label=label, compute=function)
        return function

    return decorator


def choices() -> list[tuple[str, str]]:
    return [(measure.key, str(measure.label)) for measure in MEASURES.values()]


@register("membership_days", _("Days since joining the programme"))
def membership_days(tenant, user_ids):
    from shared_apps.accounts.models import Membership

    now = timezone.now()
    rows = Membership.objects.for_tenant(tenant).filter(user_id__in=list(user_ids)).values_list("user_id", "created_at")
    return {user_id: (now - created_at).days for user_id, created_at in rows}


@register("sign_ins", _("Sign-ins to the programme"))
def sign_ins(tenant, user_ids):
    from shared_apps.audit.models import AuditEvent

    rows = (
        AuditEvent.objects.for_tenant(tenant).filter(action="session.signed_in", actor_id__in=list(user_ids))
        .values("actor_id").annotate(total=Count("id")).values_list("actor_id", "total")
    )
    return dict(rows)


@register("invitations_accepted", _("People they invited who joined"))
def invitations_accepted(tenant, user_ids):
    from shared_apps.accounts.models import Invitation

    rows = (
        Invitation.objects.for_tenant(tenant).filter(invited_by_id__in=list(user_ids), accepted_at__isnull=False)
        .values("invited_by_id").annotate(total=Count("id")).values_list("invited_by_id", "total")
    )
    return dict(rows)
