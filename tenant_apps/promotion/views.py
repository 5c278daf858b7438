"""Promotion pages: the team's tools, companies' requests, and the two public addresses
(a banner's click-through and the unsubscribe link)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.permissions import can, permission_required
from tenant_apps.promotion import forms, selectors, services
from tenant_apps.promotion.models import (
    Banner,
    Campaign,
    FeaturedCompany,
    FeaturedProduct,
    Phase,
    PromotionRequest,
    SponsoredKeyword,
)
from tenant_apps.promotion.tokens import read_unsubscribe_token

PAGE_SIZE = 25


def _with_phase(rows, now):
    rows = list(rows)
    for row in rows:
        row.current_phase = row.phase(now)
        row.phase_label = Phase(row.current_phase).label
    return rows


def _languages(request):
    tenant = request.tenant
    return {"languages": list(tenant.languages), "default_language": tenant.default_language}


# --- Overview ------------------------------------------------------------------------------------


@permission_required("promotion.manage")
@require_GET
def manage_index(request):
    now = timezone.now()
    running = selectors.running(now)
    return render(request, "promotion/manage_index.html", {
        "featured_count": FeaturedProduct.objects.filter(running).count() + FeaturedCompany.objects.filter(running).count(),
        "banner_count": Banner.objects.filter(running).count(),
        "keyword_count": SponsoredKeyword.objects.filter(running).count(),
        "campaign_count": Campaign.objects.filter(status__in=[Campaign.Status.SCHEDULED, Campaign.Status.SENDING]).count(),
        "request_count": selectors.open_request_count(),
    })


# --- Featured products and companies ---------------------------------------------------------------


@permission_required("promotion.manage")
@require_http_methods(["GET", "POST"])
def featured_list(request):
    action = request.POST.get("action") if request.method == "POST" else None
    product_form = forms.FeaturedProductForm(request.POST if action == "product" else None, prefix="product")
    company_form = forms.FeaturedCompanyForm(request.POST if action == "company" else None, prefix="company")
    form = {"product": product_form, "company": company_form}.get(action)
    if request.method == "POST" and form is None:
        return redirect("promotion:featured-list")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "product":
                services.add_featured_product(product=data["product"], starts_at=data["starts_at"],
                                              ends_at=data["ends_at"], position=data["position"], actor=request.user)
            else:
                services.add_featured_company(company=data["company"], starts_at=data["starts_at"],
                                              ends_at=data["ends_at"], position=data["position"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The featured slot is scheduled."))
            return redirect("promotion:featured-list")
    now = timezone.now()
    return render(request, "promotion/featured_list.html", {
        "product_form": product_form, "company_form": company_form,
        "product_slots": _with_phase(selectors.featured_products_for_team(), now),
        "company_slots": _with_phase(selectors.featured_companies_for_team(), now),
    }, status=response_status(form))


@permission_required("promotion.manage")
@require_POST
def featured_remove(request, kind: str, pk: int):
    model = {"product": FeaturedProduct, "company": FeaturedCompany}.get(kind)
    if model is None:
        raise Http404
    services.remove_featured(slot=get_object_or_404(model, pk=pk), actor=request.user)
    messages.success(request, _("The featured slot was removed."))
    return redirect("promotion:featured-list")


# --- Banners ---------------------------------------------------------------------------------------


@permission_required("promotion.manage")
@require_GET
def banner_list(request):
    now = timezone.now()
    banners = _with_phase(selectors.banners_for_team(), now)
    default_language = request.tenant.default_language
    for banner in banners:
        texts = {text.language: text for text in banner.texts.all()}
        main = texts.get(default_language) or next(iter(texts.values()), None)
        banner.summary = (main.text or main.image_alt) if main else ""
    return render(request, "promotion/banner_list.html", {"banners": banners})


def _banner_initial(banner: Banner) -> dict:
    initial = {"name": banner.name, "placement": banner.placement, "starts_at": timezone.localtime(banner.starts_at),
               "ends_at": timezone.localtime(banner.ends_at) if banner.ends_at else None, "position": banner.position,
               "link_url": banner.link_url, "sponsor": banner.sponsor_id}
    for text in banner.texts.all():
        initial[f"text_{text.language}"] = text.text
        initial[f"image_alt_{text.language}"] = text.image_alt
    return initial


@permission_required("promotion.manage")
@require_http_methods(["GET", "POST"])
def banner_form(request, pk: int | None = None):
    banner = get_object_or_404(Banner.objects.prefetch_related("texts"), pk=pk) if pk else None
    form = forms.BannerForm(posted(request), request.FILES or None, initial=_banner_initial(banner) if banner else None,
                            has_image=bool(banner and banner.image), **_languages(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_banner(
                banner=banner, name=data["name"], placement=data["placement"], starts_at=data["starts_at"],
                ends_at=data["ends_at"], position=data["position"], link_url=data["link_url"], sponsor=data["sponsor"],
                image=data.get("image"), remove_image=data.get("remove_image", False),
                texts=form.values_by_language("text", "image_alt"), default_language=form.default_language,
                actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The banner is saved."))
            return redirect("promotion:banner-list")
    return render(request, "promotion/banner_form.html", {"form": form, "banner": banner},
                  status=response_status(form))


@permission_required("promotion.manage")
@require_POST
def banner_remove(request, pk: int):
    services.remove_banner(banner=get_object_or_404(Banner, pk=pk), actor=request.user)
    messages.success(request, _("The banner was removed."))
    return redirect("promotion:banner-list")


# --- Sponsored keywords ------------------------------------------------------------------------------


@permission_required("promotion.manage")
@require_http_methods(["GET", "POST"])
def keyword_list(request):
    form = forms.SponsoredKeywordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_sponsored_keyword(product=data["product"], keyword=data["keyword"], weight=data["weight"],
                                           starts_at=data["starts_at"], ends_at=data["ends_at"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The keyword is sponsored."))
            return redirect("promotion:keyword-list")
    return render(request, "promotion/keyword_list.html", {
        "form": form, "keywords": _with_phase(selectors.keywords_for_team(), timezone.now()),
    }, status=response_status(form))


@permission_required("promotion.manage")
@require_POST
def keyword_remove(request, pk: int):
    services.remove_sponsored_keyword(sponsored=get_object_or_404(SponsoredKeyword, pk=pk), actor=request.user)
    messages.success(request, _("The sponsored keyword was removed."))
    return redirect("promotion:keyword-list")


# --- E-mail campaigns ----------------------------------------------------------------------------------


@permission_required("promotion.manage")
@require_GET
def campaign_list(request):
    page = Paginator(selectors.campaigns_for_team(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/campaign_list.html", {"page": page, "campaigns": page.object_list})


def _summary_for(request, form) -> selectors.AudienceSummary | None:
    if not form.is_valid():
        return None
    return selectors.audience_summary(tenant=request.tenant,
                                      vertical_ids=[v.pk for v in form.cleaned_data.get("verticals") or []],
                                      countries=form.cleaned_data.get("countries") or [])


def _campaign_initial(campaign: Campaign) -> dict:
    initial = {"name": campaign.name, "verticals": list(campaign.verticals.all()), "countries": campaign.countries}
    for content in campaign.contents.all():
        initial[f"subject_{content.language}"] = content.subject
        initial[f"body_{content.language}"] = content.body
    return initial


@permission_required("promotion.manage")
@require_http_methods(["GET", "POST"])
def campaign_form(request, pk: int | None = None):
    campaign = selectors.campaign_for_team(pk) if pk else None
    if pk and campaign is None:
        raise Http404
    if campaign is not None and not campaign.is_editable:
        messages.error(request, _("This campaign has been sent; it can no longer be changed."))
        return redirect("promotion:campaign-detail", pk=campaign.pk)
    form = forms.CampaignForm(posted(request), initial=_campaign_initial(campaign) if campaign else None,
                              **_languages(request))
    audience = None
    if request.method == "POST" and request.POST.get("action") == "preview":
        # Without JavaScript, "Count the buyers" posts the form back: nothing is saved, nothing is lost.
        form.is_valid()
        audience = _summary_for(request, form)
        return render(request, "promotion/campaign_form.html", {"form": form, "campaign": campaign,
                                                                "audience": audience, "previewed": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.save_campaign(
                campaign=campaign, name=data["name"], vertical_ids=[v.pk for v in data["verticals"]],
                countries=data["countries"], contents=form.values_by_language("subject", "body"),
                default_language=form.default_language, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.PromotionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The campaign is saved. Send yourself a test before sending it."))
            return redirect("promotion:campaign-detail", pk=campaign.pk)
    if request.method == "GET":
        audience = selectors.audience_summary(
            tenant=request.tenant, vertical_ids=[v.pk for v in campaign.verticals.all()] if campaign else [],
            countries=campaign.countries if campaign else [])
    return render(request, "promotion/campaign_form.html", {"form": form, "campaign": campaign, "audience": audience},
                  status=response_status(form))


@permission_required("promotion.manage")
@require_GET
def campaign_audience(request):
    """The audience count for the editor's current choices (an HTMX fragment)."""
    form = forms.AudienceForm(request.GET)
    return render(request, "promotion/_audience.html", {"audience": _summary_for(request, form)})


