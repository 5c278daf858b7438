from django import forms
from django.utils.translation import gettext_lazy as _

from shared_apps.audit import actions, selectors


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Person (e-mail contains)"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *actions.choices()]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date must not be before the start date."))
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data[key] for key in ("actor", "action", "since", "until") if self.cleaned_data[key]}


class PrivilegeReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Group by"), required=False,
        choices=[("month", _("Month")), ("week", _("Week")), ("day", _("Day"))],
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def chosen_period(self) -> str:
        value = self.cleaned_data.get("period") if self.is_valid() else ""
        return value if value in selectors.PERIODS else "month"
