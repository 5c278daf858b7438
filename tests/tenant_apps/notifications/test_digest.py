from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django_tenants.utils import tenant_context

from tenant_apps.notifications import services
from tenant_apps.notifications.kinds import Delivery
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.tasks import send_daily_digest, send_daily_digests_all_tenants
from tenants.models import Tenant
from tests.factories import NotificationFactory

PARIS = ZoneInfo("Europe/Paris")
DIGEST_TIME = datetime(2030, 3, 12, 7, 30, tzinfo=PARIS)


def _waiting(recipient, *, kind="system.announcement", hours_ago=3, now=DIGEST_TIME, **fields):
    notification = NotificationFactory(recipient=recipient, kind=kind, **fields)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=now - timedelta(hours=hours_ago)
    )
    return notification


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def send(now=DIGEST_TIME):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_digests(now=now)

    return send


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2030, 3, 12, 7, 0, tzinfo=PARIS), datetime(2030, 3, 12, 7, 0, tzinfo=PARIS)),
        (datetime(2030, 3, 12, 23, 59, tzinfo=PARIS), datetime(2030, 3, 12, 7, 0, tzinfo=PARIS)),
        (datetime(2030, 3, 12, 6, 59, tzinfo=PARIS), datetime(2030, 3, 11, 7, 0, tzinfo=PARIS)),
    ],
)
def test_the_digest_day_starts_at_the_digest_hour(now, expected):
    assert services.digest_window_start(now) == expected


def test_digest_groups_notifications_by_kind_in_registry_order():
    announcement = Notification(
        pk=1, kind="system.announcement", title="News", created_at=DIGEST_TIME
    )
    role = Notification(pk=2, kind="membership.role_changed", title="Role", created_at=DIGEST_TIME)
    older_announcement = Notification(
        pk=3,
        kind="system.announcement",
        title="Old news",
        created_at=DIGEST_TIME - timedelta(days=1),
    )

    groups = services.digest_groups([announcement, role, older_announcement])

    assert [group.kind for group in groups] == ["membership.role_changed", "system.announcement"]
    assert groups[0].label == "Your role in the programme changed"
    assert groups[1].notifications == [older_announcement, announcement]


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
def test_one_digest_per_person_holds_all_their_waiting_notifications(
    in_alpha, member, colleague, send
):
    colleague.preferred_language = ""
    colleague.save(update_fields=["preferred_language"])
    services.set_delivery_preference(
        user=member, kind="membership.role_changed", delivery=Delivery.DIGEST
    )
    _waiting(member, title="Spring fair")
    _waiting(
        member, title="You are now a moderator", kind="membership.role_changed", url="/members/"
    )
    _waiting(colleague, title="Spring fair")

    assert send() == 2

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [member.email, colleague.email]
    )
    message = next(message for message in mail.outbox if message.to == [member.email])
    assert message.subject == "Programme alpha: 2 new notifications"
    # Without a preference of their own, people read the programme's default language.
    french = next(message for message in mail.outbox if message.to == [colleague.email])
    assert french.subject == "Programme alpha : 1 nouvelle notification"
    assert message.body.index("Your role in the programme changed") < message.body.index(
        "Announcements from"
    )
    assert "You are now a moderator" in message.body and "Spring fair" in message.body
    assert "http://alpha.comptoir.test:8000/members/" in message.body
    html = message.alternatives[0][0]
    assert in_alpha.tenant.branding["primary_color"] in html
    assert Notification.objects.filter(recipient=member, emailed_at__isnull=True).count() == 0


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
def test_running_again_the_same_day_sends_nothing_new(in_alpha, member, send):
    _waiting(member)
    assert send() == 1

    _waiting(member, hours_ago=-1, now=DIGEST_TIME)
    assert send(now=DIGEST_TIME + timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
def test_notifications_after_the_digest_hour_wait_for_the_next_day(in_alpha, member, send):
    _waiting(member, hours_ago=-1)

    assert send(now=DIGEST_TIME + timedelta(hours=2)) == 0
    assert send(now=DIGEST_TIME + timedelta(days=1)) == 1


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
def test_read_instant_and_switched_off_notifications_are_not_in_the_digest(in_alpha, member, send):
    services.set_delivery_preference(
        user=member, kind="membership.role_changed", delivery=Delivery.OFF
    )
    _waiting(member, kind="membership.role_changed")
    _waiting(member, kind="account.welcome")
    read = _waiting(member)
    services.mark_read(user=member, notification_ids=[read.pk])

    assert send() == 0
    assert mail.outbox == []


@override_settings(NOTIFICATION_DIGEST_HOUR=7)
def test_notifications_older_than_a_week_are_not_emailed_any_more(in_alpha, member, send):
    _waiting(member, hours_ago=8 * 24)

    assert send() == 0


def test_digest_task_for_a_suspended_or_unknown_programme_does_nothing(alpha):
    assert send_daily_digest("no_such_schema") == 0


@override_settings(NOTIFICATION_DIGEST_HOUR=0)
def test_beat_task_fans_out_one_digest_per_active_programme(
    alpha, beta, django_capture_on_commit_callbacks
):
    with tenant_context(alpha.tenant):
        _waiting(alpha.members["expert"], hours_ago=25, now=datetime.now(tz=PARIS))
    with tenant_context(beta.tenant):
        _waiting(beta.members["expert"], hours_ago=25, now=datetime.now(tz=PARIS))
    Tenant.objects.filter(pk=beta.tenant.pk).update(status=Tenant.Status.SUSPENDED)

    with django_capture_on_commit_callbacks(execute=True):
        fanned_out = send_daily_digests_all_tenants.delay().get()

    assert fanned_out == Tenant.objects.filter(status=Tenant.Status.ACTIVE).count()
    assert [message.to for message in mail.outbox] == [[alpha.members["expert"].email]]