def _campaign_page(request, campaign, *, schedule_form=None, status=200):
    contents = list(campaign.contents.all())
    default_language = request.tenant.default_language
    contents.sort(key=lambda content: (content.language != default_language, content.language))
    for content in contents:
        content.language_label = forms.language_name(content.language)
    audience = None
    if campaign.is_editable:
        audience = selectors.audience_summary(tenant=request.tenant,
                                              vertical_ids=[v.pk for v in campaign.verticals.all()],
                                              countries=campaign.countries)
    return render(request, "promotion/campaign_detail.html", {
        "campaign": campaign, "contents": contents, "audience": audience,
        "counts": selectors.delivery_counts(campaign) if not campaign.is_editable else None,
        "schedule_form": schedule_form or forms.ScheduleCampaignForm(
            initial={"send_at": timezone.localtime(campaign.scheduled_for) if campaign.scheduled_for else None}),
        "verticals": [v.label for v in campaign.verticals.all()],
        "country_names": _country_names(campaign.countries),
    }, status=status)


def _country_names(codes):
    from django_countries import countries

    names = dict(countries)
    return [str(names.get(code, code)) for code in codes]


def _campaign_or_404(pk: int) -> Campaign:
    campaign = selectors.campaign_for_team(pk)
    if campaign is None:
        raise Http404
    return campaign


