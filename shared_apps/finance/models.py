"""Finance staff and reconciliation: what finance found when comparing the ledger with
Stripe, the bank transfers and the invoices, and what they decided about it.

The ledger itself belongs to shared_apps.billing; these tables only point at it. A
reconciliation run covers one scope: a programme (its card payments, refunds, fees,
invoices and transfers) or, with no tenant, the platform (payouts, which leave the one
Stripe account of all programmes, and Stripe activity no programme can be matched to).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet


class PlatformRole(models.Model):
    """A role on the platform itself, outside any programme, granted by an operator."""

    class Role(models.TextChoices):
        FINANCE = "finance", _("Finance staff")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        verbose_name = _("platform role")
        verbose_name_plural = _("platform roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="finance_one_platform_role_per_user")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class ReconciliationRun(models.Model):
    """One pass of the reconciliation over a scope and a window of time."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        MANUAL = "manual", _("Run by hand")

    # None: the platform's own scope (payouts, and Stripe activity of no known programme).
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    trigger = models.CharField(_("started"), max_length=8, choices=Trigger.choices, default=Trigger.MANUAL)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("until"), null=True, blank=True)
    stripe_checked = models.BooleanField(_("Stripe checked"), default=False)
    checked = models.JSONField(_("what was compared"), default=dict, blank=True)
    found = models.PositiveIntegerField(_("mismatches found"), default=0)
    opened = models.PositiveIntegerField(_("new mismatches"), default=0)
    reopened = models.PositiveIntegerField(_("mismatches reopened"), default=0)
    cleared = models.PositiveIntegerField(_("mismatches cleared"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-created_at", "-pk"]
        base_manager_name = "plain"
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")
        indexes = [models.Index(fields=["tenant", "-created_at"], name="finance_run_tenant_created")]

    def __str__(self):
        return f"{self.tenant or _('Platform')} · {self.created_at:%Y-%m-%d %H:%M}"


class ReconciliationItem(models.Model):
    """A mismatch between the ledger and what Stripe, the bank or an invoice says.

    ``key`` names the mismatch (scope, kind and subject) so that running the
    reconciliation again updates the same row; ``fingerprint`` sums up the figures seen,
    so a mismatch someone resolved is only opened again when those figures change.
    """

    class Kind(models.TextChoices):
        MISSING_IN_LEDGER = "missing_in_ledger", _("Missing in the ledger")
        MISSING_AT_STRIPE = "missing_at_stripe", _("Missing at Stripe")
        MISSING_ON_INVOICE = "missing_on_invoice", _("Not recorded on the invoice")
        DUPLICATE = "duplicate", _("Recorded more than once")
        AMOUNT_MISMATCH = "amount_mismatch", _("Different amounts")
        CURRENCY_MISMATCH = "currency_mismatch", _("Different currencies")
        PAYOUT_MISMATCH = "payout_mismatch", _("Payout total differs from its transactions")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Source(models.TextChoices):
        STRIPE = "stripe", _("Stripe")
        BANK = "bank", _("Bank transfer")
        INVOICE = "invoice", _("Invoice")

    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    source = models.CharField(_("compared with"), max_length=10, choices=Source.choices)
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    company_id = models.PositiveBigIntegerField(null=True, blank=True)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    ledger_entry = models.ForeignKey("billing.LedgerEntry", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ledger_amount = models.BigIntegerField(_("in the ledger, in cents"), null=True, blank=True)
    ledger_currency = models.CharField(_("currency in the ledger"), max_length=3, blank=True)
    source_amount = models.BigIntegerField(_("at the source, in cents"), null=True, blank=True)
    source_currency = models.CharField(_("currency at the source"), max_length=3, blank=True)
    # When the money moved: a run clears open mismatches only inside the window it covered.
    occurred_at = models.DateTimeField(_("date"))
    details = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64)
    first_run = models.ForeignKey(ReconciliationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_run = models.ForeignKey(ReconciliationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_seen_at = models.DateTimeField(_("first found"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last found"), default=timezone.now)
    times_reopened = models.PositiveSmallIntegerField(default=0)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # Set when a run no longer found the mismatch (the data was corrected at the source).
    cleared_by_run = models.ForeignKey(ReconciliationRun, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        base_manager_name = "plain"
        verbose_name = _("reconciliation mismatch")
        verbose_name_plural = _("reconciliation mismatches")
        indexes = [models.Index(fields=["tenant", "status", "-occurred_at"], name="finance_item_tenant_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(resolved_at__isnull=False), name="finance_resolved_item_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.reference}"

    @property
    def was_cleared(self) -> bool:
        return self.status == self.Status.RESOLVED and self.cleared_by_run_id is not None
