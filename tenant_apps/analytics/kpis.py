"""The agency's KPI targets (``Tenant.kpis``) measured against the showroom's activity: met or missed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tenant_apps.analytics import selectors
from tenants import catalog

MET, MISSED, NOT_MEASURED = "met", "missed", "not_measured"
STATUS_LABELS = {MET: _("Met"), MISSED: _("Missed"), NOT_MEASURED: _("Not measured here")}


@dataclass(frozen=True)
class KpiResult:
    key: str
    label: str
    target: float
    unit: str
    metric_label: str
    actual: float | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def metric_of(kpi: dict) -> str | None:
    """The KPI's metric: the one it names, or the one its key is named after."""
    metric = kpi.get("metric") or kpi.get("key")
    return metric if metric in catalog.KPI_METRICS else None


def evaluate(kpis: list[dict], activity: selectors.Activity, *, products: tuple[int, dict[int, int]]) -> list[KpiResult]:
    """Each KPI with its measured value over the activity's period; at most one extra query."""
    total_products, per_company = products
    results = []
    for kpi in kpis:
        metric = metric_of(kpi)
        threshold = kpi.get("threshold")
        actual = None
        if metric == "products_online":
            actual = total_products
        elif metric == "companies_with_products":
            actual = sum(1 for n in per_company.values() if n >= (threshold or 1))
        elif metric == "inquiries_received":
            actual = activity.inquiries_received
        elif metric == "response_rate":
            actual = activity.response_rate
        elif metric == "answered_within_hours":
            hours = threshold or 48
            within = activity.answered_within_48h if hours == 48 else selectors.within_hours(activity.period, hours)
            actual = 100 * within / activity.inquiries_received if activity.inquiries_received else None
        elif metric == "median_response_hours":
            actual = activity.median_response_hours
        elif metric == "page_views":
            actual = activity.views
        elif metric == "unique_visitors":
            actual = activity.visitors
        target = float(kpi.get("target", 0))
        if metric is None or actual is None:
            status = NOT_MEASURED
        elif catalog.KPI_METRICS[metric][1] == "at_most":
            status = MET if actual <= target else MISSED
        else:
            status = MET if actual >= target else MISSED
        results.append(KpiResult(
            key=kpi.get("key", ""), label=kpi.get("label", ""), target=target, unit=kpi.get("unit", ""),
            metric_label=str(catalog.KPI_METRICS[metric][0]) if metric else "", actual=actual, status=status,
        ))
    return results
