"""Paid seller accounts: plans, prices, subscriptions, invoices, the ledger and Stripe's events.

Every table lives in the public schema and every row names its tenant; a row about a
seller company also keeps the company's id in the tenant's schema and a snapshot of its
name, because ``Company`` lives in that schema and the public one cannot point at it.
Money is always an integer number of minor units (cents) with its ISO 4217 currency.
Billing rows refer to each other with RESTRICT: nothing disappears on its own, yet
deleting a programme (which cascades to all of them) still works.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import TenantScopedQuerySet

# What a plan may grant. Quotas are counts (0 = not included); see entitlements.py.
FEATURES = {
    "products_online": _("Products online"),
    "featured_slots": _("Featured product slots"),
    "campaign_credits": _("Promotion campaign credits"),
}


class Interval(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card (Stripe)")
    INVOICE = "invoice", _("Invoice and bank transfer")


class BillingSettings(models.Model):
    """One programme's billing rules and the issuer details printed on its invoices."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="billing_settings")
    grace_days = models.PositiveSmallIntegerField(
        _("days of grace after a missed payment"), default=14, validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("Paid features stay on this long after a payment fails or an invoice falls due; the data is never removed."),
    )
    invoice_due_days = models.PositiveSmallIntegerField(
        _("days to pay an invoice"), default=30, validators=[MinValueValidator(0), MaxValueValidator(120)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days between reminders of an overdue invoice"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    invoice_prefix = models.CharField(_("invoice number prefix"), max_length=12, default="F")
    issuer_name = models.CharField(_("issuer's legal name"), max_length=200, blank=True)
    issuer_address = models.TextField(_("issuer's address"), blank=True)
    issuer_vat_number = models.CharField(_("issuer's VAT number"), max_length=40, blank=True)
    issuer_registration = models.CharField(_("issuer's registration number"), max_length=60, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        base_manager_name = "plain"
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")

    def __str__(self):
        return f"{self.tenant} · {self._meta.verbose_name}"


class Plan(models.Model):
    """What a seller pays for, per month or per year, and what it unlocks."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    interval = models.CharField(_("billed"), max_length=5, choices=Interval.choices, default=Interval.MONTH)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    amount = models.PositiveBigIntegerField(_("price before VAT, in cents"))
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    trial_days = models.PositiveSmallIntegerField(_("free trial (days)"), default=0, validators=[MaxValueValidator(365)])
    features = models.JSONField(_("features and quotas"), default=dict, blank=True)
    is_active = models.BooleanField(_("offered to sellers"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    stripe_product_id = models.CharField(max_length=255, blank=True)
    stripe_price_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["position", "amount", "name"]
        base_manager_name = "plain"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="billing_plan_code_per_tenant"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="billing_plan_currency_iso"),
        ]

    def __str__(self):
        return self.name

    def quota(self, feature: str) -> int:
        value = (self.features or {}).get(feature, 0)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return 0

    def feature_quotas(self) -> list[tuple[str, int]]:
        """Each feature's label and quota, in the order of FEATURES (0: not included)."""
        return [(label, self.quota(key)) for key, label in FEATURES.items()]


class CompanyPrice(models.Model):
    """A negotiated price for one seller company: a fixed amount or a percentage off the plan."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="company_prices")
    company_id = models.PositiveBigIntegerField(_("company"))
    company_name = models.CharField(_("company name"), max_length=200)
    amount = models.PositiveBigIntegerField(_("negotiated price before VAT, in cents"), null=True, blank=True)
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    stripe_price_id = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["company_name"]
        base_manager_name = "plain"
        constraints = [
            models.UniqueConstraint(fields=["plan", "company_id"], name="billing_one_price_per_company_and_plan"),
            models.CheckConstraint(
                condition=(Q(amount__isnull=False) & Q(discount_percent__isnull=True))
                | (Q(amount__isnull=True) & Q(discount_percent__isnull=False)),
                name="billing_company_price_amount_or_discount",
            ),
        ]

    def __str__(self):
        return f"{self.company_name} · {self.plan}"

    def applies(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.valid_until is None or self.valid_until >= on

    def price_for(self, plan_amount: int) -> int:
        if self.amount is not None:
            return self.amount
        off = (Decimal(plan_amount) * self.discount_percent / Decimal(100)).quantize(Decimal(1))
        return max(plan_amount - int(off), 0)


class BillingAccount(models.Model):
    """Who pays for one seller company, and how to reach and tax them."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    company_id = models.PositiveBigIntegerField(_("company"))
    company_name = models.CharField(_("company name"), max_length=200)
    legal_name = models.CharField(_("legal name on invoices"), max_length=200, blank=True)
    billing_email = models.EmailField(_("billing e-mail"))
    address = models.TextField(_("billing address"), blank=True)
    country = models.CharField(_("country"), max_length=2)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    is_reverse_charge = models.BooleanField(
        _("EU reverse charge"), default=False,
        help_text=_("A business in another EU country with a valid VAT number: no VAT is charged, the buyer accounts for it."),
    )
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["company_name"]
        base_manager_name = "plain"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "company_id"], name="billing_one_account_per_company"),
            models.UniqueConstraint(fields=["stripe_customer_id"], condition=~Q(stripe_customer_id=""),
                                    name="billing_account_stripe_customer_unique"),
        ]

    def __str__(self):
        return self.company_name


