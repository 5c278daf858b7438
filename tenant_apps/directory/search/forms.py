"""The directory's search form: a query, facet filters and a sort, all from the GET string."""

from __future__ import annotations

from django import forms
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tenant_apps.directory.models import Company, DirectorySettings, ExpertProfile, Sector, Tag
from tenant_apps.directory.search.selectors import Criteria

SORT_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest")), ("name", _("Name"))]
LANGUAGE_CHOICES = [(code, name) for code, name in global_settings.LANGUAGES if "-" not in code]


class _SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    recommended = forms.BooleanField(label=_("Recommended by the agency"), required=False)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGE_CHOICES, required=False)

    kind = ""
    facet_names: tuple[str, ...] = ()

    def criteria(self) -> Criteria:
        """What was asked, keeping every valid part of an otherwise invalid search."""
        data = getattr(self, "cleaned_data", {})
        filters = {name: data.get(name) for name in self.facet_names if data.get(name)}
        return Criteria(kind=self.kind, q=data.get("q") or "", sort=data.get("sort") or "relevance", filters=filters)

    def is_filtered(self) -> bool:
        return bool(self.criteria().filters or self.criteria().q)


class CompanySearchForm(_SearchForm):
    sector = forms.TypedMultipleChoiceField(label=_("Sector"), coerce=int, required=False)
    country = forms.MultipleChoiceField(label=_("Country"), choices=countries, required=False)
    export_stage = forms.MultipleChoiceField(label=_("Export stage"), choices=Company.ExportStage.choices, required=False)
    size = forms.MultipleChoiceField(label=_("Size"), choices=Company.Size.choices, required=False)
    verified = forms.BooleanField(label=_("Verified profiles only"), required=False)
    tags = forms.TypedMultipleChoiceField(label=_("Tags"), coerce=int, required=False)

    kind = "companies"
    facet_names = ("sector", "country", "export_stage", "size", "verified", "recommended", "languages", "tags")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [(sector.pk, str(sector)) for sector in Sector.objects.all()]
        self.fields["tags"].choices = [(tag.pk, tag.name) for tag in Tag.objects.all()]


class ExpertSearchForm(_SearchForm):
    expertise = forms.TypedMultipleChoiceField(label=_("Expertise"), coerce=int, required=False)
    countries = forms.MultipleChoiceField(label=_("Countries of experience"), choices=countries, required=False)
    availability = forms.MultipleChoiceField(
        label=_("Availability"), choices=ExpertProfile.Availability.choices, required=False
    )

    kind = "experts"
    facet_names = ("expertise", "countries", "languages", "availability", "recommended")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].choices = [(tag.pk, tag.name) for tag in Tag.objects.all()]


class DirectorySettingsForm(forms.ModelForm):
    class Meta:
        model = DirectorySettings
        fields = ["is_public"]
