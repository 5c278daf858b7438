"""The catalogue's search form: a query, facet filters and a sort, all from the GET string."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tenant_apps.catalogue.models import Certification, Product, Vertical
from tenant_apps.catalogue.search.selectors import Criteria

SORT_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest")), ("title", _("Title"))]


class ProductSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    vertical = forms.TypedMultipleChoiceField(label=_("Vertical"), coerce=int, required=False)
    kind = forms.MultipleChoiceField(label=_("Products or services"), choices=Product.Kind.choices, required=False)
    country = forms.MultipleChoiceField(label=_("Country served"), choices=countries, required=False)
    certification = forms.TypedMultipleChoiceField(label=_("Certification"), coerce=int, required=False)

    facet_names = ("vertical", "kind", "country", "certification")

    def __init__(self, *args, verticals=None, certifications=None, **kwargs):
        super().__init__(*args, **kwargs)
        verticals = Vertical.objects.all() if verticals is None else verticals
        certifications = Certification.objects.all() if certifications is None else certifications
        self.fields["vertical"].choices = [(vertical.pk, vertical.label) for vertical in verticals]
        self.fields["certification"].choices = [(item.pk, item.label) for item in certifications]

    def criteria(self) -> Criteria:
        """What was asked, keeping every valid part of an otherwise invalid search."""
        data = getattr(self, "cleaned_data", {})
        filters = {name: data.get(name) for name in self.facet_names if data.get(name)}
        return Criteria(q=data.get("q") or "", sort=data.get("sort") or "relevance", filters=filters)
