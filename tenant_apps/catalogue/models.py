"""The catalogue of supported companies' products and services, the programme's
showroom page, and what foreign buyers keep: their profile and saved items."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from imagekit.models import ImageSpecField, ProcessedImageField
from imagekit.processors import ResizeToFill, ResizeToFit, Transpose

from tenant_apps.catalogue.storage import datasheet_storage

# Harmonized System codes: a 4-digit heading, a 6-digit subheading, or a national 8/10-digit line.
validate_hs_code = RegexValidator(
    r"^\d{4}(\d{2}){0,3}$",
    _("Enter a Harmonized System code of 4, 6, 8 or 10 digits, for example 8457 10."),
    code="invalid_hs_code",
)


def validate_country_code(value: str) -> None:
    if value not in dict(countries):
        raise ValidationError(_("%(code)s is not a country code."), params={"code": value}, code="invalid_country")


def _random_name(folder: str, filename: str) -> str:
    """Names nobody can guess or collide with; the original name is not kept on disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def image_upload_to(instance, filename: str) -> str:
    return _random_name("catalogue/images", filename)


def datasheet_upload_to(instance, filename: str) -> str:
    return _random_name("datasheets", filename)


def block_image_upload_to(instance, filename: str) -> str:
    return _random_name("showroom/images", filename)


class LabelledTaxonomy(models.Model):
    """A taxonomy entry named in French and, optionally, in English."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: the English one for English readers when given."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Vertical(LabelledTaxonomy):
    """One of the programme's industry verticals (industry 4.0, medical devices…)."""

    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta(LabelledTaxonomy.Meta):
        verbose_name = _("vertical")

    @property
    def description_label(self) -> str:
        if self.description_en and (get_language() or "").startswith("en"):
            return self.description_en
        return self.description


class Certification(LabelledTaxonomy):
    """A certification or standard products may hold (CE marking, ISO 13485…)."""

    issuer = models.CharField(_("issued by"), max_length=120, blank=True)

    class Meta(LabelledTaxonomy.Meta):
        verbose_name = _("certification")


# Products buyers may find (their company's visibility aside); partial indexes cover these only.
LISTED = models.Q(status="published")


