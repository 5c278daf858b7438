from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shared_apps.account_security.captcha import CaptchaFormMixin, SignInCaptchaMixin
from shared_apps.account_security.passwords import password_strength_attrs
from shared_apps.accounts.models import User
from tenants import catalog


class SignInForm(SignInCaptchaMixin, AuthenticationForm):
    username = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("This e-mail address and password do not match an account. Check both and try again."),
        "inactive": _("This account is disabled. Contact the programme's team."),
        "unconfirmed": _("Confirm your e-mail address first: follow the link we sent you, or ask for a new one below."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.has_verified_email:
            raise ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", **password_strength_attrs()}),
        help_text=_("At least 12 characters; a few unrelated words make a good password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second

    def _validate_password_for(self, user):
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)


class SignUpForm(CaptchaFormMixin, PasswordPairMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    role = forms.ChoiceField(label=_("I join as"), widget=forms.RadioSelect)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    field_order = ["full_name", "email", "role", "organisation", "password1", "password2", "captcha"]

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, catalog.ROLES[r]) for r in tenant.signup_roles if r in catalog.ROLES]

    def clean(self):
        cleaned = super().clean()
        self._validate_password_for(User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")))
        return cleaned


class JoinForm(forms.Form):
    role = forms.ChoiceField(label=_("I join as"), widget=forms.RadioSelect)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, catalog.ROLES[r]) for r in tenant.signup_roles if r in catalog.ROLES]


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class AcceptInvitationForm(PasswordPairMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        self._validate_password_for(User(email=self.email, full_name=cleaned.get("full_name", "")))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=catalog.ROLE_CHOICES)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=catalog.ROLE_CHOICES)
