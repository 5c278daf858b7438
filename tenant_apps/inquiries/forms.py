"""Input parsing for inquiries; the rules themselves are checked again by the services."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tenant_apps.inquiries import selectors, services
from tenant_apps.inquiries.models import Currency, Incoterm, Kind, Status, Unit

ACCEPTED_FILES = ".pdf,.png,.jpg,.jpeg,.webp,.gif,application/pdf,image/png,image/jpeg,image/webp,image/gif"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _attachments_help() -> str:
    return gettext("Up to %(count)s files, PDF or images, %(size)s MB each. After an error, choose them again.") % {
        "count": services.MAX_ATTACHMENTS_PER_MESSAGE, "size": services.ATTACHMENT_MAX_BYTES // (1024 * 1024)}


def _attachments_field():
    # Lazy: the fields are made at import, the help is read in each reader's language.
    return MultipleFileField(label=_("Attachments"), required=False, help_text=lazy(_attachments_help, str)())


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _country_field(label, *, required: bool):
    return CountryField(blank=not required).formfield(label=label, required=required)


def _blank(choices, label=None):
    return [("", label or _("—")), *choices]


class InquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What are you sending?"), choices=Kind.choices, widget=forms.RadioSelect)
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False,
                                     empty_label=_("No specific product"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Your message"), max_length=services.MESSAGE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 6}))
    buyer_organisation = forms.CharField(label=_("Your organisation"), max_length=200, required=False)
    buyer_country = _country_field(_("Your country"), required=True)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, required=False,
                                  widget=forms.NumberInput(attrs={"step": "any", "min": "0"}))
    unit = forms.ChoiceField(label=_("Unit"), choices=_blank(Unit.choices), required=False)
    target_price = forms.DecimalField(label=_("Target price (total)"), max_digits=14, decimal_places=2, required=False,
                                      widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}))
    currency = forms.ChoiceField(label=_("Currency"), choices=_blank(Currency.choices), required=False)
    incoterm = forms.ChoiceField(label=_("Incoterm (2020)"), choices=_blank(Incoterm.choices), required=False,
                                 help_text=_("Where the seller's responsibility for the goods ends."))
    destination_country = _country_field(_("Destination country"), required=False)
    deadline = forms.DateField(label=_("Answer wanted by"), required=False, widget=_date_input())
    attachments = _attachments_field()

    TRADE_FIELDS = ("quantity", "unit", "target_price", "currency", "incoterm", "destination_country", "deadline")

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = selectors.published_products(company)

    def trade_terms(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.TRADE_FIELDS}


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=services.MESSAGE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 5}))
    attachments = _attachments_field()


class QuoteForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (total)"), max_digits=14, decimal_places=2, min_value=0.01,
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}))
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.EUR)
    valid_until = forms.DateField(label=_("Valid until"), widget=_date_input())
    terms = forms.CharField(label=_("Terms"), required=False, max_length=services.MESSAGE_MAX_LENGTH,
                            help_text=_("Delivery time, payment terms, Incoterm, what the price includes."),
                            widget=forms.Textarea(attrs={"rows": 4}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)


class AssignForm(forms.Form):
    representative = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, empty_label=None)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        field.queryset = company.representatives.select_related("user").order_by("-is_owner", "user__full_name")
        field.label_from_instance = lambda rep: selectors.person_label(rep.user)


class RoutingRuleForm(forms.Form):
    product = forms.ModelChoiceField(label=_("About this product"), queryset=None, required=False,
                                     empty_label=_("—"))
    vertical = forms.ModelChoiceField(label=_("About a product of this vertical"), queryset=None, required=False,
                                      empty_label=_("—"))
    country = _country_field(_("From buyers in this country"), required=False)
    representative = forms.ModelChoiceField(label=_("Send them to"), queryset=None, empty_label=None)

    def __init__(self, *args, company, **kwargs):
        from tenant_apps.catalogue.models import Product, Vertical

        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(company=company).order_by("title")
        self.fields["vertical"].queryset = Vertical.objects.order_by("position", "name")
        self.fields["vertical"].label_from_instance = lambda vertical: vertical.label
        representative = self.fields["representative"]
        representative.queryset = company.representatives.select_related("user").order_by("-is_owner", "user__full_name")
        representative.label_from_instance = lambda rep: selectors.person_label(rep.user)

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("product", "vertical", "country") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose one criterion: a product, a vertical or a country."))
        return data


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_blank(Status.choices, _("Any status")), required=False)
    product = forms.TypedChoiceField(label=_("Product"), coerce=int, required=False, empty_value=None)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = _blank(
            [(product.pk, product.title) for product in selectors.products_with_inquiries(company)], _("Any product"))
        self.fields["assignee"].choices = [
            ("", _("Anyone")), (selectors.MINE, _("Me")), (selectors.UNASSIGNED, _("Nobody")),
            *[(str(rep.pk), selectors.person_label(rep.user)) for rep in selectors.representatives_of(company)],
        ]

    def filters(self) -> selectors.InboxFilters:
        if not self.is_valid():
            return selectors.InboxFilters()
        data = self.cleaned_data
        return selectors.InboxFilters(status=data["status"], product_id=data["product"], assignee=data["assignee"])
