"""Promotion tools of a programme (B-PROMO): featured products and companies, banners,
sponsored keywords, e-mail campaigns to opted-in buyers, and companies' requests for quotes.

Who did something is kept as a plain user id (``*_by_id``), not a foreign key: the rows
belong to the programme and outlive the person's account (see ``privacy.py``). Only
campaign recipients point at users, and they go with the user.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Placement(models.TextChoices):
    """Where a banner shows. The catalogue's pages render the placements they own."""

    SITE_STRIP = "site_strip", _("Strip across every page")
    SHOWROOM_TOP = "showroom_top", _("Top of the showroom page")
    SEARCH_RESULTS = "search_results", _("Above search results")
    PRODUCT_SIDEBAR = "product_sidebar", _("Beside product pages")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")


def banner_upload_to(instance, filename: str) -> str:
    """Names nobody can guess or collide with; the original name is not kept on disk."""
    return f"promotion/banners/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:8]}"


class Scheduled(models.Model):
    """Something that runs from ``starts_at`` until ``ends_at`` (excluded); no end: until removed."""

    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def phase(self, now) -> str:
        if now < self.starts_at:
            return Phase.UPCOMING
        if self.ends_at is not None and now >= self.ends_at:
            return Phase.ENDED
        return Phase.RUNNING

    def is_running(self, now) -> bool:
        return self.phase(now) == Phase.RUNNING


class FeaturedProduct(Scheduled):
    """A published product put forward (showroom page, home page) for a period."""

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="featured_slots",
                                verbose_name=_("product"))
    position = models.PositiveIntegerField(_("position"), default=0,
                                           help_text=_("Smaller numbers come first."))

    class Meta(Scheduled.Meta):
        verbose_name = _("featured product")
        ordering = ["position", "-starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="featured_product_period")]

    def __str__(self):
        return str(self.product)


class FeaturedCompany(Scheduled):
    """A supported company put forward for a period."""

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="featured_slots",
                                verbose_name=_("company"))
    position = models.PositiveIntegerField(_("position"), default=0,
                                           help_text=_("Smaller numbers come first."))

    class Meta(Scheduled.Meta):
        verbose_name = _("featured company")
        verbose_name_plural = _("featured companies")
        ordering = ["position", "-starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="featured_company_period")]

    def __str__(self):
        return str(self.company)


class Banner(Scheduled):
    """An image or a text shown at one placement for a period, optionally linking somewhere."""

    name = models.CharField(_("name (for the team only)"), max_length=120)
    placement = models.CharField(_("placement"), max_length=20, choices=Placement.choices)
    position = models.PositiveIntegerField(_("position"), default=0,
                                           help_text=_("Smaller numbers come first."))
    image = models.ImageField(_("image"), upload_to=banner_upload_to, blank=True,
                              width_field="image_width", height_field="image_height")
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # An http(s) address or a path on the programme's site, checked by services.validate_link.
    link_url = models.CharField(_("link"), max_length=500, blank=True)
    sponsor = models.ForeignKey("directory.Company", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("sponsored by"))
    impressions = models.PositiveBigIntegerField(_("times shown"), default=0)
    clicks = models.PositiveBigIntegerField(_("clicks"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(Scheduled.Meta):
        verbose_name = _("banner")
        ordering = ["placement", "position", "-starts_at", "pk"]
        indexes = [models.Index(fields=["placement", "ends_at"], name="banner_placement_end")]

    def __str__(self):
        return self.name


class BannerText(models.Model):
    """A banner's words in one language: its text, or what its image shows."""

    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    text = models.CharField(_("text"), max_length=240, blank=True)
    image_alt = models.CharField(_("description of the image"), max_length=200, blank=True)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["banner", "language"], name="one_banner_text_per_language")]

    def __str__(self):
        return f"{self.banner_id} ({self.language})"


class SponsoredKeyword(Scheduled):
    """A product lifted to the top of search results for queries holding every word of ``keyword``."""

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="sponsored_keywords",
                                verbose_name=_("product"))
    keyword = models.CharField(_("keyword"), max_length=100)
    # The keyword's words, folded like the directory search (lower case, no accents).
    terms = ArrayField(models.CharField(max_length=60), verbose_name=_("words"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("When several sponsored products match, the heavier ones come first."),
    )

    class Meta(Scheduled.Meta):
        verbose_name = _("sponsored keyword")
        ordering = ["keyword", "-starts_at", "pk"]
        indexes = [GinIndex(fields=["terms"], name="sponsored_keyword_terms")]

    def __str__(self):
        return f"{self.keyword} → {self.product_id}"


class Campaign(models.Model):
    """An e-mail to the buyers who agreed to the programme's news, of chosen verticals and countries."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    name = models.CharField(_("name (for the team only)"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    verticals = models.ManyToManyField("catalogue.Vertical", blank=True, related_name="+",
                                       verbose_name=_("verticals"))
    countries = ArrayField(models.CharField(max_length=2), verbose_name=_("countries"), default=list, blank=True)
    scheduled_for = models.DateTimeField(_("send on"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_batch_at = models.DateTimeField(null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("e-mail campaign")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "scheduled_for"], name="campaign_due")]

    def __str__(self):
        return self.name

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class CampaignContent(models.Model):
    """A campaign's subject and body in one language; the body is sanitised HTML."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contents")
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["campaign", "language"], name="one_campaign_content_per_language")]

    def __str__(self):
        return f"{self.subject} ({self.language})"


