from celery import shared_task

from shared_apps.audit import services


@shared_task(name="audit.purge_expired_events")
def purge_expired_events_task() -> int:
    return services.purge_expired_events()
