from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.middleware import csrf
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as passkey_errors
from django_otp_webauthn import views as passkey_views
from django_otp_webauthn.utils import rewrite_exceptions

from platform_core.forms import response_status
from shared_apps.mfa import forms, passkeys, services
from shared_apps.mfa.models import SmsDevice

ENROLLING_KEY = "_mfa_enrolling"


class SecondFactorSignInMixin:
    """For a sign-in view: a person with a second factor is not signed in by the password alone."""

    def form_valid(self, form):
        user = form.get_user()
        if services.has_second_factor(user):
            services.begin_second_step(self.request, user=user, next_url=self.get_redirect_url())
            return redirect("mfa:verify")
        return super().form_valid(form)


def _verified_to_manage(view):
    """Managing second factors needs a verified session once the person has one."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        if not services.is_verified(request.user) and services.has_second_factor(request.user):
            return redirect("mfa:verify")
        return view(request, *args, **kwargs)

    return wrapped


def _after_enrolment(request, device):
    label = services.device_label(device) if device is not None else _("passkey")
    messages.success(request, _("Two-factor authentication is on: %(method)s.") % {"method": label})
    request.session.pop(ENROLLING_KEY, None)
    if services.backup_codes_left(request.user) is None:
        return redirect("mfa:backup-codes")
    return redirect("mfa:index")


@_verified_to_manage
def index(request):
    user = request.user
    devices = [(device, services.device_label(device)) for device in services.confirmed_devices(user)]
    context = {
        "devices": devices,
        "host": passkeys.current_relying_party_id(request),
        "is_required": services.must_use_mfa(user, request.tenant),
        "is_verified": services.is_verified(user),
        "backup_codes_left": services.backup_codes_left(user),
    }
    return render(request, "mfa/index.html", context)


def _enrolling(request, model):
    device_id = request.session.get(ENROLLING_KEY, {}).get(model.__name__)
    if device_id is None:
        return None
    return model.objects.filter(pk=device_id, user=request.user, confirmed=False).first()


def _remember_enrolling(request, device):
    request.session[ENROLLING_KEY] = {**request.session.get(ENROLLING_KEY, {}), type(device).__name__: device.pk}


def _confirm(request, device, form):
    try:
        services.confirm_enrolment(request=request, device=device, token=form.cleaned_data["token"])
    except services.MfaError as error:
        form.add_error("token", str(error))
        return None
    return _after_enrolment(request, device)


@_verified_to_manage
@require_http_methods(["GET", "POST"])
def enrol_totp(request):
    device = _enrolling(request, TOTPDevice)
    if device is None:
        device = services.start_totp_enrolment(user=request.user)
        _remember_enrolling(request, device)
    form = forms.CodeForm(request.POST or None)
    form.fields["token"].help_text = _("The 6-digit code your app shows now.")
    if request.method == "POST" and form.is_valid():
        response = _confirm(request, device, form)
        if response is not None:
            return response
    context = {"form": form, "qr_svg": services.totp_qr_svg(device), "secret": services.totp_secret(device)}
    return render(request, "mfa/enrol_totp.html", context, status=response_status(form))


@_verified_to_manage
@require_http_methods(["GET", "POST"])
def enrol_email(request):
    device = _enrolling(request, EmailDevice)
    form = None
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            device = services.start_email_enrolment(user=request.user, tenant=request.tenant)
        except services.MfaError as error:
            messages.error(request, str(error))
        else:
            _remember_enrolling(request, device)
            messages.info(request, _("A code is on its way to %(email)s.") % {"email": request.user.email})
        return redirect("mfa:enrol-email")
    if device is not None:
        form = forms.CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            response = _confirm(request, device, form)
            if response is not None:
                return response
    return render(request, "mfa/enrol_email.html", {"form": form, "device": device}, status=response_status(form))


@_verified_to_manage
@require_http_methods(["GET", "POST"])
def enrol_sms(request):
    device = _enrolling(request, SmsDevice)
    action = request.POST.get("action") if request.method == "POST" else None
    number_form = forms.PhoneNumberForm(request.POST if action == "send" else None,
                                        initial={"number": device.number if device else ""})
    code_form = forms.CodeForm(request.POST if action == "confirm" else None) if device is not None else None
    if action == "send" and number_form.is_valid():
        try:
            device = services.start_sms_enrolment(user=request.user, tenant=request.tenant,
                                                  number=number_form.cleaned_data["number"])
        except services.MfaError as error:
            number_form.add_error("number", str(error))
        else:
            _remember_enrolling(request, device)
            messages.info(request, _("A code is on its way to %(number)s.") % {"number": device.number})
            return redirect("mfa:enrol-sms")
    if action == "confirm" and code_form is not None and code_form.is_valid():
        response = _confirm(request, device, code_form)
        if response is not None:
            return response
    context = {"number_form": number_form, "code_form": code_form, "device": device}
    has_errors = number_form.errors or (code_form is not None and code_form.errors)
    return render(request, "mfa/enrol_sms.html", context, status=400 if has_errors else 200)


def _passkey_configuration(request, *, ceremony: str) -> dict:
    """What the package's script needs: our endpoints and the CSRF token (read from a JSON block)."""
    names = {"registration": ("mfa:passkey-registration-begin", "mfa:passkey-registration-complete"),
             "authentication": ("mfa:passkey-authentication-begin", "mfa:passkey-authentication-complete")}
    begin, complete = names[ceremony]
    return {
        "csrfToken": csrf.get_token(request),
        "nextFieldSelector": "input[name='next']",
        "autocompleteLoginFieldSelector": None,
        f"begin{ceremony.title()}Url": reverse(begin),
        f"complete{ceremony.title()}Url": reverse(complete),
    }


