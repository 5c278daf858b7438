"""Bulk onboarding pages: upload, preview, confirm; the import template and the directory export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.permissions import permission_required
from shared_apps.audit.services import record
from tenant_apps.directory.onboarding import resources, selectors, services
from tenant_apps.directory.onboarding.forms import ImportUploadForm


def _index(request, form, status=200):
    context = {"form": form, "columns": resources.COLUMNS, "sectors": selectors.sectors(),
               "max_rows": resources.MAX_ROWS}
    return render(request, "directory/onboarding/index.html", context, status=status)


@permission_required("members.import")
@require_http_methods(["GET", "POST"])
def import_start(request):
    if request.method == "GET":
        return _index(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    batch, _plan = services.start_import(tenant=request.tenant, actor=request.user,
                                         file_name=form.cleaned_data["file"].name, file_format=form.file_format,
                                         rows=form.rows)
    return redirect("onboarding:import-preview", public_id=batch.public_id)


def _preview(request, batch, plan, status=200):
    return render(request, "directory/onboarding/preview.html",
                  {"batch": batch, "plan": plan, "summary": plan.summary}, status=status)


@permission_required("members.import")
@require_GET
def import_preview(request, public_id):
    batch = selectors.open_batch_for(user=request.user, public_id=public_id)
    if batch is None:
        raise Http404
    plan = services.plan_import(tenant=request.tenant, actor=request.user, rows=batch.rows)
    return _preview(request, batch, plan)


@permission_required("members.import")
@require_POST
def import_confirm(request, public_id):
    batch = selectors.open_batch_for(user=request.user, public_id=public_id)
    if batch is None:
        raise Http404
    try:
        summary = services.confirm_import(tenant=request.tenant, actor=request.user, batch=batch)
    except services.BatchClosed as exc:
        raise Http404 from exc
    except services.ImportInvalid as invalid:
        messages.error(request, _("Nothing was imported: the directory changed since the preview and some rows now "
                                  "have errors. Correct the file and send it again."))
        return _preview(request, batch, invalid.plan, status=400)
    messages.success(request, _(
        "Import done: %(created)s companies created, %(updated)s updated, %(linked)s representatives linked, "
        "%(invited)s invitations sent."
    ) % {"created": summary["companies_created"], "updated": summary["companies_updated"],
         "linked": summary["representatives_linked"], "invited": summary["invitations"]})
    return redirect("onboarding:import-start")


@permission_required("members.import")
@require_GET
def import_template(request, fmt):
    response = HttpResponse(resources.template(fmt), content_type=resources.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="directory-import-template.{fmt}"'
    return response


@permission_required("directory.export")
@require_GET
def directory_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in resources.CONTENT_TYPES:
        fmt = "csv"
    content = resources.export_directory(selectors.companies_for_export(), fmt)
    record(action="directory.exported", tenant=request.tenant, after={"format": fmt})
    response = HttpResponse(content, content_type=resources.CONTENT_TYPES[fmt])
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="directory-{request.tenant.slug}-{stamp}.{fmt}"'
    return response
