"""First-party activity events of a programme (B-MON): what buyers and visitors did.

Raw events are append-only and only read by the roll-up task (and, for the few
minutes since the last roll-up, by the dashboards); dashboards read the daily
roll-ups and the per-inquiry facts, never the whole event table.
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
        indexes = [
            models.Index(fields=["company_id", "occurred_at"], name="event_company_time"),
            # Partial: page views (most rows) pay nothing for it.
            models.Index(fields=["inquiry_id", "occurred_at"], name="event_inquiry_time",
                         condition=models.Q(inquiry_id__isnull=False)),
        ]

    def __str__(self):
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


VIEW_KINDS = (Event.Kind.COMPANY_VIEW, Event.Kind.PRODUCT_VIEW)
# The pseudo-kind of roll-up rows that count page views of any kind together.
VIEWS = "views"


class DailyStat(models.Model):
    """Events of one day, counted per company, product, kind and visitor country.

    ``visitors`` is exact for the row's key (COUNT DISTINCT during the roll-up). As the
    visitor hash changes every day, visitors are only ever counted within a day; over a
    range they add up (a person who comes back on three days counts three times).
    Besides the detail rows, each scope counts the same day along fewer dimensions, so
    that a dashboard reads a few hundred rows for a year instead of summing details:
    the "views" rows count the visitors of page views of any kind together, so a person
    who saw a company page and two of its products counts once that day.
    """

    class Scope(models.IntegerChoices):
        DETAIL = 0, _("Per company, product, kind and country")
        COMPANY_VIEWS = 1, _("Page views of one company, per country")
        PROGRAMME_VIEWS = 2, _("Page views of all supported companies, per country")
        COMPANY_KINDS = 3, _("Events of one company, per kind")
        PROGRAMME_KINDS = 4, _("Events of all supported companies, per kind")
        PRODUCT_VIEWS = 5, _("Views of one product")
        COMPANY_TOTALS = 6, _("Page views of one company")
        PROGRAMME_TOP_PRODUCTS = 7, _("The day's most viewed products of the programme")
        COMPANY_MONTH_TOTALS = 8, _("Page views of one company in a month")
        PRODUCTS_ONLINE = 9, _("Products online of one company")

    day = models.DateField(_("day"))
    scope = models.PositiveSmallIntegerField(_("scope"), choices=Scope.choices, default=Scope.DETAIL)
    company_id = models.BigIntegerField(null=True, blank=True)
    product_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20)
    country = models.CharField(_("country"), max_length=2, blank=True)
    events = models.PositiveIntegerField(_("events"), default=0)
    visitors = models.PositiveIntegerField(_("unique visitors"), default=0)

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "scope", "company_id", "product_id", "kind", "country"],
                name="one_daily_stat_per_key", nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["company_id", "scope", "day"], name="dailystat_company_day"),
            models.Index(fields=["scope", "day"], name="dailystat_scope_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.kind} {self.company_id or '-'}: {self.events}"


class InquiryFact(models.Model):
    """What the events say about one inquiry: when it came, when it was first answered, its status."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        QUOTED = "quoted", _("Quoted")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        CLOSED = "closed", _("Closed")

    inquiry_id = models.BigIntegerField(unique=True)
    company_id = models.BigIntegerField(null=True, blank=True)
    product_id = models.BigIntegerField(null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    received_at = models.DateTimeField(_("received"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    response_seconds = models.BigIntegerField(_("time to the first answer (seconds)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inquiry figures")
        verbose_name_plural = _("inquiry figures")
        indexes = [models.Index(fields=["company_id", "received_at"], name="inquiryfact_company_time"),
                   models.Index(fields=["received_at"], name="inquiryfact_time")]

    def __str__(self):
        return f"{self.inquiry_id} ({self.status})"


class RollupState(models.Model):
    """One row: events before ``rolled_up_until`` are in the roll-ups; later ones are read raw."""

    rolled_up_until = models.DateTimeField(null=True, blank=True)
    products_counted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roll-up state")

    def __str__(self):
        return f"{self.rolled_up_until}"


class VisitorSalt(models.Model):
    """The random salt of one day's visitor hashes; deleted after two days, so hashes cannot be redone."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)


class ReportDelivery(models.Model):
    """A monthly report e-mailed to one person, so a retried task never sends it twice."""

    month = models.DateField(_("month"))
    # Null: the agency's report.
    company_id = models.BigIntegerField(null=True, blank=True)
    # A plain id: shared_apps.accounts.tenant_data does not need to purge it; erasure does.
    user_id = models.BigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report sent")
        verbose_name_plural = _("reports sent")
        constraints = [
            models.UniqueConstraint(fields=["month", "company_id", "user_id"], name="one_report_per_person_and_month",
                                    nulls_distinct=False),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.company_id or 'agency'} → {self.user_id}"
