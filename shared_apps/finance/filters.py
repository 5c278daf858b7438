"""Filters of the finance lists (django-filter). A value that does not parse is reported
next to its field and ignored; the other filters still apply."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models import LedgerEntry
from shared_apps.finance import selectors
from shared_apps.finance.models import ReconciliationItem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must not be before the start date."))
            data.pop("until", None)
        return data


class _ProgrammeFilter(django_filters.ModelChoiceFilter):
    """A programme, or the platform itself (payouts have no programme)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=lambda request: selectors.programmes(), field_name="tenant", null_label=_("Platform (payouts)"),
                         null_value="platform", empty_label=_("All programmes"), **kwargs)


class LedgerFilter(django_filters.FilterSet):
    tenant = _ProgrammeFilter(label=_("Programme"))
    company = django_filters.CharFilter(field_name="company_name", lookup_expr="icontains",
                                        label=_("Company (name contains)"), max_length=200)
    kind = django_filters.ChoiceFilter(choices=LedgerEntry.Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    currency = django_filters.ChoiceFilter(label=_("Currency"), empty_label=_("All currencies"))
    since = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("From"),
                                      widget=DATE_INPUT)
    until = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("Until"),
                                      widget=DATE_INPUT)

    class Meta:
        model = LedgerEntry
        fields = ["tenant", "company", "kind", "currency", "since", "until"]
        form = DateRangeForm

    def __init__(self, *args, currencies: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["currency"].extra["choices"] = [(code, code) for code in (currencies or [])]


class MismatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReconciliationItem.Status.choices, label=_("Status"),
                                         empty_label=_("Open and resolved"))
    tenant = _ProgrammeFilter(label=_("Programme"))
    kind = django_filters.ChoiceFilter(choices=ReconciliationItem.Kind.choices, label=_("Kind"),
                                       empty_label=_("All kinds"))
    source = django_filters.ChoiceFilter(choices=ReconciliationItem.Source.choices, label=_("Compared with"),
                                         empty_label=_("Stripe, bank and invoices"))
    since = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("From"),
                                      widget=DATE_INPUT)
    until = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("Until"),
                                      widget=DATE_INPUT)

    class Meta:
        model = ReconciliationItem
        fields = ["status", "tenant", "kind", "source", "since", "until"]
        form = DateRangeForm
