from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants import catalog, validation

COLOUR_FIELDS = {
    "primary_color": _("Main colour (links, buttons)"),
    "accent_color": _("Accent colour"),
    "text_color": _("Text colour"),
    "background_color": _("Background colour"),
}


def _language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


class TenantCreateForm(forms.Form):
    """The operators' form; the same rules as ``comptoir tenant create``."""

    slug = forms.CharField(label=_("Slug"), max_length=40, help_text=_("Lower-case letters, digits and hyphens; it becomes part of the address."))
    name = forms.CharField(label=_("Programme name"), max_length=120)
    domains = forms.CharField(
        label=_("Domains"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One host name per line; the first is the main one. Empty: <slug>.%(domain)s.") % {"domain": settings.PLATFORM_DOMAIN},
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=list(catalog.THEMES.items()))
    default_language = forms.ChoiceField(label=_("Default language"), choices=_language_choices)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=_language_choices, widget=forms.CheckboxSelectMultiple, initial=["fr", "en"])
    modules = forms.MultipleChoiceField(label=_("Modules"), choices=list(catalog.MODULES.items()), widget=forms.CheckboxSelectMultiple, required=False, initial=list(catalog.MODULES))

    def clean_domains(self):
        return [line.strip() for line in self.cleaned_data["domains"].splitlines() if line.strip()]


LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}


class BrandingForm(forms.Form):
    logo = forms.ImageField(
        label=_("Logo"), required=False,
        help_text=_("PNG, JPEG, WebP or GIF, at most 1 MB; a square image of at least 80 × 80 pixels looks best."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    primary_color = forms.CharField(label=COLOUR_FIELDS["primary_color"], widget=forms.TextInput(attrs={"type": "color"}))
    accent_color = forms.CharField(label=COLOUR_FIELDS["accent_color"], widget=forms.TextInput(attrs={"type": "color"}))
    text_color = forms.CharField(label=COLOUR_FIELDS["text_color"], widget=forms.TextInput(attrs={"type": "color"}))
    background_color = forms.CharField(label=COLOUR_FIELDS["background_color"], widget=forms.TextInput(attrs={"type": "color"}))
    heading_font = forms.ChoiceField(label=_("Heading font"), choices=[(k, k) for k in catalog.FONT_STACKS])
    body_font = forms.ChoiceField(label=_("Body font"), choices=[(k, k) for k in catalog.FONT_STACKS])
    theme = forms.ChoiceField(label=_("Theme"), choices=list(catalog.THEMES.items()))

    def _clean_colour(self, name):
        return validation.validate_hex_colour(self.cleaned_data.get(name, ""))

    def clean_primary_color(self):
        return self._clean_colour("primary_color")

    def clean_accent_color(self):
        return self._clean_colour("accent_color")

    def clean_text_color(self):
        return self._clean_colour("text_color")

    def clean_background_color(self):
        return self._clean_colour("background_color")

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(_("This file is larger than 1 MB; please send a smaller image."))
        # Django's ImageField has opened the file with Pillow: trust its format, not the name.
        image_format = getattr(logo.image, "format", None)
        if image_format not in LOGO_FORMATS:
            raise ValidationError(_("Send a PNG, JPEG, WebP or GIF image."))
        if max(logo.image.size) > 4000:
            raise ValidationError(_("This image is more than 4000 pixels wide or high; please send a smaller one."))
        logo.extension = LOGO_FORMATS[image_format]
        return logo

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) for name in COLOUR_FIELDS):
            for field, message in validation.contrast_errors(cleaned).items():
                self.add_error(field, message)
        return cleaned


