"""CORS for the API: only the origins the tenant's admins listed, checked on each request."""

import re

from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.dispatch import receiver


@receiver(check_request_enabled, dispatch_uid="tenant-cors-origins")
def origin_listed_by_tenant(sender, request, **kwargs) -> bool:
    # django-cors-headers enables CORS when the URL regex *or* a handler says yes: check both.
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        return False
    origin = request.headers.get("Origin", "").lower().rstrip("/")
    return bool(origin) and origin in tenant.cors_allowed_origins
