"""The tenant admins' own pages: branding, languages and modules, roles, KPIs, security."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from platform_core.forms import add_service_errors, posted
from shared_apps.accounts.permissions import permission_required
from tenants import catalog, forms, services


def _save(request, form, **changes):
    try:
        services.update_configuration(request.tenant, **changes)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Settings saved."))
    return True


@permission_required("settings.view")
def settings_index(request):
    return render(request, "tenants/settings_index.html", {"kpis": request.tenant.kpis})


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def branding(request):
    tenant = request.tenant
    files = request.FILES if request.method == "POST" else None
    form = forms.BrandingForm(posted(request), files, initial={**tenant.branding, "theme": tenant.theme})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        theme, logo, remove_logo = data.pop("theme"), data.pop("logo"), data.pop("remove_logo")
        if logo:
            data["logo_url"] = services.store_logo(tenant, logo)
        elif remove_logo:
            data["logo_url"] = ""
        if _save(request, form, branding=data, theme=theme):
            return redirect("tenant-settings:branding")
    context = {"form": form, "logo_url": tenant.branding.get("logo_url", "")}
    return render(request, "tenants/settings_branding.html", context, status=400 if form.errors else 200)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def languages_modules(request):
    tenant = request.tenant
    initial = {"name": tenant.name, "default_language": tenant.default_language, "languages": tenant.languages,
               "modules": tenant.modules, "signup_roles": tenant.signup_roles}
    form = forms.LanguagesModulesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, **form.cleaned_data):
        return redirect("tenant-settings:languages-modules")
    return render(request, "tenants/settings_languages_modules.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def role_matrix(request):
    form = forms.RoleMatrixForm(posted(request), matrix=request.tenant.role_matrix)
    if request.method == "POST" and form.is_valid() and _save(request, form, role_matrix=form.matrix()):
        return redirect("tenant-settings:roles")
    context = {"form": form, "roles": list(catalog.MATRIX_ROLES.values())}
    return render(request, "tenants/settings_roles.html", context, status=400 if form.errors else 200)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def kpis(request):
    formset = forms.KpiFormSet(posted(request), initial=request.tenant.kpis, prefix="kpi")
    if request.method == "POST" and formset.is_valid():
        try:
            services.update_configuration(request.tenant, kpis=formset.kpis())
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("tenant-settings:kpis")
    has_errors = request.method == "POST" and not formset.is_valid()
    return render(request, "tenants/settings_kpis.html", {"formset": formset}, status=400 if has_errors else 200)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def security(request):
    tenant = request.tenant
    initial = {"mfa_required_roles": tenant.mfa_required_roles, "session_idle_minutes": tenant.session_idle_minutes}
    form = forms.SecurityForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, **form.cleaned_data):
        return redirect("tenant-settings:security")
    return render(request, "tenants/settings_security.html", {"form": form}, status=400 if form.errors else 200)


@cache_control(max_age=300, public=True)
def theme_tokens(request):
    """The tenant's branding tokens as CSS custom properties (no inline styles needed)."""
    tenant = request.tenant
    branding = {**catalog.DEFAULT_BRANDING, **(tenant.branding if not tenant.is_public else {})}
    lines = [
        f"--brand-primary: {branding['primary_color']};",
        f"--brand-accent: {branding['accent_color']};",
        f"--brand-text: {branding['text_color']};",
        f"--brand-background: {branding['background_color']};",
        f"--brand-heading-font: {catalog.FONT_STACKS.get(branding['heading_font'], catalog.FONT_STACKS['system-ui'])};",
        f"--brand-body-font: {catalog.FONT_STACKS.get(branding['body_font'], catalog.FONT_STACKS['system-ui'])};",
    ]
    css = ":root {\n  " + "\n  ".join(lines) + "\n}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
