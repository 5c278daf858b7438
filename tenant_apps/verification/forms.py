from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from tenant_apps.verification import services
from tenant_apps.verification.models import DocumentType


class DocumentUploadForm(forms.Form):
    document_type = forms.ModelChoiceField(label=_("Document"), queryset=DocumentType.objects.all(),
                                           empty_label=None)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG, WebP or GIF, up to 10 MB."))
    issued_on = forms.DateField(label=_("Date on the document"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("The date the document was issued or signed."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.validate_document(upload)
        return upload


class AppealForm(forms.Form):
    statement = forms.CharField(label=_("Why should we look again?"), max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Explain what changed; add any new documents above first."))


class DecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject")), ("more_information", _("Ask for more information"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason or question for the company"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Required when you reject or ask for more information."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in ("reject", "more_information") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell the company why, or what to add."))
        return cleaned


class SettingsForm(forms.Form):
    validity_days = forms.IntegerField(label=_("A verification is valid for (days)"), min_value=1, max_value=3650)
    reminder_days = forms.CharField(label=_("Remind companies this many days before expiry"), required=False,
                                    max_length=60, help_text=_("Numbers separated by commas, for example 30, 7."))

    def clean_reminder_days(self):
        raw = self.cleaned_data["reminder_days"]
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not all(part.isdigit() and 0 < int(part) <= 3650 for part in parts):
            raise forms.ValidationError(_("Enter whole numbers of days between 1 and 3650, separated by commas."))
        return [int(part) for part in parts]


DocumentTypeFormSet = modelformset_factory(
    DocumentType, fields=["name", "description", "max_age_days", "is_required", "position"], extra=1,
    can_delete=False,
)
