"""Writes: the one way every module tells a person something, and how they want it e-mailed."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator

from platform_core.mail import deliver_mail, recipient_language, render_branded_mail
from tenant_apps.notifications import kinds, selectors
from tenant_apps.notifications.kinds import Delivery
from tenant_apps.notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Unread notifications older than this stay in the notification centre but are not
# e-mailed any more: a digest about last month helps nobody.
DIGEST_LOOKBACK = timedelta(days=7)
TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


class NotInTenantSchema(RuntimeError):
    """A notification was written outside a tenant's schema, where it has no table."""


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Tell ``recipient`` something in the current tenant.

    Creates the in-app notification, then, as the recipient's preference for ``kind``
    says, queues an e-mail once the transaction commits (instant), or leaves it for the
    daily digest (digest), or sends nothing (off). ``url`` is a path on the programme's
    site. Raises ``UnknownNotificationKind`` for an unregistered kind.
    """
    schema_name = _tenant_schema()
    kinds.get(kind)
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"A notification links to a page of the programme's site, not {url!r}")
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=Truncator(title).chars(TITLE_MAX_LENGTH),
        body=body,
        url=url,
    )
    if selectors.delivery_for(recipient, kind) == Delivery.INSTANT:
        # robust: the notification is saved either way; a broker outage is logged, not raised.
        transaction.on_commit(partial(_queue_email, notification.pk, schema_name), robust=True)
    return notification


def _queue_email(notification_id: int, schema_name: str) -> None:
    from tenant_apps.notifications.tasks import send_notification_email

    # The schema is named explicitly: by commit time the caller may have left it.
    send_notification_email.apply_async(
        args=[notification_id], headers={"_schema_name": schema_name}
    )


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's own unread notifications as read (all of them when no ids are given).

    Ids of anyone else's notifications are ignored. Returns how many changed.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def set_delivery_preference(*, user, kind: str, delivery: str) -> NotificationPreference:
    """Record how ``user`` wants to be e-mailed about ``kind`` in the current tenant."""
    kinds.get(kind)
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return preference


@transaction.atomic
def set_delivery_preferences(*, user, deliveries: dict[str, str]) -> None:
    """Record several choices at once: all of them or none."""
    for kind, delivery in deliveries.items():
        set_delivery_preference(user=user, kind=kind, delivery=delivery)


def email_notification(notification_id: int) -> bool:
    """E-mail one notification to its recipient, at most once.

    Returns False, sending nothing, when it was already e-mailed (or is being e-mailed by
    another worker), was read meanwhile, no longer exists, or its recipient cannot receive
    mail. Delivery itself is queued after commit and retried by ``deliver_mail``.
    """
    tenant = _current_tenant()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
            .first()
        )
        if notification is None or not _can_receive_mail(notification.recipient):
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        recipient = notification.recipient
        context = {
            "user": recipient,
            "notification": notification,
            "kind_label": kinds.label_for(notification.kind),
            "link": tenant.url(notification.url or _path("notifications:notification-list")),
            "preferences_link": tenant.url(_path("notifications:notification-preferences")),
        }
        _queue_mail(tenant, recipient, "notifications/email/notification", context)
    return True


@dataclass(frozen=True)
class DigestGroup:
    kind: str
    label: str | Promise
    notifications: list[Notification]


def digest_groups(notifications) -> list[DigestGroup]:
    """Notifications grouped by kind, kinds in registry order, oldest first within each."""
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for notification in sorted(notifications, key=lambda n: (n.created_at, n.pk)):
        by_kind[notification.kind].append(notification)
    order = {kind.key: position for position, kind in enumerate(kinds.all_kinds())}
    return [
        DigestGroup(kind=kind, label=kinds.label_for(kind), notifications=items)
        for kind, items in sorted(
            by_kind.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
        )
    ]


def digest_window_start(now: datetime) -> datetime:
    """The latest NOTIFICATION_DIGEST_HOUR (in TIME_ZONE) at or before ``now``."""
    local = timezone.localtime(now)
    start = local.replace(hour=settings.NOTIFICATION_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return start if start <= local else start - timedelta(days=1)


def send_digests(*, now: datetime | None = None) -> int:
    """E-mail each person of the current tenant their daily digest; return how many were queued.

    A person is due a digest when a notification of a kind they take as a digest has been
    waiting since before today's digest hour. The digest holds all their waiting ones, and
    each is e-mailed once, so running this every hour sends at most one digest a day.
    """
    tenant = _current_tenant()
    now = now or timezone.now()
    window_start = digest_window_start(now)
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=now - DIGEST_LOOKBACK,
            created_at__lte=now,
        ).values_list("pk", "recipient_id", "kind", "created_at")
    )
    chosen = selectors.deliveries_for_users(
        {recipient_id for _pk, recipient_id, _kind, _at in pending}
    )
    waiting: dict[int, list[int]] = defaultdict(list)
    due: set[int] = set()
    for pk, recipient_id, kind, created_at in pending:
        if chosen.get((recipient_id, kind), kinds.default_delivery(kind)) != Delivery.DIGEST:
            continue
        waiting[recipient_id].append(pk)
        if created_at < window_start:
            due.add(recipient_id)
    recipients = get_user_model().objects.in_bulk(sorted(due))
    return sum(
        _email_digest(tenant, recipients[recipient_id], waiting[recipient_id])
        for recipient_id in sorted(due)
        if recipient_id in recipients and _can_receive_mail(recipients[recipient_id])
    )


def _email_digest(tenant, recipient, notification_ids: list[int]) -> bool:
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(skip_locked=True).filter(
                pk__in=notification_ids, emailed_at__isnull=True
            )
        )
        if not notifications:
            return False
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            emailed_at=timezone.now()
        )
        context = {
            "user": recipient,
            "groups": digest_groups(notifications),
            "count": len(notifications),
            "link": tenant.url(_path("notifications:notification-list")),
            "preferences_link": tenant.url(_path("notifications:notification-preferences")),
        }
        for group in context["groups"]:
            for notification in group.notifications:
                notification.absolute_url = tenant.url(notification.url) if notification.url else ""
        _queue_mail(tenant, recipient, "notifications/email/digest", context)
    return True


def _queue_mail(tenant, recipient, template: str, context: dict) -> None:
    language = recipient_language(recipient, tenant)
    subject, text, html = render_branded_mail(
        tenant=tenant, template=template, context=context, language=language
    )
    transaction.on_commit(
        partial(deliver_mail.delay, to=recipient.email, subject=subject, text=text, html=html)
    )


def _can_receive_mail(user) -> bool:
    # Only addresses their owner has confirmed: never mail a stranger who was typed in.
    return bool(user.is_active and user.email and user.has_verified_email)


def _path(name: str) -> str:
    return reverse(name, urlconf=settings.ROOT_URLCONF)


def _tenant_schema() -> str:
    schema_name = connection.schema_name
    if schema_name == "public":
        raise NotInTenantSchema("Notifications live in a tenant's schema: call this inside it")
    return schema_name


def _current_tenant():
    from tenants.models import Tenant

    schema_name = _tenant_schema()
    tenant = getattr(connection, "tenant", None)
    # schema_context() leaves a stand-in without branding; mail needs the real row.
    if not isinstance(tenant, Tenant):
        tenant = Tenant.objects.get(schema_name=schema_name)
    return tenant
