"""Writes for promotion: the only place its rules live.

Rules a person can fix raise ``ValidationError`` naming the field (views put the
message next to it); steps the workflow does not allow raise ``PromotionError``,
whose text is a message for the person who tried.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_countries import countries as country_list

from platform_core.mail import build_mail, deliver_mail, recipient_language, render_branded_mail
from platform_core.security import sanitize_html
from platform_core.uploads import validate_upload
from shared_apps.audit.services import record
from tenant_apps.catalogue.models import BuyerProfile, Product, Vertical
from tenant_apps.directory.models import Company
from tenant_apps.notifications.services import notify
from tenant_apps.promotion import keywords, selectors
from tenant_apps.promotion.models import (
    Banner,
    BannerText,
    Campaign,
    CampaignContent,
    CampaignRecipient,
    FeaturedCompany,
    FeaturedProduct,
    Placement,
    PromotionRequest,
    SponsoredKeyword,
)
from tenant_apps.promotion.tokens import make_unsubscribe_token

logger = logging.getLogger(__name__)

BANNER_IMAGE_KINDS = frozenset({"png", "jpg", "webp"})
BANNER_IMAGE_MAX_BYTES = 2 * 1024 * 1024
MAX_DELIVERY_ATTEMPTS = 3
# A row claimed this long ago and still not marked sent belongs to a worker that died
# mid-send: it may or may not have left, so it is never sent again (marked failed).
STALE_CLAIM = timedelta(minutes=15)
RequestStatus = PromotionRequest.Status
CampaignStatus = Campaign.Status
RecipientStatus = CampaignRecipient.Status


class PromotionError(Exception):
    """A step the rules do not allow; ``str()`` is a message for the person who tried."""


class CampaignDeliveryError(Exception):
    """The mail server failed during a batch; the batch stops and is tried again later."""


# --- Shared checks -------------------------------------------------------------------------


def _check_period(starts_at, ends_at, *, end_field: str = "ends_at") -> None:
    if starts_at is None:
        raise ValidationError({"starts_at": _("Give the start.")})
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({end_field: _("The end must come after the start.")})


def _overlapping(queryset, starts_at, ends_at):
    """Rows of ``queryset`` whose schedule shares at least one moment with [starts_at, ends_at)."""
    overlap = Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at)
    if ends_at is not None:
        overlap &= Q(starts_at__lt=ends_at)
    return queryset.filter(overlap)


def validate_link(url: str) -> str:
    """An http(s) address or a path on the programme's own site; anything else is refused."""
    url = (url or "").strip()
    if not url:
        return ""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url) or "\\" in url:
        raise ValidationError({"link_url": _("This link contains characters a web address cannot have.")})
    if url.startswith("/") and not url.startswith("//"):
        return url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"link_url": _(
            "Give a web address starting with https:// (or http://), or a page of this site starting with /.")}) from None
    return url


def _tenant():
    from tenants.models import Tenant

    tenant = getattr(connection, "tenant", None)
    # schema_context() leaves a stand-in without configuration; mail and notifications need the row.
    if not isinstance(tenant, Tenant):
        tenant = Tenant.objects.get(schema_name=connection.schema_name)
    return tenant


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


# --- Featured products and companies -------------------------------------------------------


@transaction.atomic
def add_featured_product(*, product: Product, starts_at: datetime, ends_at: datetime | None = None,
                         position: int = 0, actor) -> FeaturedProduct:
    """Feature a published product for a period that overlaps none of its other featured periods."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not product.is_published:
        raise ValidationError({"product": _("Only published products can be featured.")})
    _check_period(starts_at, ends_at)
    if _overlapping(FeaturedProduct.objects.filter(product=product), starts_at, ends_at).exists():
        raise ValidationError({"starts_at": _(
            "This product is already featured during part of this period. Change the dates, or remove the other slot.")})
    slot = FeaturedProduct.objects.create(product=product, starts_at=starts_at, ends_at=ends_at, position=position,
                                          created_by_id=_actor_id(actor))
    record(action="promotion.featured_added", tenant=_tenant(), actor=actor, target=slot,
           after={"product": product.pk, "starts_at": starts_at, "ends_at": ends_at, "position": position})
    return slot


@transaction.atomic
def add_featured_company(*, company: Company, starts_at: datetime, ends_at: datetime | None = None,
                         position: int = 0, actor) -> FeaturedCompany:
    """Feature a supported company for a period that overlaps none of its other featured periods."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if not selectors.supported_companies().filter(pk=company.pk).exists():
        raise ValidationError({"company": _("Only companies the programme supports can be featured.")})
    _check_period(starts_at, ends_at)
    if _overlapping(FeaturedCompany.objects.filter(company=company), starts_at, ends_at).exists():
        raise ValidationError({"starts_at": _(
            "This company is already featured during part of this period. Change the dates, or remove the other slot.")})
    slot = FeaturedCompany.objects.create(company=company, starts_at=starts_at, ends_at=ends_at, position=position,
                                          created_by_id=_actor_id(actor))
    record(action="promotion.featured_added", tenant=_tenant(), actor=actor, target=slot,
           after={"company": company.pk, "starts_at": starts_at, "ends_at": ends_at, "position": position})
    return slot


