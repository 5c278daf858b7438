from django import forms
from django.utils.translation import gettext_lazy as _


class AllowedOriginsForm(forms.Form):
    origins = forms.CharField(
        label=_("Web origins allowed to call the API"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocapitalize": "none"}),
        help_text=_("One per line, such as https://app.example.org. Web pages on other sites cannot call the API "
                    "from a browser; apps and servers using a token are not affected."),
    )

    def origins_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["origins"].splitlines() if line.strip()]
