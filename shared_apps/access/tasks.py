from celery import shared_task
from django_tenants.utils import schema_context

from shared_apps.access import services
from tenants.models import Tenant


@shared_task(name="access.evaluate_activity_rules")
def evaluate_activity_rules_task(tenant_id: int) -> dict:
    tenant = Tenant.objects.programmes().get(pk=tenant_id)
    with schema_context(tenant.schema_name):
        return services.evaluate_rules(tenant)


@shared_task(name="access.evaluate_activity_rules_all_tenants")
def evaluate_activity_rules_all_tenants_task() -> int:
    tenant_ids = list(Tenant.objects.filter(status=Tenant.Status.ACTIVE).values_list("pk", flat=True))
    for tenant_id in tenant_ids:
        evaluate_activity_rules_task.delay(tenant_id)
    return len(tenant_ids)


@shared_task(name="access.tidy_expired_grants")
def tidy_expired_grants_task() -> int:
    return services.tidy_expired_grants()