@transaction.atomic
def remove_featured(*, slot: FeaturedProduct | FeaturedCompany, actor) -> None:
    record(action="promotion.featured_removed", tenant=_tenant(), actor=actor, target=slot,
           before={"starts_at": slot.starts_at, "ends_at": slot.ends_at})
    slot.delete()


# --- Banners ---------------------------------------------------------------------------------


def forget_banner_cache(*placements: str) -> None:
    """Drop the cached banners of ``placements`` now and again once the transaction commits."""
    keys = [selectors.banner_cache_key(placement) for placement in placements]

    def _delete():
        try:
            cache.delete_many(keys)
        except Exception:  # the cache expires by itself within a minute
            logger.warning("banner cache not cleared", exc_info=True)

    _delete()
    transaction.on_commit(_delete, robust=True)


def validate_banner_image(upload) -> None:
    """A still PNG, JPEG or WebP of reasonable size: moving images cannot be paused (WCAG 2.2.2)."""
    from PIL import Image

    try:
        validate_upload(upload, kinds=BANNER_IMAGE_KINDS, max_bytes=BANNER_IMAGE_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None
    upload.seek(0)
    with Image.open(upload) as image:
        animated = getattr(image, "is_animated", False)
    upload.seek(0)
    if animated:
        raise ValidationError({"image": _("Moving images are not accepted in banners; send a still image.")})


@transaction.atomic
def save_banner(*, banner: Banner | None = None, name: str, placement: str, starts_at: datetime,
                ends_at: datetime | None, position: int = 0, link_url: str = "", sponsor: Company | None = None,
                image=None, remove_image: bool = False, texts: dict[str, tuple[str, str]],
                default_language: str, actor) -> Banner:
    """Create or change a banner. ``texts`` maps a language to (text, image description).

    An image banner needs a description in ``default_language``; a text banner needs a text there.
    """
    if placement not in Placement.values:
        raise ValidationError({"placement": _("Choose where the banner shows.")})
    _check_period(starts_at, ends_at)
    link_url = validate_link(link_url)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the banner a name the team will recognise.")})
    if image is not None:
        validate_banner_image(image)
    cleaned = {language: ((text or "").strip(), (alt or "").strip()) for language, (text, alt) in texts.items()}
    has_image = image is not None or (banner is not None and bool(banner.image) and not remove_image)
    main_text, main_alt = cleaned.get(default_language, ("", ""))
    if has_image and not main_alt:
        raise ValidationError({f"image_alt_{default_language}": _(
            "Describe what the image shows: people who cannot see it hear this instead.")})
    if not has_image and not main_text:
        raise ValidationError({f"text_{default_language}": _("Write the banner's text, or add an image.")})

    creating = banner is None
    old_placement = None if creating else banner.placement
    before = None if creating else {"placement": banner.placement, "starts_at": banner.starts_at,
                                    "ends_at": banner.ends_at, "link_url": banner.link_url}
    if creating:
        banner = Banner(created_by_id=_actor_id(actor))
    old_image = banner.image.name if banner.image else ""
    banner.name, banner.placement, banner.position = name.strip(), placement, position
    banner.starts_at, banner.ends_at, banner.link_url, banner.sponsor = starts_at, ends_at, link_url, sponsor
    if image is not None:
        banner.image.save(image.name, image, save=False)
    elif remove_image:
        banner.image = ""
    banner.save()
    if old_image and (image is not None or remove_image):
        transaction.on_commit(partial(_delete_file, old_image), robust=True)

    BannerText.objects.filter(banner=banner).exclude(language__in=[
        language for language, (text, alt) in cleaned.items() if text or alt]).delete()
    for language, (text, alt) in cleaned.items():
        if text or alt:
            BannerText.objects.update_or_create(banner=banner, language=language,
                                                defaults={"text": text, "image_alt": alt})
    forget_banner_cache(*{placement, old_placement or placement})
    record(action="promotion.banner_saved", tenant=_tenant(), actor=actor, target=banner, before=before,
           after={"placement": placement, "starts_at": starts_at, "ends_at": ends_at, "link_url": link_url})
    return banner


def _delete_file(name: str) -> None:
    Banner._meta.get_field("image").storage.delete(name)


@transaction.atomic
def remove_banner(*, banner: Banner, actor) -> None:
    record(action="promotion.banner_removed", tenant=_tenant(), actor=actor, target=banner,
           before={"placement": banner.placement, "impressions": banner.impressions, "clicks": banner.clicks})
    image = banner.image.name if banner.image else ""
    placement = banner.placement
    banner.delete()
    if image:
        transaction.on_commit(partial(_delete_file, image), robust=True)
    forget_banner_cache(placement)


def record_banner_click(banner_id: int) -> str | None:
    """Count a click on a banner and return the address it links to (None: no such banner or link)."""
    link = Banner.objects.filter(pk=banner_id).exclude(link_url="").values_list("link_url", flat=True).first()
    if link is None:
        return None
    from django.db.models import F

    Banner.objects.filter(pk=banner_id).update(clicks=F("clicks") + 1)
    return link


# --- Sponsored keywords ----------------------------------------------------------------------


@transaction.atomic
def add_sponsored_keyword(*, product: Product, keyword: str, starts_at: datetime, ends_at: datetime | None = None,
                          weight: int = 1, actor) -> SponsoredKeyword:
    """Sponsor a published product for a keyword; the same product and words cannot overlap in time."""
    terms = sorted(keywords.words(keyword))
    if not terms:
        raise ValidationError({"keyword": _("Type at least one word of letters or digits.")})
    if len(terms) > keywords.MAX_KEYWORD_WORDS:
        raise ValidationError({"keyword": _("A keyword has at most %(count)s words.")
                               % {"count": keywords.MAX_KEYWORD_WORDS}})
    if not 1 <= weight <= 100:
        raise ValidationError({"weight": _("Give a weight from 1 to 100.")})
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not product.is_published:
        raise ValidationError({"product": _("Only published products can be sponsored.")})
    _check_period(starts_at, ends_at)
    if _overlapping(SponsoredKeyword.objects.filter(product=product, terms=terms), starts_at, ends_at).exists():
        raise ValidationError({"keyword": _(
            "This product is already sponsored for these words during part of this period.")})
    sponsored = SponsoredKeyword.objects.create(
        product=product, keyword=" ".join(keyword.split())[:100], terms=terms, starts_at=starts_at, ends_at=ends_at,
        weight=weight, created_by_id=_actor_id(actor))
    record(action="promotion.keyword_added", tenant=_tenant(), actor=actor, target=sponsored,
           after={"product": product.pk, "terms": terms, "weight": weight, "starts_at": starts_at, "ends_at": ends_at})
    return sponsored


@transaction.atomic
def remove_sponsored_keyword(*, sponsored: SponsoredKeyword, actor) -> None:
    record(action="promotion.keyword_removed", tenant=_tenant(), actor=actor, target=sponsored,
           before={"product": sponsored.product_id, "terms": sponsored.terms})
    sponsored.delete()


# --- E-mail campaigns --------------------------------------------------------------------------


def _locked_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _check_editable(campaign: Campaign) -> None:
    if not campaign.is_editable:
        raise PromotionError(_("This campaign has been sent; it can no longer be changed."))


@transaction.atomic
def save_campaign(*, campaign: Campaign | None = None, name: str, vertical_ids=(), countries=(),
                  contents: dict[str, tuple[str, str]], default_language: str, actor) -> Campaign:
    """Create or change a campaign that has not been sent. ``contents`` maps a language to (subject, body).

    Bodies are sanitised HTML; the programme's ``default_language`` needs both a subject and a body.
    """
    if campaign is not None:
        campaign = _locked_campaign(campaign)
        _check_editable(campaign)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the campaign a name the team will recognise.")})
    known = dict(country_list)
    unknown = [code for code in countries if code not in known]
    if unknown:
        raise ValidationError({"countries": _("%(codes)s: not a country.") % {"codes": ", ".join(unknown)}})
    verticals = list(Vertical.objects.filter(pk__in=list(vertical_ids)))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[str, str]] = {}
    for language, (subject, body) in contents.items():
        subject, body = " ".join((subject or "").split()), sanitize_html(body or "").strip()
        has_words = bool(strip_tags(body).strip())
        if not subject and not has_words:
            continue
        if not subject:
            errors.setdefault(f"subject_{language}", []).append(_("Write the subject too."))
        if not has_words:
            errors.setdefault(f"body_{language}", []).append(_("Write the message too."))
        cleaned[language] = (subject[:200], body)
    if default_language not in cleaned and f"subject_{default_language}" not in errors:
        errors[f"subject_{default_language}"] = [_(
            "Write the subject and the message in the programme's main language at least.")]
    if errors:
        raise ValidationError(errors)

    creating = campaign is None
    if creating:
        campaign = Campaign(created_by_id=_actor_id(actor))
    campaign.name = name.strip()
    campaign.countries = sorted(set(countries))
    campaign.save()
    campaign.verticals.set(verticals)
    CampaignContent.objects.filter(campaign=campaign).exclude(language__in=list(cleaned)).delete()
    for language, (subject, body) in cleaned.items():
        CampaignContent.objects.update_or_create(campaign=campaign, language=language,
                                                 defaults={"subject": subject, "body": body})
    record(action="promotion.campaign_saved", tenant=_tenant(), actor=actor, target=campaign,
           after={"languages": sorted(cleaned), "verticals": [v.pk for v in verticals],
                  "countries": campaign.countries, "created": creating})
    return campaign


