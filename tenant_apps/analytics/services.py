"""Recording activity events. Modules call ``record_event``; nothing else writes events."""

from __future__ import annotations

from django.utils import timezone

from tenant_apps.analytics.models import Event


def record_event(
    kind: str,
    *,
    request=None,
    company_id: int | None = None,
    product_id: int | None = None,
    inquiry_id: int | None = None,
    user=None,
    value: int | None = None,
    metadata: dict | None = None,
) -> Event:
    """Record one event of ``kind`` (an ``Event.Kind``) about a company, product or inquiry.

    ``request`` (when given) supplies the signed-in user, the visitor and the country.
    """
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return Event.objects.create(
        kind=kind,
        occurred_at=timezone.now(),
        company_id=company_id,
        product_id=product_id,
        inquiry_id=inquiry_id,
        user_id=user.pk if user is not None else None,
        value=value,
        metadata=metadata or {},
    )
