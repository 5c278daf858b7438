"""Input parsing for profile pages; the rules on who may change what are in services."""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from tenant_apps.directory import selectors
from tenant_apps.directory.models import Company, CompanyMedia, ExpertProfile, MissionParticipation, Sector, Tag

LANGUAGE_CHOICES = [
    ("fr", _("French")), ("en", _("English")), ("ar", _("Arabic")), ("es", _("Spanish")), ("pt", _("Portuguese")),
    ("de", _("German")), ("it", _("Italian")), ("nl", _("Dutch")), ("zh", _("Chinese")), ("vi", _("Vietnamese")),
    ("wo", _("Wolof")), ("sw", _("Swahili")), ("ln", _("Lingala")), ("mg", _("Malagasy")), ("ht", _("Haitian Creole")),
    ("ro", _("Romanian")),
]
MAX_VIDEO_LINKS = 5


class LinesOfUrlsField(forms.CharField):
    """Web addresses, one a line; each must be an http(s) address."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        if len(value) > MAX_VIDEO_LINKS:
            raise forms.ValidationError(_("Give at most %(count)s links.") % {"count": MAX_VIDEO_LINKS}, code="too_many")
        check = URLValidator(schemes=["http", "https"])
        for line in value:
            try:
                check(line)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(value)s” is not a web address (it should start with https://).") % {"value": line}, code="invalid"
                ) from error


def _sector_field(form):
    field = form.fields["sector"]
    field.choices = [("", _("— Choose a sector —")), *selectors.sector_choices()]


class CompanyProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), choices=LANGUAGE_CHOICES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    video_links = LinesOfUrlsField(label=_("Video links"), required=False,
                                   help_text=_("Addresses of videos (YouTube, Vimeo…), one a line."))

    class Meta:
        model = Company
        fields = [
            "name", "legal_name", "registration_number", "vat_number", "country", "city", "sector", "size",
            "turnover_band", "export_stage", "description", "products_services", "target_markets", "goals",
            "website", "email", "phone", "languages", "video_links", "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "products_services": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "target_markets": _("Hold Ctrl (or Cmd) to choose several countries."),
            "visibility": _("Contact details are only ever shown to signed-in members."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sector_field(self)

    def profile_values(self) -> dict:
        return dict(self.cleaned_data)


class LogoForm(forms.Form):
    logo = forms.FileField(label=_("Logo"), help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB."))


class MediaForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CompanyMedia.Kind.choices, widget=forms.RadioSelect,
                             initial=CompanyMedia.Kind.PHOTO)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), help_text=_("Photos: PNG, JPEG, WebP or GIF up to 5 MB. Brochures: PDF up to 10 MB."))


class MissionForm(forms.ModelForm):
    class Meta:
        model = MissionParticipation
        fields = ["title", "country", "year", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = datetime.date.today().year
        if not 1950 <= year <= this_year + 1:
            raise forms.ValidationError(_("Give a year between 1950 and %(year)s.") % {"year": this_year + 1})
        return year


class AddRepresentativeForm(forms.Form):
    member = forms.TypedChoiceField(label=_("A company representative of this programme"), required=False, coerce=int,
                                    empty_value=None)
    email = forms.EmailField(label=_("Or invite someone by e-mail"), required=False,
                             help_text=_("They receive an invitation and join your company once they accept it."))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("— Nobody from the list —")), *((u.pk, f"{u.full_name or u.email} ({u.email})") for u in candidates)]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("member") and not data.get("email"):
            raise forms.ValidationError(_("Choose a representative from the list or give an e-mail address."))
        return data


class TransferOwnershipForm(forms.Form):
    representative = forms.TypedChoiceField(label=_("New owner"), coerce=int)

    def __init__(self, *args, representatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].choices = [(rep.pk, rep.user.full_name or rep.user.email) for rep in representatives]


class ExpertProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), choices=LANGUAGE_CHOICES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    sectors = forms.ModelMultipleChoiceField(label=_("Sectors"), queryset=Sector.objects.all(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ExpertProfile
        fields = ["headline", "bio", "sectors", "countries", "languages", "availability", "visibility"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6}), "visibility": forms.RadioSelect,
                   "availability": forms.RadioSelect}
        help_texts = {"countries": _("Hold Ctrl (or Cmd) to choose several countries.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].label_from_instance = lambda sector: sector.label


class ModerateForm(forms.Form):
    is_recommended = forms.BooleanField(label=_("Recommended by the agency"), required=False)
    tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.all(), required=False,
                                          widget=forms.CheckboxSelectMultiple)


class SectorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=Sector.objects.filter(parent=None), required=False,
                                    empty_label=_("— Top level —"))

    def __init__(self, *args, sector=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sector is not None:
            self.fields["parent"].queryset = Sector.objects.filter(parent=None).exclude(pk=sector.pk)


class TagForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
