from django.utils.functional import SimpleLazyObject

from shared_apps.privacy.consent import read_consent


class ConsentMiddleware:
    """``request.consent``: the visitor's cookie choices (nothing but the necessary until they say so)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.consent = SimpleLazyObject(lambda: read_consent(request))
        return self.get_response(request)