class Product(models.Model):
    """A product or service a supported company offers to buyers."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="products")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("language of the text"), max_length=8, default="fr")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # [{"name": "Power", "value": "15 kW"}, …] in the product's language, in display order.
    specifications = models.JSONField(_("specifications"), default=list, blank=True)
    minimum_order = models.CharField(_("minimum order"), max_length=120, blank=True)
    lead_time = models.CharField(_("lead time"), max_length=120, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True, validators=[validate_hs_code])
    countries_served = ArrayField(
        models.CharField(max_length=2, validators=[validate_country_code]),
        verbose_name=_("countries served"), default=list, blank=True,
    )
    verticals = models.ManyToManyField(Vertical, blank=True, related_name="products", verbose_name=_("verticals"))
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="products", verbose_name=_("certifications"),
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    # Kept by database triggers (catalogue/search/sql.py): the full text, the titles alone (both
    # with a lexeme per filter value), and copies of the links, so a search filters and counts
    # facets from the product row alone.
    search_vector = SearchVectorField(null=True, editable=False)
    search_title = SearchVectorField(null=True, editable=False)
    vertical_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    certification_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="product_search", condition=LISTED),
            GinIndex(fields=["search_title"], name="product_title_search", condition=LISTED),
            # Newest first, and every column a facet counts: searches without words read this index only.
            models.Index(fields=["-published_at", "-id"], name="product_published",
                         include=["company", "kind", "countries_served", "vertical_ids", "certification_ids"],
                         condition=LISTED),
            models.Index(fields=["company", "status"], name="product_company_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="published_product_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:product-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ProductTranslation(models.Model):
    """The title and description of a product in another of the programme's languages."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Same shape as Product.specifications; names translated, values usually unchanged.
    specifications = models.JSONField(_("specifications"), default=list, blank=True)
    minimum_order = models.CharField(_("minimum order"), max_length=120, blank=True)
    lead_time = models.CharField(_("lead time"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["product", "language"], name="one_translation_per_language"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


# Product images are re-encoded on upload: turned upright, at most this many pixels a side,
# WebP, and without the camera's metadata (places, dates, serial numbers).
IMAGE_MAX_SIDE = 1600
# Cards show a 4:3 picture; twice their CSS width, for sharp screens.
THUMBNAIL_SIZE = (480, 360)


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = ProcessedImageField(
        verbose_name=_("image"), upload_to=image_upload_to, format="WEBP", options={"quality": 85},
        processors=[Transpose(), ResizeToFit(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, upscale=False)],
    )
    # Made from ``image`` when it is saved ("optimistic": pages never touch storage to show
    # it); `comptoir product_images` makes those of images stored before.
    thumbnail = ImageSpecField(source="image", processors=[ResizeToFill(*THUMBNAIL_SIZE)], format="WEBP",
                               options={"quality": 80}, cachefile_strategy="imagekit.cachefiles.strategies.Optimistic")
    alt_text = models.CharField(
        _("description of the image"), max_length=200,
        help_text=_("What the image shows, read aloud to people who cannot see it."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.alt_text


class ProductDocument(models.Model):
    """A data sheet or brochure (PDF), open to everyone or to signed-in members only."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone who can see the product")
        MEMBERS = "members", _("Signed-in members of the programme")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="fr")
    file = models.FileField(_("file"), upload_to=datasheet_upload_to, storage=datasheet_storage)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    visibility = models.CharField(_("shown to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class CatalogueSettings(models.Model):
    """The programme's catalogue settings: one row per tenant schema."""

    required_languages = ArrayField(
        models.CharField(max_length=8), verbose_name=_("languages every published product must have"),
        default=list, blank=True,
    )

    class Meta:
        verbose_name = _("catalogue settings")
        verbose_name_plural = _("catalogue settings")

    def __str__(self):
        return str(self._meta.verbose_name)


class SupportedCompany(models.Model):
    """A company the agency supports in its showroom (B-SELL): listed there, badged on its pages."""

    company = models.OneToOneField("directory.Company", on_delete=models.CASCADE, related_name="showroom_support")
    since = models.DateField(_("supported since"))
    note = models.CharField(_("internal note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supported company")
        verbose_name_plural = _("supported companies")

    def __str__(self):
        return str(self.company)


class ShowroomPage(models.Model):
    """The programme's showroom page ("Showroom France"): one row per tenant schema."""

    title = models.CharField(_("title"), max_length=120, default="Showroom")
    title_en = models.CharField(_("title in English"), max_length=120, blank=True)
    summary = models.CharField(_("summary for search engines"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary in English"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("showroom page")

    def __str__(self):
        return self.title

    @property
    def label(self) -> str:
        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title


class ShowroomBlock(models.Model):
    """One block of the showroom page, composed by the programme's admins."""

    class Kind(models.TextChoices):
        HERO = "hero", _("Banner with title and button")
        FEATURED_COMPANIES = "companies", _("Featured companies")
        FEATURED_PRODUCTS = "products", _("Featured products")
        VERTICALS = "verticals", _("Verticals")
        STORIES = "stories", _("Stories and testimonials")
        RICH_TEXT = "text", _("Text")
        CALL_TO_ACTION = "cta", _("Call to action")

    page = models.ForeignKey(ShowroomPage, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_enabled = models.BooleanField(_("shown"), default=True)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    heading_en = models.CharField(_("heading in English"), max_length=200, blank=True)
    # Sanitised HTML (platform_core.security), written only through the showroom services.
    body = models.TextField(_("text"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    image = models.ImageField(_("image"), upload_to=block_image_upload_to, blank=True)
    image_alt = models.CharField(_("description of the image"), max_length=200, blank=True)
    link_url = models.CharField(_("button link"), max_length=300, blank=True)
    link_label = models.CharField(_("button text"), max_length=80, blank=True)
    link_label_en = models.CharField(_("button text in English"), max_length=80, blank=True)
    companies = models.ManyToManyField(
        "directory.Company", blank=True, related_name="+", verbose_name=_("companies"),
    )
    products = models.ManyToManyField(Product, blank=True, related_name="+", verbose_name=_("products"))
    # Stories: [{"quote": …, "quote_en": …, "author": …, "role": …, "role_en": …}, …]
    items = models.JSONField(_("items"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["page", "is_enabled", "position"], name="showroom_block_order")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.heading}"


class BuyerProfile(models.Model):
    """What a professional buyer tells the programme about their company and interests."""

    class JobRole(models.TextChoices):
        PURCHASING = "purchasing", _("Purchasing or procurement")
        MANAGEMENT = "management", _("General management")
        ENGINEERING = "engineering", _("Engineering or production")
        DISTRIBUTION = "distribution", _("Import or distribution")
        PUBLIC_BUYER = "public", _("Public procurement")
        OTHER = "other", _("Other")

    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    company_name = models.CharField(_("company"), max_length=200)
    country = CountryField(_("country"))
    sector = models.CharField(_("sector of activity"), max_length=120)
    job_role = models.CharField(_("job role"), max_length=20, choices=JobRole.choices)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    interests = models.ManyToManyField(Vertical, blank=True, related_name="buyers", verbose_name=_("interests"))
    opted_in_marketing = models.BooleanField(_("receives the programme's news"), default=False)
    marketing_opt_in_at = models.DateTimeField(_("agreed to the news on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["country"], name="buyer_country")]

    def __str__(self):
        return f"{self.company_name} ({self.country})"


class SavedProduct(models.Model):
    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="save_a_product_once")]

    def __str__(self):
        return f"{self.user_id} · {self.product_id}"


class SavedCompany(models.Model):
    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    company = models.ForeignKey("directory.Company", on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="save_a_company_once")]

    def __str__(self):
        return f"{self.user_id} · {self.company_id}"
