"""Moderators' and admins' catalogue pages: verticals, certifications, supported companies, settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.permissions import permission_required
from tenant_apps.catalogue import forms, selectors, services
from tenant_apps.catalogue.models import Certification, Product, Vertical
from tenant_apps.directory.models import Company

TAXONOMIES = {
    "verticals": {
        "model": Vertical, "form": forms.VerticalForm, "save": services.save_vertical, "argument": "vertical",
        "title": gettext_lazy("Verticals"), "fields": ("name", "name_en", "description", "description_en"),
        "rows": selectors.verticals_with_counts,
    },
    "certifications": {
        "model": Certification, "form": forms.CertificationForm, "save": services.save_certification,
        "argument": "certification", "title": gettext_lazy("Certifications"), "fields": ("name", "name_en", "issuer"),
        "rows": selectors.certifications_with_counts,
    },
}


def _catalogue_on(request) -> None:
    if not request.tenant.has_module("catalogue"):
        raise Http404


def _taxonomy(name: str) -> dict:
    if name not in TAXONOMIES:
        raise Http404
    return TAXONOMIES[name]


@permission_required("catalogue.moderate")
@require_http_methods(["GET", "POST"])
def taxonomy_list(request, taxonomy: str):
    _catalogue_on(request)
    config = _taxonomy(taxonomy)
    form = config["form"](posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            config["save"](actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect("catalogue:taxonomy-list", taxonomy=taxonomy)
    context = {"taxonomy": taxonomy, "config": config, "form": form, "rows": list(config["rows"]())}
    return render(request, "catalogue/manage/taxonomy_list.html", context, status=response_status(form))


@permission_required("catalogue.moderate")
@require_http_methods(["GET", "POST"])
def taxonomy_edit(request, taxonomy: str, pk: int):
    _catalogue_on(request)
    config = _taxonomy(taxonomy)
    entry = get_object_or_404(config["model"], pk=pk)
    initial = {field: getattr(entry, field) for field in config["fields"]}
    form = config["form"](posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            config["save"](actor=request.user, **{config["argument"]: entry}, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:taxonomy-list", taxonomy=taxonomy)
    context = {"taxonomy": taxonomy, "config": config, "form": form, "entry": entry}
    return render(request, "catalogue/manage/taxonomy_form.html", context, status=response_status(form))


@permission_required("catalogue.moderate")
@require_POST
def taxonomy_move(request, taxonomy: str, pk: int):
    _catalogue_on(request)
    config = _taxonomy(taxonomy)
    entry = get_object_or_404(config["model"], pk=pk)
    services.move_entry(actor=request.user, entry=entry, direction="up" if request.POST.get("direction") == "up" else "down")
    return redirect("catalogue:taxonomy-list", taxonomy=taxonomy)


@permission_required("catalogue.moderate")
@require_http_methods(["GET", "POST"])
def taxonomy_delete(request, taxonomy: str, pk: int):
    _catalogue_on(request)
    config = _taxonomy(taxonomy)
    entry = get_object_or_404(config["model"], pk=pk)
    if request.method == "POST":
        services.delete_entry(actor=request.user, entry=entry)
        messages.success(request, _("Deleted."))
        return redirect("catalogue:taxonomy-list", taxonomy=taxonomy)
    context = {"taxonomy": taxonomy, "config": config, "entry": entry, "product_count": entry.products.count()}
    return render(request, "catalogue/manage/taxonomy_delete.html", context)


@permission_required("catalogue.moderate")
@require_http_methods(["GET", "POST"])
def supported_list(request):
    _catalogue_on(request)
    form = forms.SupportCompanyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        company = get_object_or_404(Company, pk=form.cleaned_data["company"])
        services.support_company(actor=request.user, company=company, since=form.cleaned_data["since"],
                                 note=form.cleaned_data["note"])
        messages.success(request, _("%(company)s is now supported in the showroom.") % {"company": company.name})
        return redirect("catalogue:supported-list")
    companies = list(selectors.supported_companies())
    # B-SELL: supported companies hold a paid professional account; show whose is live.
    has_billing = request.tenant.has_module("billing")
    if has_billing:
        from shared_apps.billing.selectors import live_subscriptions

        accounts = live_subscriptions(request.tenant, [company.pk for company in companies])
        for company in companies:
            company.subscription = accounts.get(company.pk)
    context = {"form": form, "companies": companies, "has_billing": has_billing,
               "with_account": sum(1 for company in companies if getattr(company, "subscription", None))}
    return render(request, "catalogue/manage/supported_list.html", context, status=response_status(form))


@permission_required("catalogue.moderate")
@require_POST
def supported_remove(request, pk: int):
    _catalogue_on(request)
    company = get_object_or_404(Company, pk=pk)
    services.stop_supporting(actor=request.user, company=company)
    messages.success(request, _("%(company)s is no longer supported.") % {"company": company.name})
    return redirect("catalogue:supported-list")


@permission_required("catalogue.moderate")
@require_POST
def product_take_down(request, pk: int):
    """A moderator takes a product offline; its sellers can fix it and publish it again."""
    _catalogue_on(request)
    product = get_object_or_404(Product, pk=pk)
    services.unpublish_product(actor=request.user, product=product)
    messages.success(request, _("The product is offline; its sellers see it as a draft."))
    return redirect(product)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def catalogue_settings(request):
    _catalogue_on(request)
    current = services.catalogue_settings()
    form = forms.CatalogueSettingsForm(posted(request), tenant=request.tenant,
                                       initial={"required_languages": current.required_languages})
    if request.method == "POST" and form.is_valid():
        services.update_settings(actor=request.user, required_languages=form.cleaned_data["required_languages"])
        messages.success(request, _("Settings saved."))
        return redirect("catalogue:settings")
    return render(request, "catalogue/manage/settings.html", {"form": form}, status=response_status(form))
