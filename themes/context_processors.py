from django.conf import settings

from tenants import catalog


def theme(request):
    tenant = getattr(request, "tenant", None)
    is_programme = tenant is not None and not tenant.is_public
    return {
        "is_programme": is_programme,
        "programme": tenant if is_programme else None,
        "theme_name": tenant.theme if is_programme else "platform",
        "site_name": tenant.name if is_programme else settings.PLATFORM_NAME,
        "platform_name": settings.PLATFORM_NAME,
        "branding": {**catalog.DEFAULT_BRANDING, **tenant.branding} if is_programme else catalog.DEFAULT_BRANDING,
        "tokens_version": int(tenant.updated_at.timestamp()) if is_programme and tenant.updated_at else 0,
        "enabled_languages": [
            (code, name) for code, name in settings.LANGUAGES if code in getattr(request, "enabled_languages", ["fr", "en"])
        ],
    }
