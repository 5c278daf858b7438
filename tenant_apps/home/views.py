from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shared_apps.accounts.permissions import permission_required
from tenants import catalog


@permission_required("home.view")
def index(request):
    return render(request, "home/index.html", {"modules": [catalog.MODULES[m] for m in request.tenant.modules if m in catalog.MODULES]})


@login_required
def dashboard(request):
    if request.role == catalog.VISITOR:
        return render(request, "home/not_a_member.html", status=200)
    from tenant_apps.directory.selectors import profile_for_dashboard

    context = {"role_label": catalog.ROLES.get(str(request.role), ""),
               "own_profile": profile_for_dashboard(request.user, request.tenant)}
    return render(request, "home/dashboard.html", context)
