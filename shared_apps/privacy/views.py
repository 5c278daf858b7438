"""Cookie choices, one's own data (copy, erasure), the privacy page and its settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted
from platform_core.security import safe_redirect_target
from shared_apps.accounts import selectors as account_selectors
from shared_apps.accounts.permissions import permission_required
from shared_apps.privacy import forms, selectors, services
from shared_apps.privacy.consent import write_consent
from shared_apps.privacy.models import DataExport
from shared_apps.privacy.policy import LEGAL_BASES, privacy_settings
from shared_apps.privacy.storage import private_storage


def _programme(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        raise Http404
    return tenant


@require_http_methods(["GET", "POST"])
def cookies(request):
    state = request.consent
    initial = {"analytics": "yes" if state.analytics else "no", "next": request.GET.get("next", "")}
    form = forms.ConsentForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        new_state, _record = services.record_consent(
            tenant=request.tenant, user=request.user, previous=state, analytics=form.accepts_analytics
        )
        messages.success(request, _("Your cookie choices are saved. You can change them at any time from the page footer."))
        response = redirect(safe_redirect_target(request, form.cleaned_data.get("next"), default=request.path))
        write_consent(response, new_state)
        return response
    return render(request, "privacy/cookies.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_data(request):
    tenant = _programme(request)
    context = {
        "exports": selectors.exports_of(tenant=tenant, user=request.user),
        "latest_consent": selectors.latest_consent_of(tenant=tenant, user=request.user),
        "export_hours": settings.DATA_EXPORT_MAX_AGE // 3600,
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_POST
def export_request(request):
    tenant = _programme(request)
    try:
        services.request_data_export(tenant=tenant, user=request.user)
    except services.PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("We are preparing a copy of your data. A download link will be e-mailed to %(email)s.")
                         % {"email": request.user.email})
    return redirect("privacy:my-data")


@never_cache
@login_required
def export_download(request, token):
    tenant = _programme(request)
    try:
        export = services.export_from_token(tenant=tenant, user=request.user, token=token)
    except DataExport.DoesNotExist as exc:
        raise Http404 from exc
    except services.PrivacyError as error:
        return render(request, "privacy/export_unavailable.html", {"error": str(error)}, status=410)
    storage = private_storage()
    if not export.file_name or not storage.exists(export.file_name):
        raise Http404
    services.record_export_download(export=export)
    filename = f"{tenant.slug or 'data'}-my-data-{export.ready_at:%Y%m%d}.zip"
    return FileResponse(storage.open(export.file_name, "rb"), as_attachment=True, filename=filename,
                        content_type="application/zip")


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request):
    tenant = _programme(request)
    form = forms.EraseAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_account(tenant=tenant, user=request.user, actor=request.user,
                                   password=form.cleaned_data["password"])
        except services.WrongPassword as error:
            form.add_error("password", str(error))
        except services.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Your data in this programme has been erased."))
            return redirect("home:index")
    return render(request, "privacy/erase_account.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("members.manage")
@require_http_methods(["GET", "POST"])
def erase_member(request, pk):
    tenant = request.tenant
    membership = account_selectors.membership_in(tenant, pk)
    if membership is None:
        raise Http404
    if membership.user_id == request.user.pk:
        raise PermissionDenied
    form = forms.EraseMemberForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_account(tenant=tenant, user=membership.user, actor=request.user)
        except services.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The member's data has been erased."))
            return redirect("accounts:member-list")
    context = {"form": form, "membership": membership}
    return render(request, "privacy/erase_member.html", context, status=400 if form.errors else 200)


def privacy_policy(request):
    tenant = request.tenant
    policy = privacy_settings(tenant if not tenant.is_public else None)
    context = {"policy": policy, "title": _("Privacy"), "legal_bases": list(LEGAL_BASES.items())}
    return render(request, "privacy/policy.html", context)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def privacy_settings_page(request):
    tenant = request.tenant
    policy = privacy_settings(tenant)
    data = posted(request)
    initial = {"controller": (tenant.privacy or {}).get("controller", ""), "contact_email": policy.contact_email,
               "dpo_contact": policy.dpo_contact, "unconfirmed_account_days": policy.unconfirmed_account_days,
               "notification_months": policy.notification_months,
               "analytics_requires_consent": policy.analytics_requires_consent}
    form = forms.PrivacySettingsForm(data, initial=initial)
    formset = forms.PurposeFormSet(data, initial=policy.purposes, prefix="purpose")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.update_privacy_settings(tenant, **form.cleaned_data, purposes=formset.purposes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("tenant-settings:privacy")
    has_errors = data is not None and (bool(form.errors) or not formset.is_valid())
    context = {"form": form, "formset": formset, "policy": policy}
    return render(request, "privacy/settings.html", context, status=400 if has_errors else 200)
