"""Rules for tenant slugs, host names, colours, languages, modules, roles and KPIs.

Each validator raises ``ValidationError`` with a message a tenant admin or an operator
can act on; forms and the CLI call the same functions.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants import catalog

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
KPI_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED_SLUGS = {"public", "www", "admin", "api", "static", "media", "console", "mail", "template"}
TEMPLATE_SCHEMA = "tenant_template"
# A slug becomes a schema name: these already exist in every Comptoir database.
RESERVED_SCHEMAS = {"public", "information_schema", TEMPLATE_SCHEMA}
# WCAG 2.1 AA, success criterion 1.4.3: 4.5:1 for body text.
MIN_CONTRAST = 4.5


def validate_slug(value: str) -> str:
    slug = (value or "").strip().lower()
    if not SLUG_RE.match(slug):
        raise ValidationError(
            _(
                "Use 1 to 40 lower-case letters, digits or hyphens, starting and ending with a "
                "letter or digit (it becomes part of the web address)."
            ),
            code="invalid_slug",
        )
    reserved = slug in RESERVED_SLUGS or schema_name_for(slug) in RESERVED_SCHEMAS
    if reserved or slug.startswith(("spare", "pg-")):
        raise ValidationError(_("“%(slug)s” is reserved by the platform; choose another name."), params={"slug": slug}, code="reserved_slug")
    return slug


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


def validate_hostname(value: str) -> str:
    host = (value or "").strip().lower().rstrip(".")
    labels = host.split(".")
    if not host or len(host) > 253 or len(labels) < 2 or not all(LABEL_RE.match(label) for label in labels):
        raise ValidationError(
            _(
                "“%(host)s” is not a valid host name: use letters, digits and hyphens separated "
                "by dots, such as programme.example.org (no underscores, no spaces, no http://)."
            ),
            params={"host": value},
            code="invalid_host",
        )
    return host


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_hex_colour(value: str) -> str:
    if not HEX_RE.match(value or ""):
        raise ValidationError(_("Enter a colour as # followed by six hexadecimal digits, such as #1d4ed8."), code="invalid_colour")
    return value.lower()


def contrast_errors(branding: dict) -> dict[str, str]:
    """Which colours fail WCAG AA contrast against the background, with an explanation."""
    background = branding["background_color"]
    errors = {}
    for field in ("text_color", "primary_color", "accent_color"):
        ratio = contrast_ratio(branding[field], background)
        if ratio < MIN_CONTRAST:
            errors[field] = _(
                "This colour has a contrast ratio of %(ratio).2f:1 against the background "
                "%(background)s; WCAG 2.1 AA asks for at least %(minimum).1f:1 so that text stays "
                "readable. Choose a darker or lighter shade."
            ) % {"ratio": ratio, "background": background, "minimum": MIN_CONTRAST}
    return errors


def validate_languages(*, default_language: str, languages: list[str]) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise ValidationError(_("Unknown language: %(codes)s."), params={"codes": ", ".join(unknown)}, code="unknown_language")
    if not languages:
        raise ValidationError(_("Enable at least one language."), code="no_language")
    if default_language not in languages:
        raise ValidationError(_("The default language must be one of the enabled languages."), code="default_language")


def validate_modules(modules: list[str]) -> None:
    unknown = [m for m in modules if m not in catalog.MODULES]
    if unknown:
        raise ValidationError(_("Unknown module: %(modules)s."), params={"modules": ", ".join(unknown)}, code="unknown_module")


def validate_theme(theme: str) -> None:
    if theme not in catalog.THEMES:
        raise ValidationError(_("Unknown theme “%(theme)s”."), params={"theme": theme}, code="unknown_theme")


def validate_role_matrix(matrix: dict) -> None:
    if set(matrix) - set(catalog.MATRIX_ROLES):
        raise ValidationError(_("The role matrix names a role that does not exist."), code="unknown_role")
    for permissions in matrix.values():
        if set(permissions) - set(catalog.PERMISSIONS):
            raise ValidationError(_("The role matrix names a permission that does not exist."), code="unknown_permission")
    admin = set(matrix.get(catalog.TENANT_ADMIN, []))
    if not {"settings.change", "members.manage"} <= admin:
        raise ValidationError(
            _("Tenant administrators must keep “change settings” and “manage members”, or nobody could undo this change."),
            code="admin_lockout",
        )


def validate_kpis(kpis: list[dict]) -> None:
    keys = set()
    for kpi in kpis:
        key = kpi.get("key", "")
        if not KPI_KEY_RE.match(key):
            raise ValidationError(_("KPI key “%(key)s”: use lower-case letters, digits and underscores."), params={"key": key}, code="kpi_key")
        if key in keys:
            raise ValidationError(_("KPI key “%(key)s” is used twice."), params={"key": key}, code="kpi_duplicate")
        keys.add(key)
        if not str(kpi.get("label", "")).strip():
            raise ValidationError(_("Every KPI needs a label."), code="kpi_label")
        target = kpi.get("target")
        if not isinstance(target, int | float) or target < 0:
            raise ValidationError(_("KPI “%(key)s”: the target must be a number of zero or more."), params={"key": key}, code="kpi_target")
        if kpi.get("metric") and kpi["metric"] not in catalog.KPI_METRICS:
            raise ValidationError(_("KPI “%(key)s”: choose one of the measures listed."), params={"key": key}, code="kpi_metric")
        threshold = kpi.get("threshold")
        if threshold is not None and (not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1):
            raise ValidationError(_("KPI “%(key)s”: N must be a whole number of 1 or more."), params={"key": key}, code="kpi_threshold")


def validate_origins(origins: list[str]) -> list[str]:
    """Web origins allowed to call the API: ``https://host[:port]``, no path, no wildcard."""
    from urllib.parse import urlsplit

    cleaned = []
    for raw in origins:
        origin = raw.strip().rstrip("/").lower()
        if not origin:
            continue
        parts = urlsplit(origin)
        allowed_schemes = ("https",) if settings.IS_PRODUCTION else ("https", "http")
        if (parts.scheme not in allowed_schemes or not parts.hostname or parts.path or parts.query
                or parts.fragment or parts.username or "*" in origin):
            raise ValidationError(
                _("“%(origin)s” is not a web origin: write it as https://app.example.org, without a path."),
                params={"origin": raw.strip()[:100]}, code="origin",
            )
        if origin not in cleaned:
            cleaned.append(origin)
    if len(cleaned) > 20:
        raise ValidationError(_("List at most 20 origins."), code="origins_count")
    return cleaned
