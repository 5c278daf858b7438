"""Company and expert profiles: what agencies vouch for and buyers and partners search."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Sector(models.Model):
    """The tenant's own sector taxonomy (two levels at most)."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: the English one for English readers when given."""
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Tag(models.Model):
    """A keyword moderators attach to profiles."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# Profiles anyone may find: everything but drafts ("hidden").
LISTED = models.Q(visibility__in=["public", "members"])


class Company(models.Model):
    class Size(models.TextChoices):
        MICRO = "micro", _("Micro (fewer than 10 people)")
        SMALL = "small", _("Small (10 to 49)")
        MEDIUM = "medium", _("Medium (50 to 249)")
        LARGE = "large", _("Large (250 or more)")

    class Turnover(models.TextChoices):
        UNDER_1M = "lt1m", _("Under €1 million")
        FROM_1M = "1m-10m", _("€1 to 10 million")
        FROM_10M = "10m-50m", _("€10 to 50 million")
        OVER_50M = "gt50m", _("Over €50 million")

    class ExportStage(models.TextChoices):
        FIRST_TIME = "first_time", _("First-time exporter")
        GROWING = "growing", _("Growing exporter")
        EXPERIENCED = "experienced", _("Experienced exporter")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members of the programme")
        HIDDEN = "hidden", _("Nobody (draft)")

    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True, db_index=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.SET_NULL, related_name="companies")
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    turnover_band = models.CharField(_("turnover"), max_length=10, choices=Turnover.choices, blank=True)
    export_stage = models.CharField(_("export stage"), max_length=12, choices=ExportStage.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    products_services = models.TextField(_("products and services"), blank=True)
    target_markets = CountryField(_("target markets"), multiple=True, blank=True)
    goals = models.TextField(_("goals abroad"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = ArrayField(models.CharField(max_length=8), verbose_name=_("languages spoken"), default=list, blank=True)
    logo = models.ImageField(_("logo"), upload_to="companies/logos/", blank=True)
    video_links = ArrayField(models.URLField(), verbose_name=_("video links"), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="companies")
    visibility = models.CharField(_("shown to"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)
    is_recommended = models.BooleanField(_("recommended by the agency"), default=False)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verification_expires_at = models.DateTimeField(_("verification valid until"), null=True, blank=True)
    # Both kept by database triggers (tenant_apps/directory/search/sql.py); the title holds the names only.
    search_vector = SearchVectorField(null=True, editable=False)
    search_title = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("companies")
        ordering = ["name"]
        indexes = [
            # Hidden profiles are never searched: the search indexes leave them out.
            GinIndex(fields=["search_vector"], name="company_search", condition=LISTED),
            GinIndex(fields=["search_title"], name="company_title_search", condition=LISTED),
            models.Index(fields=["-is_recommended", "name", "id"], name="company_browse", condition=LISTED),
            # Facet counts of a search without words read this index only, never the wide rows.
            models.Index(
                fields=["visibility"], name="company_facets", condition=LISTED,
                include=["id", "sector", "country", "export_stage", "size", "is_recommended",
                         "verification_expires_at", "languages"],
            ),
            models.Index(fields=["country", "sector"]),
            models.Index(fields=["export_stage"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_expires_at is not None and self.verification_expires_at > timezone.now()


class MissionParticipation(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="missions")
    title = models.CharField(_("mission"), max_length=200)
    country = CountryField(_("country"))
    year = models.PositiveSmallIntegerField(_("year"))
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self):
        return f"{self.title} ({self.year})"


class CompanyMedia(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        BROCHURE = "brochure", _("Brochure (PDF)")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="companies/media/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self):
        return self.title or self.file.name


class Representative(models.Model):
    """A person who speaks for a company; the owner manages the others."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="representatives")
    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    is_owner = models.BooleanField(_("owner"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="one_representative_row_per_person"),
            models.UniqueConstraint(fields=["company"], condition=models.Q(is_owner=True), name="one_owner_per_company"),
        ]

    def __str__(self):
        return f"{self.user} · {self.company}"


class ExpertProfile(models.Model):
    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LIMITED = "limited", _("Limited availability")
        UNAVAILABLE = "unavailable", _("Not available for now")

    # DO_NOTHING: see shared_apps.accounts.tenant_data, which removes these rows first.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    headline = models.CharField(_("headline"), max_length=200)
    bio = models.TextField(_("about"), blank=True)
    expertise = models.ManyToManyField(Tag, blank=True, related_name="experts", verbose_name=_("expertise"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="experts", verbose_name=_("sectors"))
    countries = CountryField(_("countries of experience"), multiple=True, blank=True)
    languages = ArrayField(models.CharField(max_length=8), verbose_name=_("languages spoken"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=12, choices=Availability.choices, default=Availability.AVAILABLE)
    visibility = models.CharField(_("shown to"), max_length=10, choices=Company.Visibility.choices, default=Company.Visibility.MEMBERS)
    is_recommended = models.BooleanField(_("recommended by the agency"), default=False)
    search_vector = SearchVectorField(null=True, editable=False)
    search_title = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="expert_search", condition=LISTED),
            GinIndex(fields=["search_title"], name="expert_title_search", condition=LISTED),
        ]

    def __str__(self):
        return self.headline


class RepresentativeInvitation(models.Model):
    """An owner asked someone without an account here to join as a co-representative.

    The invitation itself lives in ``shared_apps.accounts``; this row says which company
    the person joins once they accept it.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="representative_invitations")
    email = models.EmailField(_("e-mail"))
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    invitation_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "email"], name="one_pending_invitation_per_address")]

    def __str__(self):
        return f"{self.email} · {self.company}"


class DirectorySettings(models.Model):
    """The programme's directory settings: one row per tenant schema."""

    is_public = models.BooleanField(
        _("open to everyone"),
        default=False,
        help_text=_("When off, only signed-in members of the programme can search the directory."),
    )

    class Meta:
        verbose_name = _("directory settings")
        verbose_name_plural = _("directory settings")

    def __str__(self):
        return str(self._meta.verbose_name)


from tenant_apps.directory.onboarding.models import ImportBatch, PendingRepresentative  # noqa: E402, F401
