from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors
from shared_apps.accounts.permissions import operator_required
from shared_apps.operators import selectors
from tenants import catalog, services
from tenants.forms import TenantCreateForm


@operator_required
def console(request):
    context = {"tenants": selectors.programmes_overview(), "pool": selectors.pool_status()}
    return render(request, "operators/console.html", context)


@operator_required
@require_http_methods(["GET", "POST"])
def tenant_create(request):
    form = TenantCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.TenantSpec(
            slug=data["slug"], name=data["name"], domains=data["domains"], theme=data["theme"],
            default_language=data["default_language"], languages=tuple(data["languages"]), modules=tuple(data["modules"]),
        )
        try:
            tenant = services.provision_tenant(spec)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.ProvisioningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Programme “%(name)s” is ready at %(url)s.") % {"name": tenant.name, "url": tenant.url()})
            return redirect("operators:tenant-detail", slug=tenant.slug)
    return render(request, "operators/tenant_create.html", {"form": form}, status=400 if form.errors else 200)


@operator_required
def tenant_detail(request, slug):
    tenant = selectors.programme(slug)
    if tenant is None:
        raise Http404
    counts = selectors.role_counts(tenant)
    roles = [(label, counts.get(role, 0)) for role, label in catalog.ROLES.items()]
    return render(request, "operators/tenant_detail.html", {"tenant": tenant, "roles": roles})


@operator_required
@require_POST
def tenant_set_status(request, slug):
    tenant = selectors.programme(slug)
    if tenant is None:
        raise Http404
    action = request.POST.get("action")
    if action not in ("suspend", "resume"):
        return render(request, "errors/400.html", status=400)
    suspend = action == "suspend"
    services.set_status(tenant, suspended=suspend)
    messages.success(request, _("Programme suspended.") if suspend else _("Programme resumed."))
    return redirect("operators:tenant-detail", slug=slug)


@operator_required
@require_http_methods(["GET", "POST"])
def tenant_delete(request, slug):
    tenant = selectors.programme(slug)
    if tenant is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            export_path = services.delete_tenant(tenant, confirm_slug=request.POST.get("confirm_slug", "").strip())
        except services.ProvisioningError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Programme deleted. Its export is kept as %(file)s.") % {"file": export_path.name})
            return redirect("operators:console")
    return render(request, "operators/tenant_delete.html", {"tenant": tenant, "error": error}, status=400 if error else 200)
