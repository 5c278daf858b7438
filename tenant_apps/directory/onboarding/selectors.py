"""Reads for bulk onboarding."""

from django.db.models import Prefetch
from django.utils import timezone

from tenant_apps.directory.models import Company, Representative, Sector
from tenant_apps.directory.onboarding.models import ImportBatch


def open_batch_for(*, user, public_id) -> ImportBatch | None:
    """The admin's own pending import, if it is still open; someone else's looks like a missing one."""
    return ImportBatch.objects.filter(public_id=public_id, created_by=user, confirmed_at__isnull=True,
                                      expires_at__gt=timezone.now()).first()


def sectors() -> list[Sector]:
    return list(Sector.objects.all())


def companies_for_export():
    representatives = Representative.objects.select_related("user").order_by("-is_owner", "created_at")
    return (Company.objects.select_related("sector")
            .prefetch_related(Prefetch("representatives", queryset=representatives)).order_by("name", "pk"))
