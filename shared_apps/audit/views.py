"""Read-only audit pages: the tenant admins' log and report, and the operators' platform view."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shared_apps.accounts.permissions import operator_required, permission_required
from shared_apps.audit import resources, selectors, services
from shared_apps.audit.forms import AuditFilterForm, PrivilegeReportForm

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def _list(request, events, form, template, extra=None):
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, **(extra or {})}
    return render(request, template, context, status=400 if form.errors else 200)


def _export(request, events, tenant, label: str):
    fmt = request.GET.get("format", "csv")
    if fmt not in resources.EXPORT_FORMATS:
        fmt = "csv"
    content_type, extension = resources.EXPORT_FORMATS[fmt]
    content = resources.export(events[:EXPORT_LIMIT], fmt)
    services.record(action="audit.exported", tenant=tenant, after={"format": fmt, "filters": dict(request.GET.items())})
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{label}-{stamp}.{extension}"'
    return response


@permission_required("audit.view")
@require_GET
def event_list(request):
    form = AuditFilterForm(request.GET or None)
    events = selectors.events_for(request.tenant, **form.filters())
    return _list(request, events, form, "audit/event_list.html")


@permission_required("audit.view")
@require_GET
def event_export(request):
    form = AuditFilterForm(request.GET or None)
    events = selectors.events_for(request.tenant, **form.filters())
    return _export(request, events, request.tenant, request.tenant.slug)


@permission_required("audit.view")
@require_GET
def privilege_report(request):
    form = PrivilegeReportForm(request.GET or None)
    filters = {key: form.cleaned_data.get(key) for key in ("since", "until")} if form.is_valid() else {}
    period = form.chosen_period() if request.GET else "month"
    rows = selectors.elevated_privilege_report(selectors.events_for(request.tenant, **filters), period=period)
    return render(request, "audit/privilege_report.html", {"form": form, "rows": rows, "period": period},
                  status=400 if form.errors else 200)


@operator_required
@require_GET
def console_event_list(request):
    form = AuditFilterForm(request.GET or None)
    events = selectors.all_events(tenant_slug=request.GET.get("programme", "")[:40], **form.filters())
    return _list(request, events, form, "audit/event_list.html", {"on_console": True})


@operator_required
@require_GET
def console_event_export(request):
    form = AuditFilterForm(request.GET or None)
    events = selectors.all_events(tenant_slug=request.GET.get("programme", "")[:40], **form.filters())
    return _export(request, events, None, "platform")


@operator_required
@require_GET
def console_privilege_report(request):
    form = PrivilegeReportForm(request.GET or None)
    filters = {key: form.cleaned_data.get(key) for key in ("since", "until")} if form.is_valid() else {}
    period = form.chosen_period() if request.GET else "month"
    rows = selectors.elevated_privilege_report(selectors.all_events(**filters), period=period)
    return render(request, "audit/privilege_report.html",
                  {"form": form, "rows": rows, "period": period, "on_console": True},
                  status=400 if form.errors else 200)
