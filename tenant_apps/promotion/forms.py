"""Input parsing for promotion pages; the rules are in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tenant_apps.catalogue.models import Product, Vertical
from tenant_apps.directory.models import Company
from tenant_apps.promotion import selectors
from tenant_apps.promotion.models import Placement, PromotionRequest

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(label=label, required=required, help_text=help_text, widget=DateTimeLocalInput(),
                               input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class ScheduleFields(forms.Form):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"), required=False, help_text=_("Leave empty to keep it running until removed."))

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, product):
        return f"{product.company.name} — {product.title}"


class FeaturedProductForm(ScheduleFields):
    product = ProductChoiceField(label=_("Product"), queryset=Product.objects.none(),
                                 empty_label=_("— Choose a published product —"))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0,
                                  help_text=_("Smaller numbers come first."))
    field_order = ["product", "starts_at", "ends_at", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = selectors.published_products()


class FeaturedCompanyForm(ScheduleFields):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none(),
                                     empty_label=_("— Choose a supported company —"))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0,
                                  help_text=_("Smaller numbers come first."))
    field_order = ["company", "starts_at", "ends_at", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = selectors.supported_companies()


class PerLanguageMixin:
    """Adds one group of fields per programme language, named ``<field>_<language>``."""

    def add_language_fields(self, languages, default_language, make_fields):
        self.languages = [default_language, *[code for code in languages if code != default_language]]
        self.default_language = default_language
        self.language_groups = []
        for code in self.languages:
            names = []
            for name, field in make_fields(code, language_name(code), code == default_language):
                self.fields[f"{name}_{code}"] = field
                names.append(f"{name}_{code}")
            self.language_groups.append((code, language_name(code), names))

    def bound_language_groups(self):
        return [(code, name, [self[field] for field in names], code == self.default_language)
                for code, name, names in self.language_groups]

    def bound_main_fields(self):
        grouped = {name for _code, _label, names in self.language_groups for name in names}
        return [self[name] for name in self.fields if name not in grouped]

    def values_by_language(self, *names) -> dict[str, tuple]:
        return {code: tuple(self.cleaned_data.get(f"{name}_{code}", "") or "" for name in names)
                for code in self.languages}


class BannerForm(PerLanguageMixin, ScheduleFields):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For the team only; visitors never see it."))
    placement = forms.ChoiceField(label=_("Placement"), choices=Placement.choices, widget=forms.RadioSelect)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, initial=0,
                                  help_text=_("Smaller numbers come first."))
    link_url = forms.CharField(label=_("Link"), max_length=500, required=False,
                               help_text=_("A web address starting with https://, or a page of this site starting "
                                           "with /. Leave empty for a banner that links nowhere."))
    sponsor = forms.ModelChoiceField(label=_("Sponsored by"), queryset=Company.objects.none(), required=False,
                                     empty_label=_("— The programme itself —"),
                                     help_text=_("A company that paid for the banner is named on it."))
    image = forms.FileField(label=_("Image"), required=False,
                            help_text=_("PNG, JPEG or WebP, 2 MB at most, still (not animated). Without an image, "
                                        "the banner shows its text."),
                            widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    field_order = ["name", "placement", "starts_at", "ends_at", "position", "link_url", "sponsor", "image",
                   "remove_image"]

    def __init__(self, *args, languages, default_language, has_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = selectors.supported_companies()
        if not has_image:
            del self.fields["remove_image"]

        def fields(code, name, is_main):
            yield "text", forms.CharField(
                label=_("Text in %(language)s") % {"language": name}, max_length=240, required=False,
                help_text=_("Shown when there is no image.") if is_main else
                _("Leave empty to show the text in the main language."))
            yield "image_alt", forms.CharField(
                label=_("Description of the image in %(language)s") % {"language": name}, max_length=200,
                required=False,
                help_text=_("Required with an image: what it shows, read aloud to people who cannot see it.")
                if is_main else "")

        self.add_language_fields(languages, default_language, fields)


class SponsoredKeywordForm(ScheduleFields):
    product = ProductChoiceField(label=_("Product"), queryset=Product.objects.none(),
                                 empty_label=_("— Choose a published product —"))
    keyword = forms.CharField(label=_("Keyword"), max_length=100,
                              help_text=_("One to six words. The product comes first in search results for any "
                                          "query holding all of them, whatever the accents or capitals."))
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1,
                                help_text=_("When several sponsored products match, the heavier ones come first."))
    field_order = ["product", "keyword", "weight", "starts_at", "ends_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = selectors.published_products()


class VerticalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, vertical):
        return vertical.label


class AudienceForm(forms.Form):
    verticals = VerticalChoiceField(
        label=_("Buyers interested in"), queryset=Vertical.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: buyers of every vertical."))
    countries = forms.MultipleChoiceField(
        label=_("Buyers based in"), choices=[], required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("None chosen: every country. Hold Ctrl (or Cmd) to choose several."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verticals"].queryset = Vertical.objects.order_by("position", "name")
        self.fields["countries"].choices = list(countries)


class CampaignForm(PerLanguageMixin, AudienceForm):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For the team only; buyers never see it."))
    field_order = ["name", "verticals", "countries"]

    def __init__(self, *args, languages, default_language, **kwargs):
        super().__init__(*args, **kwargs)

        def fields(code, name, is_main):
            yield "subject", forms.CharField(label=_("Subject in %(language)s") % {"language": name}, max_length=200,
                                             required=is_main)
            yield "body", forms.CharField(
                label=_("Message in %(language)s") % {"language": name}, required=is_main,
                widget=forms.Textarea(attrs={"rows": 10}),
                help_text=_("Paragraphs, bold, lists and links (full addresses starting with https://) are kept; "
                            "anything else is removed.") if is_main else
                _("Buyers who read this language get this version; leave empty to send them the main one."))

        self.add_language_fields(languages, default_language, fields)


class ScheduleCampaignForm(forms.Form):
    send_at = _datetime_field(_("Send on"), help_text=_("Date and time, in the programme's time zone (%(zone)s).")
                              % {"zone": settings.TIME_ZONE})


class PromotionRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like?"), choices=PromotionRequest.Kind.choices,
                             widget=forms.RadioSelect)
    reach = forms.ChoiceField(label=_("Reach"), choices=PromotionRequest.Reach.choices, widget=forms.RadioSelect,
                              initial=PromotionRequest.Reach.MEDIUM,
                              help_text=_("Small, medium or large campaign: the team's quote follows from it."))
    product = forms.ModelChoiceField(label=_("Product to promote"), queryset=Product.objects.none(), required=False,
                                     empty_label=_("— The whole company —"))
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    budget = forms.DecimalField(label=_("Budget (euros)"), required=False, min_value=Decimal("0"), max_digits=10,
                                decimal_places=2, help_text=_("Optional: what you plan to spend, before tax."))
    message = forms.CharField(label=_("Message to the team"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Markets you aim at, what you would like to show, anything useful."))

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        if company is not None:
            self.fields["product"].queryset = Product.objects.filter(company=company).order_by("title", "pk")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end must come after the start."))
        return cleaned


class QuoteForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (euros, before tax)"), min_value=Decimal("0"), max_digits=10,
                                decimal_places=2)
    note = forms.CharField(label=_("What the quote covers"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput(),
                                  help_text=_("Optional: after this date the company can no longer accept it."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = _("Reason (optional)")
