import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.notifications import selectors, services
from tenant_apps.notifications.kinds import Delivery, UnknownNotificationKind
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.tasks import send_notification_email
from tests.factories import NotificationFactory, UserFactory


def test_notify_creates_an_unread_in_app_notification(in_alpha, member):
    notification = services.notify(
        recipient=member,
        kind="account.welcome",
        title="Welcome aboard",
        body="Start here.",
        url="/dashboard/",
    )

    assert selectors.notifications_for(member).get() == notification
    assert notification.title == "Welcome aboard"
    assert not notification.is_read
    assert selectors.unread_count(member) == 1


def test_instant_kind_is_emailed_once_the_transaction_commits(
    in_alpha, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(
            recipient=member, kind="account.welcome", title="Welcome aboard"
        )
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "Welcome aboard · Programme alpha"
    html = message.alternatives[0][0]
    assert "Programme alpha" in html
    assert in_alpha.tenant.branding["primary_color"] in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_digest_kind_is_left_for_the_digest(in_alpha, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(recipient=member, kind="system.announcement", title="News")

    assert callbacks == []
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_kind_switched_off_is_shown_in_app_but_never_emailed(
    in_alpha, member, django_capture_on_commit_callbacks
):
    services.set_delivery_preference(user=member, kind="account.welcome", delivery=Delivery.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=member, kind="account.welcome", title="Welcome aboard")

    assert mail.outbox == []
    assert selectors.unread_count(member) == 1


def test_notify_refuses_an_unregistered_kind(in_alpha, member):
    with pytest.raises(UnknownNotificationKind):
        services.notify(recipient=member, kind="nobody.registered_this", title="?")

    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)"]
)
def test_notify_only_links_to_the_programmes_own_pages(in_alpha, member, url):
    with pytest.raises(ValueError):
        services.notify(recipient=member, kind="account.welcome", title="Click", url=url)


def test_notify_outside_a_tenant_schema_is_refused(alpha, member):
    connection.set_schema_to_public()

    with pytest.raises(services.NotInTenantSchema):
        services.notify(recipient=member, kind="account.welcome", title="Lost")


def test_overlong_titles_are_shortened_not_rejected(in_alpha, member):
    notification = services.notify(recipient=member, kind="system.announcement", title="x" * 500)

    assert len(notification.title) == 200


def test_mark_read_marks_only_the_given_notifications_of_that_user(in_alpha, member, colleague):
    first, second = NotificationFactory(recipient=member), NotificationFactory(recipient=member)
    theirs = NotificationFactory(recipient=colleague)

    changed = services.mark_read(user=member, notification_ids=[first.pk, theirs.pk])

    assert changed == 1
    assert Notification.objects.get(pk=first.pk).is_read
    assert not Notification.objects.get(pk=second.pk).is_read
    assert not Notification.objects.get(pk=theirs.pk).is_read


def test_mark_read_without_ids_marks_all_of_the_users_notifications(in_alpha, member, colleague):
    NotificationFactory.create_batch(3, recipient=member)
    NotificationFactory(recipient=colleague)

    assert services.mark_read(user=member) == 3
    assert selectors.unread_count(member) == 0
    assert selectors.unread_count(colleague) == 1


def test_email_task_sends_at_most_once(in_alpha, member, django_capture_on_commit_callbacks):
    notification = NotificationFactory(recipient=member, kind="account.welcome")

    with django_capture_on_commit_callbacks(execute=True):
        assert send_notification_email.delay(notification.pk).get() is True
    with django_capture_on_commit_callbacks(execute=True):
        assert send_notification_email.delay(notification.pk).get() is False

    assert len(mail.outbox) == 1


def test_email_task_skips_a_notification_read_in_the_meantime(
    in_alpha, member, django_capture_on_commit_callbacks
):
    notification = NotificationFactory(recipient=member, kind="account.welcome")
    services.mark_read(user=member)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_notification_email.delay(notification.pk).get() is False

    assert mail.outbox == []


def test_unconfirmed_addresses_get_no_email(in_alpha, django_capture_on_commit_callbacks):
    stranger = UserFactory(email_verified_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=stranger, kind="account.welcome", title="Welcome")

    assert mail.outbox == []


def test_email_uses_the_branding_of_the_programme_it_comes_from(
    beta, django_capture_on_commit_callbacks
):
    person = beta.members["buyer"]
    with tenant_context(beta.tenant), django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=person, kind="account.welcome", title="Hello from beta", url="/catalogue/"
        )

    message = mail.outbox[0]
    assert message.subject == "Hello from beta · Programme beta"
    assert "http://beta.comptoir.test" in message.body
    assert "/catalogue/" in message.body
    assert "Programme alpha" not in message.alternatives[0][0]
