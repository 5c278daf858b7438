"""Buyer inquiries (B-BUY): threads between a buyer and a company, their messages, quotes,
history, and the rules that route them to a company's representatives.

People in a thread's record (authors, senders, actors) are kept as plain ids, not foreign
keys: deleting or erasing one person's account must not cut messages out of a thread the
other side still relies on (B-MON). Only the buyer who owns a thread is a foreign key.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tenant_apps.inquiries.storage import attachment_storage


class Kind(models.TextChoices):
    CONTACT = "contact", _("Contact message")
    QUESTION = "question", _("Question about a product")
    RFQ = "rfq", _("Request for quotation")
    ORDER = "order", _("Order request")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    QUOTED = "quoted", _("Quoted")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    CLOSED = "closed", _("Closed")


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    COMPANY = "company", _("Company")


class Incoterm(models.TextChoices):
    """Incoterms® 2020 (International Chamber of Commerce)."""

    EXW = "EXW", _("EXW — Ex Works")
    FCA = "FCA", _("FCA — Free Carrier")
    CPT = "CPT", _("CPT — Carriage Paid To")
    CIP = "CIP", _("CIP — Carriage and Insurance Paid To")
    DAP = "DAP", _("DAP — Delivered at Place")
    DPU = "DPU", _("DPU — Delivered at Place Unloaded")
    DDP = "DDP", _("DDP — Delivered Duty Paid")
    FAS = "FAS", _("FAS — Free Alongside Ship")
    FOB = "FOB", _("FOB — Free on Board")
    CFR = "CFR", _("CFR — Cost and Freight")
    CIF = "CIF", _("CIF — Cost, Insurance and Freight")


class Unit(models.TextChoices):
    PIECES = "pieces", _("pieces")
    SETS = "sets", _("sets")
    KILOGRAMS = "kg", _("kilograms")
    TONNES = "t", _("tonnes")
    LITRES = "l", _("litres")
    METRES = "m", _("metres")
    SQUARE_METRES = "m2", _("square metres")
    CUBIC_METRES = "m3", _("cubic metres")
    CONTAINERS = "containers", _("containers")
    HOURS = "hours", _("hours of service")
    DAYS = "days", _("days of service")


class Currency(models.TextChoices):
    EUR = "EUR", _("EUR — euro")
    USD = "USD", _("USD — US dollar")
    GBP = "GBP", _("GBP — pound sterling")
    CHF = "CHF", _("CHF — Swiss franc")
    CAD = "CAD", _("CAD — Canadian dollar")
    AED = "AED", _("AED — UAE dirham")
    SAR = "SAR", _("SAR — Saudi riyal")
    CNY = "CNY", _("CNY — Chinese yuan")
    JPY = "JPY", _("JPY — Japanese yen")
    INR = "INR", _("INR — Indian rupee")
    BRL = "BRL", _("BRL — Brazilian real")
    SEK = "SEK", _("SEK — Swedish krona")
    MAD = "MAD", _("MAD — Moroccan dirham")
    XOF = "XOF", _("XOF — West African CFA franc")


class Inquiry(models.Model):
    """One conversation a buyer opened with a company, optionally about one product."""

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="inquiries")
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    # DO_NOTHING: see shared_apps.accounts.tenant_data. Erasure sets it to NULL (the company keeps the thread).
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, related_name="+")
    buyer_organisation = models.CharField(_("buyer's organisation"), max_length=200, blank=True)
    buyer_country = CountryField(_("buyer's country"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    subject = models.CharField(_("subject"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, blank=True)
    target_price = models.DecimalField(_("target price"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, blank=True)
    destination_country = CountryField(_("destination country"), blank=True)
    deadline = models.DateField(_("answer wanted by"), null=True, blank=True)
    assignee = models.ForeignKey(
        "directory.Representative", null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_inquiries"
    )
    routing_rule = models.ForeignKey(
        "inquiries.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who spoke last: the inboxes show threads waiting for an answer.
    last_side = models.CharField(max_length=10, choices=Side.choices, default=Side.BUYER)
    last_activity_at = models.DateTimeField(_("last activity"))
    first_response_at = models.DateTimeField(_("first answered on"), null=True, blank=True)
    # Seconds from creation to the company's first message or quote, kept for the statistics.
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "-last_activity_at"], name="inquiry_company_inbox"),
            models.Index(fields=["company", "status"], name="inquiry_company_status"),
            models.Index(fields=["buyer", "-last_activity_at"], name="inquiry_buyer_inbox"),
            models.Index(fields=["company", "created_at"], name="inquiry_company_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="inquiry_status_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="inquiry_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0), name="inquiry_quantity_positive"
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def has_trade_terms(self) -> bool:
        return self.kind in (Kind.RFQ, Kind.ORDER)


def attachment_upload_to(instance, filename: str) -> str:
    # One folder per programme (export and deletion), a random name (never the uploaded one).
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{connection.schema_name}/{uuid.uuid4().hex}{suffix}"


class Message(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author_id = models.BigIntegerField(null=True, blank=True)
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["inquiry", "created_at"], name="message_thread_order")]

    def __str__(self):
        return self.body[:60]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, storage=attachment_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Quote(models.Model):
    """A price the company offers in a thread; a later quote supersedes an earlier one."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="quotes")
    sent_by_id = models.BigIntegerField(null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    valid_until = models.DateField(_("valid until"))
    terms = models.TextField(_("terms"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="quote_amount_positive")]

    def __str__(self):
        return f"{self.amount} {self.currency}"


class HistoryEntry(models.Model):
    """One line of a thread's history: who did what, when (B-MON)."""

    class Action(models.TextChoices):
        CREATED = "created", _("sent the inquiry")
        MESSAGE = "message", _("wrote a message")
        QUOTE = "quote", _("sent a quotation")
        STATUS = "status", _("changed the status")
        ASSIGNED = "assigned", _("assigned the inquiry")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="history")
    actor_id = models.BigIntegerField(null=True, blank=True)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    # For an assignment: the representative's name at the time (the row may go later).
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("history entries")

    def __str__(self):
        return f"{self.get_action_display()} ({self.inquiry_id})"


class RoutingRule(models.Model):
    """Send a company's inquiries about a product, a vertical or from a country to one representative.

    Exactly one criterion per rule. A specific product wins over a vertical, a vertical over
    a country; among equals the oldest rule wins. Without a match the owner is assigned.
    """

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="inquiry_routing_rules")
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("product"),
    )
    vertical = models.ForeignKey(
        "catalogue.Vertical", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("vertical"),
    )
    country = CountryField(_("buyer's country"), blank=True)
    representative = models.ForeignKey(
        "directory.Representative", on_delete=models.CASCADE, related_name="inquiry_routing_rules",
        verbose_name=_("representative"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(product__isnull=False, vertical__isnull=True, country="")
                    | models.Q(product__isnull=True, vertical__isnull=False, country="")
                    | (models.Q(product__isnull=True, vertical__isnull=True) & ~models.Q(country=""))
                ),
                name="routing_rule_has_one_criterion",
            ),
        ]

    def __str__(self):
        return f"{self.company_id} → {self.representative_id}"
