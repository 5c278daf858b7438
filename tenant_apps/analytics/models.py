"""First-party activity events of a programme (B-MON): what buyers and visitors did.

Raw events are append-only and only read by the roll-up task; dashboards read the
daily roll-ups, never this table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        COMPANY_VIEW = "company_view", _("Company page viewed")
        PRODUCT_VIEW = "product_view", _("Product viewed")
        SEARCH_IMPRESSION = "search_impression", _("Shown in search results")
        CONTACT_REVEAL = "contact_reveal", _("Contact details revealed")
        INQUIRY = "inquiry", _("Inquiry received")
        MESSAGE = "message", _("Message in an inquiry")
        QUOTE = "quote", _("Quotation sent")
        STATUS_CHANGE = "status_change", _("Inquiry status changed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    # Plain ids, not foreign keys: events outlive the products and companies they name,
    # and ingestion must not take row locks on catalogue tables.
    company_id = models.BigIntegerField(null=True, blank=True)
    product_id = models.BigIntegerField(null=True, blank=True)
    inquiry_id = models.BigIntegerField(null=True, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    # A daily-salted hash of the visitor (never the IP address itself).
    visitor = models.CharField(max_length=32, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    # A number some kinds carry, e.g. seconds to the first answer of an inquiry.
    value = models.BigIntegerField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        indexes = [models.Index(fields=["company_id", "occurred_at"], name="event_company_time")]

    def __str__(self):
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"
