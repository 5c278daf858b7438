from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.permissions import permission_required
from shared_apps.api.forms import AllowedOriginsForm
from tenants import services


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def origins(request):
    tenant = request.tenant
    form = AllowedOriginsForm(
        request.POST if request.method == "POST" else None,
        initial={"origins": "\n".join(tenant.cors_allowed_origins)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_configuration(tenant, cors_allowed_origins=form.origins_list())
        except ValidationError as error:
            for message in error.messages:
                form.add_error("origins", message)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("api-settings:origins")
    return render(request, "api/settings_origins.html", {"form": form}, status=400 if form.errors else 200)
