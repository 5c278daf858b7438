from celery import shared_task

from tenants import services


@shared_task(name="tenants.refill_spare_pool")
def refill_spare_pool_task() -> int:
    return services.refill_spare_pool()
