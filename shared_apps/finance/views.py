"""Finance pages on the platform's host, the operators' finance staff page, and a
programme administrators' billing summary. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.permissions import operator_required, permission_required
from shared_apps.finance import charts, resources, roles, selectors, services
from shared_apps.finance.filters import LedgerFilter, MismatchFilter
from shared_apps.finance.forms import GrantFinanceRoleForm, ReportForm, ResolveForm, RunForm
from shared_apps.finance.models import ReconciliationItem, ReconciliationRun
from shared_apps.finance.money import format_money

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _export_format(request) -> str:
    fmt = request.GET.get("format", "csv")
    return fmt if fmt in resources.EXPORT_FORMATS else "csv"


def _download(request, *, what: str, queryset) -> HttpResponse:
    fmt = _export_format(request)
    content_type, extension = resources.EXPORT_FORMATS[fmt]
    content = resources.export(what, queryset[:EXPORT_LIMIT], fmt)
    filters = {key: value[:100] for key, value in request.GET.items() if key not in ("format", "page")}
    services.record_export(actor=request.user, what=what, fmt=fmt, filters=filters)
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{what}-{stamp}.{extension}"'
    return response


def _ledger_filter(request) -> LedgerFilter:
    return LedgerFilter(request.GET or None, queryset=selectors.ledger_entries(),
                        currencies=selectors.ledger_currencies())


def _mismatch_filter(request) -> MismatchFilter:
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ReconciliationItem.Status.OPEN
    return MismatchFilter(data, queryset=selectors.mismatches())


@roles.finance_view_required
@require_GET
def overview(request):
    context = {
        "open_counts": selectors.open_mismatch_counts(),
        "runs": selectors.recent_runs(5),
        "failed_events": selectors.failed_webhook_events().count(),
        "kinds": ReconciliationItem.Kind.choices,
    }
    context["open_total"] = sum(context["open_counts"].values())
    return render(request, "finance/overview.html", context)


@roles.finance_view_required
@require_GET
def ledger(request):
    filterset = _ledger_filter(request)
    entries = filterset.qs
    context = {"filter": filterset, "form": filterset.form, "page": _page(request, entries),
               "totals": selectors.totals_by_currency(entries)}
    return render(request, "finance/ledger.html", context, status=400 if filterset.form.errors else 200)


@roles.finance_view_required
@require_GET
def ledger_export(request):
    return _download(request, what="ledger", queryset=_ledger_filter(request).qs)


@roles.finance_view_required
@require_GET
def invoice_export(request):
    return _download(request, what="invoices", queryset=selectors.invoices_for_export())


@roles.finance_view_required
@require_GET
def reconciliation(request):
    filterset = _mismatch_filter(request)
    context = {
        "filter": filterset, "form": filterset.form, "page": _page(request, filterset.qs),
        "runs": selectors.recent_runs(10), "run_form": RunForm() if roles.may_act_on_finance(request.user) else None,
    }
    return render(request, "finance/reconciliation.html", context, status=400 if filterset.form.errors else 200)


@roles.finance_staff_required
@require_POST
def reconciliation_run(request):
    form = RunForm(request.POST)
    if not form.is_valid():
        filterset = _mismatch_filter(request)
        context = {"filter": filterset, "form": filterset.form, "page": _page(request, filterset.qs),
                   "runs": selectors.recent_runs(10), "run_form": form}
        return render(request, "finance/reconciliation.html", context, status=400)
    tenant, every_scope = form.chosen()
    runs = services.request_runs(tenant=tenant, every_scope=every_scope, actor=request.user)
    runs = list(ReconciliationRun.objects.across_tenants().filter(pk__in=[run.pk for run in runs]))
    if all(run.status in (ReconciliationRun.Status.SUCCEEDED, ReconciliationRun.Status.FAILED) for run in runs):
        failed = [run for run in runs if run.status == ReconciliationRun.Status.FAILED]
        found, opened = sum(run.found for run in runs), sum(run.opened + run.reopened for run in runs)
        if failed:
            messages.error(request, _("The reconciliation could not finish: %(error)s") % {"error": failed[0].error})
        else:
            messages.success(request, _("Reconciliation finished: %(found)s mismatches found, %(new)s of them new "
                                        "or opened again.") % {"found": found, "new": opened})
    else:
        messages.success(request, _("Reconciliation started. Its result appears below when it has finished; "
                                    "reload the page in a minute."))
    return redirect("finance:reconciliation")


@roles.finance_view_required
@require_GET
def mismatch_export(request):
    return _download(request, what="mismatches", queryset=_mismatch_filter(request).qs)


@roles.finance_view_required
@require_http_methods(["GET", "POST"])
def mismatch_detail(request, pk):
    item = selectors.mismatch(pk)
    if item is None:
        raise Http404
    may_act = roles.may_act_on_finance(request.user)
    if request.method == "POST" and not may_act:
        raise PermissionDenied
    form = ResolveForm(posted(request)) if may_act and item.status == ReconciliationItem.Status.OPEN else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.resolve_item(item=item, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        except services.FinanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Mismatch resolved. Your note is kept with it."))
            return redirect("finance:mismatch-detail", pk=item.pk)
    if request.method == "POST" and form is None:
        messages.error(request, _("This mismatch is already resolved."))
        return redirect("finance:mismatch-detail", pk=item.pk)
    return render(request, "finance/mismatch_detail.html", {"item": item, "form": form},
                  status=response_status(form))


def _month_label(month) -> str:
    # "N" (juin, juil.) rather than "M": French's three-letter months make June and July both "jui".
    return date_format(month, "N Y")


def _revenue_chart(*, chart_id: str, since, until, currency: str, tenant=None):
    months = selectors.revenue_by_month(since=since, until=until, currency=currency, tenant=tenant)
    labels = [_month_label(month) for month, _total in months]
    best = max(months, key=lambda row: row[1]) if months else None
    description = _("Revenue collected each month in %(currency)s, from %(since)s to %(until)s.") % {
        "currency": currency, "since": labels[0] if labels else "", "until": labels[-1] if labels else ""}
    if best is not None and best[1] > 0:
        description += " " + _("The highest is %(amount)s in %(month)s.") % {
            "amount": format_money(best[1], currency), "month": _month_label(best[0])}
    chart = charts.bar_chart(
        chart_id=chart_id, title=_("Revenue per month (%(currency)s)") % {"currency": currency},
        description=description, categories=labels,
        series=[charts.Series(name=_("Revenue"), values=[total for _month, total in months])], currency=currency)
    return chart, [(label, total) for label, (_month, total) in zip(labels, months, strict=True)]


def _receivables_chart(*, chart_id: str, currency: str, tenant=None):
    rows = selectors.receivables_by_month(currency=currency, tenant=tenant)
    labels = [_month_label(row["month"]) for row in rows]
    total_overdue = sum(row["overdue"] for row in rows)
    description = _("Unpaid invoices in %(currency)s by the month they fall due: %(overdue)s overdue in all.") % {
        "currency": currency, "overdue": format_money(total_overdue, currency)}
    chart = charts.bar_chart(
        chart_id=chart_id, title=_("Outstanding and overdue by due month (%(currency)s)") % {"currency": currency},
        description=description, categories=labels,
        series=[charts.Series(name=_("Outstanding"), values=[row["outstanding"] for row in rows]),
                charts.Series(name=_("Overdue"), values=[row["overdue"] for row in rows])],
        currency=currency)
    return chart, [{**row, "label": label} for row, label in zip(rows, labels, strict=True)]


@roles.finance_view_required
@require_GET
def reports(request):
    form = ReportForm(request.GET or None, currencies=selectors.report_currencies())
    form.is_valid()
    since, until, currency = form.period()
    revenue_chart, revenue_rows = _revenue_chart(chart_id="revenue-chart", since=since, until=until, currency=currency)
    receivables_chart, receivable_rows = _receivables_chart(chart_id="receivables-chart", currency=currency)
    context = {
        "form": form, "since": since, "until": until, "currency": currency,
        "revenue_chart": revenue_chart, "revenue_rows": revenue_rows,
        "receivables_chart": receivables_chart, "receivable_rows": receivable_rows,
        "by_programme": selectors.figures_by_programme(since=since, until=until),
        "by_plan": selectors.figures_by_plan(since=since, until=until),
    }
    return render(request, "finance/reports.html", context, status=400 if form.errors else 200)


@roles.finance_view_required
@require_GET
def webhook_events(request):
    context = {"page": _page(request, selectors.failed_webhook_events()),
               "may_act": roles.may_act_on_finance(request.user)}
    return render(request, "finance/webhook_events.html", context)


@roles.finance_staff_required
@require_POST
def webhook_event_retry(request, pk):
    event = selectors.failed_webhook_event(pk)
    if event is None:
        messages.error(request, _("This event is no longer failed: it may have been processed meanwhile."))
        return redirect("finance:webhook-events")
    services.retry_webhook_event(event=event, actor=request.user)
    messages.success(request, _("Event %(event)s queued again for processing.") % {"event": event.stripe_event_id})
    return redirect("finance:webhook-events")


@operator_required
@require_http_methods(["GET", "POST"])
def staff_list(request):
    form = GrantFinanceRoleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_finance_role(user=form.user, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(email)s is now finance staff.") % {"email": form.user.email})
            return redirect("finance-staff:staff-list")
    context = {"form": form, "staff": selectors.finance_staff()}
    return render(request, "finance/staff_list.html", context, status=response_status(form))


@operator_required
@require_POST
def staff_revoke(request, user_id):
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    try:
        services.revoke_finance_role(user=user, actor=request.user)
    except services.FinanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(email)s is no longer finance staff.") % {"email": user.email})
    return redirect("finance-staff:staff-list")


@permission_required("billing.summary")
@require_GET
def programme_summary(request):
    tenant = request.tenant
    form = ReportForm(request.GET or None, currencies=selectors.report_currencies(tenant))
    form.is_valid()
    since, until, currency = form.period()
    revenue_chart, revenue_rows = _revenue_chart(chart_id="revenue-chart", since=since, until=until,
                                                 currency=currency, tenant=tenant)
    context = {
        "form": form, "since": since, "until": until, "currency": currency,
        "totals": selectors.totals_for_programme(tenant, since=since, until=until),
        "revenue_chart": revenue_chart, "revenue_rows": revenue_rows,
        "by_plan": selectors.figures_by_plan(since=since, until=until, tenant=tenant),
    }
    return render(request, "finance/programme_summary.html", context, status=400 if form.errors else 200)
