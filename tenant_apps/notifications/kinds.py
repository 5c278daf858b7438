"""The registry of notification kinds: what a module may tell people, and how by default.

Each module registers its kinds once, from its ``AppConfig.ready()``::

    from tenant_apps.notifications.kinds import Delivery, register

    register("inquiries.received", _("A buyer sent you an inquiry"), default=Delivery.INSTANT)

``notify()`` refuses a kind that is not registered, so every notification a person can
receive has a label on their preferences page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants to hear about a kind of notification by e-mail."""

    INSTANT = "instant", _("By e-mail, right away")
    DIGEST = "digest", _("In a daily e-mail digest")
    OFF = "off", _("Not by e-mail (only here)")


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    default_delivery: str = Delivery.INSTANT


class UnknownNotificationKind(KeyError):
    """A notification named a kind that no module registered."""


_registry: dict[str, NotificationKind] = {}


def register(
    key: str, label: str | Promise, *, default: str = Delivery.INSTANT
) -> NotificationKind:
    """Register ``key`` (``module.event``); registering the same definition twice is harmless."""
    if "." not in key:
        raise ValueError(f"Notification kinds are named 'module.event', not {key!r}")
    if default not in Delivery.values:
        raise ValueError(f"Unknown default delivery {default!r} for {key!r}")
    kind = NotificationKind(key=key, label=label, default_delivery=Delivery(default))
    existing = _registry.get(key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {key!r} is already registered differently")
    _registry[key] = kind
    return kind


def get(key: str) -> NotificationKind:
    try:
        return _registry[key]
    except KeyError:
        raise UnknownNotificationKind(key) from None


def is_registered(key: str) -> bool:
    return key in _registry


def all_kinds() -> list[NotificationKind]:
    """Every registered kind, in registration order (the order of the preferences page)."""
    return list(_registry.values())


def label_for(key: str) -> str | Promise:
    """The kind's label; the raw key for notifications of a kind no longer registered."""
    kind = _registry.get(key)
    return kind.label if kind is not None else key


def default_delivery(key: str) -> str:
    # A kind that is no longer registered belongs to a module that is gone: no e-mail.
    kind = _registry.get(key)
    return kind.default_delivery if kind is not None else Delivery.OFF


register("account.welcome", _("Welcome to the programme"), default=Delivery.INSTANT)
register(
    "membership.role_changed", _("Your role in the programme changed"), default=Delivery.INSTANT
)
register(
    "system.announcement", _("Announcements from the programme's team"), default=Delivery.DIGEST
)
