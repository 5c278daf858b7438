"""The catalogue's background work: counting the whole catalogue's facets again after a change."""

from celery import shared_task
from django_tenants.utils import tenant_context

from tenants.models import Tenant


@shared_task(name="catalogue.refresh_overview_counts")
def refresh_overview_counts(schema_name: str) -> int:
    """Count one programme's whole catalogue again (search/selectors.py overview_counts); returns the total."""
    from tenant_apps.catalogue.search.selectors import store_overview_counts

    tenant = Tenant.objects.programmes().filter(schema_name=schema_name, modules__contains=["catalogue"]).first()
    if tenant is None:
        return 0
    with tenant_context(tenant):
        return store_overview_counts().total
