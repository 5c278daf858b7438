"""The period a dashboard shows: a preset (a link) or two dates (a form), read from the query string."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.analytics.selectors import Period

PRESETS = {
    "7": _("Last 7 days"),
    "30": _("Last 30 days"),
    "90": _("Last 90 days"),
    "start": _("Since the programme started"),
}
DEFAULT_PRESET = "30"
# Longer ranges are refused: the figures would no longer fit a page or a chart.
MAX_DAYS = 5 * 366


class RangeForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-10-01.")},
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-10-31.")},
    )

    def __init__(self, data=None, *, programme_start: date, today: date | None = None):
        super().__init__(data)
        self.programme_start = programme_start
        self.today = today or timezone.localdate()
        preset = (data or {}).get("preset", "")
        self.preset = preset if preset in PRESETS else DEFAULT_PRESET

    @property
    def is_custom(self) -> bool:
        return self.is_bound and bool(self.data.get("start") or self.data.get("end"))

    def clean(self):
        cleaned = super().clean()
        if not self.is_custom or self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None:
            self.add_error("start", _("Enter the first day of the period."))
        if end is None:
            self.add_error("end", _("Enter the last day of the period."))
        if start and end:
            if start > end:
                self.add_error("end", _("The last day must be on or after the first day."))
            elif end > self.today:
                self.add_error("end", _("The last day cannot be after today."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("start", _("Choose a period of at most five years."))
        return cleaned

    def period(self) -> Period:
        """Two valid dates, else the preset asked for (last 30 days by default, and while dates are wrong)."""
        if self.is_custom:
            if self.is_valid():
                return Period(self.cleaned_data["start"], self.cleaned_data["end"])
            return Period(self.today - timedelta(days=int(DEFAULT_PRESET) - 1), self.today)
        if self.preset == "start":
            return Period(min(self.programme_start, self.today), self.today)
        return Period(self.today - timedelta(days=int(self.preset) - 1), self.today)

    def active_preset(self) -> str:
        return "" if self.is_custom else self.preset
