"""Buyer registration and the buyer's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.permissions import role_in
from tenant_apps.catalogue.buyers import forms, services
from tenant_apps.catalogue.models import BuyerProfile
from tenants import catalog


@require_http_methods(["GET", "POST"])
def register(request):
    tenant = request.tenant
    if not tenant.has_module("catalogue") or catalog.BUYER not in tenant.signup_roles:
        raise Http404
    if request.user.is_authenticated:
        if role_in(request.user, tenant) == catalog.VISITOR:
            return redirect("accounts:join")
        return redirect("catalogue:buyer-profile")
    form = forms.BuyerSignUpForm(posted(request), tenant=tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_buyer(
                tenant=tenant, email=data["email"], full_name=data["full_name"], password=data["password1"],
                language=request.LANGUAGE_CODE, **form.profile_values(),
            )
        except services.BuyerError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session["signed_up_email"] = data["email"]
            return redirect("accounts:sign-up-done")
    return render(request, "catalogue/buyers/register.html", {"form": form}, status=response_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    tenant = request.tenant
    if not tenant.has_module("catalogue") or role_in(request.user, tenant) != catalog.BUYER:
        raise Http404
    instance = BuyerProfile.objects.filter(user=request.user).first()
    form = forms.BuyerProfileForm(posted(request), profile=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(user=request.user, **form.profile_values())
        except services.BuyerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your buyer profile is saved."))
            return redirect("catalogue:product-search")
    return render(request, "catalogue/buyers/profile.html", {"form": form, "profile": instance},
                  status=response_status(form))
