"""Input of the finance pages: resolving a mismatch, running a reconciliation, the
report's period, and operators granting the finance role."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.finance import selectors
from shared_apps.finance.filters import DATE_INPUT, DateRangeForm

EVERY_SCOPE = "all"
PLATFORM_SCOPE = "platform"


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What you found and did"), max_length=2000, min_length=5,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the mismatch and in the audit log, for the auditors."),
    )


class RunForm(forms.Form):
    scope = forms.ChoiceField(label=_("What to reconcile"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {str(tenant.pk): tenant for tenant in selectors.programmes()}
        self.fields["scope"].choices = [
            (EVERY_SCOPE, _("Every programme and the payouts")),
            (PLATFORM_SCOPE, _("Payouts and unmatched Stripe activity")),
            *[(pk, tenant.name) for pk, tenant in self.programmes.items()],
        ]

    def chosen(self) -> tuple[object, bool]:
        """(programme or None, every scope?)."""
        scope = self.cleaned_data["scope"]
        if scope == EVERY_SCOPE:
            return None, True
        return self.programmes.get(scope), False


def _months_ago(months: int, today: date) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class ReportForm(DateRangeForm):
    since = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)
    currency = forms.ChoiceField(label=_("Currency of the charts"), required=False)

    MAX_MONTHS = 60

    def __init__(self, *args, currencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.currencies = currencies
        self.fields["currency"].choices = [(code, code) for code in currencies] or [("", "—")]

    FIRST_YEAR = 2000

    def clean(self):
        data = super().clean()
        # Months are counted back from the end: keep it where a calendar can count (a far
        # start is refused below as a period of over five years).
        last_year = timezone.localdate().year + 1
        until = data.get("until")
        if until and not self.FIRST_YEAR <= until.year <= last_year:
            self.add_error("until", _("Choose an end date between %(first)s and %(last)s.")
                           % {"first": self.FIRST_YEAR, "last": last_year})
            data.pop("until", None)
        since, until = data.get("since"), data.get("until") or timezone.localdate()
        if since and (until.year - since.year) * 12 + until.month - since.month >= self.MAX_MONTHS:
            self.add_error("since", _("Choose a period of five years at most."))
            data.pop("since", None)
        return data

    def period(self) -> tuple[date, date, str]:
        """The chosen period (the last twelve months by default) and chart currency."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        until = data.get("until") or today
        since = data.get("since") or _months_ago(11, until)
        if since > until:
            since = _months_ago(11, until)
        currency = data.get("currency") or (self.currencies[0] if self.currencies else "EUR")
        return since, until, currency


class GrantFinanceRoleForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"), max_length=254,
                             help_text=_("They need an account already; they will have to set up two-factor "
                                         "authentication before they see anything."))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account uses this address."))
        self.user = user
        return email