class SubscriptionStatus(models.TextChoices):
    INCOMPLETE = "incomplete", _("Waiting for the first payment")
    TRIALING = "trialing", _("Free trial")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Payment overdue")
    SUSPENDED = "suspended", _("Paid features suspended")
    CANCELED = "canceled", _("Canceled")


LIVE_STATUSES = (
    SubscriptionStatus.INCOMPLETE, SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED,
)
# Statuses whose paid features are on; PAST_DUE counts only until its grace deadline.
ENTITLED_STATUSES = (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)


class Subscription(models.Model):
    """A seller company's subscription to a plan, paid by card (Stripe) or by invoice."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(BillingAccount, on_delete=models.RESTRICT, related_name="subscriptions")
    plan = models.ForeignKey(Plan, on_delete=models.RESTRICT, related_name="subscriptions")
    company_id = models.PositiveBigIntegerField(_("company"))
    company_name = models.CharField(_("company name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=SubscriptionStatus.choices,
                              default=SubscriptionStatus.INCOMPLETE, db_index=True)
    payment_method = models.CharField(_("payment method"), max_length=8, choices=PaymentMethod.choices)
    unit_amount = models.PositiveBigIntegerField(_("price before VAT, in cents"))
    currency = models.CharField(_("currency"), max_length=3)
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    trial_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    canceled_at = models.DateTimeField(null=True, blank=True)
    past_due_since = models.DateTimeField(null=True, blank=True)
    grace_deadline = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    last_warned_at = models.DateTimeField(null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True)
    # Stripe's ``created`` of the newest event applied to this row: an older event that
    # arrives late never moves the subscription back.
    stripe_state_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-created_at"]
        base_manager_name = "plain"
        indexes = [models.Index(fields=["tenant", "company_id"], name="billing_sub_tenant_company")]
        constraints = [
            models.UniqueConstraint(fields=["account"], condition=Q(status__in=LIVE_STATUSES),
                                    name="billing_one_live_subscription_per_account"),
            models.UniqueConstraint(fields=["stripe_subscription_id"], condition=~Q(stripe_subscription_id=""),
                                    name="billing_subscription_stripe_id_unique"),
        ]

    def __str__(self):
        return f"{self.company_name} · {self.plan} · {self.get_status_display()}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_entitled(self) -> bool:
        if self.status == SubscriptionStatus.PAST_DUE:
            return self.grace_deadline is None or self.grace_deadline > timezone.now()
        return self.status in ENTITLED_STATUSES


class InvoiceCounter(models.Model):
    """The last invoice number used by a tenant in a year; locked while the next one is taken."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        base_manager_name = "plain"
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="billing_one_counter_per_tenant_year")]

    def __str__(self):
        return f"{self.tenant} {self.year}: {self.last_number}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    UNCOLLECTIBLE = "uncollectible", _("Uncollectible")