@transaction.atomic
def delete_campaign(*, campaign: Campaign, actor) -> None:
    campaign = _locked_campaign(campaign)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED):
        raise PromotionError(_("A campaign that has been sent stays on record; it cannot be deleted."))
    record(action="promotion.campaign_deleted", tenant=_tenant(), actor=actor, target=campaign)
    campaign.delete()


def _check_ready(campaign: Campaign, tenant) -> int:
    """Refuse a campaign without main-language content or without anyone to send to; return the audience size."""
    if not campaign.contents.filter(language=tenant.default_language).exists():
        raise PromotionError(_("Write the subject and the message in the programme's main language first."))
    size = selectors.audience(tenant=tenant, vertical_ids=list(campaign.verticals.values_list("pk", flat=True)),
                              countries=campaign.countries).count()
    if size == 0:
        raise PromotionError(_("No buyer who agreed to receive the programme's news matches this audience."))
    return size


@transaction.atomic
def schedule_campaign(*, campaign: Campaign, send_at: datetime, actor, now: datetime | None = None) -> Campaign:
    campaign = _locked_campaign(campaign)
    _check_editable(campaign)
    if send_at <= (now or timezone.now()):
        raise ValidationError({"send_at": _("Choose a time in the future, or send the campaign now.")})
    tenant = _tenant()
    size = _check_ready(campaign, tenant)
    campaign.status, campaign.scheduled_for = CampaignStatus.SCHEDULED, send_at
    campaign.save(update_fields=["status", "scheduled_for", "updated_at"])
    record(action="promotion.campaign_scheduled", tenant=tenant, actor=actor, target=campaign,
           after={"send_at": send_at, "audience": size})
    return campaign


