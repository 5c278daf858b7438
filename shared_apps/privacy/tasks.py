from celery import shared_task
from django_tenants.utils import schema_context

from shared_apps.privacy import services
from shared_apps.privacy.models import DataExport
from tenants.models import Tenant


@shared_task(name="privacy.build_data_export")
def build_data_export(schema_name: str, export_id: str) -> None:
    with schema_context(schema_name):
        tenant = Tenant.objects.get(schema_name=schema_name)
        export = DataExport.objects.for_tenant(tenant).select_related("user", "tenant").filter(
            pk=export_id, status=DataExport.Status.PENDING
        ).first()
        if export is not None:
            services.complete_data_export(export)


@shared_task(name="privacy.purge_tenant")
def purge_tenant(schema_name: str) -> dict:
    with schema_context(schema_name):
        return services.purge_tenant(Tenant.objects.get(schema_name=schema_name))


@shared_task(name="privacy.purge_all_tenants")
def purge_all_tenants() -> int:
    schemas = list(Tenant.objects.programmes().values_list("schema_name", flat=True))
    for schema_name in schemas:
        purge_tenant.delay(schema_name)
    return len(schemas)
