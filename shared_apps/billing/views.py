"""Billing pages: the seller's (/billing/), the programme's (/manage/billing/), the
operators' (/console/billing/), and Stripe's webhook endpoint on the platform host."""

from __future__ import annotations

import logging
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors, id_param, posted, response_status
from shared_apps.accounts.permissions import can, operator_required, permission_required
from shared_apps.billing import forms, gateway, pdf, selectors, services, webhooks
from shared_apps.billing.entitlements import company_id_of
from shared_apps.billing.models import InvoiceStatus, PaymentMethod, WebhookEvent

logger = logging.getLogger(__name__)
PAGE_SIZE = 50


def _company(request):
    """The company the signed-in representative pays for, from the directory (its schema)."""
    from tenant_apps.directory.models import Company

    company_id = company_id_of(request.user, request.tenant)
    return Company.objects.filter(pk=company_id).first() if company_id else None


def _provider_error(request, error: Exception) -> None:
    logger.error("billing: payment provider error", extra={"error": str(error.__cause__ or error)})
    messages.error(request, str(error))


# The seller's pages


@permission_required("billing.subscribe")
def overview(request):
    tenant = request.tenant
    company = _company(request)
    if company is None:
        return render(request, "billing/no_company.html")
    account = selectors.account_of(tenant, company.pk)
    subscription = selectors.live_subscription(tenant, company.pk)
    plans = selectors.plans_offered(tenant)
    negotiated = selectors.negotiated_prices_for(tenant, company.pk)
    offers = [{"plan": plan, "amount": negotiated[plan.pk].price_for(plan.amount) if plan.pk in negotiated else plan.amount,
               "is_negotiated": plan.pk in negotiated,
               "features": plan.feature_quotas()} for plan in plans]
    card_enabled = gateway.is_enabled()
    subscribe_form = forms.SubscribeForm(plans=plans, card_enabled=card_enabled) if plans and not (
        subscription and subscription.status != "incomplete") else None
    change_form = None
    if subscription and subscription.status in ("active", "trialing"):
        change_form = forms.ChangePlanForm(plans=[plan for plan in plans if plan.pk != subscription.plan_id
                                                  and plan.currency == subscription.currency
                                                  and plan.interval == subscription.plan.interval])
    invoices = selectors.invoices_of_company(tenant, company.pk)[:PAGE_SIZE]
    context = {"company": company, "account": account, "subscription": subscription, "offers": offers,
               "subscribe_form": subscribe_form, "change_form": change_form, "invoices": invoices,
               "card_enabled": card_enabled}
    response = render(request, "billing/overview.html", context)
    if card_enabled:
        # The subscribe and portal forms redirect to Stripe's pages; CSP form-action covers redirects.
        response._csp_update = {"form-action": list(settings.STRIPE_REDIRECT_ORIGINS)}
    return response


