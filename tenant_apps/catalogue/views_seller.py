"""The seller's pages: their company's products, each one's details, translations and files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.permissions import permission_required
from tenant_apps.catalogue import forms, selectors, services
from tenant_apps.catalogue.models import ProductDocument, ProductImage


def _catalogue_on(request) -> None:
    if not request.tenant.has_module("catalogue"):
        raise Http404


def _own(request, pk: int):
    _catalogue_on(request)
    return selectors.owned_product(pk=pk, user=request.user)


@permission_required("catalogue.edit_own")
def product_list(request):
    _catalogue_on(request)
    company = services.seller_company(request.user)
    products = list(selectors.seller_products(company)) if company else []
    required = services.catalogue_settings().required_languages
    return render(request, "catalogue/seller/product_list.html",
                  {"company": company, "products": products, "required_languages": required})


def _product_form_page(request, *, product=None):
    company = product.company if product else services.seller_company(request.user)
    if company is None:
        return render(request, "catalogue/seller/no_company.html", status=200)
    form = forms.ProductForm(posted(request), tenant=request.tenant, product=product)
    initial_specs = product.specifications if product else []
    specs = forms.SpecificationFormSet(posted(request), prefix="spec", initial=initial_specs)
    if request.method == "POST" and form.is_valid() and specs.is_valid():
        values = form.product_values()
        try:
            if product is None:
                product = services.create_product(actor=request.user, company=company,
                                                  specifications=forms.specification_rows(specs), **values)
                messages.success(request, _("Product created as a draft. Add images, data sheets and translations, then publish it."))
            else:
                services.update_product(actor=request.user, product=product,
                                        specifications=forms.specification_rows(specs), **values)
                messages.success(request, _("Product saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        except services.CatalogueError as error:
            form.add_error(None, str(error))
        else:
            if request.POST.get("more_rows"):
                return redirect("catalogue:seller-product-edit", pk=product.pk)
            return redirect("catalogue:seller-product", pk=product.pk)
    status = response_status(form) if specs.is_valid() or not specs.is_bound else 400
    if product is not None and form.is_bound:
        product.refresh_from_db()
    context = {"form": form, "specs": specs, "product": product, "company": company}
    return render(request, "catalogue/seller/product_form.html", context, status=status)


@permission_required("catalogue.edit_own")
@require_http_methods(["GET", "POST"])
def product_create(request):
    _catalogue_on(request)
    return _product_form_page(request)


@permission_required("catalogue.edit_own")
@require_http_methods(["GET", "POST"])
def product_edit(request, pk: int):
    return _product_form_page(request, product=_own(request, pk))


@permission_required("catalogue.edit_own")
def product_overview(request, pk: int):
    product = _own(request, pk)
    try:
        services.check_publishable(product)
        problems = {}
    except ValidationError as error:
        problems = error.message_dict
    context = {"product": product, "problems": problems, "missing_languages": services.missing_languages(product)}
    return render(request, "catalogue/seller/product_overview.html", context)


@permission_required("catalogue.edit_own")
@require_http_methods(["GET", "POST"])
def product_translations(request, pk: int):
    product = _own(request, pk)
    names = dict(settings.LANGUAGES)
    existing = {translation.language: translation for translation in product.translations.all()}
    required = set(services.catalogue_settings().required_languages)
    sections, has_errors = [], False
    for code in request.tenant.languages:
        if code == product.language:
            continue
        translation = existing.get(code)
        initial = {"title": translation.title, "description": translation.description,
                   "specifications": forms.TranslationForm.specifications_text(translation.specifications),
                   "minimum_order": translation.minimum_order, "lead_time": translation.lead_time} if translation else {}
        form = forms.TranslationForm(posted(request), prefix=code, initial=initial)
        sections.append({"code": code, "name": names.get(code, code), "form": form, "is_required": code in required})
    if request.method == "POST":
        if all(section["form"].is_valid() for section in sections):
            try:
                # All languages or none: a refusal for one leaves the others as they were too.
                with transaction.atomic():
                    for section in sections:
                        data = section["form"].cleaned_data
                        services.save_translation(actor=request.user, product=product, language=section["code"],
                                                  title=data["title"], description=data["description"],
                                                  specifications=data["specifications"],
                                                  minimum_order=data["minimum_order"], lead_time=data["lead_time"])
            except ValidationError as error:
                section["form"].add_error(None, error.messages[0] if error.messages else str(error))
                has_errors = True
            except services.CatalogueError as error:
                section["form"].add_error(None, str(error))
                has_errors = True
            else:
                messages.success(request, _("Translations saved."))
                return redirect("catalogue:seller-product", pk=product.pk)
        else:
            has_errors = True
    context = {"product": product, "sections": sections, "product_language": names.get(product.language, product.language)}
    return render(request, "catalogue/seller/product_translations.html", context, status=400 if has_errors else 200)


@permission_required("catalogue.edit_own")
@require_http_methods(["GET", "POST"])
def product_files(request, pk: int):
    product = _own(request, pk)
    which = request.POST.get("form") if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    image_form = forms.ImageForm(posted(request) if which == "image" else None, files if which == "image" else None)
    document_form = forms.DocumentForm(posted(request) if which == "document" else None,
                                       files if which == "document" else None, tenant=request.tenant,
                                       initial={"language": product.language})
    form = image_form if which == "image" else document_form if which == "document" else None
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "image":
                services.add_image(actor=request.user, product=product, upload=data["image"], alt_text=data["alt_text"])
            else:
                services.add_document(actor=request.user, product=product, upload=data["file"], title=data["title"],
                                      language=data["language"], visibility=data["visibility"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                form.add_error("image" if which == "image" else "file", error)
        except services.CatalogueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("File added."))
            return redirect("catalogue:seller-product-files", pk=product.pk)
    context = {"product": product, "image_form": image_form, "document_form": document_form,
               "images": product.images.all(), "documents": product.documents.all()}
    return render(request, "catalogue/seller/product_files.html", context, status=response_status(form))


@permission_required("catalogue.edit_own")
@require_POST
def image_delete(request, pk: int, image_pk: int):
    product = _own(request, pk)
    image = get_object_or_404(ProductImage, pk=image_pk, product=product)
    services.remove_image(actor=request.user, product=product, image=image)
    messages.success(request, _("Image removed."))
    return redirect("catalogue:seller-product-files", pk=product.pk)


@permission_required("catalogue.edit_own")
@require_POST
def document_delete(request, pk: int, document_pk: int):
    product = _own(request, pk)
    document = get_object_or_404(ProductDocument, pk=document_pk, product=product)
    services.remove_document(actor=request.user, product=product, document=document)
    messages.success(request, _("Document removed."))
    return redirect("catalogue:seller-product-files", pk=product.pk)


@permission_required("catalogue.edit_own")
@require_POST
def product_publish(request, pk: int):
    product = _own(request, pk)
    try:
        services.publish_product(actor=request.user, product=product)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("catalogue:seller-product", pk=product.pk)
    messages.success(request, _("Published: buyers can now find this product."))
    return redirect("catalogue:seller-product", pk=product.pk)


@permission_required("catalogue.edit_own")
@require_POST
def product_unpublish(request, pk: int):
    product = _own(request, pk)
    services.unpublish_product(actor=request.user, product=product)
    messages.success(request, _("Unpublished: the product is a draft again, hidden from buyers."))
    return redirect("catalogue:seller-product", pk=product.pk)


@permission_required("catalogue.edit_own")
@require_http_methods(["GET", "POST"])
def product_delete(request, pk: int):
    product = _own(request, pk)
    if request.method == "POST":
        services.delete_product(actor=request.user, product=product)
        messages.success(request, _("Product deleted."))
        return redirect("catalogue:seller-products")
    return render(request, "catalogue/seller/product_delete.html", {"product": product})
