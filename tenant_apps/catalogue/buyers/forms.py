"""Buyer registration and profile forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shared_apps.accounts.forms import SignUpForm
from tenant_apps.catalogue.forms import LabelledChoiceField
from tenant_apps.catalogue.models import BuyerProfile, Vertical


class BuyerDetailsMixin(forms.Form):
    company_name = forms.CharField(label=_("Company"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    country = forms.ChoiceField(label=_("Country of your company"))
    sector = forms.CharField(label=_("Sector of activity"), max_length=120,
                             help_text=_("For example: hospital equipment distribution, or automotive parts."))
    job_role = forms.ChoiceField(label=_("Your role"), choices=BuyerProfile.JobRole.choices)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    interests = LabelledChoiceField(
        label=_("What are you looking for?"), queryset=Vertical.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    opted_in_marketing = forms.BooleanField(
        label=_("Send me the programme's news and featured products by e-mail (you can stop at any time)"),
        required=False,
    )

    def _init_interests(self):
        self.fields["interests"].queryset = Vertical.objects.order_by("position", "name")
        self.fields["country"].choices = [("", "---------"), *countries]
        self.fields["country"].widget.attrs["autocomplete"] = "country"

    def profile_values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in
                ("company_name", "country", "sector", "job_role", "job_title", "interests", "opted_in_marketing")}


class BuyerSignUpForm(BuyerDetailsMixin, SignUpForm):
    """The general sign-up form with the role fixed to buyer and the buyer's company details."""

    field_order = ["full_name", "email", "company_name", "country", "sector", "job_role", "job_title", "interests",
                   "opted_in_marketing", "password1", "password2", "captcha"]

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, tenant=tenant, **kwargs)
        del self.fields["role"]
        del self.fields["organisation"]
        self._init_interests()
        self.order_fields(self.field_order)


class BuyerProfileForm(BuyerDetailsMixin):
    def __init__(self, *args, profile: BuyerProfile | None = None, **kwargs):
        if profile is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "company_name": profile.company_name, "country": profile.country.code, "sector": profile.sector,
                "job_role": profile.job_role, "job_title": profile.job_title,
                "interests": list(profile.interests.all()), "opted_in_marketing": profile.opted_in_marketing,
            }
        super().__init__(*args, **kwargs)
        self._init_interests()
