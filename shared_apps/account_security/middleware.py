from django.conf import settings


class KnownDeviceCookieMiddleware:
    """Gives the browser the identifier a sign-in just assigned it (see signals.remember_device)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = getattr(request, "known_device_cookie", None)
        if value:
            response.set_cookie(
                settings.KNOWN_DEVICE_COOKIE_NAME, value, max_age=settings.KNOWN_DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )
        return response