class LanguagesModulesForm(forms.Form):
    name = forms.CharField(label=_("Programme name"), max_length=120)
    default_language = forms.ChoiceField(label=_("Default language"), choices=_language_choices)
    languages = forms.MultipleChoiceField(label=_("Languages offered"), choices=_language_choices, widget=forms.CheckboxSelectMultiple)
    modules = forms.MultipleChoiceField(label=_("Modules switched on"), choices=list(catalog.MODULES.items()), widget=forms.CheckboxSelectMultiple, required=False)
    signup_roles = forms.MultipleChoiceField(
        label=_("Who may create an account on their own"), choices=[(r, catalog.ROLES[r]) for r in catalog.ROLES if r != catalog.TENANT_ADMIN],
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if "languages" in cleaned and "default_language" in cleaned:
            try:
                validation.validate_languages(default_language=cleaned["default_language"], languages=cleaned["languages"])
            except ValidationError as error:
                self.add_error("default_language", error)
        return cleaned


class RoleMatrixForm(forms.Form):
    """One checkbox per role and permission: ``<role>__<permission>``."""

    def __init__(self, *args, matrix: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for role in catalog.MATRIX_ROLES:
            granted = set(matrix.get(role, []))
            for permission in catalog.PERMISSIONS:
                self.fields[self.field_name(role, permission)] = forms.BooleanField(
                    required=False, initial=permission in granted,
                    label=f"{catalog.MATRIX_ROLES[role]} — {catalog.PERMISSIONS[permission]}",
                )

    @staticmethod
    def field_name(role, permission):
        return f"{role}__{permission.replace('.', '__')}"

    def grid(self):
        """Rows of (permission label, [bound field per role]) for the template."""
        return [
            (catalog.PERMISSIONS[p], [self[self.field_name(r, p)] for r in catalog.MATRIX_ROLES])
            for p in catalog.PERMISSIONS
        ]

    def matrix(self) -> dict:
        return {
            role: sorted(p for p in catalog.PERMISSIONS if self.cleaned_data.get(self.field_name(role, p)))
            for role in catalog.MATRIX_ROLES
        }

    def clean(self):
        cleaned = super().clean()
        try:
            validation.validate_role_matrix(self.matrix())
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class KpiForm(forms.Form):
    key = forms.RegexField(label=_("Key"), regex=validation.KPI_KEY_RE, max_length=40,
                           error_messages={"invalid": _("Use lower-case letters, digits and underscores, starting with a letter.")})
    label = forms.CharField(label=_("Label"), max_length=120)
    target = forms.DecimalField(label=_("Target"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    metric = forms.ChoiceField(
        label=_("Measured from"), required=False,
        choices=[("", _("Not measured automatically"))] + [(key, label) for key, (label, _direction) in catalog.KPI_METRICS.items()],
        help_text=_("The activity dashboard shows the target as met or missed when it can measure it."),
    )
    threshold = forms.IntegerField(
        label=_("N (products or hours)"), required=False, min_value=1, max_value=10_000,
        help_text=_("For the measures that name N: the number of products a company needs, or the hours to answer."),
    )


class BaseKpiFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        keys = [f.cleaned_data["key"] for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Each KPI needs its own key."))

    def kpis(self) -> list[dict]:
        kpis = []
        for f in self.forms:
            if not f.cleaned_data or f.cleaned_data.get("DELETE"):
                continue
            kpi = {"key": f.cleaned_data["key"], "label": f.cleaned_data["label"], "target": float(f.cleaned_data["target"]),
                   "unit": f.cleaned_data.get("unit", "")}
            if f.cleaned_data.get("metric"):
                kpi["metric"] = f.cleaned_data["metric"]
            if f.cleaned_data.get("threshold"):
                kpi["threshold"] = f.cleaned_data["threshold"]
            kpis.append(kpi)
        return kpis


KpiFormSet = forms.formset_factory(KpiForm, formset=BaseKpiFormSet, extra=1, can_delete=True, max_num=30)


class SecurityForm(forms.Form):
    mfa_required_roles = forms.MultipleChoiceField(
        label=_("Roles that must use two-factor authentication"), choices=list(catalog.ROLES.items()),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("People with these roles cannot open any page until they have set up a second factor. "
                    "Recommended for every role with access to sensitive information."),
    )
    session_idle_minutes = forms.IntegerField(
        label=_("Sign out after this many minutes without activity"), min_value=5, max_value=24 * 60,
        help_text=_("Between 5 and 1440 minutes. A warning appears shortly before."),
        error_messages={
            "min_value": _("Choose at least 5 minutes."),
            "max_value": _("Choose at most 1440 minutes (24 hours)."),
            "invalid": _("Enter a whole number of minutes."),
            "required": _("Enter a number of minutes."),
        },
    )