@permission_required("billing.subscribe")
@require_http_methods(["GET", "POST"])
def account_details(request):
    tenant = request.tenant
    company = _company(request)
    if company is None:
        return render(request, "billing/no_company.html")
    account = selectors.account_of(tenant, company.pk)
    initial = ({"legal_name": account.legal_name, "billing_email": account.billing_email, "address": account.address,
                "country": account.country, "vat_number": account.vat_number} if account else
               {"legal_name": company.legal_name or company.name, "billing_email": company.email or request.user.email,
                "country": str(company.country or ""), "vat_number": company.vat_number})
    form = forms.AccountForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_account(tenant=tenant, actor=request.user, company_id=company.pk, company_name=company.name,
                                  **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Billing details saved."))
            return redirect("billing:overview")
    return render(request, "billing/account_form.html", {"form": form, "company": company}, status=response_status(form))


@permission_required("billing.subscribe")
@require_POST
def subscribe(request):
    tenant = request.tenant
    company = _company(request)
    if company is None:
        raise Http404
    account = selectors.account_of(tenant, company.pk)
    if account is None:
        messages.info(request, _("First, tell us where to send the invoices."))
        return redirect("billing:account")
    plans = selectors.plans_offered(tenant)
    form = forms.SubscribeForm(request.POST, plans=plans, card_enabled=gateway.is_enabled())
    if form.is_valid():
        plan = selectors.plan_in(tenant, form.cleaned_data["plan"])
        try:
            if form.cleaned_data["payment_method"] == PaymentMethod.CARD:
                done = request.build_absolute_uri(reverse("billing:checkout-done"))
                url = services.start_card_checkout(
                    tenant=tenant, account=account, plan=plan, actor=request.user,
                    success_url=done + "?session_id={CHECKOUT_SESSION_ID}",
                    cancel_url=request.build_absolute_uri(reverse("billing:overview")))
                return redirect(url)
            subscription = services.subscribe_by_invoice(tenant=tenant, account=account, plan=plan, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.PaymentProviderError as error:
            _provider_error(request, error)
            return redirect("billing:overview")
        else:
            if subscription.status == "trialing":
                messages.success(request, _("Your free trial of %(plan)s has started.") % {"plan": plan.name})
            else:
                messages.success(request, _("You subscribed to %(plan)s. Your invoice is below, with how to pay it.")
                                 % {"plan": plan.name})
            return redirect("billing:overview")
    for error in [*form.non_field_errors(), *(message for field in form.errors.values() for message in field)]:
        messages.error(request, error)
    return redirect("billing:overview")


@permission_required("billing.subscribe")
def checkout_done(request):
    return render(request, "billing/checkout_done.html")


def _own_subscription(request):
    company_id = company_id_of(request.user, request.tenant)
    subscription = selectors.live_subscription(request.tenant, company_id)
    if subscription is None:
        raise Http404
    return subscription


@permission_required("billing.subscribe")
@require_POST
def change_plan(request):
    subscription = _own_subscription(request)
    plans = selectors.plans_offered(request.tenant)
    form = forms.ChangePlanForm(request.POST, plans=plans)
    if form.is_valid():
        plan = selectors.plan_in(request.tenant, form.cleaned_data["plan"])
        try:
            services.change_plan(tenant=request.tenant, subscription=subscription, plan=plan, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except services.PaymentProviderError as error:
            _provider_error(request, error)
        else:
            messages.success(request, _("Your plan is now %(plan)s.") % {"plan": plan.name})
    else:
        messages.error(request, _("Choose one of the plans offered."))
    return redirect("billing:overview")


@permission_required("billing.subscribe")
@require_POST
def cancellation(request):
    subscription = _own_subscription(request)
    action = request.POST.get("action")
    if action not in ("cancel", "resume"):
        messages.error(request, _("Choose one of the offered actions."))
        return redirect("billing:overview")
    try:
        services.set_cancel_at_period_end(tenant=request.tenant, subscription=subscription, actor=request.user,
                                          cancel=action == "cancel")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except services.PaymentProviderError as error:
        _provider_error(request, error)
    else:
        messages.success(request, _("Your subscription will end at the end of the paid period.") if action == "cancel"
                         else _("Your subscription will go on."))
    return redirect("billing:overview")


@permission_required("billing.subscribe")
@require_POST
def portal(request):
    company_id = company_id_of(request.user, request.tenant)
    account = selectors.account_of(request.tenant, company_id)
    if account is None:
        raise Http404
    try:
        url = services.portal_url(tenant=request.tenant, account=account,
                                  return_url=request.build_absolute_uri(reverse("billing:overview")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("billing:overview")
    except services.PaymentProviderError as error:
        _provider_error(request, error)
        return redirect("billing:overview")
    return redirect(url)


def _pdf_response(invoice, language: str) -> HttpResponse:
    response = HttpResponse(pdf.render_invoice(invoice, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def invoice_pdf(request, pk):
    """The company's own invoice, or any of the programme's for finance; 404 otherwise."""
    tenant = request.tenant
    if can(request.user, "billing.finance", tenant=tenant):
        invoice = selectors.invoice_in(tenant, pk)
    elif can(request.user, "billing.subscribe", tenant=tenant):
        invoice = selectors.invoice_of_company(tenant, company_id_of(request.user, tenant), pk)
    elif not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    else:
        invoice = None
    if invoice is None:
        raise Http404
    return _pdf_response(invoice, get_language() or tenant.default_language)


# The programme's pages


@permission_required("billing.manage")
def manage_index(request):
    tenant = request.tenant
    context = {"plans": selectors.plans_of(tenant), "subscriptions": selectors.subscriptions_of(tenant)[:200],
               "card_enabled": gateway.is_enabled()}
    return render(request, "billing/manage/index.html", context)


@permission_required("billing.manage")
@require_http_methods(["GET", "POST"])
def plan_form(request, pk=None):
    tenant = request.tenant
    plan = selectors.plan_in(tenant, pk) if pk else None
    if pk and plan is None:
        raise Http404
    form = forms.PlanForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(tenant=tenant, actor=request.user, plan=plan, **form.plan_values())
        except ValidationError as error:
            add_service_errors(form, error, field_map={"features": "feature_products_online"})
        else:
            messages.success(request, _("Plan saved."))
            return redirect("billing-admin:index")
    return render(request, "billing/manage/plan_form.html", {"form": form, "plan": plan}, status=response_status(form))


@permission_required("billing.manage")
@require_http_methods(["GET", "POST"])
def company_prices(request):
    tenant = request.tenant
    plans = list(selectors.plans_of(tenant))
    companies = selectors.companies_to_choose(tenant)
    form = forms.CompanyPriceForm(posted(request), plans=plans, companies=companies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = next(plan for plan in plans if plan.pk == data["plan"])
        try:
            services.set_company_price(
                tenant=tenant, actor=request.user, plan=plan, company_id=data["company"],
                company_name=form.company_names[data["company"]], amount=data["amount"],
                discount_percent=data["discount_percent"], valid_until=data["valid_until"], note=data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Negotiated price saved."))
            return redirect("billing-admin:prices")
    context = {"form": form, "prices": selectors.company_prices_of(tenant)}
    return render(request, "billing/manage/prices.html", context, status=response_status(form))


@permission_required("billing.manage")
@require_POST
def company_price_delete(request, pk):
    price = selectors.company_price_in(request.tenant, pk)
    if price is None:
        raise Http404
    services.remove_company_price(tenant=request.tenant, actor=request.user, price=price)
    messages.success(request, _("Negotiated price removed."))
    return redirect("billing-admin:prices")


@permission_required("billing.manage")
@require_http_methods(["GET", "POST"])
def billing_settings(request):
    tenant = request.tenant
    current = services.settings_for(tenant)
    form = forms.BillingSettingsForm(posted(request), instance=current)
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            services.update_settings(tenant=tenant, actor=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("billing-admin:settings")
    return render(request, "billing/manage/settings.html", {"form": form}, status=response_status(form))


@permission_required("billing.finance")
def invoice_list(request):
    status = request.GET.get("status", "")
    if status not in InvoiceStatus.values:
        status = ""
    invoices = selectors.invoices_of(request.tenant, status=status).order_by("-issued_at", "-pk")
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "invoices": page.object_list, "status": status,
               "statuses": [(value, label) for value, label in InvoiceStatus.choices if value != InvoiceStatus.DRAFT]}
    return render(request, "billing/manage/invoice_list.html", context)


@permission_required("billing.finance")
@require_http_methods(["GET", "POST"])
def invoice_detail(request, pk):
    tenant = request.tenant
    invoice = selectors.invoice_in(tenant, pk)
    if invoice is None:
        raise Http404
    form = forms.MarkPaidForm(posted(request), initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and request.POST.get("action") == "void":
        try:
            services.void_invoice(tenant=tenant, invoice=invoice, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invoice voided."))
        return redirect("billing-admin:invoice-detail", pk=invoice.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        paid_at = timezone.make_aware(datetime.combine(data["paid_on"], time(12)))
        try:
            services.mark_invoice_paid(tenant=tenant, invoice=invoice, actor=request.user, reference=data["reference"],
                                       paid_at=paid_at, amount=data["amount"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("billing-admin:invoice-detail", pk=invoice.pk)
    return render(request, "billing/manage/invoice_detail.html", {"invoice": invoice, "form": form},
                  status=response_status(form))


def _event_page(request, tenant):
    status = request.GET.get("status", "")
    if status not in WebhookEvent.Status.values:
        status = ""
    page = Paginator(selectors.events_of(tenant, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "events": page.object_list, "status": status, "statuses": WebhookEvent.Status.choices}


@permission_required("billing.finance")
def event_list(request):
    return render(request, "billing/manage/event_list.html", {**_event_page(request, request.tenant), "console": False})


@permission_required("billing.finance")
@require_POST
def event_rerun(request, pk):
    event = selectors.event_in(request.tenant, pk)
    if event is None:
        raise Http404
    if webhooks.rerun(event=event, actor=request.user):
        messages.success(request, _("The event is queued again."))
    else:
        messages.error(request, _("Only a failed or ignored event can be queued again."))
    return redirect("billing-admin:events")


# The operators' console


@operator_required
@require_http_methods(["GET", "POST"])
def console_plans(request, slug):
    """An operator defines a programme's plans from the console, as its admins can."""
    from shared_apps.operators.selectors import programme

    tenant = programme(slug)
    if tenant is None:
        raise Http404
    plan = None
    if request.GET.get("plan"):
        # A plan named but not this programme's: not found, rather than a new plan made.
        plan_id = id_param(request.GET.get("plan"))
        plan = selectors.plan_in(tenant, plan_id) if plan_id is not None else None
        if plan is None:
            raise Http404
    form = forms.PlanForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(tenant=tenant, actor=request.user, plan=plan, **form.plan_values())
        except ValidationError as error:
            add_service_errors(form, error, field_map={"features": "feature_products_online"})
        else:
            messages.success(request, _("Plan saved."))
            return redirect("billing-console:plans", slug=slug)
    context = {"tenant": tenant, "plans": selectors.plans_of(tenant), "plan": plan, "form": form}
    return render(request, "billing/console_plans.html", context, status=response_status(form))


@operator_required
def console_event_list(request):
    return render(request, "billing/manage/event_list.html", {**_event_page(request, None), "console": True})


@operator_required
@require_POST
def console_event_rerun(request, pk):
    event = selectors.event_in(None, pk)
    if event is None:
        raise Http404
    if webhooks.rerun(event=event, actor=request.user):
        messages.success(request, _("The event is queued again."))
    else:
        messages.error(request, _("Only a failed or ignored event can be queued again."))
    return redirect("billing-console:events")


# Stripe


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's deliveries: verified, stored once, answered at once; applied by a task."""
    if not gateway.webhooks_enabled():
        raise Http404
    try:
        event, created = webhooks.receive_event(payload=request.body,
                                                signature=request.headers.get("Stripe-Signature", ""))
    except webhooks.InvalidEvent as error:
        logger.warning("billing: refused a webhook delivery", extra={"error": str(error)})
        return HttpResponseBadRequest("invalid event", content_type="text/plain")
    return HttpResponse("ok" if created else "duplicate", content_type="text/plain")