@permission_required("promotion.manage")
@require_GET
def campaign_detail(request, pk: int):
    return _campaign_page(request, _campaign_or_404(pk))


@permission_required("promotion.manage")
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = _campaign_or_404(pk)
    try:
        if action == "test":
            services.send_test(campaign=campaign, actor=request.user)
            messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
        elif action == "schedule":
            form = forms.ScheduleCampaignForm(request.POST)
            if not form.is_valid():
                return _campaign_page(request, campaign, schedule_form=form, status=400)
            try:
                services.schedule_campaign(campaign=campaign, send_at=form.cleaned_data["send_at"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
                return _campaign_page(request, campaign, schedule_form=form, status=400)
            messages.success(request, _("The campaign is scheduled."))
        elif action == "unschedule":
            services.unschedule_campaign(campaign=campaign, actor=request.user)
            messages.success(request, _("The campaign is no longer scheduled; it is a draft again."))
        elif action == "send":
            if request.POST.get("confirm") != "yes":
                messages.error(request, _("Tick the box to confirm that the campaign may go out now."))
                return _campaign_page(request, campaign, status=400)
            services.send_campaign_now(campaign=campaign, actor=request.user)
            messages.success(request, _("The campaign is on its way. This page shows how far it got."))
        elif action == "delete":
            services.delete_campaign(campaign=campaign, actor=request.user)
            messages.success(request, _("The campaign was deleted."))
            return redirect("promotion:campaign-list")
        else:
            raise Http404
    except services.PromotionError as error:
        messages.error(request, str(error))
        return _campaign_page(request, _campaign_or_404(pk), status=400)
    return redirect("promotion:campaign-detail", pk=pk)


# --- Requests for quotes ---------------------------------------------------------------------------------


@permission_required("promotion.request")
@require_GET
def request_list(request):
    company = selectors.company_of(request.user)
    page = Paginator(selectors.requests_of(company) if company else PromotionRequest.objects.none(),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/request_list.html", {"company": company, "page": page,
                                                           "requests": page.object_list})


@permission_required("promotion.request")
@require_http_methods(["GET", "POST"])
def request_create(request):
    company = selectors.company_of(request.user)
    if company is None:
        messages.error(request, _("Create your company's profile first: requests are made in its name."))
        return redirect("promotion:request-list")
    form = forms.PromotionRequestForm(posted(request), company=company)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            promotion_request = services.submit_request(
                company=company, actor=request.user, kind=data["kind"], reach=data["reach"], product=data["product"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], budget=data["budget"], message=data["message"])
        except ValidationError as error:
            add_service_errors(form, error)
        except services.PromotionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request was sent. The programme's team will answer with a quote."))
            return redirect("promotion:request-detail", pk=promotion_request.pk)
    return render(request, "promotion/request_form.html", {"form": form, "company": company},
                  status=response_status(form))


@permission_required("promotion.manage")
@require_GET
def manage_request_list(request):
    status = request.GET.get("status", "")
    if status not in PromotionRequest.Status.values:
        status = ""
    page = Paginator(selectors.requests_for_team(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/manage_request_list.html", {
        "page": page, "requests": page.object_list, "status": status, "statuses": PromotionRequest.Status.choices,
    })


REQUEST_ACTIONS = {
    "quote": ("promotion.manage", services.quote_request),
    "refuse": ("promotion.manage", services.refuse_request),
    "accept": ("promotion.request", services.accept_quote),
    "decline": ("promotion.request", services.decline_quote),
    "withdraw": ("promotion.request", services.withdraw_request),
}


@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    can_manage = can(request.user, "promotion.manage", tenant=request.tenant)
    can_request = can(request.user, "promotion.request", tenant=request.tenant)
    if not (can_manage or can_request):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    promotion_request = selectors.request_for(pk, user=request.user, can_manage=can_manage)
    if promotion_request is None:
        raise Http404
    is_company = selectors.represents(request.user, promotion_request.company_id) and can_request
    quote_form = forms.QuoteForm(prefix="quote", initial={
        "amount": promotion_request.quote_amount, "note": promotion_request.quote_note,
        "valid_until": promotion_request.quote_valid_until})
    refuse_form = forms.ReasonForm(prefix="refuse")
    decline_form = forms.ReasonForm(prefix="decline", required=False)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        permission, service = REQUEST_ACTIONS.get(action, (None, None))
        if service is None or not (can_manage if permission == "promotion.manage" else is_company):
            raise PermissionDenied
        form, kwargs = None, {}
        if action == "quote":
            form = quote_form = forms.QuoteForm(request.POST, prefix="quote")
        elif action == "refuse":
            form = refuse_form = forms.ReasonForm(request.POST, prefix="refuse")
        elif action == "decline":
            form = decline_form = forms.ReasonForm(request.POST, prefix="decline", required=False)
        if form is None or form.is_valid():
            if action == "quote":
                kwargs = {"amount": form.cleaned_data["amount"], "note": form.cleaned_data["note"],
                          "valid_until": form.cleaned_data["valid_until"]}
            elif action in ("refuse", "decline"):
                kwargs = {"reason": form.cleaned_data["reason"]}
            try:
                service(promotion_request=promotion_request, actor=request.user, **kwargs)
            except ValidationError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                else:
                    add_service_errors(form, error)
            except services.PromotionError as error:
                messages.error(request, str(error))
                return redirect("promotion:request-detail", pk=pk)
            else:
                messages.success(request, {
                    "quote": _("The quote was sent to the company."),
                    "refuse": _("The company was told the request is turned down."),
                    "accept": _("You accepted the quote. The programme's team will be in touch to set it up."),
                    "decline": _("You declined the quote."),
                    "withdraw": _("Your request was withdrawn."),
                }[action])
                return redirect("promotion:request-detail", pk=pk)
        status = 400
    people = selectors.users_by_id([promotion_request.requested_by_id, promotion_request.quoted_by_id,
                                    promotion_request.decided_by_id])
    return render(request, "promotion/request_detail.html", {
        "promotion_request": promotion_request, "can_manage": can_manage, "is_company": is_company,
        "quote_form": quote_form, "refuse_form": refuse_form, "decline_form": decline_form,
        "requested_by": people.get(promotion_request.requested_by_id),
        "quoted_by": people.get(promotion_request.quoted_by_id),
        "decided_by": people.get(promotion_request.decided_by_id),
        "is_expired": promotion_request.quote_expired(timezone.localdate()),
    }, status=status)


# --- Public addresses --------------------------------------------------------------------------------------


@never_cache
@require_GET
def banner_click(request, pk: int):
    """Count the click and go to the banner's stored link; nothing in the request chooses where."""
    link = services.record_banner_click(pk)
    if link is None:
        raise Http404
    response = HttpResponseRedirect(link)
    response["Referrer-Policy"] = "no-referrer"
    return response


# Mail programs post here without a form or a cookie (RFC 8058 one-click), so no CSRF
# token can exist; the signed token in the address is what authorises the change.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    data = read_unsubscribe_token(token, schema_name=request.tenant.schema_name)
    if data is None:
        return render(request, "promotion/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(user_id=data.user_id, campaign_id=data.campaign_id)
        return render(request, "promotion/unsubscribe.html", {"done": True})
    # A GET changes nothing: mail scanners open links before people do.
    return render(request, "promotion/unsubscribe.html", {"token": token})