@transaction.atomic
def unschedule_campaign(*, campaign: Campaign, actor) -> Campaign:
    campaign = _locked_campaign(campaign)
    if campaign.status != CampaignStatus.SCHEDULED:
        raise PromotionError(_("This campaign is not scheduled."))
    campaign.status, campaign.scheduled_for = CampaignStatus.DRAFT, None
    campaign.save(update_fields=["status", "scheduled_for", "updated_at"])
    record(action="promotion.campaign_unscheduled", tenant=_tenant(), actor=actor, target=campaign)
    return campaign


@transaction.atomic
def send_campaign_now(*, campaign: Campaign, actor) -> Campaign:
    campaign = _locked_campaign(campaign)
    _check_editable(campaign)
    tenant = _tenant()
    _check_ready(campaign, tenant)
    return _start(campaign, tenant=tenant, actor=actor)


def _start(campaign: Campaign, *, tenant, actor, now: datetime | None = None) -> Campaign:
    """Fix the list of recipients (who agrees now), mark the campaign as sending and queue its first batch."""
    now = now or timezone.now()
    user_ids = selectors.audience(
        tenant=tenant, vertical_ids=list(campaign.verticals.values_list("pk", flat=True)),
        countries=campaign.countries,
    ).values_list("user_id", flat=True)
    CampaignRecipient.objects.bulk_create(
        (CampaignRecipient(campaign=campaign, user_id=user_id) for user_id in user_ids.iterator()),
        ignore_conflicts=True, batch_size=1000,
    )
    campaign.status, campaign.started_at, campaign.last_batch_at = CampaignStatus.SENDING, now, now
    campaign.save(update_fields=["status", "started_at", "last_batch_at", "updated_at"])
    count = campaign.recipients.count()
    record(action="promotion.campaign_started", tenant=tenant, actor=actor, target=campaign,
           after={"recipients": count})
    transaction.on_commit(partial(queue_campaign_batch, connection.schema_name, campaign.pk), robust=True)
    return campaign


def queue_campaign_batch(schema_name: str, campaign_id: int, *, countdown: int = 0) -> None:
    from tenant_apps.promotion.tasks import send_campaign_batch

    send_campaign_batch.apply_async(args=[schema_name, campaign_id], countdown=countdown,
                                    headers={"_schema_name": schema_name})


def start_due_campaigns(*, now: datetime | None = None) -> int:
    """Start the current programme's scheduled campaigns whose time has come; return how many."""
    now = now or timezone.now()
    tenant = _tenant()
    started = 0
    due = Campaign.objects.filter(status=CampaignStatus.SCHEDULED, scheduled_for__lte=now).values_list("pk", flat=True)
    for campaign_id in list(due):
        with transaction.atomic():
            campaign = (Campaign.objects.select_for_update(skip_locked=True)
                        .filter(pk=campaign_id, status=CampaignStatus.SCHEDULED).first())
            if campaign is None:
                continue
            _start(campaign, tenant=tenant, actor=None, now=now)
            started += 1
    return started


def resume_stalled_campaigns(*, now: datetime | None = None, after: timedelta = timedelta(minutes=10)) -> int:
    """Queue a batch for sending campaigns that made no progress for a while (a lost task message)."""
    now = now or timezone.now()
    stalled = list(Campaign.objects.filter(status=CampaignStatus.SENDING, last_batch_at__lt=now - after)
                   .values_list("pk", flat=True))
    for campaign_id in stalled:
        transaction.on_commit(partial(queue_campaign_batch, connection.schema_name, campaign_id), robust=True)
    return len(stalled)


