"""Tenant admins' pages for temporary access (grants) and activity rules (badges)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from platform_core.forms import add_service_errors
from shared_apps.access import forms, selectors, services
from shared_apps.accounts.permissions import permission_required


def _add_errors(form, error: ValidationError) -> None:
    # The services speak of the grant's "user"; the form calls that field "member".
    add_service_errors(form, error, field_map={"user": "member"})


@permission_required("members.manage")
@require_http_methods(["GET", "POST"])
def grant_list(request):
    tenant = request.tenant
    form = forms.GrantForm(request.POST if request.method == "POST" else None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_grant(
                tenant=tenant, actor=request.user, user=data["member"].user, role=data["role"],
                permissions=data["permissions"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Temporary access granted to %(name)s.") % {"name": data["member"].user})
            return redirect("access:grant-list")
    context = {"form": form, "grants": selectors.grants_of(tenant)[:200], "now": timezone.now()}
    return render(request, "access/grant_list.html", context, status=400 if form.errors else 200)


@permission_required("members.manage")
@require_POST
def grant_revoke(request, pk):
    grant = selectors.grant_in(request.tenant, pk)
    if grant is None:
        raise Http404
    try:
        services.revoke_grant(tenant=request.tenant, actor=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Temporary access of %(name)s revoked.") % {"name": grant.user})
    return redirect("access:grant-list")


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def rule_list(request):
    tenant = request.tenant
    form = forms.RuleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_rule(tenant=tenant, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Rule saved. Badges are awarded within the hour."))
            return redirect("access:rule-list")
    context = {"form": form, "rules": selectors.rules_of(tenant)}
    return render(request, "access/rule_list.html", context, status=400 if form.errors else 200)


@permission_required("settings.change")
@require_POST
def rule_change(request, pk):
    rule = selectors.rule_in(request.tenant, pk)
    if rule is None:
        raise Http404
    action = request.POST.get("action")
    if action == "delete":
        services.delete_rule(tenant=request.tenant, actor=request.user, rule=rule)
        messages.success(request, _("Rule deleted; its badges are withdrawn."))
    elif action in ("pause", "resume"):
        services.set_rule_active(tenant=request.tenant, actor=request.user, rule=rule, is_active=action == "resume")
        messages.success(request, _("Rule updated."))
    else:
        messages.error(request, _("Choose one of the offered actions."))
    return redirect("access:rule-list")
