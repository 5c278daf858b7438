"""Writes to the catalogue: the rules on who may change which product live here.

A seller is a representative of the product's company who holds ``catalogue.edit_own``;
moderators (``catalogue.moderate``) keep the taxonomies, the supported companies and may
take a product offline. Every function runs inside the tenant's schema.
"""

from __future__ import annotations

import re

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from platform_core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from shared_apps.accounts.permissions import can, current_tenant
from shared_apps.audit.services import record
from tenant_apps.catalogue.models import (
    CatalogueSettings,
    Certification,
    Product,
    ProductDocument,
    ProductImage,
    ProductTranslation,
    SupportedCompany,
    Vertical,
)
from tenant_apps.directory.models import Company, Representative

IMAGE_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_IMAGES = 12
MAX_DOCUMENTS = 10
MAX_SPECIFICATIONS = 40

PRODUCT_FIELDS = (
    "kind", "title", "description", "language", "minimum_order", "lead_time", "hs_code", "countries_served",
)


class CatalogueError(Exception):
    """A catalogue change the rules refuse; the message is meant for the person who tried."""


def _require(user, permission: str) -> None:
    if not can(user, permission, tenant=current_tenant()):
        raise CatalogueError(_("You may not do this in this programme."))


def seller_company(user) -> Company | None:
    """The company ``user`` sells for: the one they represent, when they may edit its catalogue."""
    if user is None or not user.is_authenticated or not can(user, "catalogue.edit_own", tenant=current_tenant()):
        return None
    # The same company every time (owner first), should the user represent several.
    rep = Representative.objects.filter(user=user).select_related("company").order_by("-is_owner", "pk").first()
    return rep.company if rep else None


def _require_seller(user, product: Product) -> None:
    _require(user, "catalogue.edit_own")
    if not Representative.objects.filter(user=user, company_id=product.company_id).exists():
        raise CatalogueError(_("Only this company's representatives may change its products."))


def catalogue_settings() -> CatalogueSettings:
    settings, _created = CatalogueSettings.objects.get_or_create(pk=1)
    return settings


def normalise_hs_code(value: str) -> str:
    """"8457.10 20" -> "84571020": people copy codes with dots and spaces."""
    return re.sub(r"[\s.]", "", value or "")


def clean_specifications(rows) -> list[dict[str, str]]:
    """Keep rows that have a name, trimmed, in order; refuse a row with a value but no name."""
    cleaned = []
    for row in rows or []:
        name = str(row.get("name", "")).strip()[:120]
        value = str(row.get("value", "")).strip()[:500]
        if not name and not value:
            continue
        if not name:
            raise ValidationError({"specifications": _("Each specification needs a name as well as a value.")})
        cleaned.append({"name": name, "value": value})
    if len(cleaned) > MAX_SPECIFICATIONS:
        raise ValidationError(
            {"specifications": _("A product holds at most %(count)s specifications.") % {"count": MAX_SPECIFICATIONS}}
        )
    return cleaned


def _assign(product: Product, values: dict) -> list[str]:
    changed = []
    if "hs_code" in values:
        values = {**values, "hs_code": normalise_hs_code(values["hs_code"])}
    if "countries_served" in values:
        values = {**values, "countries_served": sorted(set(values["countries_served"] or []))}
    for name in PRODUCT_FIELDS:
        if name in values and getattr(product, name) != values[name]:
            setattr(product, name, values[name])
            changed.append(name)
    return changed


def _check_language(language: str) -> None:
    tenant = current_tenant()
    if tenant is not None and language not in tenant.languages:
        raise ValidationError({"language": _("Choose one of the programme's languages.")})


# Products


@transaction.atomic
def create_product(*, actor, company: Company, specifications=None, verticals=None, certifications=None,
                   **values) -> Product:
    """A draft product of ``company``; the actor must represent it."""
    _require(actor, "catalogue.edit_own")
    if not Representative.objects.filter(user=actor, company=company).exists():
        raise CatalogueError(_("Only this company's representatives may add its products."))
    product = Product(company=company, status=Product.Status.DRAFT)
    _assign(product, values)
    _check_language(product.language)
    product.specifications = clean_specifications(specifications)
    product.full_clean(exclude=["search_vector", "company"])
    product.save()
    if verticals is not None:
        product.verticals.set(verticals)
    if certifications is not None:
        product.certifications.set(certifications)
    record(action="product.created", tenant=current_tenant(), actor=actor, target=product,
           after={"company": company.pk, "kind": product.kind})
    return product


