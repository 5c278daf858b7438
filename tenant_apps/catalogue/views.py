"""Product and store pages, data sheet downloads, and saving products and companies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from platform_core.security import safe_redirect_target
from shared_apps.accounts.permissions import can
from tenant_apps.analytics.models import Event
from tenant_apps.analytics.services import record_event
from tenant_apps.catalogue import selectors
from tenant_apps.catalogue.buyers import services as buyer_services
from tenant_apps.directory.models import Company


class _SignIn(Exception):
    pass


def require_browsing(request) -> None:
    """404 when the catalogue is off; sign-in for visitors and 403 for members without ``catalogue.view``."""
    if not request.tenant.has_module("catalogue"):
        raise Http404
    if not can(request.user, "catalogue.view", tenant=request.tenant):
        if not request.user.is_authenticated:
            raise _SignIn
        raise PermissionDenied


def browsing(view):
    """View decorator applying :func:`require_browsing`."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            require_browsing(request)
        except _SignIn:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def can_inquire(request) -> bool:
    """Whether the viewer may open an inquiry here: the inquiries module is on and they may send one."""
    return request.tenant.has_module("inquiries") and can(request.user, "inquiries.send", tenant=request.tenant)


@require_GET
def product_detail(request, pk: int):
    product, is_seller = selectors.product_for_page(pk=pk, user=request.user, tenant=request.tenant)
    if not is_seller:
        try:
            require_browsing(request)
        except _SignIn:
            return redirect_to_login(request.get_full_path())
    if product.is_published and not is_seller:
        # A company's own people looking at their products are not visitors.
        record_event(Event.Kind.PRODUCT_VIEW, request=request, company_id=product.company_id, product_id=product.pk)
    languages = selectors.reading_languages(request.tenant)
    context = {
        "product": product,
        "text": selectors.product_text(product, languages),
        "is_seller": is_seller,
        "can_moderate": can(request.user, "catalogue.moderate", tenant=request.tenant),
        "documents": selectors.documents_for(product, user=request.user, tenant=request.tenant),
        "is_saved": bool(selectors.saved_product_ids(request.user, [product.pk])),
        "can_save": request.user.is_authenticated and selectors.is_member(request.user, request.tenant),
        "can_inquire": product.is_published and can_inquire(request),
        "is_member": selectors.is_member(request.user, request.tenant),
        "countries_served": sorted(str(countries.name(code)) for code in product.countries_served),
    }
    return render(request, "catalogue/product_detail.html", context)


@require_GET
def document_download(request, pk: int, document_pk: int):
    product, is_seller = selectors.product_for_page(pk=pk, user=request.user, tenant=request.tenant)
    if not is_seller:
        try:
            require_browsing(request)
        except _SignIn:
            return redirect_to_login(request.get_full_path())
    shown = selectors.documents_for(product, user=request.user, tenant=request.tenant)
    document = next((document for document in shown if document.pk == document_pk), None)
    if document is None:
        if not request.user.is_authenticated and any(d.pk == document_pk for d in product.documents.all()):
            return redirect_to_login(request.get_full_path())
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = f"{slugify(document.title) or 'datasheet'}.pdf"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")


@browsing
@require_GET
def store(request, pk: int):
    company = selectors.store_for_page(pk=pk, user=request.user, tenant=request.tenant)
    if not selectors.represents(request.user, company):
        # A company's own people looking at their store are not visitors.
        record_event(Event.Kind.COMPANY_VIEW, request=request, company_id=company.pk)
    languages = selectors.reading_languages(request.tenant)
    products = list(selectors.store_products(company, languages))
    saved = selectors.saved_product_ids(request.user, [product.pk for product in products])
    context = {
        "company": company,
        "cards": [(product, selectors.product_text(product, languages), product.pk in saved) for product in products],
        "certifications": selectors.store_certifications(company),
        "is_saved": selectors.is_company_saved(request.user, company.pk),
        "can_save": request.user.is_authenticated and selectors.is_member(request.user, request.tenant),
        "can_inquire": can_inquire(request),
        "is_member": selectors.is_member(request.user, request.tenant),
        "has_directory": request.tenant.has_module("directory"),
    }
    return render(request, "catalogue/store.html", context)


def _back(request, default: str) -> str:
    return safe_redirect_target(request, request.POST.get("next"), default=default)


@require_POST
def product_save(request, pk: int):
    if not request.user.is_authenticated:
        # Back to the page, not to this POST-only address, after signing in.
        return redirect_to_login(reverse("catalogue:product-detail", args=[pk]))
    require_browsing(request)
    product = get_object_or_404(selectors.listed_products(), pk=pk)
    is_saved = request.POST.get("action") != "remove"
    try:
        if is_saved:
            buyer_services.save_product(user=request.user, product=product)
        else:
            buyer_services.forget_product(user=request.user, product=product)
    except buyer_services.BuyerError as error:
        messages.error(request, str(error))
        return redirect(_back(request, reverse("catalogue:product-detail", args=[pk])))
    if request.htmx:
        context = {"item": product, "is_saved": is_saved, "kind": "product", "next": request.POST.get("next", "")}
        return render(request, "catalogue/_save_button.html", context)
    messages.success(request, _("Saved.") if is_saved else _("Removed from your saved items."))
    return redirect(_back(request, reverse("catalogue:product-detail", args=[pk])))


@require_POST
def company_save(request, pk: int):
    if not request.user.is_authenticated:
        # Back to the page, not to this POST-only address, after signing in.
        return redirect_to_login(reverse("catalogue:store", args=[pk]))
    require_browsing(request)
    company = get_object_or_404(Company.objects.exclude(visibility=Company.Visibility.HIDDEN), pk=pk)
    is_saved = request.POST.get("action") != "remove"
    try:
        if is_saved:
            buyer_services.save_company(user=request.user, company=company)
        else:
            buyer_services.forget_company(user=request.user, company=company)
    except buyer_services.BuyerError as error:
        messages.error(request, str(error))
        return redirect(_back(request, reverse("catalogue:store", args=[pk])))
    if request.htmx:
        context = {"item": company, "is_saved": is_saved, "kind": "company", "next": request.POST.get("next", "")}
        return render(request, "catalogue/_save_button.html", context)
    messages.success(request, _("Saved.") if is_saved else _("Removed from your saved items."))
    return redirect(_back(request, reverse("catalogue:store", args=[pk])))


@browsing
@require_GET
def saved(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    languages = selectors.reading_languages(request.tenant)
    products = list(selectors.saved_products(request.user, languages))
    context = {
        "cards": [(product, selectors.product_text(product, languages), True) for product in products],
        "companies": list(selectors.saved_companies(request.user)),
        "can_save": True,
        "needs_buyer_profile": buyer_services.needs_profile(request.user, request.tenant),
    }
    return render(request, "catalogue/saved.html", context)
