from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shared_apps.account_security.captcha import CaptchaFormMixin
from shared_apps.accounts.forms import PasswordPairMixin


class PasswordResetRequestForm(CaptchaFormMixin):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    field_order = ["email", "captcha"]


class ResetCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by e-mail"), max_length=20,
        help_text=_("Eight letters and digits; spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class NewPasswordForm(PasswordPairMixin):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        self._validate_password_for(self.user)
        return cleaned


class PasswordChangeForm(NewPasswordForm):
    current_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["current_password", "password1", "password2"]

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your current password."), code="password_incorrect")
        return password


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(label=_("New e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    current_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your current password."), code="password_incorrect")
        return password


class UnlockAccountForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the locked account"))