class CampaignRecipient(models.Model):
    """One buyer a campaign goes to. A row is claimed before its mail leaves and never sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (no longer agrees)")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="one_campaign_mail_per_person")]
        indexes = [models.Index(fields=["campaign", "status"], name="campaign_recipient_status")]

    def __str__(self):
        return f"{self.campaign_id} → {self.user_id} ({self.status})"


class PromotionRequest(models.Model):
    """A company asks the programme for a promotion; the team answers with a quote it accepts or declines."""

    class Kind(models.TextChoices):
        FEATURED = "featured", _("Featured product or company")
        BANNER = "banner", _("Banner")
        KEYWORDS = "keywords", _("Sponsored keywords in search")
        EMAIL = "email", _("E-mail campaign to buyers")
        ADVERTORIAL = "advertorial", _("Article or advertorial")

    class Reach(models.TextChoices):
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a quote")
        QUOTED = "quoted", _("Quote sent")
        ACCEPTED = "accepted", _("Quote accepted")
        DECLINED = "declined", _("Quote declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REFUSED = "refused", _("Turned down by the programme")

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="promotion_requests",
                                verbose_name=_("company"))
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    reach = models.CharField(_("reach"), max_length=8, choices=Reach.choices, default=Reach.MEDIUM)
    product = models.ForeignKey("catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("product"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    budget = models.DecimalField(_("budget (euros)"), max_digits=10, decimal_places=2, null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    quote_amount = models.DecimalField(_("amount (euros, before tax)"), max_digits=10, decimal_places=2,
                                       null=True, blank=True)
    quote_note = models.TextField(_("what the quote covers"), blank=True)
    quote_valid_until = models.DateField(_("quote valid until"), null=True, blank=True)
    quoted_at = models.DateTimeField(null=True, blank=True)
    quoted_by_id = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_id = models.BigIntegerField(null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    # An accepted quote for a featured product or company schedules its slot (services.accept_quote).
    featured_product = models.ForeignKey(FeaturedProduct, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("featured product slot"))
    featured_company = models.ForeignKey(FeaturedCompany, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("featured company slot"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("promotion request")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="promotion_request_company"),
            models.Index(fields=["status", "-created_at"], name="promotion_request_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="promotion_request_period"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0),
                                   name="promotion_request_budget_not_negative"),
            models.CheckConstraint(condition=Q(quote_amount__isnull=True) | Q(quote_amount__gte=0),
                                   name="promotion_request_quote_not_negative"),
        ]

    def __str__(self):
        return f"{self.company} · {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.QUOTED)

    def quote_expired(self, today) -> bool:
        """The quote was valid until a day before ``today``: it can no longer be accepted."""
        return self.quote_valid_until is not None and self.quote_valid_until < today