@dataclass(frozen=True)
class BatchOutcome:
    sent: int
    skipped: int
    failed: int
    remaining: int


def send_campaign_batch(campaign_id: int, *, batch_size: int, now: datetime | None = None) -> BatchOutcome:
    """Send the next ``batch_size`` mails of a sending campaign in the current programme.

    Each recipient row is claimed (committed) before its mail leaves and marked sent
    right after, so running this again, after a crash or a retry, never sends anyone
    the campaign twice. A mail server failure puts the row back (failed after
    ``MAX_DELIVERY_ATTEMPTS``), stops the batch and raises ``CampaignDeliveryError``.
    """
    now = now or timezone.now()
    tenant = _tenant()
    campaign = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).first()
    if campaign is None:
        return BatchOutcome(0, 0, 0, 0)
    with transaction.atomic():
        claimed = list(CampaignRecipient.objects.select_for_update(skip_locked=True)
                       .filter(campaign=campaign, status=RecipientStatus.PENDING).order_by("pk")[:batch_size])
        CampaignRecipient.objects.filter(pk__in=[row.pk for row in claimed]).update(
            status=RecipientStatus.SENDING, claimed_at=now)
        Campaign.objects.filter(pk=campaign.pk).update(last_batch_at=now)
    sent = skipped = failed = 0
    if claimed:
        sent, skipped, failed = _deliver(campaign, claimed, tenant=tenant)
    remaining = campaign.recipients.filter(status=RecipientStatus.PENDING).count()
    if remaining == 0:
        _finish_if_done(campaign, now=now)
    return BatchOutcome(sent, skipped, failed, remaining)


def _deliver(campaign: Campaign, claimed: list[CampaignRecipient], *, tenant) -> tuple[int, int, int]:
    from shared_apps.accounts.models import Membership

    user_ids = [row.user_id for row in claimed]
    users = get_user_model().objects.in_bulk(user_ids)
    still_agree = set(BuyerProfile.objects.filter(user_id__in=user_ids, opted_in_marketing=True)
                      .values_list("user_id", flat=True))
    members = set(Membership.objects.for_tenant(tenant).filter(user_id__in=user_ids).values_list("user_id", flat=True))
    contents = {content.language: content for content in campaign.contents.all()}
    # Every mail's unsubscribe link names the programme's primary domain: read it once.
    prefetch_related_objects([tenant], "domains")
    sent = skipped = failed = 0
    # One SMTP session for the whole batch; a server that is down fails the first mail.
    mail_connection, is_open = get_connection(), False
    try:
        for index, row in enumerate(claimed):
            user = users.get(row.user_id)
            if (user is None or not user.is_active or not user.has_verified_email
                    or row.user_id not in still_agree or row.user_id not in members):
                _mark(row, RecipientStatus.SKIPPED)
                skipped += 1
                continue
            message = campaign_message(campaign, contents, user=user, tenant=tenant)
            try:
                if not is_open:
                    mail_connection.open()
                    is_open = True
                mail_connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                _mark(row, RecipientStatus.FAILED, attempts=row.attempts + 1, error=_error_text(error))
                failed += 1
                continue
            except (smtplib.SMTPException, OSError) as error:
                attempts = row.attempts + 1
                _mark(row, RecipientStatus.FAILED if attempts >= MAX_DELIVERY_ATTEMPTS else RecipientStatus.PENDING,
                      attempts=attempts, error=_error_text(error))
                CampaignRecipient.objects.filter(pk__in=[other.pk for other in claimed[index + 1:]],
                                                 status=RecipientStatus.SENDING).update(
                    status=RecipientStatus.PENDING, claimed_at=None)
                logger.warning("campaign batch stopped by the mail server",
                               extra={"campaign": campaign.pk, "recipient": row.pk}, exc_info=True)
                raise CampaignDeliveryError(str(error)) from error
            _mark(row, RecipientStatus.SENT, attempts=row.attempts + 1)
            sent += 1
    finally:
        mail_connection.close()
    return sent, skipped, failed


def _mark(row: CampaignRecipient, status: str, *, attempts: int | None = None, error: str = "") -> None:
    changes = {"status": status, "error": error[:200]}
    if attempts is not None:
        changes["attempts"] = attempts
    if status == RecipientStatus.SENT:
        changes["sent_at"] = timezone.now()
    if status == RecipientStatus.PENDING:
        changes["claimed_at"] = None
    CampaignRecipient.objects.filter(pk=row.pk).update(**changes)


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def _finish_if_done(campaign: Campaign, *, now: datetime) -> bool:
    """Mark the campaign sent once no row waits; rows a dead worker claimed long ago count as failed."""
    CampaignRecipient.objects.filter(campaign=campaign, status=RecipientStatus.SENDING,
                                     claimed_at__lt=now - STALE_CLAIM).update(
        status=RecipientStatus.FAILED, error="Interrupted while sending; not sent again to avoid a duplicate.")
    if campaign.recipients.filter(status__in=[RecipientStatus.PENDING, RecipientStatus.SENDING]).exists():
        return False
    return bool(Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
        status=CampaignStatus.SENT, finished_at=now))


