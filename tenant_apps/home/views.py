from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from shared_apps.accounts.permissions import permission_required
from tenant_apps.catalogue.sitemaps import visitors_may_browse
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


# Pages search engines have no business in: personal, managed or behind a sign-in.
ROBOTS_DISALLOW = ("/accounts/", "/manage/", "/api/", "/notifications/", "/inquiries/", "/billing/", "/analytics/",
                   "/promotion/", "/privacy/", "/catalogue/mine/", "/catalogue/manage/", "/catalogue/saved/",
                   "/catalogue/facets/", "/catalogue/buyers/")


@require_GET
def robots_txt(request):
    """The programme's robots.txt, announcing its sitemap when visitors may browse the showroom."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    if visitors_may_browse():
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