class Invoice(models.Model):
    """An invoice as issued: numbers, parties and amounts are frozen once it leaves draft."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(BillingAccount, on_delete=models.RESTRICT, related_name="invoices")
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices")
    company_id = models.PositiveBigIntegerField(_("company"))
    company_name = models.CharField(_("company name"), max_length=200)
    number = models.CharField(_("number"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT,
                              db_index=True)
    payment_method = models.CharField(_("payment method"), max_length=8, choices=PaymentMethod.choices)
    currency = models.CharField(_("currency"), max_length=3)
    net_amount = models.BigIntegerField(_("net"), default=0)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    vat_amount = models.BigIntegerField(_("VAT"), default=0)
    gross_amount = models.BigIntegerField(_("total"), default=0)
    amount_paid = models.BigIntegerField(_("paid"), default=0)
    is_reverse_charge = models.BooleanField(default=False)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    # What the seller writes on the transfer, so finance can match it to this invoice.
    bank_reference = models.CharField(_("transfer reference"), max_length=40, blank=True)
    paid_at = models.DateTimeField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("reference of the payment received"), max_length=120, blank=True)
    marked_paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    voided_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    # Issuer and customer as printed, so the PDF never changes after issue.
    issuer = models.JSONField(default=dict, blank=True)
    customer = models.JSONField(default=dict, blank=True)
    stripe_invoice_id = models.CharField(max_length=255, blank=True)
    hosted_invoice_url = models.URLField(max_length=500, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="billing/invoices/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-issued_at", "-created_at"]
        base_manager_name = "plain"
        indexes = [
            models.Index(fields=["tenant", "company_id"], name="billing_inv_tenant_company"),
            models.Index(fields=["tenant", "status", "due_date"], name="billing_inv_tenant_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], condition=~Q(number=""), name="billing_invoice_number_unique"),
            models.UniqueConstraint(fields=["tenant", "year", "sequence"], condition=Q(sequence__isnull=False),
                                    name="billing_invoice_sequence_unique"),
            models.UniqueConstraint(fields=["stripe_invoice_id"], condition=~Q(stripe_invoice_id=""),
                                    name="billing_invoice_stripe_id_unique"),
            models.CheckConstraint(condition=Q(gross_amount=models.F("net_amount") + models.F("vat_amount")),
                                   name="billing_invoice_gross_is_net_plus_vat"),
            models.CheckConstraint(condition=Q(status="draft") | ~Q(number=""), name="billing_issued_invoice_has_number"),
        ]

    def __str__(self):
        return self.number or str(_("Draft invoice"))

    @property
    def is_overdue(self) -> bool:
        return self.status == InvoiceStatus.OPEN and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def amount_due(self) -> int:
        return max(self.gross_amount - self.amount_paid, 0)


class InvoiceLine(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.IntegerField(_("quantity"), default=1)
    unit_amount = models.BigIntegerField(_("unit price, in cents"))
    net_amount = models.BigIntegerField(_("amount, in cents"))
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["position", "pk"]
        base_manager_name = "plain"

    def __str__(self):
        return self.description


class LedgerEntry(models.Model):
    """One movement of money, recorded once: what finance reconciles against Stripe and the bank.

    Signs are from the platform's side: an invoice issued is owed (+), a charge or a
    transfer received (+), a refund or a fee (−), a payout leaves Stripe for the bank (−).
    Stripe objects are unique per kind, so a replayed event can never book twice.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice issued")
        CHARGE = "charge", _("Card payment")
        PAYMENT = "payment", _("Bank transfer received")
        REFUND = "refund", _("Refund")
        FEE = "fee", _("Stripe fee")
        PAYOUT = "payout", _("Payout to the bank")
        ADJUSTMENT = "adjustment", _("Adjustment")

    class Source(models.TextChoices):
        STRIPE = "stripe", _("Stripe")
        BANK = "bank", _("Bank")
        MANUAL = "manual", _("Entered by hand")
        PLATFORM = "platform", _("Platform")

    # Payouts leave the platform's single Stripe account for all tenants: no tenant.
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(BillingAccount, null=True, blank=True, on_delete=models.RESTRICT, related_name="ledger_entries")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.RESTRICT, related_name="ledger_entries")
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    company_id = models.PositiveBigIntegerField(null=True, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    amount = models.BigIntegerField(_("amount, in cents"))
    currency = models.CharField(_("currency"), max_length=3)
    occurred_at = models.DateTimeField(_("date"), default=timezone.now)
    description = models.CharField(_("description"), max_length=300, blank=True)
    stripe_object_id = models.CharField(max_length=255, blank=True)
    stripe_balance_transaction_id = models.CharField(max_length=255, blank=True)
    stripe_payout_id = models.CharField(max_length=255, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=120, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        base_manager_name = "plain"
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["tenant", "occurred_at"], name="billing_ledger_tenant_date"),
            models.Index(fields=["stripe_balance_transaction_id"], name="billing_ledger_balance_txn"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "stripe_object_id"], condition=~Q(stripe_object_id=""),
                                    name="billing_ledger_stripe_object_once"),
            models.UniqueConstraint(fields=["invoice"], condition=Q(kind="invoice"), name="billing_ledger_invoice_once"),
            models.UniqueConstraint(fields=["invoice", "bank_reference"], condition=Q(kind="payment"),
                                    name="billing_ledger_transfer_once"),
            models.CheckConstraint(condition=Q(tenant__isnull=False) | Q(kind="payout"), name="billing_ledger_tenant_unless_payout"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.currency}"


class WebhookEvent(models.Model):
    """A Stripe event as received: stored once by its id, then processed by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    stripe_event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    api_version = models.CharField(max_length=40, blank=True)
    livemode = models.BooleanField(default=False)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    created = models.DateTimeField(help_text="Stripe's time of the event")
    payload = models.JSONField()
    # Known once processed and the object is matched to a tenant's account.
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    replays = models.PositiveIntegerField(default=0, help_text="How many more times Stripe sent the same event")

    objects = TenantScopedQuerySet.as_manager()
    plain = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-received_at"]
        base_manager_name = "plain"

    def __str__(self):
        return f"{self.type} {self.stripe_event_id}"
