"""notify() -> broker -> a real Celery worker -> the e-mail, with the tenant carried along.

The worker runs in a thread with its own database connection, so it only sees committed
rows: this test commits what it needs (outside the per-test transaction) and deletes it
afterwards, leaving the session-wide programmes untouched.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django_tenants.utils import tenant_context

from platform_core import embedded
from platform_core.celery import app
from tenant_apps.notifications import services
from tenant_apps.notifications.models import Notification
from tests.factories import UserFactory


def _broker_url() -> str:
    if settings.CELERY_BROKER_URL.startswith("redis"):
        return settings.CELERY_BROKER_URL
    if embedded.is_listening("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/0"
    return f"redis+socket://{embedded.embedded_redis_socket()}"


@pytest.fixture
def broker():
    """Send tasks through a real Redis broker instead of running them eagerly."""
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.broker_url = _broker_url()
    app.conf.task_always_eager = False
    app._pool = None
    try:
        yield app
    finally:
        app.conf.update(saved)
        app._pool = None


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="session", autouse=True)
def _only_against_the_test_database(request):
    # pytest-django creates the test database only when a collected test asks for `db`;
    # this test must not commit to a real database when it is run on its own.
    if not any("db" in item.fixturenames for item in request.session.items):
        pytest.skip("run together with tests that use the database")


def test_a_worker_emails_the_notification_in_its_programme(programmes, broker, django_db_blocker):
    alpha = programmes["alpha"]
    mail.outbox = []
    with django_db_blocker.unblock():
        recipient = UserFactory(email="worker-test@example.org", full_name="Worker Test")
        try:
            with start_worker(broker, pool="solo", perform_ping_check=False, shutdown_timeout=15):
                with tenant_context(alpha.tenant):
                    notification = services.notify(
                        recipient=recipient, kind="account.welcome", title="Queued for real"
                    )
                assert _wait_for(lambda: len(mail.outbox) == 1), "the worker sent no e-mail"

            message = mail.outbox[0]
            assert message.to == ["worker-test@example.org"]
            assert message.subject == "Queued for real · Programme alpha"
            with tenant_context(alpha.tenant):
                notification.refresh_from_db()
                assert notification.emailed_at is not None
        finally:
            # Inside the schema, so the cascade reaches the notifications stored there.
            with tenant_context(alpha.tenant):
                recipient.delete()
                assert not Notification.objects.filter(title="Queued for real").exists()
