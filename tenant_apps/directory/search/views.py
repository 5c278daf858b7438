from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from shared_apps.accounts.permissions import can, permission_required
from tenant_apps.directory.search import forms, selectors
from tenant_apps.directory.search.facets import facet_groups

PAGE_SIZE = 20


def _viewer_is_member(request) -> bool:
    """Members with ``directory.view`` see 'members' profiles; others only a public directory."""
    tenant = request.tenant
    if not tenant.has_module("directory"):
        raise Http404
    if can(request.user, "directory.view", tenant=tenant):
        return True
    if selectors.directory_settings().is_public:
        return False
    if not request.user.is_authenticated:
        raise _SignIn
    raise PermissionDenied


class _SignIn(Exception):
    pass


def _search_page(request, form_class, template):
    try:
        is_member = _viewer_is_member(request)
    except _SignIn:
        return redirect_to_login(request.get_full_path())
    form = form_class(request.GET)
    form.is_valid()
    criteria = form.criteria()
    results = selectors.search(criteria, is_member=is_member)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.facet_counts(criteria, is_member=is_member)
    total = results.total(counts.total)
    context = {
        "form": form, "page": page, "facets": facet_groups(form, counts), "criteria": criteria,
        "results": results, "total": total, "result_limit": selectors.RESULT_LIMIT,
    }
    # htmx asks for the whole page when it restores an address missing from its history cache.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render(request, "directory/search/_results.html", context)
    return render(request, template, context)


# One address answers with a page or a fragment: caches must keep them apart, or the Back
# button could show a bare fragment.
@require_GET
@vary_on_headers("HX-Request")
def company_search(request):
    return _search_page(request, forms.CompanySearchForm, "directory/search/company_search.html")


@require_GET
@vary_on_headers("HX-Request")
def expert_search(request):
    return _search_page(request, forms.ExpertSearchForm, "directory/search/expert_search.html")


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def directory_settings(request):
    if not request.tenant.has_module("directory"):
        raise Http404
    instance = selectors.directory_settings()
    form = forms.DirectorySettingsForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("directory:settings")
    return render(request, "directory/search/settings.html", {"form": form}, status=400 if form.errors else 200)