@transaction.atomic
def update_product(*, actor, product: Product, specifications=None, verticals=None, certifications=None,
                   **values) -> Product:
    _require_seller(actor, product)
    changed = _assign(product, values)
    _check_language(product.language)
    if specifications is not None:
        cleaned = clean_specifications(specifications)
        if cleaned != product.specifications:
            product.specifications = cleaned
            changed.append("specifications")
    if changed:
        product.full_clean(exclude=["search_vector", "company"])
        product.save()
    if verticals is not None:
        product.verticals.set(verticals)
    if certifications is not None:
        product.certifications.set(certifications)
    if product.is_published:
        # Inside the transaction: a published product that lost what it needs rolls back whole.
        check_publishable(product)
    if changed:
        record(action="product.changed", tenant=current_tenant(), actor=actor, target=product, after={"fields": changed})
    return product


def missing_languages(product: Product) -> list[str]:
    """Required languages this product has no text in (neither its own nor a translation)."""
    required = set(catalogue_settings().required_languages)
    tenant = current_tenant()
    if tenant is not None:
        required &= set(tenant.languages)
    have = {product.language} | set(
        product.translations.exclude(title="").values_list("language", flat=True)
    )
    return sorted(required - have)


def check_publishable(product: Product) -> None:
    """What a published product must have: a title, a description, a vertical, the required languages."""
    errors = {}
    if not product.title.strip():
        errors["title"] = _("Give the product a title.")
    if not product.description.strip():
        errors["description"] = _("Describe the product before publishing it.")
    if product.pk and not product.verticals.exists():
        errors["verticals"] = _("Choose at least one vertical so buyers find the product.")
    missing = missing_languages(product) if product.pk else []
    if missing:
        names = dict(django_settings.LANGUAGES)
        errors["translations"] = _("Add the title and description in: %(languages)s.") % {
            "languages": ", ".join(str(names.get(code, code)) for code in missing)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publish_product(*, actor, product: Product) -> Product:
    """Put the product online; refuses with field-by-field reasons when it is not complete."""
    _require_seller(actor, product)
    if product.is_published:
        return product
    check_publishable(product)
    product.status = Product.Status.PUBLISHED
    product.published_at = timezone.now()
    product.save(update_fields=["status", "published_at", "updated_at"])
    record(action="product.published", tenant=current_tenant(), actor=actor, target=product)
    return product


def unpublish_product(*, actor, product: Product) -> Product:
    """Take the product offline: its sellers may, and so may moderators."""
    if not can(actor, "catalogue.moderate", tenant=current_tenant()):
        _require_seller(actor, product)
    if not product.is_published:
        return product
    product.status = Product.Status.DRAFT
    product.published_at = None
    product.save(update_fields=["status", "published_at", "updated_at"])
    record(action="product.unpublished", tenant=current_tenant(), actor=actor, target=product)
    return product


@transaction.atomic
def delete_product(*, actor, product: Product) -> None:
    _require_seller(actor, product)
    images = list(product.images.all())
    documents = [document.file for document in product.documents.all()]
    record(action="product.deleted", tenant=current_tenant(), actor=actor, target=product)
    product.delete()

    def _delete_files():
        for image in images:
            _delete_image_files(image)
        for stored in documents:
            stored.delete(save=False)

    transaction.on_commit(_delete_files)


# Translations


@transaction.atomic
def save_translation(*, actor, product: Product, language: str, title: str, description: str = "",
                     specifications=None, minimum_order: str = "", lead_time: str = "") -> ProductTranslation | None:
    """Set the product's text in ``language``; an empty title removes that translation."""
    _require_seller(actor, product)
    tenant = current_tenant()
    if language == product.language or (tenant is not None and language not in tenant.languages):
        raise ValidationError({"language": _("Choose another of the programme's languages.")})
    title, description = title.strip(), description.strip()
    if not title:
        if description:
            raise ValidationError({"title": _("Give the title in this language too.")})
        ProductTranslation.objects.filter(product=product, language=language).delete()
        if product.is_published and language in missing_languages(product):
            raise ValidationError({"title": _("This language is required for published products: unpublish the product first.")})
        return None
    translation, _created = ProductTranslation.objects.update_or_create(
        product=product, language=language,
        defaults={"title": title[:200], "description": description,
                  "specifications": clean_specifications(specifications),
                  "minimum_order": minimum_order.strip()[:120], "lead_time": lead_time.strip()[:120]},
    )
    Product.objects.filter(pk=product.pk).update(updated_at=timezone.now())
    return translation


# Images and data sheets


def add_image(*, actor, product: Product, upload, alt_text: str) -> ProductImage:
    _require_seller(actor, product)
    alt_text = alt_text.strip()
    if not alt_text:
        raise ValidationError({"alt_text": _("Say what the image shows, for people who cannot see it.")})
    validate_upload(upload, kinds=IMAGE_KINDS, max_bytes=IMAGE_MAX_BYTES)
    if product.images.count() >= MAX_IMAGES:
        raise ValidationError(
            {"image": _("A product holds at most %(count)s images; remove one first.") % {"count": MAX_IMAGES}}
        )
    position = (product.images.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    image = ProductImage(product=product, alt_text=alt_text[:200], position=position)
    # Re-encoded as it is stored (models.ProductImage): upright, 1,600 px a side at most, WebP, no metadata.
    image.image.save(upload.name, upload, save=False)
    image.save()
    return image


def _delete_image_files(image: ProductImage) -> None:
    """The stored image and the thumbnail made from it, if any."""
    thumbnail_name = image.thumbnail.name if image.image else None
    if thumbnail_name:
        image.thumbnail.storage.delete(thumbnail_name)
    image.image.delete(save=False)


def remove_image(*, actor, product: Product, image: ProductImage) -> None:
    _require_seller(actor, product)
    if image.product_id != product.pk:
        raise CatalogueError(_("This image belongs to another product."))
    _delete_image_files(image)
    image.delete()


def add_document(*, actor, product: Product, upload, title: str, language: str,
                 visibility: str = ProductDocument.Visibility.PUBLIC) -> ProductDocument:
    """Store a data sheet: a readable, unprotected PDF, checked by its bytes."""
    _require_seller(actor, product)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    if product.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            {"file": _("A product holds at most %(count)s documents; remove one first.") % {"count": MAX_DOCUMENTS}}
        )
    document = ProductDocument(product=product, title=title[:200], language=language, visibility=visibility,
                               size=upload.size or 0)
    document.full_clean(exclude=["file"])
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document


def remove_document(*, actor, product: Product, document: ProductDocument) -> None:
    _require_seller(actor, product)
    if document.product_id != product.pk:
        raise CatalogueError(_("This document belongs to another product."))
    document.file.delete(save=False)
    document.delete()


# Taxonomies, supported companies and settings (moderators)


def _unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = slugify(text)[:70] or "item"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _save_taxonomy(model, *, actor, entry, name: str, name_en: str = "", **extra):
    _require(actor, "catalogue.moderate")
    entry = entry or model()
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    if model.objects.filter(name__iexact=name).exclude(pk=entry.pk).exists():
        raise ValidationError({"name": _("An entry with this name exists already.")})
    if entry.pk is None:
        entry.position = (model.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    entry.name, entry.name_en = name, name_en.strip()
    for field, value in extra.items():
        setattr(entry, field, value.strip() if isinstance(value, str) else value)
    entry.slug = entry.slug or _unique_slug(model, name, exclude_pk=entry.pk)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("An entry with this name exists already.")}) from error
    return entry


