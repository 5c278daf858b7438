"""Reads for catalogue pages: which products a viewer may see, in which language."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from shared_apps.accounts.permissions import can, role_in
from tenant_apps.catalogue.models import (
    Certification,
    Product,
    ProductDocument,
    ProductImage,
    ProductTranslation,
    SavedCompany,
    SavedProduct,
    SupportedCompany,
    Vertical,
)
from tenant_apps.directory.models import Company, Representative
from tenants import catalog


def is_member(user, tenant) -> bool:
    return role_in(user, tenant) != catalog.VISITOR


def reading_languages(tenant, *, language: str | None = None) -> list[str]:
    """Languages to show a product in, best first: the visitor's, then the programme's default."""
    chosen = (language or get_language() or "").split("-")[0]
    ordered = [code for code in (chosen, tenant.default_language if tenant else None) if code]
    return list(dict.fromkeys(ordered))


@dataclass(frozen=True)
class ProductText:
    title: str
    description: str
    specifications: list
    minimum_order: str
    lead_time: str
    language: str
    is_fallback: bool


def product_text(product: Product, languages: list[str]) -> ProductText:
    """The product's text in the first of ``languages`` it has, else in its own language.

    Reads ``product.translations.all()``, so a prefetch keeps list pages at one query.
    """
    translations = {translation.language: translation for translation in product.translations.all()}
    for code in languages:
        if code == product.language:
            break
        translation = translations.get(code)
        if translation is not None and translation.title:
            return ProductText(translation.title, translation.description,
                               translation.specifications or product.specifications,
                               translation.minimum_order or product.minimum_order,
                               translation.lead_time or product.lead_time, code, False)
    wanted = languages[0] if languages else product.language
    return ProductText(product.title, product.description, product.specifications, product.minimum_order,
                       product.lead_time, product.language, product.language != wanted)


def translations_prefetch(languages: list[str]) -> Prefetch:
    return Prefetch("translations", queryset=ProductTranslation.objects.filter(language__in=languages))


def listed_products() -> QuerySet:
    """Published products of companies that show themselves (not hidden profiles)."""
    return Product.objects.filter(status=Product.Status.PUBLISHED).exclude(company__visibility=Company.Visibility.HIDDEN)


def may_browse(user, tenant) -> bool:
    return tenant.has_module("catalogue") and can(user, "catalogue.view", tenant=tenant)


def for_cards(queryset: QuerySet, languages: list[str]) -> QuerySet:
    """What a product card shows, in a fixed number of queries: company, first image, text."""
    return queryset.select_related("company").defer("search_vector", "search_title").prefetch_related(
        translations_prefetch(languages),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"), to_attr="ordered_images"),
    )


def product_for_page(*, pk: int, user, tenant) -> tuple[Product, bool]:
    """The product and whether the viewer sells it; 404 when the viewer may not see it.

    Drafts are shown to their own sellers (as a preview) and to moderators only.
    """
    product = (
        Product.objects.select_related("company", "company__sector").defer("search_vector", "search_title")
        .prefetch_related("translations", "verticals", "certifications",
                          Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
                          Prefetch("documents", queryset=ProductDocument.objects.order_by("title", "id")))
        .filter(pk=pk).first()
    )
    if product is None or not tenant.has_module("catalogue"):
        raise Http404
    is_seller = user.is_authenticated and Representative.objects.filter(user=user, company_id=product.company_id).exists()
    if is_seller and can(user, "catalogue.edit_own", tenant=tenant):
        return product, True
    if can(user, "catalogue.moderate", tenant=tenant):
        return product, False
    listed = product.is_published and product.company.visibility != Company.Visibility.HIDDEN
    if not listed:
        raise Http404
    return product, False


def documents_for(product: Product, *, user, tenant) -> list[ProductDocument]:
    member = is_member(user, tenant)
    return [doc for doc in product.documents.all() if doc.visibility == ProductDocument.Visibility.PUBLIC or member]


def represents(user, company: Company) -> bool:
    """Whether ``user`` is one of ``company``'s representatives (no query for visitors)."""
    return user.is_authenticated and Representative.objects.filter(user=user, company=company).exists()


def store_for_page(*, pk: int, user, tenant) -> Company:
    """A company's store: 404 for hidden profiles, unless the viewer represents it."""
    company = Company.objects.select_related("sector").filter(pk=pk).first()
    if company is None or not tenant.has_module("catalogue"):
        raise Http404
    if company.visibility == Company.Visibility.HIDDEN:
        own = user.is_authenticated and Representative.objects.filter(user=user, company=company).exists()
        if not own and not can(user, "catalogue.moderate", tenant=tenant):
            raise Http404
    return company


def store_products(company: Company, languages: list[str]) -> QuerySet:
    return for_cards(Product.objects.filter(company=company, status=Product.Status.PUBLISHED), languages).order_by(
        "title", "pk"
    )


def store_certifications(company: Company) -> QuerySet:
    return Certification.objects.filter(
        products__company=company, products__status=Product.Status.PUBLISHED
    ).distinct().order_by("position", "name")


def seller_products(company: Company) -> QuerySet:
    """All the company's products for its sellers' list, with what each still lacks."""
    return (
        Product.objects.filter(company=company).defer("search_vector", "search_title")
        .annotate(image_count=Count("images", distinct=True), translation_count=Count("translations", distinct=True))
        .order_by("-updated_at", "-pk")
    )


def owned_product(*, pk: int, user) -> Product:
    """The product ``pk`` if ``user`` represents its company; 404 otherwise, as if it did not exist."""
    product = Product.objects.select_related("company").filter(
        pk=pk, company__in=Representative.objects.filter(user=user).values("company_id")
    ).first() if user.is_authenticated else None
    if product is None:
        raise Http404
    return product


def is_supported(company_id: int) -> bool:
    return SupportedCompany.objects.filter(company_id=company_id).exists()


def supported_companies() -> QuerySet:
    return (
        Company.objects.filter(showroom_support__isnull=False).exclude(visibility=Company.Visibility.HIDDEN)
        .select_related("sector", "showroom_support")
        .annotate(product_count=Count("products", filter=Q(products__status=Product.Status.PUBLISHED)))
        .order_by("name", "pk")
    )


def verticals_with_counts() -> QuerySet:
    listed = Q(products__status=Product.Status.PUBLISHED) & ~Q(products__company__visibility=Company.Visibility.HIDDEN)
    return Vertical.objects.annotate(product_count=Count("products", filter=listed, distinct=True)).order_by("position", "name")


def certifications_with_counts() -> QuerySet:
    return Certification.objects.annotate(product_count=Count("products", distinct=True)).order_by("position", "name")


# Saved items


def saved_product_ids(user, product_ids) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(SavedProduct.objects.filter(user=user, product_id__in=list(product_ids)).values_list("product_id", flat=True))


def is_company_saved(user, company_id: int) -> bool:
    return user.is_authenticated and SavedCompany.objects.filter(user=user, company_id=company_id).exists()


def saved_products(user, languages: list[str]) -> QuerySet:
    """The person's saved products that are still listed, newest save first."""
    return for_cards(listed_products().filter(saves__user=user), languages).order_by("-saves__created_at", "-pk")


def saved_companies(user) -> QuerySet:
    return (
        Company.objects.filter(saves__user=user).exclude(visibility=Company.Visibility.HIDDEN)
        .select_related("sector").order_by("-saves__created_at", "-pk")
    )
