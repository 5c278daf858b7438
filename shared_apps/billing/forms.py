"""Input for billing pages. Amounts are typed in units (12.50) and kept in cents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shared_apps.billing.models import FEATURES, BillingSettings, Interval, PaymentMethod, Plan


class MoneyField(forms.DecimalField):
    """Typed as 1234.50 (or 1234,50); cleaned to an integer number of cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int((amount * 100).to_integral_value())

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{Decimal(value) / 100:.2f}"
        return value


class PlanForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Letters, digits and hyphens, e.g. pro-monthly."))
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    interval = forms.ChoiceField(label=_("Billed"), choices=Interval.choices)
    currency = forms.RegexField(label=_("Currency"), regex=r"^[A-Za-z]{3}$", max_length=3, initial="EUR",
                               help_text=_("Three-letter code, e.g. EUR."),
                               error_messages={"invalid": _("Enter a three-letter currency code, e.g. EUR.")})
    amount = MoneyField(label=_("Price before VAT"))
    vat_rate = forms.DecimalField(label=_("VAT rate (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                  initial=Decimal("20.00"))
    trial_days = forms.IntegerField(label=_("Free trial (days)"), min_value=0, max_value=365, initial=0)
    is_active = forms.BooleanField(label=_("Offered to sellers"), required=False, initial=True)
    position = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, plan: Plan | None = None, **kwargs):
        if plan is not None:
            kwargs.setdefault("initial", {
                **{field: getattr(plan, field) for field in ("code", "name", "description", "interval", "currency",
                                                             "amount", "vat_rate", "trial_days", "is_active", "position")},
                **{f"feature_{key}": plan.quota(key) for key in FEATURES},
            })
        super().__init__(*args, **kwargs)
        for key, label in FEATURES.items():
            self.fields[f"feature_{key}"] = forms.IntegerField(label=label, min_value=0, max_value=100_000, initial=0,
                                                               help_text=_("0 when the plan does not include it."))

    def plan_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["features"] = {key: data.pop(f"feature_{key}") for key in FEATURES}
        data["currency"] = data["currency"].upper()
        return data


class CompanyPriceForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("Plan"), coerce=int)
    company = forms.TypedChoiceField(label=_("Company"), coerce=int)
    amount = MoneyField(label=_("Negotiated price before VAT"), required=False,
                        help_text=_("Either a price or a discount."))
    discount_percent = forms.DecimalField(label=_("Discount (%)"), max_digits=5, decimal_places=2, min_value=0,
                                          max_value=100, required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Leave empty for no end."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, plans, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", "—"), *((plan.pk, plan.name) for plan in plans)]
        self.fields["company"].choices = [("", "—"), *companies]
        self.company_names = dict(companies)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("amount") is None) == (cleaned.get("discount_percent") is None) and not self.errors:
            raise forms.ValidationError(_("Give either a negotiated price or a discount, not both."))
        return cleaned


class AccountForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name on invoices"), max_length=200)
    billing_email = forms.EmailField(label=_("Billing e-mail"), help_text=_("Invoices and payment reminders go there."))
    address = forms.CharField(label=_("Billing address"), widget=forms.Textarea(attrs={"rows": 3}))
    country = forms.ChoiceField(label=_("Country"))
    vat_number = forms.CharField(label=_("VAT number"), max_length=40, required=False,
                                 help_text=_("For a business in another EU country, invoices are issued without VAT (reverse charge)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]

    def clean_vat_number(self):
        value = self.cleaned_data["vat_number"].replace(" ", "").upper()
        if value and not (value[:2].isalpha() and len(value) >= 8 and value[2:].isalnum()):
            raise forms.ValidationError(_("Enter the VAT number with its country prefix, e.g. DE123456789."))
        return value


class SubscribeForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("Plan"), coerce=int)
    payment_method = forms.ChoiceField(label=_("How to pay"), widget=forms.RadioSelect)

    def __init__(self, *args, plans, card_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(plan.pk, plan.name) for plan in plans]
        methods = [(PaymentMethod.INVOICE, _("By invoice and bank transfer"))]
        if card_enabled:
            methods.insert(0, (PaymentMethod.CARD, _("By card (secure payment page)")))
        self.fields["payment_method"].choices = methods
        self.fields["payment_method"].initial = methods[0][0]


class ChangePlanForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("New plan"), coerce=int)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(plan.pk, plan.name) for plan in plans]


class MarkPaidForm(forms.Form):
    reference = forms.CharField(label=_("Transfer reference"), max_length=120,
                                help_text=_("As shown on the bank statement."))
    paid_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = MoneyField(label=_("Amount received"), required=False, help_text=_("Leave empty for the full amount due."))


class BillingSettingsForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = ["grace_days", "invoice_due_days", "reminder_days", "invoice_prefix", "issuer_name", "issuer_address",
                  "issuer_vat_number", "issuer_registration", "bank_account_holder", "bank_name", "iban", "bic"]
        widgets = {"issuer_address": forms.Textarea(attrs={"rows": 3})}

    def clean_iban(self):
        iban = self.cleaned_data["iban"].replace(" ", "").upper()
        if iban and not _valid_iban(iban):
            raise forms.ValidationError(_("This IBAN is not valid: check it against the bank's document."))
        return iban

    def clean_invoice_prefix(self):
        prefix = self.cleaned_data["invoice_prefix"].strip()
        if not prefix.replace("-", "").isalnum():
            raise forms.ValidationError(_("Letters and digits only."))
        return prefix


def _valid_iban(iban: str) -> bool:
    if len(iban) < 15 or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    try:
        return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
    except (ValueError, InvalidOperation):
        return False