@_verified_to_manage
@require_http_methods(["GET"])
def enrol_passkey(request):
    rp_id = passkeys.relying_party_id(request)
    context = {
        "host": rp_id,
        "passkeys_here": passkeys.passkeys_for(request.user, rp_id).count(),
        "configuration": _passkey_configuration(request, ceremony="registration"),
    }
    return render(request, "mfa/enrol_passkey.html", context)


@_verified_to_manage
@require_http_methods(["GET"])
def passkey_added(request):
    """Where the script goes once the browser made the passkey and the server accepted it."""
    return _after_enrolment(request, None)


class PasskeyRegistrationBegin(passkey_views.BeginCredentialRegistrationView):
    """Options for a new passkey, bound to this host (see ``passkeys.HostBoundPasskeyHelper``)."""


class PasskeyRegistrationComplete(passkey_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        user, state = self.get_user(), self.get_state()
        with transaction.atomic(), rewrite_exceptions(logger=passkey_views._get_pywebauthn_logger()):
            device = self.get_helper().register_complete(user=user, state=state, data=self.request.data)
            services.finish_passkey_enrolment(request=self.request, device=device)
        return JsonResponse({"id": device.pk, "redirect_url": reverse("mfa:passkey-added")})


class _SecondStepUser:
    """The signed-in person, or the one half-way through signing in on this host."""

    def get_user(self):
        if self.request.user.is_authenticated:
            return self.request.user
        return services.pending_sign_in(self.request)


class PasskeyAuthenticationBegin(_SecondStepUser, passkey_views.BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationComplete(_SecondStepUser, passkey_views.CompleteCredentialAuthenticationView):
    next_url = ""

    def complete_auth(self, device):
        if self.request.user.is_authenticated:
            self.next_url = self.request.GET.get("next", "")
            services.mark_session_verified(self.request, device)
        else:
            self.next_url = services.pending_next_url(self.request)
            services.complete_sign_in(self.request, user=device.user, device=device)

    def get_success_url(self):
        return _safe_next(self.request, self.next_url)

    def handle_exception(self, exc):
        # A refused passkey counts like a wrong code in a pending sign-in.
        if (isinstance(exc, passkey_errors.OTPWebAuthnApiError) and not self.request.user.is_authenticated
                and services.pending_sign_in(self.request) is not None and services.record_failed_code(self.request)):
            return JsonResponse({"detail": _("Too many failed attempts: sign in again."), "code": "restart",
                                     "redirect_url": reverse("accounts:sign-in")}, status=403)
        return super().handle_exception(exc)


@_verified_to_manage
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    if request.method == "POST":
        if not services.has_primary_factor(request.user):
            messages.error(request, _("Set up an authenticator app, e-mail or text-message codes first."))
            return redirect("mfa:index")
        codes = services.generate_backup_codes(user=request.user, tenant=request.tenant)
        return render(request, "mfa/backup_codes_shown.html", {"codes": codes})
    return render(request, "mfa/backup_codes.html", {"codes_left": services.backup_codes_left(request.user)})


@_verified_to_manage
@require_POST
def remove_device(request):
    try:
        services.remove_device(user=request.user, persistent_id=request.POST.get("device", ""), tenant=request.tenant)
    except services.MfaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The method was removed."))
    return redirect("mfa:index")


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    # The sign-in page sends a signed-in person on to their usual start page.
    return reverse("accounts:sign-in")


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step: after the password, or for a signed-in session that is not verified yet."""
    if request.user.is_authenticated:
        user, pending = request.user, False
        if services.is_verified(user):
            return redirect(_safe_next(request, request.GET.get("next", "")))
    else:
        user, pending = services.pending_sign_in(request), True
        if user is None:
            messages.info(request, _("Sign in with your e-mail address and password first."))
            return redirect("accounts:sign-in")
    all_devices = services.confirmed_devices(user)
    if not all_devices:
        return redirect("mfa:index" if not pending else "accounts:sign-in")
    # Passkeys are checked by the browser ceremony, not typed; only this host's can work here.
    devices = [device for device in all_devices if not services.is_passkey(device)]
    rp_id = passkeys.current_relying_party_id(request)
    passkeys_here = passkeys.passkeys_for(user, rp_id).exists()
    choices = [(device.persistent_id, services.device_label(device)) for device in devices]
    form = forms.VerifyForm(request.POST or None, devices=choices) if choices else None
    if form is not None and request.method == "POST" and form.is_valid():
        device = services.device_of(user, form.cleaned_data["device"])
        if request.POST.get("action") == "send":
            try:
                services.send_code(device=device, tenant=request.tenant)
            except services.MfaError as error:
                form.add_error(None, str(error))
            else:
                messages.info(request, _("A code is on its way: %(method)s.") % {"method": services.device_label(device)})
                form = forms.VerifyForm(initial={"device": device.persistent_id}, devices=choices)
        else:
            try:
                services.check_code(device=device, token=form.cleaned_data["token"])
            except services.MfaError as error:
                if pending and services.record_failed_code(request):
                    messages.error(request, _("Too many wrong codes: sign in again."))
                    return redirect("accounts:sign-in")
                form.add_error("token", str(error))
            else:
                if pending:
                    next_url = services.pending_next_url(request)
                    services.complete_sign_in(request, user=user, device=device)
                else:
                    next_url = request.GET.get("next", "")
                    services.mark_session_verified(request, device)
                return redirect(_safe_next(request, next_url))
    context = {
        "form": form, "code_devices": [d.persistent_id for d in devices if services.sends_codes(d)],
        "passkeys_here": passkeys_here, "host": rp_id,
        "passkeys_elsewhere": not passkeys_here and any(services.is_passkey(d) for d in all_devices),
        "passkey_configuration": _passkey_configuration(request, ceremony="authentication") if passkeys_here else None,
    }
    return render(request, "mfa/verify.html", context, status=response_status(form))
