"""Host routing, suspended tenants and the language of each request."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from platform_core.logging import tenant_var
from tenants.models import Domain, Tenant

logger = logging.getLogger(__name__)

ALWAYS_SERVED_PATHS = ("/healthz", "/readyz", "/static/")


class TenantMiddleware(TenantMainMiddleware):
    """django-tenants' routing, with a branded page for unknown hosts and suspended tenants."""

    def get_tenant(self, domain_model, hostname):
        domain = domain_model.objects.select_related("tenant").get(domain=hostname)
        if domain.tenant.status not in (Tenant.Status.PUBLIC, Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
            raise domain_model.DoesNotExist
        return domain.tenant

    def process_request(self, request):
        connection.set_schema_to_public()
        try:
            # Host names are case-insensitive; domains are stored in lower case.
            hostname = remove_www(request.get_host().split(":")[0].lower())
        except DisallowedHost:
            return self._unknown_host(request, host=request.META.get("HTTP_HOST", ""))
        try:
            tenant = self.get_tenant(Domain, hostname)
        except Domain.DoesNotExist:
            if request.path_info.startswith(ALWAYS_SERVED_PATHS):
                self._serve_as_public(request)
                return None
            return self._unknown_host(request, host=hostname)
        tenant.domain_url = hostname
        request.tenant = tenant
        tenant_var.set(tenant.schema_name)
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        if tenant.is_suspended and not request.path_info.startswith(ALWAYS_SERVED_PATHS):
            return render(request, "errors/maintenance.html", {"tenant": tenant}, status=503, using=None)
        return None

    def _serve_as_public(self, request) -> bool:
        request.tenant = Tenant.objects.get(schema_name="public")
        connection.set_tenant(request.tenant)
        self.setup_url_routing(request, force_public=True)
        return True

    def _unknown_host(self, request, *, host: str):
        logger.info("request for unknown host", extra={"host": host[:255]})
        request.tenant = None
        translation.activate(translation.get_language_from_request(request))
        request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        return render(request, "errors/unknown_host.html", {"host": host[:255]}, status=404)


class TenantLanguageMiddleware:
    """Activate the visitor's language among those the tenant enables.

    Order of preference: the language the visitor chose (cookie), the browser's
    Accept-Language, then the tenant's default language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_public:
            enabled, default = list(tenant.languages), tenant.default_language
        else:
            enabled, default = ["fr", "en"], settings.LANGUAGE_CODE
        request.enabled_languages = enabled
        language = self._choose(request, enabled) or default
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Accept-Language, Cookie")
        return response

    @staticmethod
    def _choose(request, enabled: list[str]) -> str | None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in enabled:
            return chosen
        for code, _quality in translation.trans_real.parse_accept_lang_header(
            request.headers.get("Accept-Language", "")
        ):
            base = code.split("-")[0].lower()
            if base in enabled:
                return base
        return None
