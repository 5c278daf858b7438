"""Activity dashboards: a company's (its representatives, the agency) and the programme's (the agency)."""

from __future__ import annotations

import logging

import tablib
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shared_apps.accounts.permissions import can
from tenant_apps.analytics import charts, kpis, reports, selectors, services
from tenant_apps.analytics.forms import PRESETS, RangeForm
from tenant_apps.directory.models import Company, Representative

logger = logging.getLogger(__name__)

ENGAGEMENT_PAGE_SIZE = 25
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class _SignIn(Exception):
    pass


def _enabled(request) -> None:
    if not request.tenant.has_module("analytics"):
        raise Http404


def _agency(request) -> None:
    _enabled(request)
    if can(request.user, "reports.view", tenant=request.tenant):
        return
    if not request.user.is_authenticated:
        raise _SignIn
    raise PermissionDenied


def _company(request, pk: int) -> Company:
    """The company whose activity the viewer may see: the agency any, a representative their own.

    Anyone else's company answers 404, as if it did not exist.
    """
    _enabled(request)
    if can(request.user, "reports.view", tenant=request.tenant):
        company = Company.objects.filter(pk=pk).first()
    elif can(request.user, "analytics.view_own", tenant=request.tenant):
        rep = Representative.objects.select_related("company").filter(company_id=pk, user=request.user).first()
        company = rep.company if rep else None
    elif not request.user.is_authenticated:
        raise _SignIn
    else:
        raise PermissionDenied
    if company is None:
        raise Http404
    return company


def _signing_in(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _range(request) -> tuple[RangeForm, selectors.Period]:
    data = request.GET if any(key in request.GET for key in ("preset", "start", "end")) else None
    form = RangeForm(data, programme_start=selectors.programme_start(request.tenant))
    return form, form.period()


def _charts(activity: selectors.Activity) -> tuple[list[charts.Chart], list[charts.Bucket]]:
    unit, buckets = charts.buckets(activity.series)
    per = {"day": _("per day"), "week": _("per week"), "month": _("per month")}[unit]
    return [
        charts.bar_chart(chart_id="chart-views", title=_("Page views %(per)s") % {"per": per},
                         description=_("Bar chart of page views %(per)s; the table below gives the same figures.") % {"per": per},
                         values=[(b.label, b.views) for b in buckets]),
        charts.bar_chart(chart_id="chart-inquiries", title=_("Inquiries received %(per)s") % {"per": per},
                         description=_("Bar chart of inquiries %(per)s; the table below gives the same figures.") % {"per": per},
                         values=[(b.label, b.inquiries) for b in buckets]),
    ], buckets


def _context(request, form, period, activity) -> dict:
    chart_list, buckets = _charts(activity)
    return {
        "form": form, "period": period, "activity": activity, "charts": chart_list, "buckets": buckets,
        "figures": reports.figures(activity), "presets": PRESETS,
        "months": reports.available_months(form.programme_start),
        "median_response": reports.duration(activity.median_response_seconds),
    }


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_GET
@_signing_in
def index(request):
    _enabled(request)
    if can(request.user, "reports.view", tenant=request.tenant):
        return redirect("analytics:programme-dashboard")
    if can(request.user, "analytics.view_own", tenant=request.tenant):
        rep = Representative.objects.filter(user=request.user).order_by("-is_owner", "created_at").first()
        if rep is not None:
            return redirect("analytics:company-dashboard", pk=rep.company_id)
        return render(request, "analytics/no_company.html")
    if not request.user.is_authenticated:
        raise _SignIn
    raise PermissionDenied


@require_GET
@_signing_in
def company_dashboard(request, pk: int):
    company = _company(request, pk)
    form, period = _range(request)
    activity = selectors.company_activity(company.pk, period)
    context = {**_context(request, form, period, activity), "company": company,
               "is_agency": can(request.user, "reports.view", tenant=request.tenant)}
    return render(request, "analytics/company_dashboard.html", context, status=_status(form))


@require_GET
@_signing_in
def programme_dashboard(request):
    _agency(request)
    form, period = _range(request)
    activity = selectors.programme_activity(period)
    context = {**_context(request, form, period, activity),
               "kpis": kpis.evaluate(request.tenant.kpis or [], activity, products=selectors.products_online()),
               "can_change_kpis": can(request.user, "settings.change", tenant=request.tenant)}
    return render(request, "analytics/programme_dashboard.html", context, status=_status(form))


ENGAGEMENT_COLUMNS = [
    ("name", gettext_lazy("Company")), ("last_sign_in", gettext_lazy("Last sign-in")),
    ("products", gettext_lazy("Products online")), ("received", gettext_lazy("Inquiries received")),
    ("answered", gettext_lazy("Inquiries answered")), ("rate", gettext_lazy("Response rate")),
    ("views", gettext_lazy("Page views")), ("visitors", gettext_lazy("Unique visitors")),
]


def _sort(request) -> str:
    sort = request.GET.get("sort", "name")
    return sort if sort.lstrip("-") in selectors.SORT_KEYS else "name"


@require_GET
@_signing_in
def engagement(request):
    _agency(request)
    form, period = _range(request)
    sort = _sort(request)
    rows = selectors.engagement(period, tenant=request.tenant, sort=sort)
    page = Paginator(rows, ENGAGEMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [{"key": key, "label": str(label), "sorted": sort.lstrip("-") == key,
                "descending": sort == f"-{key}", "next": key if sort == f"-{key}" else f"-{key}" if sort == key else key}
               for key, label in ENGAGEMENT_COLUMNS]
    context = {"form": form, "period": period, "page": page, "columns": columns, "sort": sort, "presets": PRESETS}
    return render(request, "analytics/engagement.html", context, status=_status(form))


@require_GET
@_signing_in
def engagement_export(request):
    _agency(request)
    _form, period = _range(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    rows = selectors.engagement(period, tenant=request.tenant, sort=_sort(request))
    dataset = tablib.Dataset(headers=[str(label) for _key, label in ENGAGEMENT_COLUMNS] + [_("Supported since")])
    for row in rows:
        dataset.append([
            reports.neutralise(row.name), row.last_sign_in.isoformat() if row.last_sign_in else "", row.products_online,
            row.inquiries_received, row.inquiries_answered, "" if row.response_rate is None else round(row.response_rate, 1),
            row.views, row.visitors, row.since.isoformat(),
        ])
    content = dataset.export("xlsx") if fmt == "xlsx" else dataset.export("csv").encode("utf-8-sig")
    content_type, extension = EXPORT_FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    name = f"engagement-{request.tenant.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_response(request, build, *, company=None):
    try:
        month = reports.parse_month(request.GET.get("month", ""))
    except ValueError:
        raise Http404 from None
    if month not in reports.available_months(selectors.programme_start(request.tenant)):
        raise Http404
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "csv"):
        raise Http404
    report = build(month)
    if fmt == "pdf":
        content, content_type = reports.render_pdf(report, language=request.LANGUAGE_CODE), "application/pdf"
    else:
        content, content_type = reports.render_csv(report), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    name = services.report_file_name(month=month, company=company, extension=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@_signing_in
def company_report(request, pk: int):
    company = _company(request, pk)
    return _report_response(request, lambda month: reports.company_report(company, month, tenant=request.tenant), company=company)


@require_GET
@_signing_in
def programme_report(request):
    _agency(request)
    return _report_response(request, lambda month: reports.programme_report(month, tenant=request.tenant))