def _absolute(tenant, name: str, *args) -> str:
    return tenant.url(reverse(name, args=args, urlconf=settings.ROOT_URLCONF))


def _content_for(contents: dict[str, CampaignContent], language: str, tenant) -> CampaignContent:
    return contents.get(language) or contents.get(tenant.default_language) or next(iter(contents.values()))


def campaign_message(campaign: Campaign, contents: dict[str, CampaignContent], *, user, tenant,
                     is_test: bool = False):
    """The campaign's e-mail to ``user``: their language when written in it, the programme's branding,
    an unsubscribe link in the body and the List-Unsubscribe headers (RFC 2369, RFC 8058)."""
    content = _content_for(contents, recipient_language(user, tenant), tenant)
    token = make_unsubscribe_token(user_id=user.pk, campaign_id=campaign.pk, schema_name=tenant.schema_name)
    unsubscribe_url = _absolute(tenant, "promotion:unsubscribe", token)
    subject_line = content.subject
    if is_test:
        with translation.override(content.language):
            subject_line = _("[Test] %(subject)s") % {"subject": content.subject}
    subject, text, html = render_branded_mail(
        tenant=tenant, template="promotion/email/campaign", language=content.language,
        context={"user": user, "subject_line": subject_line, "body_html": mark_safe(content.body),  # noqa: S308  (sanitised on save)
                 "body_text": _plain_text(content.body), "unsubscribe_url": unsubscribe_url},
    )
    return build_mail(to=user.email, subject=subject, text=text, html=html, headers={
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })


