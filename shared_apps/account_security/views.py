from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shared_apps.account_security import forms, selectors, services
from shared_apps.accounts.permissions import operator_required, permission_required

RESET_SESSION_KEY = "account_security_reset"
VERIFIED_SESSION_KEY = "account_security_reset_verified"


def _programme(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        raise Http404
    return tenant


@require_http_methods(["GET", "POST"])
def password_reset_request(request):
    tenant = _programme(request)
    form = forms.PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                reset = services.request_password_reset(
                    email=form.cleaned_data["email"], ip_address=get_client_ip_address(request), tenant=tenant
                )
            except services.TooManyRequests as error:
                form.add_error(None, str(error))
                status = 429
            else:
                request.session[RESET_SESSION_KEY] = reset.pk
                request.session.pop(VERIFIED_SESSION_KEY, None)
                return redirect("account_security:password-reset-code")
    return render(request, "account_security/password_reset_request.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def password_reset_code(request):
    _programme(request)
    reset_id = request.session.get(RESET_SESSION_KEY)
    if reset_id is None:
        return redirect("account_security:password-reset")
    form = forms.ResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_reset_code(reset_id=reset_id, code=form.cleaned_data["code"])
        except services.SecurityError as error:
            form.add_error("code", str(error))
        else:
            request.session[VERIFIED_SESSION_KEY] = reset_id
            return redirect("account_security:password-reset-new")
    return render(request, "account_security/password_reset_code.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def password_reset_new(request):
    tenant = _programme(request)
    reset = services.verified_reset(request.session.get(VERIFIED_SESSION_KEY))
    if reset is None:
        messages.error(request, _("This reset has expired or was already used. Ask for a new code."))
        return redirect("account_security:password-reset")
    form = forms.NewPasswordForm(request.POST or None, user=reset.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_password_reset(reset_id=reset.pk, password=form.cleaned_data["password1"], tenant=tenant)
        except services.SecurityError as error:
            messages.error(request, str(error))
            return redirect("account_security:password-reset")
        for key in (RESET_SESSION_KEY, VERIFIED_SESSION_KEY):
            request.session.pop(key, None)
        messages.success(request, _("Your password is changed. Sign in with it now."))
        return redirect("accounts:sign-in")
    return render(request, "account_security/password_reset_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    tenant = _programme(request)
    form = forms.PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.change_password(user=request.user, password=form.cleaned_data["password1"], tenant=tenant)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password is changed. We sent you an e-mail to confirm it."))
        return redirect("home:dashboard")
    return render(request, "account_security/password_change.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    tenant = _programme(request)
    form = forms.EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_email_change(user=request.user, new_email=form.cleaned_data["new_email"], tenant=tenant)
        except services.SecurityError as error:
            form.add_error("new_email", str(error))
        else:
            messages.info(request, _("We sent a link to %(email)s. Your address changes when you follow it.")
                          % {"email": form.cleaned_data["new_email"]})
            return redirect("home:dashboard")
    return render(request, "account_security/email_change.html", {"form": form}, status=400 if form.errors else 200)


def email_change_confirm(request, token):
    tenant = _programme(request)
    try:
        services.confirm_email_change(token=token, tenant=tenant)
    except services.SecurityError as error:
        return render(request, "account_security/link_failed.html", {"error": str(error)}, status=400)
    messages.success(request, _("Your e-mail address is changed. Use the new one to sign in."))
    return redirect("accounts:sign-in")


def unlock(request, token):
    try:
        services.unlock_with_token(token, tenant=getattr(request, "tenant", None))
    except services.SecurityError as error:
        return render(request, "account_security/link_failed.html", {"error": str(error)}, status=400)
    messages.success(request, _("Your account is unlocked. You can sign in again."))
    return redirect("accounts:sign-in")


@permission_required("members.manage")
@require_POST
def unlock_member(request, pk):
    membership = selectors.membership_in(request.tenant, pk)
    if membership is None:
        raise Http404
    services.unlock_account(user=membership.user, tenant=request.tenant, actor=request.user, via="administrator")
    messages.success(request, _("%(name)s can sign in again.") % {"name": membership.user})
    return redirect("accounts:member-list")


@operator_required
@require_http_methods(["GET", "POST"])
def operator_unlock(request):
    form = forms.UnlockAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.user_by_address(form.cleaned_data["email"])
        if user is None:
            form.add_error("email", _("No account uses this address."))
        else:
            services.unlock_account(user=user, tenant=None, actor=request.user, via="operator")
            messages.success(request, _("%(email)s can sign in again.") % {"email": user.email})
            return redirect("account_security:operator-unlock")
    context = {"form": form, "locked": selectors.locked_addresses()}
    return render(request, "account_security/operator_unlock.html", context, status=400 if form.errors else 200)
