from django.db.models import QuerySet

from shared_apps.privacy.models import Consent, DataExport


def exports_of(*, tenant, user) -> QuerySet[DataExport]:
    return DataExport.objects.for_tenant(tenant).filter(user=user)[:5]


def latest_consent_of(*, tenant, user) -> Consent | None:
    return Consent.objects.for_tenant(tenant).filter(user=user).first()
