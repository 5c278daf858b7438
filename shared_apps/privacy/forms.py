from django import forms
from django.utils.translation import gettext_lazy as _

from shared_apps.privacy.policy import LEGAL_BASES, RETENTION_LIMITS


class ConsentForm(forms.Form):
    analytics = forms.ChoiceField(
        label=_("Audience measurement cookies"),
        choices=[("no", _("Refuse")), ("yes", _("Accept"))],
        widget=forms.RadioSelect,
        help_text=_("They would tell the programme's team which pages are read, without identifying you. None is set unless you accept."),
        error_messages={"required": _("Choose whether you accept audience measurement.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def accepts_analytics(self) -> bool:
        return self.cleaned_data["analytics"] == "yes"


class EraseAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(
        label=_("I understand that my data in this programme will be erased and cannot be recovered."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class EraseMemberForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this person's data in this programme will be erased and cannot be recovered."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class PrivacySettingsForm(forms.Form):
    controller = forms.CharField(label=_("Data controller (organisation name)"), max_length=200, required=False,
                                 help_text=_("Empty: the programme's name."))
    contact_email = forms.EmailField(label=_("Contact for privacy requests"), required=False)
    dpo_contact = forms.CharField(label=_("Data protection officer (name or address)"), max_length=200, required=False)
    unconfirmed_account_days = forms.IntegerField(
        label=_("Delete sign-ups not confirmed after (days)"), min_value=RETENTION_LIMITS["unconfirmed_account_days"][0],
        max_value=RETENTION_LIMITS["unconfirmed_account_days"][1],
    )
    notification_months = forms.IntegerField(
        label=_("Delete notifications after (months)"), min_value=RETENTION_LIMITS["notification_months"][0],
        max_value=RETENTION_LIMITS["notification_months"][1],
    )
    analytics_requires_consent = forms.BooleanField(
        label=_("Count unique visitors only for people who accept audience measurement"), required=False,
        help_text=_("Visits of the others are still counted, without telling visitors apart."),
    )


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=list(LEGAL_BASES.items()))
    retention = forms.CharField(label=_("How long the data is kept"), max_length=300)


class BasePurposeFormSet(forms.BaseFormSet):
    def purposes(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("purpose", "legal_basis", "retention")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


PurposeFormSet = forms.formset_factory(PurposeForm, formset=BasePurposeFormSet, extra=1, can_delete=True, max_num=30)