def _plain_text(html: str) -> str:
    import html as html_module
    import re

    text = re.sub(r"(?i)<br\s*/?>", "\n", html)
    text = re.sub(r"(?i)</(p|h[1-6]|li|tr|blockquote|pre)>", "\n\n", text)
    text = re.sub(r'(?i)<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", text)
    text = html_module.unescape(strip_tags(text))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def send_test(*, campaign: Campaign, actor) -> None:
    """E-mail the campaign to ``actor`` alone, as a buyer would get it, subject marked as a test."""
    tenant = _tenant()
    contents = {content.language: content for content in campaign.contents.all()}
    if not contents:
        raise PromotionError(_("Write the subject and the message first."))
    message = campaign_message(campaign, contents, user=actor, tenant=tenant, is_test=True)
    payload = {"to": actor.email, "subject": message.subject, "text": message.body,
               "html": message.alternatives[0][0], "headers": dict(message.extra_headers)}
    transaction.on_commit(partial(deliver_mail.delay, **payload))


@transaction.atomic
def unsubscribe(*, user_id: int, campaign_id: int | None, now: datetime | None = None) -> bool:
    """Stop the programme's news for this buyer (one click from a campaign). True when something changed."""
    now = now or timezone.now()
    profile = BuyerProfile.objects.select_for_update().filter(user_id=user_id).first()
    changed = False
    if profile is not None and profile.opted_in_marketing:
        profile.opted_in_marketing, profile.marketing_opt_in_at = False, None
        profile.save(update_fields=["opted_in_marketing", "marketing_opt_in_at", "updated_at"])
        changed = True
        record(action="promotion.unsubscribed", tenant=_tenant(),
               actor=get_user_model().objects.filter(pk=user_id).first(),
               target_type="catalogue.buyerprofile", target_id=profile.pk, target_label=f"#{profile.pk}",
               after={"campaign": campaign_id})
    if campaign_id is not None:
        CampaignRecipient.objects.filter(campaign_id=campaign_id, user_id=user_id,
                                         unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    return changed


# --- Requests for quotes -------------------------------------------------------------------------


def _locked_request(promotion_request: PromotionRequest) -> PromotionRequest:
    return PromotionRequest.objects.select_for_update(of=("self",)).select_related("company").get(
        pk=promotion_request.pk)


def _managers(tenant, *, company_id: int, actor):
    """Active members who run promotion, except the actor and the company's own people."""
    from shared_apps.accounts.models import Membership
    from tenant_apps.directory.models import Representative

    roles = [role for role, granted in tenant.role_matrix.items() if "promotion.manage" in granted]
    memberships = Membership.objects.for_tenant(tenant).filter(role__in=roles, user__is_active=True).select_related("user")
    company_people = set(Representative.objects.filter(company_id=company_id).values_list("user_id", flat=True))
    return [m.user for m in memberships if m.user_id != _actor_id(actor) and m.user_id not in company_people]


def _company_people(company_id: int, *, actor):
    from tenant_apps.directory.models import Representative

    return [rep.user for rep in Representative.objects.filter(company_id=company_id).select_related("user")
            if rep.user.is_active and rep.user_id != _actor_id(actor)]


def _tell(people, *, kind: str, url: str, words: Callable[[], tuple[str, str]], tenant) -> None:
    """Notify each person in their own language: ``words()`` is called in it and returns (title, body)."""
    for person in people:
        with translation.override(recipient_language(person, tenant)):
            title, body = words()
        notify(recipient=person, kind=kind, title=title, body=body, url=url)


def _request_url(promotion_request: PromotionRequest) -> str:
    return reverse("promotion:request-detail", args=[promotion_request.pk])


def _money(amount: Decimal | None) -> str:
    """The amount in euros, written the way the active language writes numbers."""
    from django.utils.formats import number_format

    return "—" if amount is None else f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €"


@transaction.atomic
def submit_request(*, company: Company, actor, kind: str, reach: str, starts_on: date, ends_on: date,
                   product: Product | None = None, budget: Decimal | None = None, message: str = "",
                   today: date | None = None) -> PromotionRequest:
    """A representative asks for a quote; the programme's promotion team is told."""
    today = today or timezone.localdate()
    if not selectors.represents(actor, company.pk):
        raise PromotionError(_("You do not represent this company."))
    if kind not in PromotionRequest.Kind.values:
        raise ValidationError({"kind": _("Choose what you would like.")})
    if reach not in PromotionRequest.Reach.values:
        raise ValidationError({"reach": _("Choose the reach.")})
    if starts_on < today:
        raise ValidationError({"starts_on": _("The period cannot start in the past.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end must come after the start.")})
    if product is not None and product.company_id != company.pk:
        raise ValidationError({"product": _("Choose one of your company's products.")})
    if budget is not None and budget < 0:
        raise ValidationError({"budget": _("A budget cannot be negative.")})
    promotion_request = PromotionRequest.objects.create(
        company=company, kind=kind, reach=reach, product=product, starts_on=starts_on, ends_on=ends_on, budget=budget,
        message=(message or "").strip(), requested_by_id=actor.pk)
    tenant = _tenant()
    record(action="promotion.request_submitted", tenant=tenant, actor=actor, target=promotion_request,
           after={"company": company.pk, "kind": kind, "reach": reach, "budget": budget,
                  "starts_on": starts_on, "ends_on": ends_on})
    _tell(_managers(tenant, company_id=company.pk, actor=actor), kind="promotion.for_managers",
          url=_request_url(promotion_request), tenant=tenant,
          words=lambda: (_("%(company)s asks for a promotion quote") % {"company": company.name},
                         _("%(kind)s, %(reach)s reach, from %(start)s to %(end)s.") % {
                             "kind": promotion_request.get_kind_display(), "reach": promotion_request.get_reach_display(),
                             "start": starts_on.isoformat(), "end": ends_on.isoformat()}))
    return promotion_request


@transaction.atomic
def quote_request(*, promotion_request: PromotionRequest, actor, amount: Decimal, note: str = "",
                  valid_until: date | None = None, today: date | None = None) -> PromotionRequest:
    """The team answers with a quote (or a new one, while the company has not decided)."""
    today = today or timezone.localdate()
    promotion_request = _locked_request(promotion_request)
    if not promotion_request.is_open:
        raise PromotionError(_("This request is closed; it can no longer be quoted."))
    if selectors.represents(actor, promotion_request.company_id):
        raise PromotionError(_("You represent this company, so someone else in the team must quote."))
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Give an amount of zero or more.")})
    if valid_until is not None and valid_until < today:
        raise ValidationError({"valid_until": _("The quote cannot expire in the past.")})
    before = {"amount": promotion_request.quote_amount, "status": promotion_request.status}
    promotion_request.quote_amount, promotion_request.quote_note = amount, (note or "").strip()
    promotion_request.quote_valid_until, promotion_request.quoted_at = valid_until, timezone.now()
    promotion_request.quoted_by_id, promotion_request.status = actor.pk, RequestStatus.QUOTED
    promotion_request.save()
    tenant = _tenant()
    record(action="promotion.request_quoted", tenant=tenant, actor=actor, target=promotion_request, before=before,
           after={"amount": amount, "valid_until": valid_until, "status": RequestStatus.QUOTED})
    _tell(_company_people(promotion_request.company_id, actor=actor), kind="promotion.for_company",
          url=_request_url(promotion_request), tenant=tenant,
          words=lambda: (_("Your promotion quote is ready"),
                         _("%(kind)s: %(amount)s before tax. Accept or decline it from your request.") % {
                             "kind": promotion_request.get_kind_display(), "amount": _money(amount)}))
    return promotion_request


@transaction.atomic
def refuse_request(*, promotion_request: PromotionRequest, actor, reason: str) -> PromotionRequest:
    """The team turns a request down, saying why."""
    promotion_request = _locked_request(promotion_request)
    if not promotion_request.is_open:
        raise PromotionError(_("This request is already closed."))
    if selectors.represents(actor, promotion_request.company_id):
        raise PromotionError(_("You represent this company, so someone else in the team must answer."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tell the company why.")})
    return _close(promotion_request, RequestStatus.REFUSED, actor=actor, note=reason, action="promotion.request_refused",
                  people=_company_people(promotion_request.company_id, actor=actor), kind="promotion.for_company",
                  words=lambda: (_("Your promotion request was turned down"), reason.strip()))


def _check_company_side(promotion_request: PromotionRequest, actor) -> None:
    if not selectors.represents(actor, promotion_request.company_id):
        raise PromotionError(_("Only the company's representatives can answer this quote."))


@transaction.atomic
def accept_quote(*, promotion_request: PromotionRequest, actor, today: date | None = None) -> PromotionRequest:
    """The company accepts; a featured product or company is scheduled for the period asked at once."""
    today = today or timezone.localdate()
    promotion_request = _locked_request(promotion_request)
    _check_company_side(promotion_request, actor)
    if promotion_request.status != RequestStatus.QUOTED:
        raise PromotionError(_("There is no quote waiting for your answer."))
    if promotion_request.quote_expired(today):
        raise PromotionError(_("This quote expired on %(date)s. Ask the programme's team for a new one.")
                             % {"date": date_format(promotion_request.quote_valid_until, "DATE_FORMAT")})
    company = promotion_request.company
    scheduled = _schedule_featured(promotion_request, actor)

    def words() -> tuple[str, str]:
        body = _("%(kind)s, %(amount)s before tax.") % {
            "kind": promotion_request.get_kind_display(), "amount": _money(promotion_request.quote_amount)}
        if promotion_request.kind == PromotionRequest.Kind.FEATURED:
            body += " " + (_("The featured slot is scheduled for the period asked.") if scheduled else
                           _("The featured slot could not be scheduled for the period asked: set it up in Featured."))
        return _("%(company)s accepted the promotion quote") % {"company": company.name}, body

    return _close(promotion_request, RequestStatus.ACCEPTED, actor=actor, note="", action="promotion.request_accepted",
                  people=_managers(_tenant(), company_id=company.pk, actor=actor), kind="promotion.for_managers",
                  words=words)


def _schedule_featured(promotion_request: PromotionRequest, actor) -> bool:
    """Feature the request's product (or else its company) from its first to its last day.

    The period starts now at the earliest. When the rules refuse (the product is no longer
    published, the company is not supported, the period overlaps another slot), the
    acceptance stands and the team sets the slot up by hand; the managers are told.
    """
    if promotion_request.kind != PromotionRequest.Kind.FEATURED:
        return False
    zone = timezone.get_current_timezone()
    starts_at = max(timezone.now(), datetime.combine(promotion_request.starts_on, datetime.min.time(), tzinfo=zone))
    ends_at = datetime.combine(promotion_request.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    if ends_at <= starts_at:
        return False
    try:
        with transaction.atomic():
            if promotion_request.product_id:
                promotion_request.featured_product = add_featured_product(
                    product=promotion_request.product, starts_at=starts_at, ends_at=ends_at, actor=actor)
            else:
                promotion_request.featured_company = add_featured_company(
                    company=promotion_request.company, starts_at=starts_at, ends_at=ends_at, actor=actor)
    except ValidationError as error:
        logger.info("accepted featured quote not scheduled", extra={"request": promotion_request.pk,
                                                                    "reasons": error.messages})
        return False
    return True


@transaction.atomic
def decline_quote(*, promotion_request: PromotionRequest, actor, reason: str = "") -> PromotionRequest:
    promotion_request = _locked_request(promotion_request)
    _check_company_side(promotion_request, actor)
    if promotion_request.status != RequestStatus.QUOTED:
        raise PromotionError(_("There is no quote waiting for your answer."))
    company = promotion_request.company
    return _close(promotion_request, RequestStatus.DECLINED, actor=actor, note=reason, action="promotion.request_declined",
                  people=_managers(_tenant(), company_id=company.pk, actor=actor), kind="promotion.for_managers",
                  words=lambda: (_("%(company)s declined the promotion quote") % {"company": company.name},
                                 (reason or "").strip()))


@transaction.atomic
def withdraw_request(*, promotion_request: PromotionRequest, actor) -> PromotionRequest:
    promotion_request = _locked_request(promotion_request)
    _check_company_side(promotion_request, actor)
    if not promotion_request.is_open:
        raise PromotionError(_("This request is already closed."))
    company = promotion_request.company
    return _close(promotion_request, RequestStatus.WITHDRAWN, actor=actor, note="", action="promotion.request_withdrawn",
                  people=_managers(_tenant(), company_id=company.pk, actor=actor), kind="promotion.for_managers",
                  words=lambda: (_("%(company)s withdrew its promotion request") % {"company": company.name}, ""))


def _close(promotion_request: PromotionRequest, status: str, *, actor, note: str, action: str, people, kind: str,
           words: Callable[[], tuple[str, str]]) -> PromotionRequest:
    before = {"status": promotion_request.status}
    promotion_request.status, promotion_request.decided_at = status, timezone.now()
    promotion_request.decided_by_id, promotion_request.decision_note = actor.pk, (note or "").strip()
    promotion_request.save()
    tenant = _tenant()
    record(action=action, tenant=tenant, actor=actor, target=promotion_request, before=before,
           after={"status": status, "note": promotion_request.decision_note})
    _tell(people, kind=kind, url=_request_url(promotion_request), tenant=tenant, words=words)
    return promotion_request
