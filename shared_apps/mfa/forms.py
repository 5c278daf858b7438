from django import forms
from django.utils.translation import gettext_lazy as _


class CodeInput(forms.TextInput):
    def __init__(self):
        super().__init__(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off",
                                "spellcheck": "false", "size": 12})


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=32, widget=CodeInput(),
        help_text=_("The 6-digit code, or one of your backup codes."),
        error_messages={"required": _("Enter the code.")},
    )


class VerifyForm(CodeForm):
    device = forms.ChoiceField(label=_("Method"), widget=forms.RadioSelect,
                               error_messages={"required": _("Choose how you confirm it is you."),
                                               "invalid_choice": _("Choose one of the listed methods.")})
    field_order = ["device", "token"]

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].choices = devices
        if len(devices) == 1:
            self.fields["device"].initial = devices[0][0]
        self.fields["token"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action") != "send" and not cleaned.get("token"):
            self.add_error("token", _("Enter the code."))
        return cleaned


class PhoneNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Mobile phone number"), max_length=32,
        help_text=_("International form, starting with + and the country code."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Enter your mobile phone number.")},
    )
