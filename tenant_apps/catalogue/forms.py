"""Input for the seller's product pages and the moderators' catalogue pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tenant_apps.catalogue.models import Certification, Product, ProductDocument, Vertical, validate_hs_code
from tenant_apps.catalogue.services import normalise_hs_code
from tenant_apps.directory.models import Company


def language_choices(tenant) -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in tenant.languages]


class LabelledChoiceField(forms.ModelMultipleChoiceField):
    """Taxonomy entries labelled in the reader's language."""

    def label_from_instance(self, obj):
        return obj.label


class ProductForm(forms.Form):
    kind = forms.ChoiceField(label=_("This is a"), choices=Product.Kind.choices, widget=forms.RadioSelect,
                             initial=Product.Kind.PRODUCT)
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the title and description"))
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}), required=False,
        help_text=_("What it does, for whom, and what sets it apart. Required before publishing."),
    )
    verticals = LabelledChoiceField(
        label=_("Verticals"), queryset=Vertical.objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    certifications = LabelledChoiceField(
        label=_("Certifications"), queryset=Certification.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minimum_order = forms.CharField(label=_("Minimum order"), max_length=120, required=False,
                                    help_text=_("For example: 10 units, or 1 pallet."))
    lead_time = forms.CharField(label=_("Lead time"), max_length=120, required=False,
                                help_text=_("For example: 6 to 8 weeks."))
    hs_code = forms.CharField(
        label=_("HS code"), max_length=16, required=False,
        help_text=_("The Harmonized System customs code: 4, 6, 8 or 10 digits, dots and spaces allowed."),
    )
    countries_served = forms.MultipleChoiceField(
        label=_("Countries served"), choices=countries, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd on a Mac) to choose several countries."),
    )

    def __init__(self, *args, tenant, product: Product | None = None, **kwargs):
        if product is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "kind": product.kind, "title": product.title, "language": product.language,
                "description": product.description, "verticals": list(product.verticals.all()),
                "certifications": list(product.certifications.all()), "minimum_order": product.minimum_order,
                "lead_time": product.lead_time, "hs_code": product.hs_code, "countries_served": product.countries_served,
            }
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(tenant)
        if product is None:
            # Sellers are mostly French companies writing in French first.
            self.fields["language"].initial = "fr" if "fr" in tenant.languages else tenant.default_language
        self.fields["verticals"].queryset = Vertical.objects.order_by("position", "name")
        self.fields["certifications"].queryset = Certification.objects.order_by("position", "name")

    def clean_hs_code(self):
        code = normalise_hs_code(self.cleaned_data["hs_code"])
        if code:
            validate_hs_code(code)
        return code

    def product_values(self) -> dict:
        return dict(self.cleaned_data)


class SpecificationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    value = forms.CharField(label=_("Value"), max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") and not cleaned.get("name"):
            self.add_error("name", _("Give this specification a name."))
        return cleaned


SpecificationFormSet = forms.formset_factory(SpecificationForm, extra=3, max_num=40, validate_max=True)


def specification_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get("name")]


class TranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    specifications = forms.CharField(
        label=_("Specifications"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("One per line, as name: value. Leave empty to show the original specifications."),
    )
    minimum_order = forms.CharField(label=_("Minimum order"), max_length=120, required=False)
    lead_time = forms.CharField(label=_("Lead time"), max_length=120, required=False)

    def clean_specifications(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["specifications"].splitlines(), start=1):
            if not line.strip():
                continue
            name, separator, value = line.partition(":")
            if not separator or not name.strip():
                raise ValidationError(
                    _("Line %(number)s: write the name, a colon, then the value."), params={"number": number},
                )
            rows.append({"name": name.strip(), "value": value.strip()})
        return rows

    @staticmethod
    def specifications_text(rows) -> str:
        return "\n".join(f"{row.get('name', '')}: {row.get('value', '')}" for row in rows or [])


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("PNG, JPEG, WebP or GIF, 5 MB at most."))
    alt_text = forms.CharField(
        label=_("Description of the image"), max_length=200,
        help_text=_("What the image shows, read aloud to people who cannot see it."),
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Data sheet (PDF)"), help_text=_("A PDF without password, 10 MB at most."))
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"))
    visibility = forms.ChoiceField(label=_("Shown to"), choices=ProductDocument.Visibility.choices,
                                   initial=ProductDocument.Visibility.PUBLIC, widget=forms.RadioSelect)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(tenant)


class VerticalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description_en = forms.CharField(label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 3}),
                                     required=False)


class CertificationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=120, required=False)


class SupportCompanyForm(forms.Form):
    company = forms.TypedChoiceField(label=_("Company"), coerce=int)
    since = forms.DateField(label=_("Supported since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Internal note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden profiles are in no list of supported companies, so they cannot be chosen here.
        candidates = (Company.objects.filter(showroom_support__isnull=True).exclude(visibility=Company.Visibility.HIDDEN)
                      .order_by("name").values_list("pk", "name"))
        self.fields["company"].choices = [("", "---------"), *candidates]


class CatalogueSettingsForm(forms.Form):
    required_languages = forms.MultipleChoiceField(
        label=_("Languages every published product must have"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Sellers cannot publish a product until its title and description exist in each of these."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_languages"].choices = language_choices(tenant)