def save_vertical(*, actor, vertical: Vertical | None = None, name: str, name_en: str = "", description: str = "",
                  description_en: str = "") -> Vertical:
    return _save_taxonomy(Vertical, actor=actor, entry=vertical, name=name, name_en=name_en,
                          description=description, description_en=description_en)


def save_certification(*, actor, certification: Certification | None = None, name: str, name_en: str = "",
                       issuer: str = "") -> Certification:
    return _save_taxonomy(Certification, actor=actor, entry=certification, name=name, name_en=name_en, issuer=issuer)


@transaction.atomic
def move_entry(*, actor, entry, direction: str) -> None:
    """Swap a vertical or certification with its previous (``up``) or next (``down``) neighbour."""
    _require(actor, "catalogue.moderate")
    model = type(entry)
    entries = list(model.objects.order_by("position", "name"))
    for index, item in enumerate(entries):
        item.position = index
    i = next(index for index, item in enumerate(entries) if item.pk == entry.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(entries):
        entries[i].position, entries[j].position = entries[j].position, entries[i].position
    model.objects.bulk_update(entries, ["position"])


def delete_entry(*, actor, entry) -> None:
    """Delete a vertical or certification; products keep everything else."""
    _require(actor, "catalogue.moderate")
    entry.delete()


def support_company(*, actor, company: Company, since=None, note: str = "") -> SupportedCompany:
    _require(actor, "catalogue.moderate")
    supported, created = SupportedCompany.objects.update_or_create(
        company=company, defaults={"since": since or timezone.localdate(), "note": note.strip()[:200]},
    )
    if created:
        record(action="showroom.company_supported", tenant=current_tenant(), actor=actor, target=company)
    return supported


def stop_supporting(*, actor, company: Company) -> None:
    _require(actor, "catalogue.moderate")
    if SupportedCompany.objects.filter(company=company).delete()[0]:
        record(action="showroom.company_unsupported", tenant=current_tenant(), actor=actor, target=company)


def update_settings(*, actor, required_languages: list[str]) -> CatalogueSettings:
    _require(actor, "settings.change")
    settings = catalogue_settings()
    tenant = current_tenant()
    settings.required_languages = sorted(code for code in set(required_languages) if tenant is None or code in tenant.languages)
    settings.save()
    return settings
