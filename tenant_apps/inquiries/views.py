"""Inquiry pages: the buyer's form and inbox, the company's inbox and rules, the thread both sides share."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from platform_core.forms import add_service_errors, id_param, posted, response_status
from shared_apps.accounts.permissions import can, permission_required
from tenant_apps.directory.models import Company, Representative
from tenant_apps.inquiries import forms, selectors, services
from tenant_apps.inquiries.models import Kind, RoutingRule, Side, Status

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
REVEALED_SESSION_KEY = "inquiries_revealed_companies"


def module_required(view):
    """Pages of a switched-off module do not exist."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.tenant.has_module("inquiries"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def participant_required(view):
    """Buyers (``inquiries.send``) and company representatives (``inquiries.answer``); sign-in for visitors."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not ({"inquiries.send", "inquiries.answer"} & set(request.permissions)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Sending


def _target(request) -> tuple[Company, object]:
    """The company (and product) named in the query string; 404 when missing or not open to inquiries."""
    from tenant_apps.catalogue.models import Product

    product = None
    product_id = id_param(request.GET.get("product"))
    if product_id is not None:
        product = (Product.objects.select_related("company")
                   .filter(pk=product_id, status=Product.Status.PUBLISHED).first())
        if product is None:
            raise Http404
    company_id = id_param(request.GET.get("company")) or (product.company_id if product else None)
    company = Company.objects.filter(pk=company_id).exclude(visibility=Company.Visibility.HIDDEN).first()
    if company is None or (product is not None and product.company_id != company.pk):
        raise Http404
    return company, product


def _revealed(request, company) -> bool:
    return company.pk in request.session.get(REVEALED_SESSION_KEY, [])


def _initial_kind(product) -> str:
    return Kind.QUESTION if product is not None else Kind.CONTACT


@module_required
@permission_required("inquiries.send")
@require_http_methods(["GET", "POST"])
def inquiry_create(request):
    company, product = _target(request)
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in Kind.values else _initial_kind(product),
               "product": product, **selectors.buyer_defaults(request.user, request.tenant)}
    form = forms.InquiryForm(posted(request), request.FILES if request.method == "POST" else None,
                             company=company, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = services.create_inquiry(
                buyer=request.user, company=company, product=data["product"], kind=data["kind"],
                subject=data["subject"], body=data["body"], buyer_country=data["buyer_country"],
                buyer_organisation=data["buyer_organisation"], attachments=data["attachments"], request=request,
                **form.trade_terms(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your inquiry was sent to %(company)s. You will be told when they answer.")
                             % {"company": company.name})
            return redirect("inquiries:inquiry-detail", pk=inquiry.pk)
    if form.errors:
        logger.info("inquiry refused", extra={"fields": sorted(form.errors)})
    context = {
        "form": form, "company": company, "product": product, "revealed": _revealed(request, company),
        "has_representatives": company.representatives.exists(),
        "product_url": selectors.product_url(product), "company_url": selectors.company_url(company),
    }
    return render(request, "inquiries/inquiry_form.html", context, status=response_status(form))


@module_required
@permission_required("inquiries.send")
@require_POST
def contact_reveal(request, company_pk: int):
    company = get_object_or_404(Company.objects.exclude(visibility=Company.Visibility.HIDDEN), pk=company_pk)
    from tenant_apps.catalogue.models import Product

    product = Product.objects.filter(pk=id_param(request.POST.get("product")) or 0, company=company).first()
    services.record_contact_reveal(user=request.user, company=company, product=product, request=request)
    revealed = request.session.get(REVEALED_SESSION_KEY, [])
    if company.pk not in revealed:
        # The last few companies are enough to keep the details open on reload.
        request.session[REVEALED_SESSION_KEY] = [*revealed, company.pk][-50:]
    if request.htmx:
        return render(request, "inquiries/_contact.html", {"company": company, "product": product, "revealed": True,
                                                           "just_revealed": True})
    query = {"company": company.pk, **({"product": product.pk} if product else {})}
    return redirect(f"{reverse('inquiries:new')}?{urlencode(query)}#company-contact")


@module_required
@permission_required("inquiries.send")
@require_GET
def buyer_inbox(request):
    page = Paginator(selectors.buyer_inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inquiries/buyer_inbox.html", {"page": page})


# The company's side


def _no_company(request):
    return render(request, "inquiries/no_company.html", status=200)


def _labelled_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(label, counts[value]) for value, label in Status.choices]


@module_required
@permission_required("inquiries.answer")
@require_GET
def company_inbox(request):
    rep = selectors.representation_of(request.user)
    if rep is None:
        return _no_company(request)
    form = forms.InboxFilterForm(request.GET or None, company=rep.company)
    filters = form.filters() if request.GET else selectors.InboxFilters()
    inquiries = selectors.company_inbox(rep.company, filters=filters, viewer=rep)
    page = Paginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"company": rep.company, "own": rep, "form": form, "page": page,
               "counts": _labelled_counts(selectors.status_counts(rep.company)), "filtered": filters != selectors.InboxFilters()}
    if request.htmx and not request.htmx.boosted:
        return render(request, "inquiries/_company_results.html", context)
    return render(request, "inquiries/company_inbox.html", context)


@module_required
@permission_required("inquiries.answer")
@require_http_methods(["GET", "POST"])
def routing_rules(request):
    rep = selectors.representation_of(request.user)
    if rep is None:
        return _no_company(request)
    if request.method == "POST" and not rep.is_owner:
        raise PermissionDenied
    form = forms.RoutingRuleForm(posted(request), company=rep.company)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_routing_rule(actor=request.user, company=rep.company, representative=data["representative"],
                                      product=data["product"], vertical=data["vertical"], country=data["country"] or "")
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rule added. New inquiries follow it from now on."))
            return redirect("inquiries:routing-rules")
    context = {"company": rep.company, "own": rep, "form": form, "rules": selectors.routing_rules(rep.company),
               "owner": next((r for r in selectors.representatives_of(rep.company) if r.is_owner), None)}
    return render(request, "inquiries/routing_rules.html", context, status=response_status(form))


@module_required
@permission_required("inquiries.answer")
@require_POST
def routing_rule_delete(request, pk: int):
    rep = selectors.representation_of(request.user)
    rule = get_object_or_404(RoutingRule, pk=pk, company_id=rep.company_id if rep else None)
    try:
        services.remove_routing_rule(actor=request.user, rule=rule)
    except services.InquiryError as error:
        raise PermissionDenied(str(error)) from None
    messages.success(request, _("Rule removed."))
    return redirect("inquiries:routing-rules")


PERIODS = {"30": 30, "365": 365, "all": None}


@module_required
@permission_required("inquiries.answer")
@require_GET
def company_statistics(request):
    rep = selectors.representation_of(request.user)
    if rep is None:
        return _no_company(request)
    period = request.GET.get("period") if request.GET.get("period") in PERIODS else "all"
    days = PERIODS[period]
    start = timezone.now() - timedelta(days=days) if days else None
    stats = selectors.inquiry_stats(company_ids=[rep.company_id], start=start)
    return render(request, "inquiries/company_statistics.html",
                  {"company": rep.company, "own": rep, "stats": stats, "period": period})


# The thread


def _thread_context(request, inquiry, side, **forms_given) -> dict:
    is_company = side == Side.COMPANY
    own = (Representative.objects.filter(company_id=inquiry.company_id, user=request.user).first()
           if is_company else None)
    can_quote = is_company and inquiry.status in services.QUOTABLE
    status_choices = services.status_choices(inquiry, side)
    status_form = forms_given.get("status_form") or forms.StatusForm()
    # Offer only the moves allowed now; a refused submission is checked against all of them.
    if not status_form.is_bound:
        status_form.fields["status"].choices = [(value, label) for value, label in Status.choices
                                                if value in status_choices]
    return {
        "inquiry": inquiry, "side": side, "is_company": is_company, "is_buyer": side == Side.BUYER, "own": own,
        "buyer_label": selectors.buyer_label(inquiry), "timeline": selectors.timeline(inquiry),
        "history": selectors.history(inquiry, side),
        "product_url": selectors.product_url(inquiry.product), "company_url": selectors.company_url(inquiry.company),
        "message_form": forms_given.get("message_form") or forms.MessageForm(),
        "quote_form": (forms_given.get("quote_form") or forms.QuoteForm()) if can_quote else None,
        "status_form": status_form if status_choices else None,
        "assign_form": (forms_given.get("assign_form")
                        or forms.AssignForm(company=inquiry.company, initial={"representative": inquiry.assignee_id}))
        if own is not None and own.is_owner and can(request.user, "inquiries.answer") else None,
        "status_message": forms_given.get("status_message", ""),
    }


def _thread_response(request, inquiry, side, *, status=200, **forms_given):
    context = _thread_context(request, inquiry, side, **forms_given)
    if request.htmx:
        # htmx swaps only successful answers; a refused form comes back as one too, errors shown.
        return render(request, "inquiries/_thread.html", context)
    return render(request, "inquiries/inquiry_detail.html", context, status=status)


def _done(request, inquiry, side, message: str, anchor: str = "thread"):
    if request.htmx:
        inquiry.refresh_from_db()
        return _thread_response(request, inquiry, side, status_message=message)
    messages.success(request, message)
    return redirect(f"{reverse('inquiries:inquiry-detail', args=[inquiry.pk])}#{anchor}")


@module_required
@participant_required
@require_GET
def inquiry_detail(request, pk: int):
    inquiry, side = selectors.inquiry_for(request.user, pk)
    return _thread_response(request, inquiry, side)


@module_required
@participant_required
@require_POST
def inquiry_reply(request, pk: int):
    inquiry, side = selectors.inquiry_for(request.user, pk)
    form = forms.MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_message(author=request.user, inquiry=inquiry, body=form.cleaned_data["body"],
                                  attachments=form.cleaned_data["attachments"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InquiryError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, inquiry, side, _("Message sent."), anchor="timeline")
    return _thread_response(request, inquiry, side, status=400, message_form=form)


@module_required
@participant_required
@require_POST
def inquiry_quote(request, pk: int):
    inquiry, side = selectors.inquiry_for(request.user, pk)
    if side != Side.COMPANY:
        raise PermissionDenied
    form = forms.QuoteForm(request.POST)
    if form.is_valid():
        try:
            services.send_quote(author=request.user, inquiry=inquiry, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InquiryError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, inquiry, side, _("Quotation sent to the buyer."), anchor="timeline")
    return _thread_response(request, inquiry, side, status=400, quote_form=form)


@module_required
@participant_required
@require_POST
def inquiry_status(request, pk: int):
    inquiry, side = selectors.inquiry_for(request.user, pk)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(actor=request.user, inquiry=inquiry, status=form.cleaned_data["status"],
                                   request=request)
        except services.InquiryError as error:
            form.add_error("status", str(error))
        else:
            inquiry.refresh_from_db()
            return _done(request, inquiry, side, _("The inquiry is now “%(status)s”.")
                         % {"status": inquiry.get_status_display()})
    return _thread_response(request, inquiry, side, status=400, status_form=form)


@module_required
@participant_required
@require_POST
def inquiry_assign(request, pk: int):
    inquiry, side = selectors.inquiry_for(request.user, pk)
    if side != Side.COMPANY:
        raise PermissionDenied
    form = forms.AssignForm(request.POST, company=inquiry.company)
    if form.is_valid():
        try:
            services.assign(actor=request.user, inquiry=inquiry, representative=form.cleaned_data["representative"])
        except services.InquiryError as error:
            raise PermissionDenied(str(error)) from None
        return _done(request, inquiry, side, _("Assigned to %(name)s.")
                     % {"name": selectors.person_label(form.cleaned_data["representative"].user)})
    return _thread_response(request, inquiry, side, status=400, assign_form=form)


@module_required
@require_GET
def attachment_download(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = selectors.attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("inquiry attachment missing from storage", extra={"attachment": attachment.pk})
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
