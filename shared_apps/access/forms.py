from django import forms
from django.utils.translation import gettext_lazy as _

from shared_apps.access import measures
from shared_apps.accounts.selectors import members_of
from tenants import catalog


def _permission_choices():
    return [(key, f"{label} ({key})") for key, label in catalog.PERMISSIONS.items()]


class GrantForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None, empty_label=_("Choose a member"))
    role = forms.ChoiceField(label=_("Everything this role may do"), required=False,
                             help_text=_("Or tick individual permissions below."))
    permissions = forms.MultipleChoiceField(label=_("Permissions"), required=False, widget=forms.CheckboxSelectMultiple)
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             help_text=_("For example: trade mission to Dakar, 3 to 7 June."))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_of(tenant)
        self.fields["member"].label_from_instance = lambda m: f"{m.user.full_name} <{m.user.email}> · {m.get_role_display()}"
        self.fields["role"].choices = [("", _("No role: only the permissions ticked")), *catalog.ROLE_CHOICES]
        self.fields["permissions"].choices = _permission_choices()


class RuleForm(forms.Form):
    badge = forms.CharField(label=_("Badge"), max_length=60, help_text=_("Shown next to the member's name."))
    role = forms.ChoiceField(label=_("For members with the role"), required=False)
    measure = forms.ChoiceField(label=_("Measure"))
    threshold = forms.IntegerField(label=_("At least"), min_value=1, max_value=1_000_000)
    permissions = forms.MultipleChoiceField(label=_("Extra permissions"), required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any role")), *catalog.ROLE_CHOICES]
        self.fields["measure"].choices = measures.choices()
        self.fields["permissions"].choices = _permission_choices()
